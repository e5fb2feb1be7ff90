extension ArenaMigrations {
    /// What oro-sdk 1.0.50 and 7.x clients need beyond the 1.0.45 surface (issue 13): a miner's inference
    /// credentials per provider with a default provider, the version a miner pins for the next race, and the
    /// host metrics validators report on heartbeat.
    ///
    /// The single credential column of `identities` (a Chutes refresh token until now) is copied over as the
    /// miner's `chutes` credential; it stays as a mirror of the credential validators are handed (see
    /// `ProviderCredentials`), so code that only asks "does this miner fund inference" keeps working.
    static let newerClients: [String] = [
        """
        CREATE TABLE miner_inference_credentials (
            hotkey TEXT NOT NULL,
            provider TEXT NOT NULL,
            credential TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (hotkey, provider)
        )
        """,
        """
        INSERT INTO miner_inference_credentials (hotkey, provider, credential, updated_at)
        SELECT hotkey, 'chutes', inference_credential, COALESCE(credential_updated_at, registered_at)
        FROM identities WHERE inference_credential IS NOT NULL
        """,
        """
        CREATE TABLE miner_inference_defaults (
            hotkey TEXT PRIMARY KEY,
            provider TEXT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        // `oro pin`: the version a miner locks into the next race (one per miner; auto-pick without a row).
        """
        CREATE TABLE race_selections (
            miner_hotkey TEXT PRIMARY KEY,
            agent_version_id TEXT NOT NULL,
            selected_at BIGINT NOT NULL
        )
        """,
        // The latest host metrics a validator reported (1.0.50 HeartbeatRequest / 7.x ClaimWorkRequest).
        """
        CREATE TABLE validator_host_metrics (
            hotkey TEXT PRIMARY KEY,
            cpu_pct DOUBLE PRECISION,
            ram_pct DOUBLE PRECISION,
            disk_pct DOUBLE PRECISION,
            docker_container_count BIGINT,
            reported_at BIGINT NOT NULL
        )
        """,
    ]
}
