/// A Prometheus text exposition parsed for assertions: every sample as name, labels and value, and the
/// `# TYPE` of each family. Written independently of the exporter so tests read the text a scraper reads.
public struct PrometheusSamples: Sendable {
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    /// A line the parser cannot read.
    public struct Malformed: Error, CustomStringConvertible {
        public var line: String
        public var description: String { "not a Prometheus sample line: \(line)" }
    }

    public private(set) var series: [Sample] = []
    public private(set) var types: [String: String] = [:]

    public init(_ text: String) throws {
        for line in text.split(separator: "\n").map(String.init) where !line.isEmpty {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4 else { throw Malformed(line: line) }
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            series.append(try Self.sample(line))
        }
    }

    /// The value of the one sample named `name` with exactly `labels`, or nil.
    public subscript(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matches = series.filter { $0.name == name && $0.labels == labels }
        return matches.count == 1 ? matches[0].value : nil
    }

    static func sample(_ line: String) throws -> Sample {
        var labels: [String: String] = [:]
        let name: Substring
        var rest: Substring
        if let brace = line.firstIndex(of: "{") {
            name = line[..<brace]
            guard let close = line.lastIndex(of: "}") else { throw Malformed(line: line) }
            var body = line[line.index(after: brace)..<close]
            while !body.isEmpty {
                guard let eq = body.firstIndex(of: "="), body[body.index(after: eq)...].first == "\"" else {
                    throw Malformed(line: line)
                }
                let key = String(body[..<eq])
                let valueStart = body.index(eq, offsetBy: 2)
                guard let valueEnd = body[valueStart...].firstIndex(of: "\"") else { throw Malformed(line: line) }
                labels[key] = String(body[valueStart..<valueEnd])
                body = body[body.index(after: valueEnd)...]
                if body.first == "," { body = body.dropFirst() }
            }
            rest = line[line.index(after: close)...]
        } else {
            guard let space = line.firstIndex(of: " ") else { throw Malformed(line: line) }
            name = line[..<space]
            rest = line[space...]
        }
        rest = rest.drop(while: { $0 == " " })
        guard let value = Double(rest) else { throw Malformed(line: line) }
        return Sample(name: String(name), labels: labels, value: value)
    }
}
