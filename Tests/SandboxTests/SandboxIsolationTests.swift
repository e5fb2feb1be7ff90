import ArenaModel
import Foundation
import Sandbox
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Sandbox isolation: files, network, proxy socket", .timeLimit(.minutes(5)))
struct SandboxIsolationTests {
    let limits = SandboxLimits(wallClockSeconds: 120, killGraceSeconds: 1, memoryBytes: 1 << 30, addressSpaceBytes: 4 << 30)

    @Test("the agent sees none of the host's files and can write only to /tmp")
    func filesystem() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        // A stand-in for the catalog / index / rewards: a file on the host outside every bind.
        let secretDir = scratch.appendingPathComponent("catalog")
        try FileManager.default.createDirectory(at: secretDir, withIntermediateDirectories: true)
        let secret = secretDir.appendingPathComponent("rewards.jsonl")
        try Data("SECRET".utf8).write(to: secret)
        // Its existence on the host is real: the test can fail.
        #expect(FileManager.default.fileExists(atPath: secret.path))

        let hidden = [
            secret.path, secretDir.path, scratch.path, "/work/shared/data", "/root/.bashrc", "/root/.ssh", "/etc/passwd",
            "/etc/hostname", "/home", "/sys/fs/cgroup", "/var/log", SandboxFixture.repository.appendingPathComponent("Package.swift").path,
        ]
        let agent = try SandboxFixture.agent(
            SandboxFixture.reportingAgent(
                """
                import socket
                def can_write(path):
                    try:
                        with open(path, "w") as fh:
                            fh.write("x")
                        return True
                    except OSError:
                        return False
                def report(p):
                    return {
                        "visible": [path for path in p["hidden"] if os.path.exists(path)],
                        "writes": {path: can_write(path) for path in
                                   ["/usr/evil", "/evil", "/sandbox/evil", "/sandbox/runtime/evil", "/sandbox/agent.py",
                                    "/sandbox/problem.json", "/tmp/ok", "/proc/evil", "/dev/evil"]},
                        "hostname": socket.gethostname(),
                        "root": sorted(os.listdir("/")),
                        "uid": [os.getuid(), os.geteuid(), os.getgid()],
                    }
                """), in: scratch)
        let problem = SandboxFixture.problem(extra: [("hidden", .array(hidden.map(JSONValue.string)))])
        let envelope = await runner.run(agentFile: agent, problem: problem, limits: limits)
        #expect(envelope.status == .success, "\(envelope.error?.message ?? "")")
        let report = try #require(SandboxFixture.report(envelope))
        #expect(report["visible"] == .array([]))
        let writes = try #require(report["writes"])
        for path in ["/usr/evil", "/evil", "/sandbox/evil", "/sandbox/runtime/evil", "/sandbox/agent.py",
                     "/sandbox/problem.json", "/proc/evil", "/dev/evil"] {
            #expect(writes[path] == .bool(false), "could write \(path)")
        }
        #expect(writes["/tmp/ok"] == .bool(true))
        #expect(report["hostname"]?.stringValue == "sandbox")
        #expect(report["uid"] == .array([.int(65534), .int(65534), .int(65534)]))
        #expect(!FileManager.default.fileExists(atPath: "/usr/evil"))
    }

    @Test("no route out: a UDP connect to a public address fails and only loopback exists")
    func noRoute() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        // connect() on a UDP socket only consults the routing table; no packet is ever sent.
        let agent = try SandboxFixture.agent(
            SandboxFixture.reportingAgent(
                """
                import socket
                def report(p):
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    try:
                        s.connect(("1.1.1.1", 53))
                        udp = "connected"
                    except OSError as exc:
                        udp = exc.errno
                    finally:
                        s.close()
                    with open("/proc/net/dev") as fh:
                        ifaces = sorted(line.split(":")[0].strip() for line in fh.readlines()[2:])
                    return {"udp": udp, "interfaces": ifaces}
                """), in: scratch)
        let envelope = await runner.run(agentFile: agent, problem: SandboxFixture.problem(), limits: limits)
        let report = try #require(SandboxFixture.report(envelope), "\(envelope.error?.message ?? "")")
        #expect(report["udp"]?.intValue == Int64(ENETUNREACH))
        #expect(report["interfaces"] == .array([.string("lo")]))
    }

    @Test("no reach: a TCP listener on the host's 127.0.0.1 is not reachable from the sandbox")
    func noHostLoopback() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let listener = try LoopbackListener()
        defer { listener.stop() }
        #expect(listener.hostCanConnect(), "the host itself must reach its listener")
        let agent = try SandboxFixture.agent(
            SandboxFixture.reportingAgent(
                """
                import socket
                def report(p):
                    try:
                        socket.create_connection(("127.0.0.1", p["port"]), timeout=3).close()
                        return {"tcp": "connected"}
                    except OSError as exc:
                        return {"tcp": type(exc).__name__}
                """), in: scratch)
        let problem = SandboxFixture.problem(extra: [("port", .int(Int64(listener.port)))])
        let envelope = await runner.run(agentFile: agent, problem: problem, limits: limits)
        let report = try #require(SandboxFixture.report(envelope), "\(envelope.error?.message ?? "")")
        #expect(report["tcp"]?.stringValue == "ConnectionRefusedError")
    }

    @Test("the proxy socket is the way out: requests and urllib reach it through SANDBOX_PROXY_URL")
    func proxySocket() async throws {
        let scratch = try SandboxFixture.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = try SandboxFixture.runner(scratch: scratch)
        let server = try UnixHTTPStub(
            path: scratch.appendingPathComponent("proxy.sock").path, body: #"[{"product_id": "42", "title": "red shoe"}]"#)
        defer { server.stop() }
        let agent = try SandboxFixture.agent(
            SandboxFixture.reportingAgent(
                """
                import requests, urllib.request
                def report(p):
                    base = os.environ["SANDBOX_PROXY_URL"]
                    a = requests.get(base + "/search/find_product", params={"q": "red shoes", "page": 1}, timeout=60).json()
                    with urllib.request.urlopen(base + "/search/view_product_information?product_ids=42", timeout=60) as r:
                        b = json.loads(r.read())
                    return {"base": base, "a": a, "b": b}
                """), in: scratch)
        let envelope = await runner.run(
            agentFile: agent, problem: SandboxFixture.problem(), proxySocket: server.path, limits: limits)
        #expect(envelope.status == .success, "\(envelope.error?.message ?? "")")
        let report = try #require(SandboxFixture.report(envelope))
        #expect(report["base"]?.stringValue?.hasPrefix("http://127.0.0.1:") == true)
        let expected = JSONValue.array([.object([("product_id", .string("42")), ("title", .string("red shoe"))])])
        #expect(report["a"] == expected)
        #expect(report["b"] == expected)
        #expect(
            server.requests == [
                "GET /search/find_product?q=red+shoes&page=1 HTTP/1.1",
                "GET /search/view_product_information?product_ids=42 HTTP/1.1",
            ])
    }
}
