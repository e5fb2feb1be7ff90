import ArenaModel

/// `sft` rows: TRL's conversational format with tools. `messages` is the normalised chat (system, user, then per
/// step an assistant message — think as `reasoning_content`, response as `content` (a string, `""` when it wrote
/// none), calls as `tool_calls` `{"id", "type": "function", "function": {"name", "arguments"}}` — and one `tool`
/// message per answered call); `tools` the JSON schemas of the four tools; then the metadata columns.
///
/// `arguments` is the compact JSON *text* of the arguments object, as the OpenAI API sends it: Hugging Face chat
/// templates (Qwen3's among them) accept a string or a mapping, and a string keeps the Arrow schema of a dataset
/// the same for every row (objects with different keys per call would not unify).
public enum SFTRows {
    public static func row(_ item: ExportItem) -> JSONValue {
        .object([("messages", .array(item.chat.messages.map(\.json))), ("tools", CorpusTools.schema)] + item.columns)
    }

    /// The row as compact JSON text: the bytes of `JSONWriter().string(row(item))`, with the `tools` column (the
    /// same for every row, about a quarter of it) serialised once and the messages written without building values.
    public static func json(_ item: ExportItem) -> [UInt8] {
        let writer = JSONWriter()
        var out: [UInt8] = []
        out.reserveCapacity(8192)
        out.append(contentsOf: #"{"messages":["#.utf8)
        for (i, message) in item.chat.messages.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            message.writeJSON(into: &out)
        }
        out.append(contentsOf: #"],"tools":"#.utf8)
        out.append(contentsOf: CorpusTools.schemaJSON)
        for (key, value) in item.columns {
            out.append(UInt8(ascii: ","))
            writer.write(.string(key), into: &out)
            out.append(UInt8(ascii: ":"))
            writer.write(value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
