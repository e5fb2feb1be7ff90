public enum LLMModule {}
