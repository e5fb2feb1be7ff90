import ArenaModel
import Store
import Synchronization

/// The parts of `layout` a page sets: its title and which main section it belongs to.
struct Layout: Sendable {
    enum Section: Sendable { case board, races, validators, corpus, none }

    var title: String
    var description: String
    var navBoard = false, navRaces = false, navValidators = false, navCorpus = false

    init(title: String, description: String = "ShopArena: an open arena for LLM shopping agents.", section: Section) {
        self.title = title
        self.description = description
        switch section {
        case .board: navBoard = true
        case .races: navRaces = true
        case .validators: navValidators = true
        case .corpus: navCorpus = true
        case .none: break
        }
    }
}

/// A hotkey as the `hotkey` partial shows it. `isMiner` links it to `/miners/{hotkey}`.
struct HotkeyView: Sendable {
    var full: String
    var short: String
    var href: String
    var isMiner: Bool

    init(_ hotkey: String, miner: Bool = true) {
        full = hotkey
        short = Format.shortHotkey(hotkey)
        href = "/miners/" + Links.component(hotkey)
        isMiner = miner
    }
}

/// A status badge (`status` partial): the label, its CSS token and an optional explanation.
struct StatusView: Sendable {
    var label: String
    var css: String
    var hint: String?

    init(_ label: String, css: String, hint: String? = nil) {
        self.label = label
        self.css = css
        self.hint = hint
    }

    /// A stored status word ("TIMED_OUT") as a badge ("Timed out", `s-timed-out`).
    static func word(_ status: String, hint: String? = nil) -> StatusView {
        StatusView(Format.label(status), css: Format.cssToken(status), hint: hint)
    }
}

/// A `<time>`: machine-readable ISO value and the text shown.
struct TimeView: Sendable {
    var iso: String
    var text: String
    var relative: String

    init?(_ millis: Int64?, now: Int64) {
        guard let millis else { return nil }
        iso = Format.iso(millis)
        text = Format.dateTime(millis)
        relative = Format.relative(millis, now: now)
    }
}

/// Hrefs of the site's pages (ids are UUIDs or SS58 addresses; still percent-encoded to be safe).
enum Links {
    static func agent(_ id: String) -> String { "/agents/" + component(id) }
    static func run(_ id: String) -> String { "/runs/" + component(id) }
    static func trajectory(run: String, problem: String) -> String { "/runs/" + component(run) + "/problems/" + component(problem) }
    static func race(_ id: String) -> String { "/races/" + component(id) }
    static func miner(_ hotkey: String) -> String { "/miners/" + component(hotkey) }

    /// Percent-encodes everything outside unreserved URL characters.
    static func component(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// Problem facts read from a suite row: the user's request and its category.
struct ProblemFacts: Sendable {
    var query: String
    var category: String

    init(metadata: String?, category: String?) {
        let json = metadata.flatMap { try? JSONParser.parse($0) }
        query = json?["query"]?.stringValue ?? ""
        self.category = category ?? json?["category"]?.stringValue ?? "—"
    }
}

/// The visible problems of each suite with their texts, parsed once per suite and shared by all pages.
///
/// A suite row can carry tens of kilobytes (reward title embeddings), so reading and parsing every row on every
/// agent or run page would dominate its time. Suites' public problems do not change once loaded; the cache is
/// still checked against the suite's visible problem count, so a suite that gained problems is read again.
final class ProblemTexts: Sendable {
    struct Suite: Sendable {
        var problems: [(id: String, facts: ProblemFacts)]
        var byID: [String: ProblemFacts]
    }

    private let suites = Mutex<[Int64: Suite]>([:])

    func suite(_ suiteID: Int64, queries: WebQueries, publicQueries: PublicQueries) async throws -> Suite {
        let count = try await queries.visibleProblemCount(suiteID: suiteID)
        if let cached = suites.withLock({ $0[suiteID] }), cached.problems.count == count { return cached }
        let rows = try await publicQueries.visibleProblems(suiteID: suiteID)
        let problems = rows.map { (id: $0.problemID, facts: ProblemFacts(metadata: $0.metadata, category: $0.category)) }
        let suite = Suite(problems: problems, byID: Dictionary(problems.map { ($0.id, $0.facts) }, uniquingKeysWith: { a, _ in a }))
        suites.withLock { $0[suiteID] = suite }
        return suite
    }
}

/// What a page shows about an agent version's place in the arena: one of eligible, qualifier, top, eliminated,
/// discarded for ranked versions; the stored state otherwise.
enum VersionStanding {
    static func status(_ version: AgentVersionRecord, isTop: Bool, isQualifier: Bool) -> StatusView {
        if version.isDiscarded { return StatusView("Discarded", css: "discarded", hint: "removed from the board by an operator") }
        if version.state != "ELIGIBLE" { return StatusView.word(version.state) }
        if isTop { return StatusView("Top", css: "top", hint: "the current top agent: it holds the emissions") }
        if let race = version.eliminatedInRaceNumber {
            return StatusView("Eliminated", css: "eliminated", hint: "eliminated in race \(race)")
        }
        if version.eliminatedAt != nil { return StatusView("Eliminated", css: "eliminated", hint: "eliminated in a race") }
        if isQualifier { return StatusView("Qualifier", css: "qualifier", hint: "qualifies for the next race") }
        return StatusView("Eligible", css: "eligible", hint: "scored by enough validators; ranked on the board")
    }
}
