/// The arena's schema as an ordered list of migrations, shared by SQLite and PostgreSQL.
///
/// Portable on purpose: integers are `BIGINT` (times are epoch milliseconds, booleans 0/1), scores are
/// `DOUBLE PRECISION`, everything else `TEXT` (UUIDs, hotkeys, JSON documents). No foreign keys and no
/// dialect-specific types, so one statement list creates the same tables in both — with one exception: the
/// PostgreSQL blob table (`BYTEA`), a migration scoped to PostgreSQL that SQLite records as a no-op. Never edit
/// a migration that has shipped: append a new one.
public enum ArenaMigrations {
    /// One schema step: a version, a name for logs and the statements that make it.
    public struct Migration: Sendable {
        /// Position in the schema history (1, 2, …); recorded in `schema_migrations`.
        public let version: Int
        /// What the step adds, for logs and errors.
        public let name: String
        /// The statements, run in order in one transaction.
        public let statements: [String]
        /// The dialects whose databases run `statements`; on the others the version is recorded with nothing to
        /// do (a PostgreSQL-only table such as `blobs`, which SQLite deployments keep on the filesystem).
        public let dialects: Set<SQLDialect>

        /// A step run on `dialects` (both by default).
        public init(version: Int, name: String, statements: [String], dialects: Set<SQLDialect> = [.sqlite, .postgres]) {
            self.version = version
            self.name = name
            self.statements = statements
            self.dialects = dialects
        }
    }

    /// Every migration, oldest first.
    public static let all: [Migration] = [
        Migration(version: 1, name: "arena core", statements: core),
        Migration(version: 2, name: "races", statements: races),
        Migration(version: 3, name: "fair queue", statements: fairQueue),
        Migration(version: 4, name: "inference providers, race selections, validator host metrics", statements: newerClients),
        Migration(version: 5, name: "trajectory corpus", statements: trajectories),
        Migration(version: 6, name: "request nonces", statements: requestNonces),
        Migration(version: 7, name: "corpus export order", statements: corpusExportOrder),
        Migration(version: 8, name: "blobs in PostgreSQL", statements: postgresBlobs, dialects: [.postgres]),
        Migration(version: 9, name: "validator avoidance", statements: validatorAvoidance),
        Migration(version: 10, name: "work item sequence", statements: workItemSequence, dialects: [.postgres]),
    ]

    static let core: [String] = [
        // Hotkeys known to the arena and their role (miner | validator | admin).
        """
        CREATE TABLE identities (
            hotkey TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            name TEXT,
            is_banned BIGINT NOT NULL DEFAULT 0,
            ban_reason TEXT,
            banned_at BIGINT,
            registered_at BIGINT NOT NULL,
            cooldown_until BIGINT,
            last_submit_at BIGINT,
            last_claim_at BIGINT,
            last_seen_at BIGINT,
            service_versions TEXT,
            inference_credential TEXT,
            credential_updated_at BIGINT
        )
        """,
        "CREATE INDEX identities_role ON identities (role, registered_at)",
        // Dashboard login: one-shot challenges and Bearer sessions.
        """
        CREATE TABLE auth_challenges (
            challenge TEXT PRIMARY KEY,
            hotkey TEXT NOT NULL,
            expires_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE auth_sessions (
            token_hash TEXT PRIMARY KEY,
            hotkey TEXT NOT NULL,
            role TEXT NOT NULL,
            expires_at BIGINT NOT NULL
        )
        """,
        // Problem suites and their problems. `is_hidden` problems (race banks) are never served publicly.
        """
        CREATE TABLE suites (
            suite_id BIGINT PRIMARY KEY,
            suite_version BIGINT NOT NULL,
            is_active BIGINT NOT NULL DEFAULT 0,
            is_public BIGINT NOT NULL DEFAULT 1,
            source_uri TEXT,
            problem_count BIGINT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE problems (
            suite_id BIGINT NOT NULL,
            problem_id TEXT NOT NULL,
            position BIGINT NOT NULL,
            category TEXT,
            is_hidden BIGINT NOT NULL DEFAULT 0,
            metadata TEXT NOT NULL,
            PRIMARY KEY (suite_id, problem_id)
        )
        """,
        "CREATE INDEX problems_order ON problems (suite_id, is_hidden, position)",
        // Agents (one per miner and name) and their versions; code lives in the blob store by sha256.
        """
        CREATE TABLE agents (
            agent_id TEXT PRIMARY KEY,
            miner_hotkey TEXT NOT NULL,
            agent_name TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            UNIQUE (miner_hotkey, agent_name)
        )
        """,
        """
        CREATE TABLE agent_versions (
            agent_version_id TEXT PRIMARY KEY,
            agent_id TEXT NOT NULL,
            miner_hotkey TEXT NOT NULL,
            version_number BIGINT NOT NULL,
            submitted_at BIGINT NOT NULL,
            suite_id BIGINT,
            code_sha256 TEXT NOT NULL,
            code_size BIGINT NOT NULL,
            state TEXT NOT NULL,
            final_score DOUBLE PRECISION,
            eligible_at BIGINT,
            code_available_at BIGINT,
            is_discarded BIGINT NOT NULL DEFAULT 0,
            discard_reason TEXT,
            eliminated_at BIGINT,
            eliminated_in_race_number BIGINT,
            race_score DOUBLE PRECISION,
            reasoning_coefficient DOUBLE PRECISION,
            UNIQUE (agent_id, version_number)
        )
        """,
        "CREATE INDEX agent_versions_miner ON agent_versions (miner_hotkey, submitted_at)",
        "CREATE INDEX agent_versions_suite ON agent_versions (suite_id, state, final_score)",
        // The work queue: one item per (version, suite, phase) needing `required_successes` included runs
        // from distinct validators. `seq` gives FIFO order.
        """
        CREATE TABLE work_items (
            work_item_id TEXT PRIMARY KEY,
            seq BIGINT NOT NULL UNIQUE,
            agent_version_id TEXT NOT NULL,
            suite_id BIGINT NOT NULL,
            phase TEXT NOT NULL,
            race_id TEXT,
            race_number BIGINT,
            required_successes BIGINT NOT NULL,
            included_success_count BIGINT NOT NULL DEFAULT 0,
            is_closed BIGINT NOT NULL DEFAULT 0,
            is_cancelled BIGINT NOT NULL DEFAULT 0,
            queued_at BIGINT NOT NULL,
            closed_at BIGINT
        )
        """,
        "CREATE INDEX work_items_open ON work_items (is_closed, is_cancelled, seq)",
        "CREATE INDEX work_items_version ON work_items (agent_version_id)",
        // Evaluation runs: one validator's lease on one work item.
        """
        CREATE TABLE evaluation_runs (
            eval_run_id TEXT PRIMARY KEY,
            work_item_id TEXT NOT NULL,
            agent_version_id TEXT NOT NULL,
            suite_id BIGINT NOT NULL,
            validator_hotkey TEXT NOT NULL,
            status TEXT NOT NULL,
            phase TEXT NOT NULL,
            race_id TEXT,
            race_number BIGINT,
            claimed_at BIGINT NOT NULL,
            lease_expires_at BIGINT NOT NULL,
            last_heartbeat_at BIGINT,
            completed_at BIGINT,
            is_included BIGINT NOT NULL DEFAULT 0,
            validator_score DOUBLE PRECISION,
            reasoning_quality DOUBLE PRECISION,
            reasoning_coefficient DOUBLE PRECISION,
            score_components TEXT,
            failure_reason TEXT,
            sandbox_metadata TEXT,
            service_versions TEXT,
            results_s3_key TEXT,
            invalidated_at BIGINT,
            invalidated_by TEXT,
            invalidation_reason TEXT
        )
        """,
        "CREATE INDEX evaluation_runs_validator ON evaluation_runs (validator_hotkey, status)",
        "CREATE INDEX evaluation_runs_item ON evaluation_runs (work_item_id, status)",
        "CREATE INDEX evaluation_runs_version ON evaluation_runs (agent_version_id, claimed_at)",
        "CREATE INDEX evaluation_runs_lease ON evaluation_runs (status, lease_expires_at)",
        // Per-problem progress of a run (upserted; an absent key in an update leaves the column unchanged).
        """
        CREATE TABLE run_problems (
            eval_run_id TEXT NOT NULL,
            problem_id TEXT NOT NULL,
            status TEXT NOT NULL,
            score DOUBLE PRECISION,
            reasoning_score DOUBLE PRECISION,
            score_components_summary TEXT,
            logs_s3_key TEXT,
            inference_failure_count BIGINT,
            inference_total BIGINT,
            execution_time DOUBLE PRECISION,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (eval_run_id, problem_id)
        )
        """,
        // Presigned uploads: a one-time PUT target of a declared size.
        """
        CREATE TABLE uploads (
            upload_token TEXT PRIMARY KEY,
            eval_run_id TEXT NOT NULL,
            problem_id TEXT NOT NULL,
            object_key TEXT NOT NULL,
            content_length BIGINT NOT NULL,
            content_type TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            completed_at BIGINT,
            sha256 TEXT
        )
        """,
        // Stored objects (logs, bundles) by key → sha256 of the blob holding them.
        """
        CREATE TABLE objects (
            object_key TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            size BIGINT NOT NULL,
            content_type TEXT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        // Holders of top status per suite; the current one has ended_at NULL.
        """
        CREATE TABLE top_history (
            suite_id BIGINT NOT NULL,
            agent_version_id TEXT NOT NULL,
            score DOUBLE PRECISION NOT NULL,
            top_at BIGINT NOT NULL,
            ended_at BIGINT,
            PRIMARY KEY (suite_id, agent_version_id, top_at)
        )
        """,
        // Every admin action, with who did it and why.
        """
        CREATE TABLE audit_events (
            event_id TEXT PRIMARY KEY,
            action TEXT NOT NULL,
            target_type TEXT NOT NULL,
            target_id TEXT NOT NULL,
            actor_hotkey TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            reason TEXT,
            details TEXT
        )
        """,
        "CREATE INDEX audit_events_time ON audit_events (created_at)",
    ]
}
