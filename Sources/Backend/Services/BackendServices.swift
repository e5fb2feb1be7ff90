import Identity
import Store

/// What every route handler needs: storage, the clock, settings and the request verifier (its nonce store in
/// the database by default).
///
/// One value built at start-up and shared (read-only) by all routes; repositories are cheap views over the
/// database, created on demand.
public struct BackendServices: Sendable {
    public let database: any SQLDatabase
    public let blobs: any BlobStore
    public let clock: any ArenaClock
    public let settings: BackendSettings
    public let verifier: RequestVerifier

    public init(database: any SQLDatabase, blobs: any BlobStore, clock: any ArenaClock = SystemClock(),
                settings: BackendSettings = BackendSettings(), verifier: RequestVerifier? = nil) {
        self.database = database
        self.blobs = blobs
        self.clock = clock
        self.settings = settings
        // Nonces live in the database so replicas over one database refuse each other's replays.
        self.verifier = verifier ?? RequestVerifier(nonceStore: DatabaseNonceStore(database: database),
                                                    now: { clock.nowMillis() / 1000 })
    }

    public var identities: IdentityRepository { IdentityRepository(database: database) }
    public var sessions: SessionRepository { SessionRepository(database: database) }
    public var publicQueries: PublicQueries { PublicQueries(database: database) }
    public var agents: AgentRepository { AgentRepository(database: database) }
    /// Miners' inference credentials, sealed with `settings.credentialKey`.
    public var credentials: InferenceCredentials {
        InferenceCredentials(database: database, box: CredentialBox(keyText: settings.credentialKey))
    }
    public var workQueue: WorkQueue {
        WorkQueue(database: database, leaseSeconds: settings.leaseSeconds, retryPolicy: settings.runRetryPolicy)
    }
    public var uploads: UploadRepository { UploadRepository(database: database) }

    public func now() -> Int64 { clock.nowMillis() }
}
