/// Namespace for the catalog layer: reading and writing JSONL catalogs, and the deterministic
/// catalog and suite generators.
///
/// - Files: ``CatalogReader`` (streaming), ``CatalogWriter`` (buffered, renamed into place),
///   ``DocumentEncoder`` (fast byte-identical `documents.jsonl` lines).
/// - Catalog generation: ``CatalogGenerator`` with ``CatalogGeneratorConfiguration``; the problems it
///   must cover are merged into a ``CoverPlan``; each non-filler product gets a ``ManifestEntry``
///   (`anchor`, `negative`, `alternate`, `decoy`, with the ``ViolatedConstraint``).
/// - Suite generation: ``SuiteGenerator`` with ``SuiteGeneratorConfiguration`` → ``GeneratedSuite``
///   (ORO suite JSON).
public enum CatalogModule {}
