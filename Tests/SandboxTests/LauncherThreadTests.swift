import Foundation
import Testing

@testable import Sandbox

/// bubblewrap's `--die-with-parent` follows the *thread* that spawned it: sandboxes are started from the
/// launcher thread, which never exits, so a sandbox outlives the pool thread of the task that asked for it.
@Suite("Sandbox launcher thread")
struct LauncherThreadTests {
    @Test("spawns run on the one long-lived launcher thread")
    func spawnsRunOnTheLauncherThread() async {
        let onLauncher = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { await LauncherThread.shared.run { LauncherThread.shared.isCurrent } } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(onLauncher == Array(repeating: true, count: 8))
        #expect(!LauncherThread.shared.isCurrent)
    }

    /// Before: a `bwrap --die-with-parent` started from a task was SIGKILLed once the idle pool thread that
    /// started it was retired (libdispatch retires threads idle for about 5 s). The task here idles 9 s.
    @Test("a die-with-parent sandbox started from a task survives its pool thread going idle")
    func survivesIdlePoolThreads() async throws {
        let bwrap = try #require(HostCapabilities.find("bwrap"), "bubblewrap is not installed")
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let log = scratch.appendingPathComponent("out.log").path
        let spawned = await LauncherThread.shared.run { () -> Result<ChildProcess, SandboxError> in
            Result { () throws(SandboxError) in
                try ChildProcess.spawn(
                    executable: bwrap, arguments: ["--die-with-parent", "--ro-bind", "/", "/", "/bin/sleep", "7"],
                    environment: ["PATH=/usr/bin:/bin"], logPath: log)
            }
        }
        let child = try spawned.get()
        try await Task.sleep(for: .seconds(9))
        let exit = await child.wait(until: .now + .seconds(60))
        if exit == nil { child.signalGroup(SIGKILL); _ = child.reap() }
        #expect(exit == .code(0), "the sandbox died with its spawning thread: \(String(describing: exit))")
    }
}

