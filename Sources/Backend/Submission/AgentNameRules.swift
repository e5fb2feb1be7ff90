/// The agent-name rule of the ORO docs: 1 to 100 characters, each an ASCII letter, a digit, a space, `-`, `_`
/// or `.`. Surrounding spaces are dropped first (and a name of only spaces is empty).
public enum AgentNameRules {
    public static let maxLength = 100

    /// The name as it will be stored, or a sentence saying what is wrong with it.
    public static func validate(_ raw: String) -> Result<String, InvalidName> {
        var name = Substring(raw)
        while name.first == " " { name = name.dropFirst() }
        while name.last == " " { name = name.dropLast() }
        if name.isEmpty { return .failure(InvalidName(message: "agent_name must not be empty")) }
        if name.count > maxLength {
            return .failure(InvalidName(message: "agent_name has \(name.count) characters; at most \(maxLength) are allowed"))
        }
        if let bad = name.unicodeScalars.first(where: { !allowed($0) }) {
            return .failure(InvalidName(message:
                "agent_name may only contain letters, digits, spaces, '-', '_' and '.'; found '\(bad.escaped(asASCII: true))'"))
        }
        return .success(String(name))
    }

    static func allowed(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x20, 0x2D, 0x5F, 0x2E: true
        default: false
        }
    }

    /// A refused name and why.
    public struct InvalidName: Error, Equatable, Sendable {
        public var message: String
    }
}
