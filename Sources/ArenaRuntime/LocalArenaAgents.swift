import Foundation

extension LocalArena {
    /// The agents `shoparena demo` submits when none are given: the three example agents.
    public static let exampleAgents = ["examples/agents/baseline_agent.py", "examples/agents/react_agent.py",
                                       "examples/agents/scripted_classifier_agent.py"]

    /// `given` (else ``exampleAgents``) resolved against `cwd`, each checked to exist.
    public static func agentFiles(_ given: [String], cwd: URL) throws -> [URL] {
        let agents = (given.isEmpty ? exampleAgents : given).map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
        for file in agents where !FileManager.default.fileExists(atPath: file.path) {
            throw EvalSetupError("The agent file \(file.path) does not exist.")
        }
        return agents
    }
}
