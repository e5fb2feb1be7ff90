import Foundation

/// A classic-BPF seccomp program that bubblewrap installs (`--seccomp FD`) just before it starts the
/// harness: the system calls an agent has no business making fail with `EPERM`, everything else is
/// allowed.
///
/// Blocked: debugging and other processes' memory (`ptrace`, `process_vm_readv/writev`, `kcmp`), the
/// kernel keyring (`add_key`, `request_key`, `keyctl`), namespaces and mounts (`unshare`, `setns`,
/// `clone` with any `CLONE_NEW*` flag, `mount`, `umount2`, `pivot_root`, `chroot`, the new mount API),
/// kernel code and tracing (`bpf`, `perf_event_open`, `kexec_*`, module loading, `iopl`/`ioperm`),
/// `io_uring_*` (whose operations bypass seccomp), `userfaultfd`, handle-based opens, `syslog`,
/// `reboot`, swap, accounting and host/domain names. `clone3` fails with `ENOSYS` (its flags live in
/// memory a filter cannot read), so the C library falls back to `clone`, which is checked. System
/// calls of a foreign architecture or the x32 ABI fail with `EPERM`.
///
/// The syscall table is x86_64's; on other architectures ``program()`` returns nil and the sandbox
/// runs without this filter (``HostCapabilities/seccomp`` is false), keeping every other isolation.
struct SeccompFilter: Sendable {
    /// One `struct sock_filter`.
    struct Instruction: Sendable, Equatable {
        var code: UInt16
        var jt: UInt8
        var jf: UInt8
        var k: UInt32
    }

    // BPF opcodes and seccomp constants (linux/filter.h, linux/seccomp.h, linux/audit.h).
    static let ldAbsWord: UInt16 = 0x20  // BPF_LD | BPF_W | BPF_ABS
    static let jeq: UInt16 = 0x15  // BPF_JMP | BPF_JEQ | BPF_K
    static let jge: UInt16 = 0x35  // BPF_JMP | BPF_JGE | BPF_K
    static let jset: UInt16 = 0x45  // BPF_JMP | BPF_JSET | BPF_K
    static let ret: UInt16 = 0x06  // BPF_RET | BPF_K
    static let allow: UInt32 = 0x7fff_0000  // SECCOMP_RET_ALLOW
    static let errno: UInt32 = 0x0005_0000  // SECCOMP_RET_ERRNO
    static let auditArchX86_64: UInt32 = 0xC000_003E
    static let x32SyscallBit: UInt32 = 0x4000_0000
    /// CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET (and CLONE_NEWTIME).
    static let namespaceFlags: UInt32 = 0x0002_0000 | 0x0200_0000 | 0x0400_0000 | 0x0800_0000 | 0x1000_0000
        | 0x2000_0000 | 0x4000_0000 | 0x0000_0080

    /// x86_64 numbers of the blocked system calls.
    static let blockedX86_64: [(name: String, number: UInt32)] = [
        ("syslog", 103), ("ptrace", 101), ("vhangup", 153), ("pivot_root", 155), ("chroot", 161), ("acct", 163),
        ("mount", 165), ("umount2", 166), ("swapon", 167), ("swapoff", 168), ("reboot", 169),
        ("sethostname", 170), ("setdomainname", 171), ("iopl", 172), ("ioperm", 173), ("init_module", 175),
        ("delete_module", 176), ("quotactl", 179), ("kexec_load", 246), ("add_key", 248), ("request_key", 249),
        ("keyctl", 250), ("unshare", 272), ("perf_event_open", 298), ("fanotify_init", 300),
        ("name_to_handle_at", 303), ("open_by_handle_at", 304), ("setns", 308), ("process_vm_readv", 310),
        ("process_vm_writev", 311), ("kcmp", 312), ("finit_module", 313), ("kexec_file_load", 320), ("bpf", 321),
        ("userfaultfd", 323), ("io_uring_setup", 425), ("io_uring_enter", 426), ("io_uring_register", 427),
        ("open_tree", 428), ("move_mount", 429), ("fsopen", 430), ("fsconfig", 431), ("fsmount", 432),
        ("fspick", 433), ("mount_setattr", 442),
    ]
    static let cloneX86_64: UInt32 = 56
    static let clone3X86_64: UInt32 = 435

    static let eperm: UInt32 = 1
    static let enosys: UInt32 = 38

    /// The filter for this machine's architecture; nil where the syscall table is unknown.
    static func program() -> [Instruction]? {
        #if arch(x86_64)
            return build(
                arch: auditArchX86_64, blocked: blockedX86_64.map(\.number), clone: cloneX86_64, clone3: clone3X86_64)
        #else
            return nil
        #endif
    }

    /// The program as the bytes bubblewrap reads from its `--seccomp` descriptor (native byte order).
    static func bytes(_ program: [Instruction]) -> Data {
        var data = Data(capacity: program.count * 8)
        for i in program {
            withUnsafeBytes(of: i.code) { data.append(contentsOf: $0) }
            data.append(i.jt)
            data.append(i.jf)
            withUnsafeBytes(of: i.k) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// Assembles: check the architecture, load the syscall number, deny x32, one `jeq` per blocked
    /// number, special cases for `clone`/`clone3`, allow.
    static func build(arch: UInt32, blocked: [UInt32], clone: UInt32, clone3: UInt32) -> [Instruction] {
        enum Target { case next, skipOne, deny, enosys, cloneCheck }
        var body: [(Instruction, jt: Target, jf: Target)] = []
        func plain(_ code: UInt16, _ k: UInt32) { body.append((Instruction(code: code, jt: 0, jf: 0, k: k), .next, .next)) }
        func jump(_ code: UInt16, _ k: UInt32, _ jt: Target, _ jf: Target) {
            body.append((Instruction(code: code, jt: 0, jf: 0, k: k), jt, jf))
        }
        plain(ldAbsWord, 4)  // seccomp_data.arch
        jump(jeq, arch, .next, .deny)
        plain(ldAbsWord, 0)  // seccomp_data.nr
        jump(jge, x32SyscallBit, .deny, .next)
        for number in blocked { jump(jeq, number, .deny, .next) }
        jump(jeq, clone, .cloneCheck, .next)
        jump(jeq, clone3, .enosys, .next)
        plain(ret, allow)
        let deny = body.count
        plain(ret, errno | eperm)
        let enosysAt = body.count
        plain(ret, errno | enosys)
        let cloneAt = body.count
        plain(ldAbsWord, 16)  // low 32 bits of seccomp_data.args[0] (little endian): the clone flags
        jump(jset, namespaceFlags, .next, .skipOne)  // BPF jumps only forward: a second deny follows
        plain(ret, errno | eperm)
        plain(ret, allow)

        return body.enumerated().map { pc, entry in
            func offset(_ target: Target) -> UInt8 {
                let to: Int
                switch target {
                case .next: return 0
                case .skipOne: return 1
                case .deny: to = deny
                case .enosys: to = enosysAt
                case .cloneCheck: to = cloneAt
                }
                precondition(to > pc && to - pc - 1 <= 255, "seccomp jump out of range")
                return UInt8(to - pc - 1)
            }
            var i = entry.0
            i.jt = offset(entry.jt)
            i.jf = offset(entry.jf)
            return i
        }
    }
}
