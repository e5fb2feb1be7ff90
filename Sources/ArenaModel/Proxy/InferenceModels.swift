/// The models agents may call when an operator lists none: the backend serves them at
/// `GET /v1/public/inference/models`, and a validator uses them until its backend's list arrives.
///
/// `deepseek-ai/DeepSeek-V3.2-TEE` comes first: it is the default model of ORO's reference agent and of
/// `examples/agents/react_agent.py`, so an unchanged ORO agent is never refused (403) here.
public enum InferenceModels {
    public static let defaults: [String] = [
        "deepseek-ai/DeepSeek-V3.2-TEE", "Qwen/Qwen3-32B", "deepseek-ai/DeepSeek-V3.1", "openai/gpt-oss-120b",
    ]
}
