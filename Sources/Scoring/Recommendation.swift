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

    /// Splits a `product_ids` string.
    /// - `.trimmed` (ORO): split on ",", trim white space, drop empty ids, keep the first of repeats.
    /// - `.plain` (ShoppingBench): split on "," and nothing else, so `"a, b"` gives `"a"` and `" b"`.
    public static func split(_ text: String, rule: ScoringProfile.IDSplitting) -> [String] {
        let pieces = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        switch rule {
        case .plain:
            return pieces
        case .trimmed:
            var seen = Set<String>()
            var out: [String] = []
            for p in pieces {
                let t = trimPythonWhitespace(p)
                if !t.isEmpty && seen.insert(t).inserted { out.append(t) }
            }
            return out
        }
    }

    /// `str.strip()`: removes leading and trailing white space.
    static func trimPythonWhitespace(_ s: String) -> String {
        var sub = Substring(s)
        while let f = sub.first, f.isWhitespace { sub.removeFirst() }
        while let l = sub.last, l.isWhitespace { sub.removeLast() }
        return String(sub)
    }
}
