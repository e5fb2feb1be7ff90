import ArenaModel

extension ChatToolCall {
    /// Appends ``json`` as compact JSON text without building the value (exports write millions of these).
    public func writeJSON(into out: inout [UInt8]) {
        let writer = JSONWriter()
        out.append(contentsOf: #"{"id":"#.utf8)
        writer.write(.string(id), into: &out)
        out.append(contentsOf: #","type":"function","function":{"name":"#.utf8)
        writer.write(.string(name), into: &out)
        out.append(contentsOf: #","arguments":"#.utf8)
        writer.write(.string(argumentsJSON), into: &out)
        out.append(contentsOf: "}}".utf8)
    }
}

extension ChatMessage {
    /// Appends ``json`` as compact JSON text without building the value: the same bytes as
    /// `JSONWriter().write(json, into:)`.
    public func writeJSON(into out: inout [UInt8]) {
        let writer = JSONWriter()
        out.append(contentsOf: #"{"role":"#.utf8)
        writer.write(.string(role.rawValue), into: &out)
        out.append(contentsOf: #","content":"#.utf8)
        writer.write(.string(content), into: &out)
        if let reasoning, !reasoning.isEmpty {
            out.append(contentsOf: #","reasoning_content":"#.utf8)
            writer.write(.string(reasoning), into: &out)
        }
        if !toolCalls.isEmpty {
            out.append(contentsOf: #","tool_calls":["#.utf8)
            for (i, call) in toolCalls.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                call.writeJSON(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        if let toolCallID {
            out.append(contentsOf: #","tool_call_id":"#.utf8)
            writer.write(.string(toolCallID), into: &out)
        }
        if let name, role == .tool {
            out.append(contentsOf: #","name":"#.utf8)
            writer.write(.string(name), into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
