import ArgumentParser
import Foundation
import LLM
import ArenaRuntime

/// `shoparena llm …`: local stand-ins for the inference upstream.
struct LLMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm",
        abstract: "Local OpenAI-compatible inference helpers.",
        subcommands: [LLMStubCommand.self])
}

/// `shoparena llm stub --script FILE.jsonl`: a deterministic OpenAI-compatible chat server.
struct LLMStubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stub",
        abstract: "Serve chat completions from a script (for tests and deterministic runs).",
        discussion: """
            Each JSONL line is {"response": <assistant content string or message object>, "match": "<substring>"?}. Lines with "match" answer a \
            request whose last user message contains the substring (first unused matching line wins); the other lines answer the remaining requests \
            in file order. Every line answers once. Routes: POST /v1/chat/completions and /chat/completions, GET /v1/models. usage counts \
            whitespace-separated words. A request with no answer left gets HTTP 500 with {"error": {"type": "unscripted_request", "message": \
            "..."}}. Point `shoparena eval --upstream` at the printed base URL. --example-agents SUITE scripts the answers the three example agents \
            (examples/agents: ReAct, scripted classifier, baseline) need for every problem of SUITE, --copies times each (e.g. agents × samples of \
            `eval --samples`).
            """)

    @Option(help: "The JSONL script.") var script: String?
    @Option(help: "Script the example agents' answers for the problems of this suite (instead of --script).") var exampleAgents: String?
    @Option(help: "With --example-agents: how many runs of each problem to answer.") var copies: Int = 1
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port (0: any free port; the chosen one is printed).") var port: Int = 8000
    @Option(help: "A model id listed by /v1/models (repeatable).") var model: [String] = []

    func validate() throws {
        if (script == nil) == (exampleAgents == nil) { throw ValidationError("give exactly one of --script FILE and --example-agents SUITE") }
        if copies < 1 { throw ValidationError("--copies needs a positive number of runs per problem") }
    }

    func run() async throws {
        let parsed: ChatScript
        if let exampleAgents { parsed = try ExampleAgentsStubScript.make(suite: exampleAgents, copies: copies) } else {
            do { parsed = try ChatScript.load(path: script ?? "") } catch { throw ValidationError("\(error)") }
        }
        let server = try await ListenFailure.explaining(host: host, port: port) { try await ScriptedChatServer.start(
            script: parsed, host: host, port: port, models: model.isEmpty ? ["shoparena-stub"] : model) }
        // Unbuffered, so a script waiting for the URL sees it at once.
        FileHandle.standardOutput.write(
            Data("llm stub: \(parsed.entries.count) scripted answers on \(server.baseURL) (Ctrl-C stops)\n".utf8))
        try await server.waitUntilStopped()
    }
}
