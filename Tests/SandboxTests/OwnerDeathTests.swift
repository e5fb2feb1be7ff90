import Foundation
import TestSupport
import Testing

@testable import Sandbox

#if canImport(Glibc)
    import Glibc
#endif

/// A validator SIGKILLed mid-problem leaves nothing behind (issue 19): its sandboxes die with it (parent-death
/// signal armed before bubblewrap), and the next runner on the same work folder removes the dead owner's cgroups
/// and folders (``LeftoverSweep``).
@Suite("Sandboxes die with their owner", .serialized)
struct OwnerDeathTests {
    /// A `shoparena eval` process running an agent that sleeps (with a marked grandchild) is SIGKILLed: no process of
    /// the run survives it, and a runner created afterwards on the same work folder removes its cgroups and folder.
    @Test func sigkilledOwnerLeavesNoProcessAndItsCgroupsAreSwept() async throws {
        let python = try SandboxFixture.python.get()
        let root = SandboxFixture.repository
        let binary = root.appendingPathComponent(".build/debug/shoparena")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build first: swift build --build-tests")
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let tmp = scratch.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let marker = SandboxLeftovers.uniqueID("owner-death")
        let agent = try SandboxFixture.agent(
            """
            import subprocess, time
            def agent_main(problem_data):
                subprocess.Popen(["/bin/sh", "-c", "sleep 600; : \(marker)"])
                time.sleep(600)
                return []
            """, in: scratch)

        let process = Process()
        process.executableURL = binary
        process.arguments = [
            "eval", agent.path, "--generate", "1",
            "--catalog", root.appendingPathComponent("Tests/SearchTests/Fixtures/parity_catalog.jsonl").path,
            "--timeout", "600", "--output", scratch.appendingPathComponent("envelopes.jsonl").path,
            "--python", python.path, "--runtime", root.appendingPathComponent("python").path,
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": tmp.path]) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let owner = process.processIdentifier
        defer { if process.isRunning { kill(owner, SIGKILL) } }

        // The run is up once the agent's marked grandchild exists (bounded wait for a slow, shared machine).
        var started = false
        for _ in 0..<1200 where process.isRunning {
            if !SandboxLeftovers.processes(marker: marker).isEmpty {
                started = true
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(started, "the agent's marked process never appeared")
        let hosts = CgroupV1Hosts.detect()
        let prefix = "\(SandboxOwner.prefix)\(owner)-"
        let groups = LeftoverSweep.ownedCgroups(prefix: prefix, hosts: hosts)
        if hosts.memory != nil || hosts.pids != nil { try #require(!groups.isEmpty, "the run has no cgroup of its owner") }
        let work = tmp.appendingPathComponent("shoparena-sandbox")
        let folders = try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasPrefix(prefix) }
        try #require(folders.count == 1, "one owner folder of pid \(owner) in \(work.path): \(folders)")
        let folder = work.appendingPathComponent(folders[0]).path + "/"

        kill(owner, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        // Nobody swept yet: whatever is gone died with its owner.
        let left = await SandboxLeftovers.nothingLeft(problemID: "-", marker: marker)
        #expect(left.processes.isEmpty, "the agent's process survived its owner: \(left.processes)")
        let launchers = SandboxFixture.processes(containing: folder).filter { !SandboxLeftovers.isZombie($0) }
        #expect(launchers.isEmpty, "processes of the run survived their owner: \(launchers)")

        // The next runner on that work folder (a validator's restart) removes the dead owner's cgroups and folder.
        let runner = try SandboxRunner(
            configuration: SandboxConfiguration(python: python, runtimeDirectory: root.appendingPathComponent("python"),
                                                workDirectory: work))
        #expect(runner.leftoversSwept.owners == 1)
        #expect(runner.leftoversSwept.cgroups
            == groups.reduce(0) { $0 + ($1.memory == nil ? 0 : 1) + ($1.pids == nil ? 0 : 1) })
        #expect(LeftoverSweep.ownedCgroups(prefix: prefix, hosts: hosts).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    /// The sweep kills and removes a dead owner's cgroup members, cgroups, marked processes and folder, and
    /// touches nothing of a live owner — also when the dead owner's pid is now another (live) process's.
    @Test func sweepRemovesDeadOwnersOnlyEvenWhenTheirPidWasReused() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let work = scratch.appendingPathComponent("work")
        let hosts = CgroupV1Hosts.detect()
        let log = scratch.appendingPathComponent("children.log").path

        // A live owner (a sleeping child) and a dead one that had the same pid but another start time.
        let sleeper = try ChildProcess.spawn(
            executable: "/bin/sleep", arguments: ["600"], environment: ["PATH=/usr/bin:/bin"], logPath: log)
        defer {
            kill(sleeper.pid, SIGKILL)
            _ = sleeper.reap()
        }
        let ticks = try #require(SandboxOwner.startTicks(of: sleeper.pid))
        let live = SandboxOwner(pid: sleeper.pid, startTicks: ticks)
        let dead = SandboxOwner(pid: sleeper.pid, startTicks: ticks + 1)
        #expect(live.isAlive)
        #expect(!dead.isAlive)
        let liveFolder = try live.claim(in: work, keepArtifacts: false)
        let deadFolder = try dead.claim(in: work, keepArtifacts: false)

        // Each owner has a run cgroup with a process in it; the dead one also a launcher outside any cgroup.
        var children: [ChildProcess] = []
        defer {
            for child in children {
                kill(child.pid, SIGKILL)
                _ = child.reap()
            }
        }
        var liveGroups = RunCgroups()
        var deadGroups = RunCgroups()
        let marker = SandboxLeftovers.uniqueID("sweep")
        for (owner, isDead) in [(live, false), (dead, true)] {
            let groups = try RunCgroups.create(hosts: hosts, name: owner.name + "-run-p-1", limits: .standard)
            if isDead { deadGroups = groups } else { liveGroups = groups }
            let argv = ["/bin/sh", "-c", BubblewrapCommand.joinScript, "join"] + groups.procsFiles
                + ["--", "/bin/sh", "-c", "while :; do sleep 1; done", "\(marker)-\(isDead ? "dead" : "live")"]
            children.append(try ChildProcess.spawn(
                executable: argv[0], arguments: Array(argv.dropFirst()), environment: ["PATH=/usr/bin:/bin"], logPath: log))
        }
        children.append(try ChildProcess.spawn(
            executable: "/bin/sh", arguments: ["-c", "while :; do sleep 1; done", "\(deadFolder.path)/run-p-1/problem.json"],
            environment: ["PATH=/usr/bin:/bin"], logPath: log))
        for _ in 0..<200 where SandboxLeftovers.processes(marker: marker).count < 2 {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(SandboxLeftovers.processes(marker: marker).count == 2)
        if !deadGroups.procsFiles.isEmpty { try #require(!deadGroups.members().isEmpty) }

        // Proxy folders: one of a pid that no longer runs, one of the live owner.
        let gone = try ChildProcess.spawn(executable: "/bin/true", arguments: [], environment: [], logPath: log)
        _ = gone.reap()
        let goneProxy = work.appendingPathComponent(SandboxOwner(pid: gone.pid, startTicks: 1).proxyFolderName())
        let liveProxy = work.appendingPathComponent(live.proxyFolderName())
        for folder in [goneProxy, liveProxy] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }

        let report = LeftoverSweep.sweep(workDirectory: work, hosts: hosts)

        #expect(report.owners == 1)
        #expect(report.cgroups == deadGroups.procsFiles.count)
        #expect(report.processes >= 2)
        let dying = await SandboxLeftovers.nothingLeft(problemID: "-", marker: "\(marker)-dead")
        #expect(dying.processes.isEmpty)
        #expect(SandboxFixture.processes(containing: deadFolder.path + "/").filter { !SandboxLeftovers.isZombie($0) }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: deadFolder.path))
        for dir in [deadGroups.memory, deadGroups.pids].compactMap({ $0 }) {
            #expect(!FileManager.default.fileExists(atPath: dir), "\(dir)")
        }
        #expect(!FileManager.default.fileExists(atPath: goneProxy.path))
        // The live owner keeps everything.
        #expect(FileManager.default.fileExists(atPath: liveProxy.path))
        #expect(SandboxLeftovers.processes(marker: "\(marker)-live").count == 1)
        #expect(FileManager.default.fileExists(atPath: liveFolder.appendingPathComponent(SandboxOwner.pidFileName).path))
        for dir in [liveGroups.memory, liveGroups.pids].compactMap({ $0 }) {
            #expect(FileManager.default.fileExists(atPath: dir), "\(dir)")
        }
        liveGroups.destroy()
    }

    /// The launcher's first link (`setpriv --pdeathsig KILL`) takes what it starts down with the process that
    /// started it, even when that process is SIGKILLed and cannot clean up.
    @Test func theDeathGuardKillsTheLaunchedProcessWhenItsParentIsSIGKILLed() async throws {
        let setpriv = try #require(HostCapabilities.deathGuardingSetpriv(), "util-linux setpriv with --pdeathsig is not installed")
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let marker = SandboxLeftovers.uniqueID("death-guard")
        // The owner: a shell that starts the guarded launcher (its child) and waits.
        let owner = try ChildProcess.spawn(
            executable: "/bin/sh",
            arguments: ["-c", #""$@" & wait"#, "owner"] + BubblewrapCommand.deathGuard(setpriv: setpriv)
                + ["/bin/sh", "-c", "while :; do sleep 1; done", marker],
            environment: ["PATH=/usr/bin:/bin"], logPath: scratch.appendingPathComponent("owner.log").path)
        defer {
            kill(owner.pid, SIGKILL)
            _ = owner.reap()
        }
        // The owner's own command line carries the marker too (as its arguments).
        func guarded() -> [pid_t] { SandboxLeftovers.processes(marker: marker).filter { $0 != owner.pid } }
        for _ in 0..<500 where guarded().isEmpty {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(guarded().count == 1, "the guarded process never started")
        kill(owner.pid, SIGKILL)
        #expect(owner.reap() == .signal(SIGKILL))
        let left = await SandboxLeftovers.nothingLeft(problemID: "-", marker: marker)
        #expect(left.processes.isEmpty, "the guarded process outlived its SIGKILLed parent: \(left.processes)")
    }

    /// A launcher whose parent is not the process that spawned it any more (it died before the death signal was
    /// armed) starts nothing and exits with ``BubblewrapCommand/orphanedStatus``; with the right parent it runs.
    @Test("the launcher checks its parent", arguments: [true, false])
    func theLauncherStartsNothingWhenItsParentIsGone(useDash: Bool) throws {
        let dash = HostCapabilities.find("dash")
        if useDash { try #require(dash != nil, "dash is not installed (apt-get install dash)") }
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prlimit = HostCapabilities.find("prlimit") ?? "/usr/bin/prlimit"
        func exit(parent: Int32) throws -> ChildProcess.Exit {
            let argv = BubblewrapCommand.launcher(
                limits: .standard, cgroups: RunCgroups(), dash: useDash ? dash : nil, prlimit: prlimit, parent: parent)
                + ["/bin/sh", "-c", "exit 7"]
            return try ChildProcess.spawn(
                executable: argv[0], arguments: Array(argv.dropFirst()), environment: ["PATH=/usr/bin:/bin"],
                logPath: scratch.appendingPathComponent("launcher.log").path
            ).reap()
        }
        #expect(try exit(parent: 1) == .code(BubblewrapCommand.orphanedStatus))
        #expect(try exit(parent: getpid()) == .code(7))
    }
}
