"""The official oro-sdk clients 1.0.45, 1.0.50 and 7.0.2 against a running `shoparena serve`: `oro submit`, the
validator loop, status, leaderboard, agent versions, `oro pin`/`oro unpin` and `oro inference` (7.0.2), every
admin call (1.0.x) and every other public, miner and validator call each release offers that ShopArena serves.

Each test runs one scenario of `oro_driver.py` in the release's own virtualenv (see conftest.py); the scenarios
share one server per release and run in file order. A scenario fails with the first check that failed.
"""

from __future__ import annotations


def newer(arena) -> bool:
    return arena.version.startswith("7.")


def test_public_and_login_calls_parse(arena):
    report = arena.drive("public")
    expected = {"health_check", "list_suites", "get_current_suite", "get_suite_problems", "get_leaderboard", "get_top_agent",
                "get_top_history", "get_top_miner_payout", "get_running_evaluations", "get_pending_evaluations",
                "get_validators", "get_current_race", "get_race_detail", "get_race_history", "join_waitlist",
                "request_challenge", "create_session_endpoint", "list_miner_agents (Bearer)", "logout"}
    if arena.version != "1.0.45":
        expected.add("get_inference_models")
    if newer(arena):
        expected.add("deep_health_check")
    assert expected <= set(report["checked"]), sorted(expected - set(report["checked"]))


def test_oro_submit_and_its_refusals(arena):
    report = arena.drive("submit")
    checked = set(report["checked"])
    assert {"oro submit", "submit_agent (no credential)", "submit_agent (cooldown)", "submit_agent (invalid name)",
            "submit_agent (code analysis)", "store_chutes_token"} <= checked, sorted(checked)
    if newer(arena):
        assert {"oro inference connect", "oro inference status", "oro inference set-default", "oro inference disconnect",
                "list_inference_auth", "get_inference_auth_status_one", "store_inference_credential",
                "delete_inference_credential"} <= checked, sorted(checked)
    else:
        assert "get_chutes_auth_status" in checked


def test_validator_loop(arena):
    report = arena.drive("validate")
    assert {"claim_work", "get_run_problems", "heartbeat", "update_progress", "presign_upload", "complete_run",
            "claim_work (204)"} <= set(report["checked"])


def test_status_leaderboard_and_agent_versions(arena):
    report = arena.drive("status")
    assert {"get_agent_version_status", "get_leaderboard (eligible)", "get_agent_version_runs", "get_agent_version_problems",
            "get_evaluation_run", "get_artifact_download_url (logs)", "get_agent_version (embargoed)",
            "get_agent_version (released)", "get_artifact_download_url (code)", "list_miner_agents", "list_agent_versions",
            "get_owned_agent_version_status"} <= set(report["checked"])


def test_pin_and_unpin(arena):
    report = arena.drive("pin")
    if newer(arena):
        assert {"oro pin", "oro unpin", "set_race_selection", "set_race_selection (locked)", "clear_race_selection (none)",
                "set_race_selection (not owner)"} <= set(report["checked"])
    else:
        assert report["checked"] == []  # 1.0.x has no race selection


def test_admin_calls(arena):
    report = arena.drive("admin")
    if newer(arena):
        assert report["checked"] == []  # 7.x dropped the admin API from the client
        return
    expected = {"list_miners", "list_validators", "ban_miner", "unban_miner", "ban_validator", "unban_validator",
                "clear_miner_cooldown", "list_agent_versions", "get_agent_version_code", "list_evaluation_runs",
                "get_reaper_stats", "get_validator_scores", "get_agent_version_variance", "discard_agent_version",
                "reinstate_agent_version", "set_top_agent", "get_current_races", "get_race_diagnostics", "close_qualifying",
                "invalidate_evaluation_run", "reevaluate_agent_version", "cancel_agent_version", "create_suite",
                "get_audit_events", "activate_suite", "list_miners (as a miner: 403)"}
    if arena.version == "1.0.50":
        expected.add("reinstate_elimination")
    assert expected <= set(report["checked"]), sorted(expected - set(report["checked"]))


def test_unknown_and_unsupported_routes(arena):
    report = arena.drive("unsupported")
    assert "unknown and unsupported routes (raw)" in report["checked"]
    if newer(arena):
        assert {"get_pack (unsupported)", "get_weight_salt (unsupported)"} <= set(report["checked"])


def test_every_endpoint_function_of_the_release_was_called(arena):
    report = arena.drive("coverage")
    # 1.0.45 has 61 endpoint functions; later releases add (1.0.50) or drop the admin ones (7.0.2).
    assert len(report["checked"]) >= 50, report["checked"]
