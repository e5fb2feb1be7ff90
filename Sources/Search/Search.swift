/// Namespace for the search engine: the Lucene-compatible analyzer, BM25 scoring, the binary index
/// and ShoppingBench's `find_product` semantics.
public enum SearchModule {}
