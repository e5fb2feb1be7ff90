/// Namespace for the outcome scorer.
public enum ScoringModule {}
