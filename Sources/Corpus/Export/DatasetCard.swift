import ArenaModel

/// The dataset card `README.md` of an export: YAML front matter as the Hugging Face Hub reads it (license, configs
/// with their data files per split, tags), then the source arena, the filters, the counts and the row format.
public enum DatasetCard {
    public static func markdown(stats: ExportStats, files: [(stem: String, split: String, name: String)], license: String,
                                source: String) -> String {
        var yaml = ["---", "license: \(license)", "pretty_name: \(quoted("\(source) trajectories (\(stats.format.rawValue))"))",
                    "language:", "- en", "task_categories:", "- text-generation",
                    "tags:", "- agents", "- tool-use", "- shopping", "- shoparena", "configs:"]
        for stem in stats.format.stems {
            yaml.append("- config_name: \(stem)")
            yaml.append("  data_files:")
            for file in files where file.stem == stem {
                yaml.append("  - split: \(file.split)")
                yaml.append("    path: \(file.name)")
            }
        }
        yaml.append("---")
        let options = (stats.options.objectValue ?? []).map { "- `\($0.0)`: \(JSONWriter().string($0.1))" }
        func table(_ d: [String: [String: Int]]) -> [String] {
            d.keys.sorted().map { split in
                "| \(split) | " + d[split]!.keys.sorted().map { "\($0) \(d[split]![$0]!)" }.joined(separator: ", ") + " |"
            }
        }
        var body = [
            "", "# \(source) trajectories — `\(stats.format.rawValue)`", "",
            "Judged agent trajectories from the \(source) arena (ShoppingBench-style product, shop and voucher problems), "
                + "exported by `shoparena corpus export --format \(stats.format.rawValue)`. Hidden race problems, and every "
                + "problem in a leak cluster with one, are never exported; train and eval are split by whole clusters.", "",
            "## Format", "", description(stats.format), "",
            "## Filters", "",
        ] + options + ["", "## Counts", "",
                       "| file | rows |", "| --- | --- |"] + files.map { "| \($0.name) | \(stats.rows[$0.name] ?? 0) |" }
        body += ["", "| split | categories |", "| --- | --- |"] + table(stats.byCategory)
        body += ["", "| split | agentic verdicts |", "| --- | --- |"] + table(stats.byVerdict)
        body += ["", "| split | outcomes |", "| --- | --- |"] + table(stats.bySuccess)
        if let audit = stats.audit {
            body += ["", "## Split audit", "", "```", audit.text, "```"]
        }
        body += ["", "## License", "", "Released under `\(license)`.", ""]
        return (yaml + body).joined(separator: "\n")
    }

    static func description(_ format: ExportFormat) -> String {
        switch format {
        case .sft:
            return "TRL conversational rows `{\"messages\", \"tools\"}`: assistant messages carry `reasoning_content` (the think "
                + "text), `content` (a string) and `tool_calls` whose `function.arguments` is JSON text; `tool` messages answer "
                + "them by `tool_call_id`. Metadata columns: `trajectory_id`, `problem_id`, `category`, `judge_score`, "
                + "`verdict`, `success`, `split`."
        case .sftSteps:
            return "ShoppingBench step samples (`instruction` = system prompt, `input` = the Dialogue Records History prompt, "
                + "`output` = that step's `<think>`/`<tool_call>`/`<response>` completion), Alpaca-style for LLaMA-Factory; "
                + "`step` and the metadata columns follow."
        case .preference:
            return "`dpo-*`: `{\"prompt\", \"chosen\", \"rejected\"}` message lists (chosen: the problem's best-judged success, "
                + "rejected: a failure of the same problem). `kto-*`: `{\"prompt\", \"completion\", \"label\"}`, label = outcome "
                + "success."
        case .rl:
            return "Prompt-only GRPO rows: `prompt` (system + user), `tools`, `problem_id`, `category`, `query`, `reward_spec` "
                + "(`{\"reward\", \"voucher\"}` as the suite stores them), `products` (product id → catalog document for the "
                + "ground truth and every product the source trajectory saw), `trajectory_id`."
        }
    }

    static func quoted(_ s: String) -> String { JSONWriter().string(.string(s)) }
}
