import ArenaModel

/// The ids of the last `recommend_product` call of a dialogue.
public struct Recommendation: Sendable, Hashable {
    /// The ids after the profile's splitting rule, in order.
    public var ids: [String]
    /// The `product_ids` string as written.
    public var rawProductIDs: String
    /// The 0-based step of the call.
    public var step: Int

    public init(ids: [String], rawProductIDs: String, step: Int) {
        self.ids = ids
        self.rawProductIDs = rawProductIDs
        self.step = step
    }

    /// Splits a `product_ids` string, code point by code point as Python does.
    /// - `.trimmed` (ORO): split on ",", `str.strip()` each id (``PythonText/isSpace(_:)``, which includes
    ///   U+001C–U+001F), drop empty ids, keep the first of repeats (compared code point by code point).
    /// - `.plain` (ShoppingBench): split on "," and nothing else, so `"a, b"` gives `"a"` and `" b"`.
    public static func split(_ text: String, rule: ScoringProfile.IDSplitting) -> [String] {
        let pieces = PythonText.split(text, on: ",")
        switch rule {
        case .plain:
            return pieces
        case .trimmed:
            var seen = Set<[UInt8]>()
            var out: [String] = []
            for piece in pieces {
                let id = PythonText.strip(piece)
                if !id.isEmpty && seen.insert(Array(id.utf8)).inserted { out.append(id) }
            }
            return out
        }
    }
}
