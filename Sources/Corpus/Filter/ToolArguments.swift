import ArenaModel

/// Canonical tool arguments, so a call the model proposed and the request the agent then sent compare equal when
/// they mean the same search, whatever the JSON types or URL encoding:
/// - every value becomes text: strings as they are, integers (and integral floats) in decimal, booleans
///   `true`/`false`, lists joined with `,`; `null` and empty values are dropped;
/// - `find_product`: `q` lower-cased with runs of white space collapsed; `page` defaults to `1`; `sort=default` is
///   dropped; `service` is split on `,`, trimmed, `default` dropped, sorted; other keys are ignored (the search
///   server ignores them too);
/// - `view_product_information`: `product_ids` split on `,`, trimmed, empty ids dropped, order kept.
/// Other tools keep every key, sorted.
public enum ToolArguments {
    /// `name(k=v&k=v)` with the keys in a fixed order: the identity of a call.
    public static func key(tool: String, _ arguments: JSONValue) -> String {
        key(tool: tool, canonical: canonical(tool: tool, arguments))
    }

    /// The identity of a call from its canonical arguments.
    public static func key(tool: String, canonical pairs: [(String, String)]) -> String {
        var out = tool
        out.append("(")
        for (i, pair) in pairs.enumerated() {
            if i > 0 { out.append("&") }
            out.append(pair.0)
            out.append("=")
            out.append(pair.1)
        }
        out.append(")")
        return out
    }

    public static func canonical(tool: String, _ arguments: JSONValue) -> [(String, String)] {
        let pairs = arguments.objectValue ?? []
        /// The text of the last `key` (as Python's json keeps the last duplicate); nil when null or empty.
        func value(_ key: String) -> String? {
            guard let v = pairs.last(where: { $0.0 == key })?.1, let text = scalarText(v), !text.isEmpty else { return nil }
            return text
        }
        switch tool {
        case "find_product":
            var out: [(String, String)] = [("q", collapse(value("q") ?? "").lowercased())]
            let page = value("page")
            out.append(("page", page.flatMap { Int(trimmed($0)).map(String.init) } ?? page ?? "1"))
            for k in ["shop_id", "price"] { if let v = value(k).map(trimmed), !v.isEmpty { out.append((k, v)) } }
            if let sort = value("sort").map(trimmed), !sort.isEmpty, sort != "default" { out.append(("sort", sort)) }
            if let service = value("service") {
                let tokens = service.split(separator: ",").map(trimmed).filter { !$0.isEmpty && $0 != "default" }.sorted()
                if !tokens.isEmpty { out.append(("service", tokens.joined(separator: ","))) }
            }
            return out
        case "view_product_information", "recommend_product":
            return [("product_ids", productIDs(value("product_ids") ?? "").joined(separator: ","))]
        default:
            var latest: [(String, String)] = []
            for (k, _) in pairs where !latest.contains(where: { $0.0 == k }) {
                if let text = value(k) { latest.append((k, text)) }
            }
            return latest.sorted { $0.0 < $1.0 }
        }
    }

    /// `a, b,,c` → `["a", "b", "c"]`.
    public static func productIDs(_ text: String) -> [String] {
        text.split(separator: ",", omittingEmptySubsequences: false).map(trimmed).filter { !$0.isEmpty }
    }

    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .string(let s): return s
        case .array(let items): return items.compactMap(scalarText).joined(separator: ",")
        case .object: return JSONWriter(sortKeys: true).string(value)
        }
    }

    /// Runs of white space collapsed to one space, trimmed (ASCII fast path; other text by Unicode rules).
    static func collapse(_ text: String) -> String {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if isASCIISpace(byte) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
