import ArenaModel
import Foundation

/// Deterministic rewritten versions of a problem, the kinds a leak-cluster guard must catch: what
/// `shoparena bench clusters` measures recall on. Each variant keeps the problem's meaning; only how it is
/// written (or, for ``Kind/relisted``, the product's id) changes.
public struct ProblemVariants: Sendable {
    public enum Kind: String, Sendable, CaseIterable, Hashable {
        /// Phrases replaced by others that mean the same ("Looking for" → "I need", "PHP" → "pesos").
        case reworded
        /// Reworded, and the clauses of the request put in another order.
        case paraphrased
        /// Shop items in another order (in the request and the reward), reward keys and lists reordered.
        case reordered
        /// A third to a half of the words dropped.
        case shortened
        /// Numbers and currency written differently (`159`, `159.00`, `₱159`, `PHP 159`), case changed.
        case restyled
        /// The same product sold again under a new id; the request lightly reworded.
        case relisted
    }

    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
    }

    /// A `kind` version of `problem` (its ORO record), with a new `problem_id`; `index` makes repeated
    /// variants of one problem differ.
    public func variant(of problem: Problem, kind: Kind, index: Int = 0) -> JSONValue {
        var rng = SplitMix64(seed: seed ^ stableHash(problem.id)
            ^ UInt64(index &* 7919) ^ UInt64(Kind.allCases.firstIndex(of: kind)! &* 104_729))
        var record = problem.original
        var query = problem.query
        switch kind {
        case .reworded:
            query = reword(query, rng: &rng, all: true)
        case .paraphrased:
            query = reorderClauses(reword(query, rng: &rng, all: true), rng: &rng)
        case .reordered:
            query = reorderItems(query, rng: &rng)
            record = reorderReward(record, rng: &rng)
        case .shortened:
            query = shorten(query, rng: &rng)
        case .restyled:
            query = restyle(query, rng: &rng)
        case .relisted:
            query = reword(query, rng: &rng, all: false)
            record = relist(record)
        }
        record = record.setting("query", to: .string(query))
        record = record.setting("problem_id", to: .string("\(problem.id)~\(kind.rawValue)~\(index)"))
        return record.removingKeys(["reward_title_embeddings"])
    }

    // MARK: - Rewriting

    /// Phrase pairs that mean the same; either side may replace the other.
    static let phrases: [(String, String)] = [
        ("Looking for", "I need"), ("I'm looking for", "I want"), ("Show me", "Find me"), ("Can you find", "Please find"),
        ("priced from", "costing from"), ("costing more than", "priced above"), ("costing between", "priced between"),
        ("over", "more than"), ("above", "over"), ("with free shipping", "with free delivery"),
        ("with cash on delivery", "payable on delivery"), ("sold on LazMall", "from LazMall"),
        ("Please show shops that have all these products", "List the shops that carry all of them"),
        ("a shop offering these items", "one store that sells all of these"),
        ("My budget is only", "I can spend at most"), ("but I have a voucher with the following rules",
                                                       "and I hold a voucher with these conditions"),
        ("The voucher applies to all products", "The voucher works on every product"),
        ("It is valid only when the total price of the products exceeds", "It can be used only if the total is above"),
        ("It provides a fixed discount of", "It takes off a fixed"), ("It provides a percentage discount of",
                                                                      "It gives a percentage off of"),
        ("with a cap of", "capped at"), ("whose", "that has"), ("color", "colour"), ("PHP", "pesos"),
        ("First,", "To begin,"), ("Second,", "Next,"), ("Third,", "Then,"), ("Fourth,", "Also,"),
    ]

    func reword(_ text: String, rng: inout SplitMix64, all: Bool) -> String {
        var out = text
        var applied = 0
        for (a, b) in Self.phrases.shuffled(using: &rng) {
            guard all || applied == 0 else { break }
            if out.contains(a) {
                out = out.replacingOccurrences(of: a, with: b)
                applied += 1
            } else if out.contains(b), rng.next(below: 2) == 0 {
                out = out.replacingOccurrences(of: b, with: a)
                applied += 1
            }
        }
        return out
    }

    /// Shuffles the comma-separated clauses of the first paragraph (the voucher rules keep their order).
    func reorderClauses(_ text: String, rng: inout SplitMix64) -> String {
        let paragraphs = text.components(separatedBy: "\n\n")
        var clauses = paragraphs[0].components(separatedBy: ", ")
        guard clauses.count > 2 else { return text }
        let head = clauses.removeFirst()
        clauses.shuffle(using: &rng)
        return ([([head] + clauses).joined(separator: ", ")] + paragraphs.dropFirst()).joined(separator: "\n\n")
    }

    /// Puts shop items ("First, … Second, …") in another order.
    func reorderItems(_ text: String, rng: inout SplitMix64) -> String {
        let markers = ["First, ", "Second, ", "Third, ", "Fourth, ", "Fifth, "]
        var items: [String] = []
        var rest = Substring(text)
        guard let first = rest.range(of: markers[0]) else { return reorderClauses(text, rng: &rng) }
        let head = String(rest[..<first.lowerBound])
        rest = rest[first.upperBound...]
        var index = 1
        while index < markers.count, let next = rest.range(of: markers[index]) {
            items.append(String(rest[..<next.lowerBound]).trimmingCharacters(in: .whitespaces))
            rest = rest[next.upperBound...]
            index += 1
        }
        // The last item runs to the end of its sentence.
        let tail: String
        if let end = rest.range(of: ". ") {
            items.append(String(rest[..<end.lowerBound]) + ".")
            tail = " " + String(rest[end.upperBound...])
        } else {
            items.append(String(rest))
            tail = ""
        }
        guard items.count > 1 else { return text }
        items.shuffle(using: &rng)
        let body = items.enumerated().map { markers[$0.offset] + $0.element.trimmingCharacters(in: CharacterSet(charactersIn: ". ")) + "." }
        return head + body.joined(separator: " ") + tail
    }

    func reorderReward(_ record: JSONValue, rng: inout SplitMix64) -> JSONValue {
        func shuffleKeys(_ v: JSONValue) -> JSONValue {
            switch v {
            case .object(let pairs):
                return .object(pairs.map { ($0.0, shuffleKeys($0.1)) }.shuffled(using: &rng))
            case .array(let items) where items.allSatisfy({ $0.objectValue != nil }):
                return .array(items.map(shuffleKeys).shuffled(using: &rng))
            default:
                return v
            }
        }
        guard let reward = record["reward"] else { return record }
        return record.setting("reward", to: shuffleKeys(reward))
    }

    func shorten(_ text: String, rng: inout SplitMix64) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        let drop = 30 + rng.next(below: 21)  // 30–50 %
        let kept = words.filter { _ in rng.next(below: 100) >= drop }
        return kept.count >= 3 ? kept.joined(separator: " ") : text
    }

    func restyle(_ text: String, rng: inout SplitMix64) -> String {
        var out = ""
        var number = ""
        func flush() {
            guard !number.isEmpty else { return }
            switch rng.next(below: 4) {
            case 0: out += number + (number.contains(".") ? "" : ".00")
            case 1: out += "₱" + number
            case 2: out += "PHP " + number
            default: out += number + " pesos"
            }
            number = ""
        }
        for c in text {
            if c.isASCII && c.isNumber { number.append(c) } else {
                flush()
                out.append(c)
            }
        }
        flush()
        switch rng.next(below: 3) {
        case 0: return out.uppercased()
        case 1: return out.lowercased()
        default: return out.capitalized
        }
    }

    func relist(_ record: JSONValue) -> JSONValue {
        func newID(_ id: String) -> String { "9" + String(id.reversed()) }
        guard let reward = record["reward"] else { return record }
        switch reward {
        case .object:
            let id = reward["product_id"]?.stringValue ?? ""
            return record.setting("reward", to: reward.setting("product_id", to: .string(newID(id))))
        case .array(let items):
            return record.setting("reward", to: .array(items.map {
                $0.setting("product_id", to: .string(newID($0["product_id"]?.stringValue ?? "")))
            }))
        default:
            return record
        }
    }

    func stableHash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}
