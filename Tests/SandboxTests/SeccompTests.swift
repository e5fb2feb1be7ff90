import ArenaModel
import Foundation
@testable import Sandbox
import Testing

/// The seccomp filter bubblewrap installs for agents: the system calls it blocks fail with EPERM inside
/// the sandbox, while threads, subprocesses and ordinary I/O keep working.
@Suite("Sandbox seccomp filter", .timeLimit(.minutes(5)))
struct SeccompTests {
    @Test("the host supports the filter (x86_64 with bubblewrap): these tests must not pass vacuously")
    func available() throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        #if arch(x86_64)
            #expect(runner.capabilities.seccomp, "\(runner.capabilities.summary)")
        #endif
    }

    @Test("ptrace, keyctl, add_key, unshare, mount, bpf and perf_event_open fail with EPERM; threads and fork work")
    func blockedCalls() async throws {
        let run = try await HostileAgentTests.run(
            "seccomp",
            SandboxFixture.reportingAgent(
                """
                import ctypes, subprocess, threading
                libc = ctypes.CDLL(None, use_errno=True)
                CALLS = {  # x86_64 numbers, harmless arguments
                    "ptrace": (101, 0, 0, 0, 0),          # PTRACE_TRACEME
                    "keyctl": (250, 0, 0, 0, 0),          # KEYCTL_GET_KEYRING_ID
                    "add_key": (248, 0, 0, 0, 0),
                    "unshare": (272, 0x10000000, 0, 0, 0),  # CLONE_NEWUSER
                    "mount": (165, 0, 0, 0, 0),
                    "bpf": (321, 0, 0, 0, 0),
                    "perf_event_open": (298, 0, 0, 0, 0),
                }
                def report(p):
                    out = {}
                    for name, (nr, *args) in CALLS.items():
                        ctypes.set_errno(0)
                        rc = libc.syscall(nr, *args)
                        out[name] = [rc, ctypes.get_errno()]
                    box = []
                    t = threading.Thread(target=lambda: box.append("thread ran"))
                    t.start(); t.join()
                    out["thread"] = box[0] if box else None
                    out["subprocess"] = subprocess.run(["/bin/echo", "child ran"], capture_output=True, text=True).stdout.strip()
                    return out
                """))
        #expect(run.envelope.status == .success, "\(run.envelope.error?.message ?? "")")
        let report = try #require(SandboxFixture.report(run.envelope))
        for name in ["ptrace", "keyctl", "add_key", "unshare", "mount", "bpf", "perf_event_open"] {
            #expect(report[name] == .array([.int(-1), .int(Int64(EPERM))]), "\(name): \(report[name].map { "\($0)" } ?? "missing")")
        }
        #expect(report["thread"]?.stringValue == "thread ran")
        #expect(report["subprocess"]?.stringValue == "child ran")
        await HostileAgentTests.expectNothingLeft(run)
    }
}

@Suite("Seccomp program")
struct SeccompProgramTests {
    /// Runs the classic-BPF program on one fake `seccomp_data` (arch, nr, args[0]) and returns its verdict.
    static func evaluate(_ program: [SeccompFilter.Instruction], arch: UInt32, nr: UInt32, arg0: UInt32 = 0) -> UInt32? {
        var pc = 0
        var acc: UInt32 = 0
        var steps = 0
        while pc < program.count, steps < 1000 {
            steps += 1
            let i = program[pc]
            switch i.code {
            case SeccompFilter.ldAbsWord:
                switch i.k {
                case 0: acc = nr
                case 4: acc = arch
                case 16: acc = arg0
                default: return nil
                }
                pc += 1
            case SeccompFilter.jeq: pc += 1 + Int(acc == i.k ? i.jt : i.jf)
            case SeccompFilter.jge: pc += 1 + Int(acc >= i.k ? i.jt : i.jf)
            case SeccompFilter.jset: pc += 1 + Int(acc & i.k != 0 ? i.jt : i.jf)
            case SeccompFilter.ret: return i.k
            default: return nil
            }
        }
        return nil
    }

    @Test("verdicts: blocked calls EPERM, clone with namespace flags EPERM, clone3 ENOSYS, the rest allowed")
    func verdicts() throws {
        let arch = SeccompFilter.auditArchX86_64
        let program = SeccompFilter.build(
            arch: arch, blocked: SeccompFilter.blockedX86_64.map(\.number), clone: SeccompFilter.cloneX86_64,
            clone3: SeccompFilter.clone3X86_64)
        let eperm = SeccompFilter.errno | 1
        for (name, number) in SeccompFilter.blockedX86_64 {
            #expect(Self.evaluate(program, arch: arch, nr: number) == eperm, "\(name)")
        }
        for allowed: UInt32 in [0, 1, 2, 9, 39, 57, 59, 60, 231, 318] {  // read write open mmap getpid fork execve exit exit_group getrandom
            #expect(Self.evaluate(program, arch: arch, nr: allowed) == SeccompFilter.allow, "syscall \(allowed)")
        }
        let threadFlags: UInt32 = 0x003D_0F00  // what glibc's pthread_create passes to clone
        #expect(Self.evaluate(program, arch: arch, nr: 56, arg0: threadFlags) == SeccompFilter.allow)
        #expect(Self.evaluate(program, arch: arch, nr: 56, arg0: 0x1000_0000 | 17) == eperm)  // CLONE_NEWUSER
        #expect(Self.evaluate(program, arch: arch, nr: 56, arg0: 0x4000_0000) == eperm)  // CLONE_NEWNET
        #expect(Self.evaluate(program, arch: arch, nr: 435) == SeccompFilter.errno | 38)
        #expect(Self.evaluate(program, arch: arch, nr: 0x4000_0000 | 1) == eperm)  // x32 ABI
        #expect(Self.evaluate(program, arch: 0x4000_0003, nr: 1) == eperm)  // i386
        #expect(SeccompFilter.bytes(program).count == program.count * 8)
    }
}
