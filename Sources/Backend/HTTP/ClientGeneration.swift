import HTTPTypes
import Hummingbird

/// Which generation of the oro-sdk client made a request, for the few answers whose shape differs.
///
/// oro-sdk 1.0.129 and later send `X-Oro-Client-Version` (and `X-Oro-Client-Name: oro-sdk-python`); 1.0.45 and
/// 1.0.50 send neither. Fields only newer clients read (7.x race-selection fields, a claim's `inference_token`,
/// a suite's `execution_kind`) go to `.newer` callers; `.legacy` callers (and plain HTTP clients) get the
/// 1.0.50 shapes, and every 503 on submit keeps its NO_ACTIVE_SUITE meaning for them.
public enum ClientGeneration: Sendable, Equatable {
    case legacy
    case newer(version: String)

    static let versionHeader = HTTPField.Name("X-Oro-Client-Version")!

    public static func of(_ request: Request) -> ClientGeneration {
        guard let version = request.headers[versionHeader], !version.isEmpty else { return .legacy }
        return .newer(version: version)
    }

    public var isNewer: Bool { if case .newer = self { true } else { false } }
}
