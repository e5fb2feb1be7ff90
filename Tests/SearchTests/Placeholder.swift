import Testing

// Replaced by the module's real suites.
