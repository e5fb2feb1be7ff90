extension ArenaMigrations {
    /// Races (issue 8): numbered per suite, their qualifiers and the hidden problems drawn for each.
    static let races: [String] = [
        """
        CREATE TABLE races (
            race_id TEXT PRIMARY KEY,
            suite_id BIGINT NOT NULL,
            race_number BIGINT NOT NULL,
            status TEXT NOT NULL,
            qualifying_closes_at BIGINT NOT NULL,
            race_started_at BIGINT,
            race_completed_at BIGINT,
            winner_agent_version_id TEXT,
            winner_score DOUBLE PRECISION,
            qualifying_threshold DOUBLE PRECISION,
            incumbent_agent_version_id TEXT,
            problem_seed TEXT,
            problem_count BIGINT NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL,
            UNIQUE (suite_id, race_number)
        )
        """,
        "CREATE INDEX races_status ON races (status, qualifying_closes_at)",
        """
        CREATE TABLE race_qualifiers (
            race_id TEXT NOT NULL,
            agent_version_id TEXT NOT NULL,
            qualification_type TEXT NOT NULL,
            qualifying_score DOUBLE PRECISION,
            race_score DOUBLE PRECISION,
            race_rank BIGINT,
            eliminated_at BIGINT,
            PRIMARY KEY (race_id, agent_version_id)
        )
        """,
        """
        CREATE TABLE race_problems (
            race_id TEXT NOT NULL,
            problem_id TEXT NOT NULL,
            position BIGINT NOT NULL,
            PRIMARY KEY (race_id, problem_id)
        )
        """,
    ]
}
