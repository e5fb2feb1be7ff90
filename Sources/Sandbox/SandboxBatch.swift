import ArenaModel
import Foundation

/// Opens the per-problem door out of the sandbox: the Proxy module implements this with a Unix-socket
/// HTTP server; tests use stubs.
public protocol SandboxProxyProvider: Sendable {
    /// Starts a proxy for `problem` listening on a Unix socket inside `directory` (a fresh host-side
    /// folder the sandbox never sees except through the socket).
    func open(problem: Problem, directory: URL) async throws -> any SandboxProxySession

    /// File name of the socket `open` creates inside its directory. The sandbox starts while the proxy
    /// is still starting (it mounts the directory and the agent's side waits for the socket), so the
    /// name must be known up front; a session whose ``SandboxProxySession/socketPath`` differs fails the
    /// problem. Default `proxy.sock`.
    var socketName: String { get }

    /// Where ``open(problem:directory:)`` runs (nil: the global concurrent executor). The agent's clock is
    /// already running while the proxy starts (its first request waits in the bridge for the socket), so a
    /// provider whose proxy has its own threads names them here and a busy global pool cannot delay the start.
    @available(macOS 15.0, *)
    var taskExecutor: (any TaskExecutor)? { get }
}

extension SandboxProxyProvider {
    public var socketName: String { "proxy.sock" }

    @available(macOS 15.0, *)
    public var taskExecutor: (any TaskExecutor)? { nil }
}

/// A running per-problem proxy.
public protocol SandboxProxySession: Sendable {
    /// Host path of the Unix socket bound into the sandbox.
    var socketPath: String { get }
    /// Stops the proxy and returns its trusted call log.
    func close() async -> [ProxyCallRecord]
}

extension SandboxRunner {
    /// Runs `problems` with at most `workers` sandboxes at once (default: the number of cores) and
    /// returns one envelope per problem, in completion order; `onEnvelope` sees each as soon as it is
    /// ready (e.g. to append it to a JSONL file or report progress). Nothing is dropped: a proxy that
    /// cannot start gives a FAILED envelope with the reason, and cancellation gives FAILED envelopes
    /// (type `Cancelled`) for the problems still running or not yet started.
    public func runBatch(
        agentFile: URL, problems: [Problem], limits: SandboxLimits = .standard, workers: Int? = nil,
        proxy: (any SandboxProxyProvider)? = nil, onEnvelope: @escaping @Sendable (Envelope) async -> Void = { _ in }
    ) async -> [Envelope] {
        let width = max(1, workers ?? ProcessInfo.processInfo.activeProcessorCount)
        return await withTaskGroup(of: Envelope.self) { group in
            var results: [Envelope] = []
            results.reserveCapacity(problems.count)
            var next = 0
            func startNext() {
                guard next < problems.count else { return }
                let problem = problems[next]
                next += 1
                group.addTask { await self.runOne(agentFile: agentFile, problem: problem, limits: limits, proxy: proxy) }
            }
            for _ in 0..<min(width, problems.count) { startNext() }
            while let envelope = await group.next() {
                results.append(envelope)
                await onEnvelope(envelope)
                startNext()
            }
            return results
        }
    }

    /// One problem with its own proxy session; never throws.
    public func runOne(
        agentFile: URL, problem: Problem, limits: SandboxLimits = .standard, proxy: (any SandboxProxyProvider)? = nil
    ) async -> Envelope {
        if Task.isCancelled {
            return Envelope(
                problemID: problem.id, status: .failed, executionTime: 0, inferenceFailureCount: 0, inferenceTotal: 0,
                error: EnvelopeError(type: "Cancelled", message: "the evaluation was cancelled before this problem ran"))
        }
        guard let proxy else { return await run(agentFile: agentFile, problem: problem, limits: limits) }
        // In the work folder itself, not the owner folder: the socket's path must stay within a Unix socket
        // address's 107 bytes. Named after this process so a dead owner's folders are swept (LeftoverSweep).
        let dir = configuration.workDirectory.appendingPathComponent(SandboxOwner.current.proxyFolderName())
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            try FileManager.default.createDirectory(
                at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            return Envelope(
                problemID: problem.id, status: .failed, executionTime: 0, inferenceFailureCount: 0, inferenceTotal: 0,
                error: EnvelopeError(type: "ProxyError", message: "the proxy for this problem could not start: \(error)"))
        }
        // The proxy starts while the sandbox starts: its milliseconds overlap bubblewrap's and Python's
        // instead of adding to them. The harness's bridge waits for the socket to appear.
        let mount = ProxyMount.directory(dir.path, socketName: proxy.socketName)
        let opening: Task<any SandboxProxySession, any Error>
        if #available(macOS 15.0, *) {
            opening = Task(executorPreference: proxy.taskExecutor) { try await proxy.open(problem: problem, directory: dir) }
        } else {
            opening = Task { try await proxy.open(problem: problem, directory: dir) }
        }
        let envelope = await run(agentFile: agentFile, problem: problem, proxy: mount, limits: limits) {
            do {
                let session = try await opening.value
                guard session.socketPath == mount.hostSocketPath else {
                    return "the proxy listens on \(session.socketPath), not on \(mount.hostSocketPath)"
                }
                return nil
            } catch {
                return "the proxy for this problem could not start: \(error)"
            }
        }
        let calls = await (try? opening.value)?.close() ?? []
        return envelope.attachingProxyCalls(calls)
    }
}
