import Foundation
import Store

/// A real PostgreSQL server for tests, on loopback.
///
/// `scripts/test` starts a throw-away cluster and exports `SHOPARENA_TEST_PG_URL`; when that variable is absent
/// (a developer running `swift test` by hand) the first test that needs PostgreSQL starts a private cluster with
/// `initdb` + `pg_ctl` (as the `postgres` user when running as root) in a temporary folder, stopped when the
/// test process exits. Each test gets its own fresh database, so suites can run in parallel.
public actor PostgresTestServer {
    public static let shared = PostgresTestServer()

    private var baseURL: String?

    /// A URL to a new, empty database on the test server.
    public func freshDatabaseURL() async throws -> String {
        let base = try await serverURL()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let admin = try PostgresDatabase(url: base + "/postgres", maxConnections: 1)
        do {
            try await admin.read { db in try await db.execute("CREATE DATABASE \(name)") }
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
        return base + "/" + name
    }

    private func serverURL() async throws -> String {
        if let baseURL { return baseURL }
        if let url = ProcessInfo.processInfo.environment["SHOPARENA_TEST_PG_URL"], !url.isEmpty {
            // Strip a trailing database name: databases are created per test.
            var components = URLComponents(string: url)
            components?.path = ""
            let base = components?.string ?? url
            baseURL = base
            return base
        }
        let base = try PrivateCluster.start()
        baseURL = base
        return base
    }
}

/// A private cluster started by this test process and stopped at exit.
private enum PrivateCluster {
    static let directory = NSTemporaryDirectory() + "shoparena-pg-\(getpid())"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func start() throws -> String {
        guard let bin = binDirectory() else {
            throw Failure(description: "PostgreSQL is not installed (no initdb found); run scripts/test, which installs "
                + "it, or set SHOPARENA_TEST_PG_URL=postgres://user@127.0.0.1:PORT")
        }
        let port = freePort()
        let asRoot = getuid() == 0
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if asRoot { _ = run("/bin/chown", ["-R", "postgres:postgres", directory]) }
        func pg(_ tool: String, _ arguments: [String]) -> (Int32, String) {
            asRoot ? run("/usr/sbin/runuser", ["-u", "postgres", "--", "\(bin)/\(tool)"] + arguments)
                : run("\(bin)/\(tool)", arguments)
        }
        let (initStatus, initOutput) = pg("initdb", ["-D", "\(directory)/data", "-A", "trust", "-U", "postgres", "--no-sync"])
        guard initStatus == 0 else { throw Failure(description: "initdb failed: \(initOutput)") }
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off "
            + "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        let (startStatus, startOutput) = pg("pg_ctl", ["-D", "\(directory)/data", "-l", "\(directory)/log", "-w", "-o", options, "start"])
        guard startStatus == 0 else { throw Failure(description: "pg_ctl start failed: \(startOutput)") }
        atexit {
            let dir = PrivateCluster.directory
            guard let bin = PrivateCluster.binDirectory() else { return }
            if getuid() == 0 {
                _ = PrivateCluster.run("/usr/sbin/runuser", ["-u", "postgres", "--", "\(bin)/pg_ctl", "-D", "\(dir)/data", "-m", "immediate", "-w", "stop"])
            } else {
                _ = PrivateCluster.run("\(bin)/pg_ctl", ["-D", "\(dir)/data", "-m", "immediate", "-w", "stop"])
            }
            try? FileManager.default.removeItem(atPath: dir)
        }
        return "postgres://postgres@127.0.0.1:\(port)"
    }

    static func binDirectory() -> String? {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: >) where FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\(version)/bin/initdb") {
            return "/usr/lib/postgresql/\(version)/bin"
        }
        for dir in ["/usr/local/bin", "/usr/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/initdb") {
            return dir
        }
        return nil
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a tool with its output in a file, with posix_spawn + waitpid. Not Foundation's `Process`: `pg_ctl
    /// start` leaves a daemon holding descriptors the tool inherited, and `Process` then never reports the exit.
    static func run(_ executable: String, _ arguments: [String]) -> (Int32, String) {
        let outputPath = NSTemporaryDirectory() + "shoparena-pg-tool-\(getpid())-\(UUID().uuidString).log"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { return (-1, "cannot start \(executable): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : -1, text)
    }
}
