/// How the filter learns whether a recommended product id exists.
public enum CatalogCheck: Sendable {
    /// No catalog at hand: ids are not checked (the verdict says so with `catalog_checked: false`).
    case unchecked
    /// Ask a catalog (a search index, a product lookup).
    case lookup(@Sendable (String) -> Bool)
    /// Someone holding the catalog checked already and found exactly these ids missing (the validator reports them
    /// in its progress; the backend has no catalog).
    case missing(Set<String>)

    var isChecked: Bool {
        if case .unchecked = self { return false }
        return true
    }

    /// Whether `id` exists; true when unchecked.
    func contains(_ id: String) -> Bool {
        switch self {
        case .unchecked: return true
        case .lookup(let exists): return exists(id)
        case .missing(let ids): return !ids.contains(id)
        }
    }
}
