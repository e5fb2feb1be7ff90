/// Namespace for the catalog layer: reading and writing JSONL catalogs, and the deterministic
/// catalog and suite generators.
public enum CatalogModule {}
