import Foundation
import Testing

@testable import Sandbox

/// The launcher in front of bubblewrap sets the rlimits itself (dash's `ulimit`, one exec less than
/// `prlimit`): its units must give exactly the limits asked for.
@Suite("Sandbox launcher limits")
struct LauncherTests {
    /// `/proc/self/limits` of `cat` started through the launcher, as soft and hard value per row name.
    static func limits(dash: String?, limits: SandboxLimits) throws -> [String: (String, String)] {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let log = scratch.appendingPathComponent("out.log").path
        let argv =
            BubblewrapCommand.launcher(
                limits: limits, cgroups: RunCgroups(), dash: dash, prlimit: HostCapabilities.find("prlimit") ?? "/usr/bin/prlimit")
            + ["/bin/cat", "/proc/self/limits"]
        let child = try ChildProcess.spawn(
            executable: argv[0], arguments: Array(argv.dropFirst()), environment: ["PATH=/usr/bin:/bin"], logPath: log)
        #expect(child.reap() == .code(0))
        var rows: [String: (String, String)] = [:]
        for line in try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // "Max address space  8589934592  8589934592  bytes": the name is everything before the numbers.
            guard let first = fields.firstIndex(where: { $0.first?.isNumber == true || $0 == "unlimited" }),
                fields.count >= first + 2
            else { continue }
            rows[fields[..<first].joined(separator: " ")] = (String(fields[first]), String(fields[first + 1]))
        }
        return rows
    }

    @Test("dash ulimit and prlimit give the same soft and hard limits", arguments: [true, false])
    func units(useDash: Bool) throws {
        let dash = HostCapabilities.find("dash")
        if useDash { try #require(dash != nil, "dash is not installed (apt-get install dash)") }
        let asked = SandboxLimits(
            memoryBytes: 1 << 30, addressSpaceBytes: 6 << 30, maxProcesses: 77, maxOpenFiles: 333,
            maxFileSizeBytes: 48 << 20)
        let rows = try Self.limits(dash: useDash ? dash : nil, limits: asked)
        func both(_ name: String) -> (String, String)? { rows[name] }
        #expect(both("Max address space").map { [$0.0, $0.1] } == ["\(6 << 30)", "\(6 << 30)"])
        #expect(both("Max open files").map { [$0.0, $0.1] } == ["333", "333"])
        #expect(both("Max file size").map { [$0.0, $0.1] } == ["\(48 << 20)", "\(48 << 20)"])
        #expect(both("Max core file size").map { [$0.0, $0.1] } == ["0", "0"])
        #expect(both("Max processes").map { [$0.0, $0.1] } == ["77", "77"])
    }
}
