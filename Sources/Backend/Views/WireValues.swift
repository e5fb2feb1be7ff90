import ArenaModel

/// Small helpers turning optional store values into JSON for the public views.
enum WireValue {
    static func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    static func int(_ value: Int64?) -> JSONValue { value.map(JSONValue.int) ?? .null }
    static func double(_ value: Double?) -> JSONValue { value.map(JSONValue.double) ?? .null }

    /// A stored JSON document (text) as an object, or null when absent or not an object.
    static func object(_ text: String?) -> JSONValue {
        guard let text, let value = try? JSONParser.parse(text), value.objectValue != nil else { return .null }
        return value
    }
}
