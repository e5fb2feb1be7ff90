import ArenaModel
import Corpus

/// A problem's uploaded log, as validators store it: the problem's envelope as one JSON line, gzip-compressed
/// (ShopArena validators) or plain (tolerated), possibly among other problems' lines.
enum ProblemLog {
    /// Why a stored log cannot be shown.
    enum Failure: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case noEnvelope(problemID: String)

        var description: String {
            switch self {
            case .unreadable(let why): return "the stored log cannot be read (\(why))"
            case .noEnvelope(let id): return "the stored log holds no envelope for problem \(id)"
            }
        }
    }

    /// The envelope of `problemID` in `bytes` (the first readable line when none names the problem).
    static func envelope(from bytes: [UInt8], problemID: String) throws(Failure) -> Envelope {
        var text = bytes
        if GzipReader.isGzip(bytes) {
            do { text = try GzipReader.decompress(bytes) } catch { throw .unreadable(error.description) }
        }
        var first: Envelope?
        for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard let value = try? JSONParser.parse(utf8: line), let envelope = try? Envelope(json: value) else { continue }
            if envelope.problemID == problemID { return envelope }
            if first == nil { first = envelope }
        }
        if let first { return first }
        throw .noEnvelope(problemID: problemID)
    }

    /// The problem's trusted proxy log: the envelope's top-level `proxy_calls` when the writer kept it (ShopArena
    /// does), else the calls bucketed into its steps, in time order.
    static func proxyCalls(of envelope: Envelope) -> [ProxyCallRecord] {
        if let top = envelope.proxyCalls?.arrayValue {
            return top.compactMap(ProxyCallRecord.init(json:)).sorted { $0.timestamp < $1.timestamp }
        }
        let bucketed = (envelope.steps ?? []).flatMap { $0.proxyCalls ?? [] }.compactMap(ProxyCallRecord.init(json:))
        return bucketed.sorted { $0.timestamp < $1.timestamp }
    }
}
