extension ArenaMigrations {
    /// The trajectory corpus (issue 16): one row per (run, problem) of every completed SUCCESS run, and the runs whose
    /// ingest finished. Verdict columns are plain so statistics are GROUP BYs; nested facts are JSON text.
    static let trajectories: [String] = [
        """
        CREATE TABLE trajectories (
            trajectory_id TEXT PRIMARY KEY,
            eval_run_id TEXT NOT NULL,
            problem_id TEXT NOT NULL,
            agent_version_id TEXT NOT NULL,
            agent_name TEXT NOT NULL,
            miner_hotkey TEXT NOT NULL,
            validator_hotkey TEXT NOT NULL,
            suite_id BIGINT NOT NULL,
            suite_version BIGINT,
            category TEXT,
            phase TEXT NOT NULL,
            race_id TEXT,
            is_hidden BIGINT NOT NULL DEFAULT 0,
            is_included BIGINT NOT NULL DEFAULT 0,
            never_export BIGINT NOT NULL DEFAULT 0,
            envelope_status TEXT NOT NULL,
            success BIGINT NOT NULL,
            outcome TEXT,
            reasoning_score DOUBLE PRECISION,
            reasoning_coefficient DOUBLE PRECISION,
            judge_kind TEXT NOT NULL,
            judge_model TEXT,
            judge_explanation TEXT,
            trusted_log TEXT NOT NULL,
            inference_calls BIGINT NOT NULL,
            prompt_tokens BIGINT NOT NULL,
            completion_tokens BIGINT NOT NULL,
            search_calls BIGINT NOT NULL,
            execution_time DOUBLE PRECISION,
            completed_at BIGINT,
            ingested_at BIGINT NOT NULL,
            versions TEXT NOT NULL,
            dialogue_key TEXT,
            dialogue_sha256 TEXT,
            dialect TEXT,
            accepted BIGINT NOT NULL,
            reject_reasons TEXT NOT NULL,
            primary_reject TEXT,
            token_count BIGINT NOT NULL,
            catalog_checked BIGINT NOT NULL,
            unknown_product_ids TEXT NOT NULL,
            features TEXT NOT NULL,
            verdict TEXT NOT NULL,
            agentic_richness DOUBLE PRECISION,
            dispatches BIGINT NOT NULL,
            proposed_dispatches BIGINT NOT NULL,
            inference_replies BIGINT NOT NULL,
            proposals BIGINT NOT NULL,
            UNIQUE (eval_run_id, problem_id)
        )
        """,
        "CREATE INDEX trajectories_listing ON trajectories (ingested_at, trajectory_id)",
        "CREATE INDEX trajectories_version ON trajectories (agent_version_id, problem_id)",
        "CREATE INDEX trajectories_export ON trajectories (never_export, accepted, verdict)",
        // A run appears here once every problem of it has a trajectory row: the durable "ingest done" mark.
        """
        CREATE TABLE corpus_runs (
            eval_run_id TEXT PRIMARY KEY,
            trajectory_count BIGINT NOT NULL,
            ingested_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX evaluation_runs_completed ON evaluation_runs (status, completed_at)",
    ]
}

extension ArenaMigrations {
    /// The export's keyset read walks trajectories by (problem id, trajectory id): one index range per page instead of
    /// a sort of the whole table. (SQLite compares bytewise as the export does; on PostgreSQL the index serves the
    /// read when the database collation is C, and the read is still correct — a sort — when it is not.)
    static let corpusExportOrder: [String] = [
        "CREATE INDEX trajectories_export_order ON trajectories (problem_id, trajectory_id)",
    ]
}
