/// Namespace for the search HTTP service.
public enum SearchServiceModule {}
