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
        tool + "(" + canonical(tool: tool, arguments).map { "\($0.0)=\($0.1)" }.joined(separator: "&") + ")"
    }

    public static func canonical(tool: String, _ arguments: JSONValue) -> [(String, String)] {
        var values: [String: String] = [:]
        for (k, v) in arguments.objectValue ?? [] {
            if let text = scalarText(v), !text.isEmpty { values[k] = text }
        }
        switch tool {
        case "find_product":
            var out: [(String, String)] = [("q", collapse(values["q"] ?? "").lowercased())]
            out.append(("page", values["page"].flatMap { Int(trimmed($0)).map(String.init) } ?? values["page"] ?? "1"))
            for k in ["shop_id", "price"] { if let v = values[k].map(trimmed), !v.isEmpty { out.append((k, v)) } }
            if let sort = values["sort"].map(trimmed), !sort.isEmpty, sort != "default" { out.append(("sort", sort)) }
            if let service = values["service"] {
                let tokens = service.split(separator: ",").map(trimmed).filter { !$0.isEmpty && $0 != "default" }.sorted()
                if !tokens.isEmpty { out.append(("service", tokens.joined(separator: ","))) }
            }
            return out
        case "view_product_information", "recommend_product":
            return [("product_ids", productIDs(values["product_ids"] ?? "").joined(separator: ","))]
        default:
            return values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
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
