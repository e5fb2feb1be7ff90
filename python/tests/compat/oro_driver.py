"""Drives a running `shoparena serve` with one REAL oro-sdk release (run with that release's virtualenv python).

    python oro_driver.py SCENARIO --version 7.0.2 --base-url http://127.0.0.1:PORT --binary .build/debug/shoparena \
        --data-dir DIR --suite SUITE.json --state STATE.json

Scenarios run in this order against one server and share STATE.json: setup, public, submit, validate, status, pin,
admin, unsupported, coverage (every endpoint function of the installed SDK was called). Each check is an `expect(...)`; the first failure exits 1 with the check and the response on
stderr. On success the last stdout line is `REPORT {"checked": [...]}`: the client calls that were made and parsed.
Every answer must parse into the client's own model (`parsed` is not None) unless a check says otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
from bittensor_wallet import Keypair, Wallet
from oro_sdk import AuthenticatedClient, BittensorAuthClient, Client

VERSION = tuple(int(p) for p in importlib.metadata.version("oro-sdk").split("."))
NEWER = VERSION >= (7, 0, 0)  # inference providers, race pinning, no admin API
HAS_1050 = VERSION >= (1, 0, 50)  # host metrics, is_active_qualifier, inference models, reinstate-elimination
CHECKED: list[str] = []
AGENT = b'''"""A minimal agent: answers every problem with one empty step."""


def agent_main(problem_data):
    return [{"completion": {"reasoning_content": "", "content": "", "tool_call": [], "response": "done"}}]
'''


class CheckFailed(AssertionError):
    pass


def expect(condition, what: str, response=None) -> None:
    if not condition:
        detail = ""
        if response is not None:
            status = getattr(response, "status_code", "?")
            content = getattr(response, "content", b"")
            detail = f"\n  HTTP {int(status) if hasattr(status, '__int__') else status}: {content[:1500]!r}"
        raise CheckFailed(f"oro-sdk {'.'.join(map(str, VERSION))}: {what}{detail}")


def parsed(response, what: str, status: int = 200):
    """The parsed model of a response that must have `status` and parse."""
    code = int(response.status_code)
    expect(code == status, f"{what}: expected HTTP {status}, got {code}", response)
    expect(response.parsed is not None, f"{what}: the client could not parse the answer into its model", response)
    CHECKED.append(what)
    return response.parsed


def body(response) -> dict:
    try:
        return json.loads(response.content)
    except ValueError:
        raise CheckFailed(f"not JSON: {response.content[:500]!r}")


# MARK: state and clients


class State:
    def __init__(self, path: Path):
        self.path = path
        self.data = json.loads(path.read_text()) if path.exists() else {}

    def __getitem__(self, key):
        return self.data[key]

    def __setitem__(self, key, value):
        self.data[key] = value
        self.path.write_text(json.dumps(self.data, indent=1))

    def get(self, key, default=None):
        return self.data.get(key, default)

    def key(self, name: str) -> Keypair:
        return Keypair.create_from_seed(self.data["seeds"][name])


def signed(args, key: Keypair) -> BittensorAuthClient:
    return BittensorAuthClient(base_url=args.base_url, wallet=key, timeout=httpx.Timeout(120.0))


def public(args) -> Client:
    return Client(base_url=args.base_url, timeout=httpx.Timeout(120.0))


def admin_cli(args, *command: str) -> str:
    result = subprocess.run([args.binary, "admin", *command, "--data-dir", args.data_dir],
                            capture_output=True, text=True, timeout=120)
    expect(result.returncode == 0, f"shoparena admin {' '.join(command)}: {result.stderr}")
    return result.stdout


def oro(args, *command: str, wallet_hotkey: str, ok: bool = True) -> subprocess.CompletedProcess:
    """Runs the release's own `oro` console script with the compat wallet (as a miner would)."""
    script = Path(sys.executable).parent / "oro"
    result = subprocess.run([str(script), *command, "--wallet-name", "compat", "--wallet-hotkey", wallet_hotkey,
                             "--base-url", args.base_url], capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    CHECKED.append("oro " + command[0] + (" " + command[1] if command[0] == "inference" else ""))
    if ok:
        expect(result.returncode == 0, f"`oro {' '.join(command)}` exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def module(name: str):
    return importlib.import_module(name)


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


class Api:
    """`Api("oro_sdk.api.miner").submit_agent` imports the endpoint module on first use (packages do not)."""

    def __init__(self, package: str):
        self.package = package

    def __getattr__(self, name: str):
        return module(f"{self.package}.{name}")


# MARK: scenarios


def setup(args, state: State) -> None:
    """Keys for every role, registered with `shoparena admin`, and a wallet per miner for the `oro` CLI."""
    seeds = {name: os.urandom(32).hex() for name in ("admin", "miner", "bare", "cheat", "other", "validator", "stranger")}
    state["seeds"] = seeds
    for name, role in (("admin", "admin"), ("validator", "validator"), ("miner", "miner"), ("bare", "miner"),
                       ("cheat", "miner"), ("other", "miner"), ("stranger", "miner")):
        admin_cli(args, "register", state.key(name).ss58_address, "--role", role)
    for name in ("miner", "other"):
        Wallet(name="compat", hotkey=name).set_hotkey(state.key(name), encrypt=False, overwrite=True)


def scenario_public(args, state: State) -> None:
    client = public(args)
    health = module("oro_sdk.api.public.health_check").sync_detailed(client=client)
    expect(int(health.status_code) == 200, "health_check", health)
    CHECKED.append("health_check")
    suites = parsed(module("oro_sdk.api.public.list_suites").sync_detailed(client=client), "list_suites")
    expect(len(suites) == 1 and suites[0].is_active, f"one active suite, got {suites}")
    current = parsed(module("oro_sdk.api.public.get_current_suite").sync_detailed(client=client), "get_current_suite")
    state["suite_id"] = current.suite_id
    problems = parsed(module("oro_sdk.api.public.get_suite_problems").sync_detailed(current.suite_id, client=client),
                      "get_suite_problems")
    expect(len(problems.problems) == 30, f"30 problems, got {len(problems.problems)}")
    board = parsed(module("oro_sdk.api.public.get_leaderboard").sync_detailed(client=client), "get_leaderboard")
    expect(board.entries == [] and board.suite.suite_id == current.suite_id, "an empty leaderboard")
    parsed(module("oro_sdk.api.public.get_top_agent").sync_detailed(client=client), "get_top_agent")
    parsed(module("oro_sdk.api.public.get_top_history").sync_detailed(client=client), "get_top_history")
    parsed(module("oro_sdk.api.public.get_top_miner_payout").sync_detailed(client=client), "get_top_miner_payout")
    parsed(module("oro_sdk.api.public.get_running_evaluations").sync_detailed(client=client), "get_running_evaluations")
    parsed(module("oro_sdk.api.public.get_pending_evaluations").sync_detailed(client=client), "get_pending_evaluations")
    parsed(module("oro_sdk.api.public.get_validators").sync_detailed(client=client), "get_validators")
    race = parsed(module("oro_sdk.api.public.get_current_race").sync_detailed(client=client), "get_current_race")
    expect(race.race is not None and race.race.status == "QUALIFYING_OPEN", f"an open race, got {race.race}")
    parsed(module("oro_sdk.api.public.get_race_detail").sync_detailed(race.race.race_id, client=client), "get_race_detail")
    parsed(module("oro_sdk.api.public.get_race_history").sync_detailed(client=client), "get_race_history")
    missing = module("oro_sdk.api.public.get_race_detail").sync_detailed(uuid.uuid4(), client=client)
    expect(int(missing.status_code) == 404 and parsed(missing, "get_race_detail (unknown)", 404).error_code == "RACE_NOT_FOUND",
           "unknown race: 404 RACE_NOT_FOUND", missing)
    models = module("oro_sdk.models")
    joined = module("oro_sdk.api.public.join_waitlist").sync_detailed(
        client=client, body=models.WaitlistSignupRequest(email="miner@example.com"))
    expect(parsed(joined, "join_waitlist").success is True, "waitlist")
    if HAS_1050:
        inference = module("oro_sdk.api.public.get_inference_models")
        listing = inference.sync_detailed(client=client, provider="openrouter") if NEWER else inference.sync_detailed(client=client)
        expect(len(parsed(listing, "get_inference_models").models) > 0, "a model allowlist")
    if NEWER:
        deep = module("oro_sdk.api.public.deep_health_check").sync_detailed(client=client)
        expect(int(deep.status_code) == 200 and body(deep)["database"] == "ok", "deep_health_check", deep)
        CHECKED.append("deep_health_check")

    # Dashboard login: challenge → signed session → a Bearer call → logout.
    miner = state.key("miner")
    challenge = parsed(module("oro_sdk.api.auth.request_challenge").sync_detailed(
        client=client, body=models.ChallengeRequest(hotkey=miner.ss58_address)), "request_challenge")
    signature = "0x" + miner.sign(challenge.challenge.encode()).hex()
    session = parsed(module("oro_sdk.api.auth.create_session_endpoint").sync_detailed(
        client=client, body=models.SessionRequest(hotkey=miner.ss58_address, challenge=challenge.challenge,
                                                  signature=signature)), "create_session_endpoint")
    expect(session.role == "miner", f"a miner session, got {session.role}")
    bearer = AuthenticatedClient(base_url=args.base_url, token=session.session_token, timeout=httpx.Timeout(60.0))
    agents = parsed(module("oro_sdk.api.miner.list_miner_agents").sync_detailed(client=bearer), "list_miner_agents (Bearer)")
    expect(agents.agents == [] and agents.can_submit, "no agents yet")
    out = parsed(module("oro_sdk.api.auth.logout").sync_detailed(client=client, authorization=f"Bearer {session.session_token}"),
                 "logout")
    expect(out.success is True, "logout")


def scenario_submit(args, state: State) -> None:
    models = module("oro_sdk.models")
    submit = module("oro_sdk.api.miner.submit_agent")
    miner_api = Api("oro_sdk.api.miner")
    from oro_sdk.types import File

    def form(name: str, code: bytes = AGENT):
        return models.BodySubmitAgent(agent_name=name, file=File(payload=io.BytesIO(code), file_name="agent.py",
                                                                 mime_type="text/x-python"))

    # A miner with no inference credential is refused before analysis, with no cooldown (issue 13 §2).
    bare = signed(args, state.key("bare"))
    refused = submit.sync_detailed(client=bare, body=form("bare-agent"))
    expect(int(refused.status_code) == 409 and body(refused)["error_code"] == "NO_INFERENCE_CREDENTIAL",
           "submit without an inference credential: 409 NO_INFERENCE_CREDENTIAL", refused)
    expect("inference" in body(refused)["detail"] and "no cooldown" in body(refused)["detail"], "the refusal says why", refused)
    CHECKED.append("submit_agent (no credential)")

    miner = signed(args, state.key("miner"))
    if NEWER:
        listing = parsed(miner_api.list_inference_auth.sync_detailed(client=miner), "list_inference_auth")
        expect(not any(p.connected for p in listing.providers) and not listing.default_provider, "nothing connected yet")
        oro(args, "inference", "connect", "openrouter", "--api-key", "sk-or-v1-compat", wallet_hotkey="miner")
        status = oro(args, "inference", "status", wallet_hotkey="miner")
        expect(re.search(r"openrouter\s+yes\s+yes", status.stdout), f"`oro inference status` lists openrouter as default:\n{status.stdout}")
        one = parsed(miner_api.get_inference_auth_status_one.sync_detailed("openrouter", client=miner),
                     "get_inference_auth_status_one")
        expect(one.connected and one.provider == "openrouter", "openrouter connected")
        # The legacy Chutes shim stores a Chutes token without taking the default from OpenRouter.
        parsed(miner_api.store_chutes_token.sync_detailed(client=miner, body=models.StoreChutesTokenRequest(refresh_token="rt-compat")),
               "store_chutes_token")
        chutes = parsed(miner_api.get_chutes_auth_status.sync_detailed(client=miner), "get_chutes_auth_status")
        expect(chutes.connected is True, "the shim's Chutes token shows on chutes-auth/status")
        listing = parsed(miner_api.list_inference_auth.sync_detailed(client=miner), "list_inference_auth (two)")
        expect({p.provider for p in listing.providers if p.connected} == {"chutes", "openrouter"}
               and listing.default_provider == "openrouter", f"both connected, openrouter default: {listing}")
        chosen = miner_api.set_default_inference_provider.sync_detailed(
            client=miner, body=models.SetDefaultProviderRequest(provider="openrouter"))
        expect(int(chosen.status_code) == 200 and body(chosen) == {"default_provider": "openrouter"}, "set-default", chosen)
        CHECKED.append("set_default_inference_provider")
        oro(args, "inference", "set-default", "openrouter", wallet_hotkey="miner")
        bad = miner_api.store_inference_credential.sync_detailed(
            "anthropic", client=miner, body=models.StoreInferenceCredentialRequest(credential="x"))
        expect(int(bad.status_code) == 422 and parsed(bad, "store_inference_credential (unknown provider)", 422) is not None,
               "an unknown provider is a 422", bad)
        # `oro inference disconnect` + reconnect of a throwaway provider on another miner, and a default that must be connected.
        other = signed(args, state.key("other"))
        parsed(miner_api.store_inference_credential.sync_detailed(
            "chutes", client=other, body=models.StoreInferenceCredentialRequest(credential="cpk-other")), "store_inference_credential")
        unset = miner_api.set_default_inference_provider.sync_detailed(
            client=other, body=models.SetDefaultProviderRequest(provider="openrouter"))
        expect(int(unset.status_code) == 409 and body(unset)["error_code"] == "PROVIDER_NOT_CONNECTED",
               "set-default to an unconnected provider: 409", unset)
        CHECKED.append("set_default_inference_provider (not connected)")
        # ORO's 7.x CLI refuses to submit with a Chutes default (the first provider stored becomes the default).
        chutes_default = oro(args, "submit", "--agent-name", "other-agent", "--agent-file", str(agent_file(args)),
                             wallet_hotkey="other", ok=False)
        expect(chutes_default.returncode == 1 and "Chutes" in chutes_default.stderr, f"oro submit refuses a chutes default: {chutes_default.stderr}")
        gone = parsed(miner_api.delete_inference_credential.sync_detailed("chutes", client=other), "delete_inference_credential")
        del gone
        again = miner_api.delete_inference_credential.sync_detailed("chutes", client=other)
        expect(int(again.status_code) == 404 and body(again)["error_code"] == "PROVIDER_NOT_CONNECTED", "nothing left to delete", again)
        oro(args, "inference", "connect", "openrouter", "--api-key", "sk-or-v1-other", wallet_hotkey="other")
        disconnected = oro(args, "inference", "disconnect", "openrouter", wallet_hotkey="other")
        expect("Disconnected openrouter" in disconnected.stdout, disconnected.stdout)
        oro(args, "inference", "connect", "openrouter", "--api-key", "sk-or-v1-other", wallet_hotkey="other")
    else:
        # 1.0.x `oro submit` checks chutes-auth first (any answer but connected:true starts a browser OAuth flow).
        parsed(miner_api.store_chutes_token.sync_detailed(client=miner, body=models.StoreChutesTokenRequest(refresh_token="rt-compat")),
               "store_chutes_token")
        status = parsed(miner_api.get_chutes_auth_status.sync_detailed(client=miner), "get_chutes_auth_status")
        expect(status.connected is True, "chutes connected")
        parsed(miner_api.store_chutes_token.sync_detailed(client=signed(args, state.key("other")),
                                                          body=models.StoreChutesTokenRequest(refresh_token="rt-other")),
               "store_chutes_token (other)")

    # `oro submit` itself (7.x: after its inference-auth check; multipart boundary `+++` from 1.0.129 on).
    result = oro(args, "submit", "--agent-name", "compat-agent", "--agent-file", str(agent_file(args)), wallet_hotkey="miner")
    expect("Status:  ACCEPTED" in result.stdout, f"oro submit prints ACCEPTED:\n{result.stdout}")
    found = re.search(r"Version: ([0-9a-f-]{36})", result.stdout)
    expect(found is not None, f"oro submit prints the version id:\n{result.stdout}")
    state["version_id"] = found.group(1)

    # The documented refusals parse into their error models.
    again = submit.sync_detailed(client=miner, body=form("compat-agent"))
    cooldown = parsed(again, "submit_agent (cooldown)", 429)
    expect(cooldown.error_code == "COOLDOWN_ACTIVE" and cooldown.remaining_seconds > 40000, f"a 12 h cooldown: {cooldown}")
    bad_name = parsed(submit.sync_detailed(client=signed(args, state.key("stranger")), body=form("bad/name")),
                      "submit_agent (invalid name)", 400)
    expect(bad_name.error_code == "INVALID_AGENT_NAME", f"INVALID_AGENT_NAME: {bad_name}")
    cheat = signed(args, state.key("cheat"))
    parsed(miner_api.store_chutes_token.sync_detailed(client=cheat, body=models.StoreChutesTokenRequest(refresh_token="rt-cheat")),
           "store_chutes_token (cheat)")
    socket_agent = b"import socket\n\ndef agent_main(problem):\n    return []\n"
    analysis = parsed(submit.sync_detailed(client=cheat, body=form("cheat-agent", socket_agent)), "submit_agent (code analysis)", 422)
    expect(analysis.error_code == "CODE_ANALYSIS_ERROR" and analysis.remaining_seconds == 3600,
           f"a security violation costs 1 h: {analysis}")
    expect("submit again from" in analysis.detail and "(in 1 h)" in analysis.detail, f"the text says when: {analysis.detail}")
    expect(analysis.violations and analysis.violations[0].additional_properties.get("rule") == "banned_import",
           f"the violation is listed: {analysis.violations}")


def agent_file(args) -> Path:
    path = Path(args.data_dir) / "compat_agent.py"
    if not path.exists():
        path.write_bytes(AGENT)
    return path


def scenario_validate(args, state: State) -> None:
    """The validator loop through the SDK's own functions: claim, problems, heartbeat, progress, presign + PUT, complete."""
    models = module("oro_sdk.models")
    validator_api = Api("oro_sdk.api.validator")
    validator = signed(args, state.key("validator"))
    metrics = dict(cpu_pct=12.5, ram_pct=40.0, disk_pct=55.5, docker_container_count=3) if HAS_1050 else {}
    if NEWER:
        claim_body = models.ClaimWorkRequest(service_versions=None, runtime_contract=3, **metrics)
    else:
        claim_body = models.HeartbeatRequest(**metrics)
    claim = parsed(validator_api.claim_work.sync_detailed(client=validator, body=claim_body), "claim_work")
    expect(str(claim.agent_version_id) == state["version_id"], "the claim hands out the submitted version")
    if NEWER:
        grant = claim.inference_token
        expect(grant is not None and grant.provider.value == "openrouter" and grant.access_token == "sk-or-v1-compat"
               and grant.base_url.startswith("https://openrouter.ai"), f"an openrouter inference_token grant: {grant}")
        expect(claim.additional_properties.get("chutes_access_token") == "rt-compat",
               f"1.0.x's chutes_access_token still carries the Chutes token: {claim.additional_properties}")
    else:
        expect(claim.chutes_access_token == "rt-compat", f"chutes_access_token: {claim.chutes_access_token}")
        expect("inference_token" not in claim.additional_properties, "a 1.0.x claim keeps its 1.0.x shape")
    run_id = claim.eval_run_id
    state["run_id"] = str(run_id)
    idle = validator_api.claim_work.sync_detailed(client=validator, body=claim_body)
    expect(int(idle.status_code) == 409, "the same validator again: 409 AT_CAPACITY", idle)
    problems = parsed(validator_api.get_run_problems.sync_detailed(run_id, client=validator), "get_run_problems")
    expect(len(problems.problems) == 30, f"30 problems, got {len(problems.problems)}")
    problem_id = problems.problems[0].problem_id
    state["problem_id"] = str(problem_id)
    parsed(validator_api.heartbeat.sync_detailed(run_id, client=validator, body=models.HeartbeatRequest(**metrics)), "heartbeat")
    progress = validator_api.update_progress.sync_detailed(run_id, client=validator, body=models.ProgressUpdateRequest(problems=[
        models.ProblemProgressUpdate(problem_id=problem_id, status=models.ProblemStatus.SUCCESS, score=1.0, reasoning_score=0.8,
                                     execution_time=1.5)]))
    parsed(progress, "update_progress")
    logs = b"\x1f\x8b compat logs"
    presigned = parsed(validator_api.presign_upload.sync_detailed(client=validator, body=models.PresignUploadRequest(
        content_length=len(logs), eval_run_id=run_id, problem_id=problem_id, content_type="application/gzip")), "presign_upload")
    put = httpx.put(presigned.upload_url, content=logs, headers={"Content-Type": "application/gzip"}, timeout=60)
    expect(put.status_code in (200, 201, 204), f"the presigned PUT: {put.status_code} {put.text}")
    parsed(validator_api.update_progress.sync_detailed(run_id, client=validator, body=models.ProgressUpdateRequest(problems=[
        models.ProblemProgressUpdate(problem_id=problem_id, status=models.ProblemStatus.SUCCESS,
                                     logs_s3_key=presigned.results_s3_key)])), "update_progress (logs key)")
    done = parsed(validator_api.complete_run.sync_detailed(run_id, client=validator, body=models.CompleteRunRequest(
        terminal_status=models.TerminalStatus.SUCCESS, validator_score=0.75, results_s3_key=presigned.results_s3_key)), "complete_run")
    expect(done.agent_version_became_eligible is True and abs(done.final_score - 0.75) < 1e-9, f"eligible at 0.75: {done}")
    repeat = validator_api.complete_run.sync_detailed(run_id, client=validator, body=models.CompleteRunRequest(
        terminal_status=models.TerminalStatus.SUCCESS, validator_score=0.75))
    expect(parsed(repeat, "complete_run (repeat)", 409).error_code == "RUN_ALREADY_COMPLETE", "a repeat is 409", repeat)
    nothing = validator_api.claim_work.sync_detailed(client=validator, body=claim_body)
    expect(int(nothing.status_code) == 204, "no work left: 204", nothing)
    CHECKED.append("claim_work (204)")


def scenario_status(args, state: State) -> None:
    """Public and miner reads of the eligible version, before and after its code is released."""
    models = module("oro_sdk.models")
    client = public(args)
    version_id = uuid.UUID(state["version_id"])
    status = parsed(module("oro_sdk.api.public.get_agent_version_status").sync_detailed(version_id, client=client),
                    "get_agent_version_status")
    expect(status.state.value == "ELIGIBLE" and status.release_state.value == "HIDDEN", f"eligible, hidden: {status}")
    if HAS_1050:
        expect(status.is_active_qualifier is True and not status.outranked_by_agent_version_id,
               f"the only eligible version is the active qualifier: {status}")
    board = parsed(module("oro_sdk.api.public.get_leaderboard").sync_detailed(client=client), "get_leaderboard (eligible)")
    expect([str(e.agent_version_id) for e in board.entries] == [state["version_id"]], f"one entry: {board.entries}")
    if HAS_1050:
        expect(board.entries[0].is_active_qualifier is True, "the entry is the active qualifier")
    if NEWER:
        searched = parsed(module("oro_sdk.api.public.get_leaderboard").sync_detailed(client=client, q="compat-"),
                          "get_leaderboard (q)")
        expect(len(searched.entries) == 1, "q=compat- finds the agent")
        none = parsed(module("oro_sdk.api.public.get_leaderboard").sync_detailed(client=client, q="zzz"), "get_leaderboard (q, none)")
        expect(none.entries == [], "q=zzz finds nothing")
    runs = parsed(module("oro_sdk.api.public.get_agent_version_runs").sync_detailed(version_id, client=client),
                  "get_agent_version_runs")
    expect(len(runs) == 1 and runs[0].status.value == "SUCCESS", f"one successful run: {runs}")
    problems = parsed(module("oro_sdk.api.public.get_agent_version_problems").sync_detailed(version_id, client=client),
                      "get_agent_version_problems")
    expect(len(problems.problems) >= 1, "per-problem results")
    detail = parsed(module("oro_sdk.api.public.get_evaluation_run").sync_detailed(uuid.UUID(state["run_id"]), client=client),
                    "get_evaluation_run")
    expect(abs(detail.score - 0.75) < 1e-9, f"run score: {detail.score}")
    validators = parsed(module("oro_sdk.api.public.get_validators").sync_detailed(client=client), "get_validators (after a run)")
    mine = [v for v in validators if v.hotkey == state.key("validator").ss58_address]
    expect(len(mine) == 1, "the validator is listed")
    if HAS_1050:
        expect(mine[0].cpu_pct == 12.5 and mine[0].docker_container_count == 3 and mine[0].metrics_reported_at is not None,
               f"its host metrics: {mine[0]}")
    logs = parsed(module("oro_sdk.api.public.get_artifact_download_url").sync_detailed(client=client, body=models.ArtifactDownloadRequest(
        artifact_type=models.ArtifactType.EVAL_PROBLEM_LOGS, agent_version_id=version_id, eval_run_id=uuid.UUID(state["run_id"]),
        problem_id=uuid.UUID(state["problem_id"]))), "get_artifact_download_url (logs)")
    expect(httpx.get(logs.download_url, timeout=60).content == b"\x1f\x8b compat logs", "the logs download")
    hidden = module("oro_sdk.api.public.get_agent_version").sync_detailed(version_id, client=client)
    expect(parsed(hidden, "get_agent_version (embargoed)", 404).error_code == "ARTIFACT_NOT_RELEASED", "embargoed: 404", hidden)

    # The embargo ends (the test moves the release time into the past; the arena's rule is the next weekday).
    with sqlite3.connect(Path(args.data_dir) / "arena.sqlite") as db:
        db.execute("UPDATE agent_versions SET code_available_at = ? WHERE agent_version_id = ?",
                   (int(time.time() * 1000) - 60_000, state["version_id"]))
    released = parsed(module("oro_sdk.api.public.get_agent_version").sync_detailed(version_id, client=client),
                      "get_agent_version (released)")
    expect(released.agent_name == "compat-agent", f"released version: {released}")
    if NEWER:
        expect(released.released_at is not None and released.code_available_at is not None, "released_at and code_available_at")
    code = parsed(module("oro_sdk.api.public.get_artifact_download_url").sync_detailed(client=client, body=models.ArtifactDownloadRequest(
        artifact_type=models.ArtifactType.AGENT_CODE, agent_version_id=version_id)), "get_artifact_download_url (code)")
    expect(httpx.get(code.download_url, timeout=60).content == AGENT, "the released code downloads")

    miner_api = Api("oro_sdk.api.miner")
    miner = signed(args, state.key("miner"))
    agents = parsed(miner_api.list_miner_agents.sync_detailed(client=miner), "list_miner_agents")
    expect(len(agents.agents) == 1 and str(agents.agents[0].latest_version.agent_version_id) == state["version_id"],
           f"the miner's agent: {agents}")
    expect(agents.can_submit is False and agents.next_allowed_at is not None, "cooldown shown")
    if NEWER:
        expect(str(agents.racing_agent_version_id) == state["version_id"] and not agents.selected_agent_version_id,
               f"auto-pick races the eligible version, nothing pinned: {agents}")
        expect(agents.agents[0].latest_version.is_pinnable is True, "the eligible version can be pinned")
    state["agent_id"] = str(agents.agents[0].agent_id)
    versions = parsed(miner_api.list_agent_versions.sync_detailed(agents.agents[0].agent_id, client=miner), "list_agent_versions")
    expect(len(versions) == 1, f"one version: {versions}")
    owned = parsed(miner_api.get_owned_agent_version_status.sync_detailed(version_id, client=miner),
                   "get_owned_agent_version_status")
    expect(owned.state.value == "ELIGIBLE", "owned status")


def scenario_pin(args, state: State) -> None:
    """`oro pin` / `oro unpin` (7.x only) and their refusals."""
    if not NEWER:
        expect(not has_module("oro_sdk.api.miner.set_race_selection"), "1.0.x has no race selection")
        return
    models = module("oro_sdk.models")
    miner_api = Api("oro_sdk.api.miner")
    miner = signed(args, state.key("miner"))
    version_id = state["version_id"]
    pinned = oro(args, "pin", "--agent-version-id", version_id, wallet_hotkey="miner")
    expect(f"Locked {version_id}" in pinned.stdout, pinned.stdout)
    agents = parsed(miner_api.list_miner_agents.sync_detailed(client=miner), "list_miner_agents (pinned)")
    expect(str(agents.selected_agent_version_id) == version_id and str(agents.selected_agent_id) == state["agent_id"]
           and agents.agents[0].latest_version.is_selected_for_race is True, f"the pin shows: {agents}")
    foreign = miner_api.set_race_selection.sync_detailed(
        client=signed(args, state.key("other")), body=models.MinerRaceSelectionRequest(agent_version_id=uuid.UUID(version_id)))
    expect(parsed(foreign, "set_race_selection (not owner)", 403).error_code == "NOT_VERSION_OWNER", "another miner's version", foreign)
    unpinned = oro(args, "unpin", wallet_hotkey="miner")
    expect("Lock cleared" in unpinned.stdout, unpinned.stdout)
    twice = oro(args, "unpin", wallet_hotkey="miner", ok=False)
    expect(twice.returncode == 1 and "no version is pinned" in twice.stderr, f"unpin without a pin: {twice.stderr}")
    none = miner_api.clear_race_selection.sync_detailed(client=miner)
    expect(parsed(none, "clear_race_selection (none)", 404).error_code == "NO_SELECTION", "NO_SELECTION", none)
    selection = miner_api.set_race_selection.sync_detailed(client=miner, body=models.MinerRaceSelectionRequest(
        agent_version_id=uuid.UUID(version_id)))
    expect(int(selection.status_code) == 204, "set_race_selection: 204", selection)
    CHECKED.append("set_race_selection")
    # Qualifying closes (an admin call; 7.x has no admin module, so the signed request is made by hand): pins lock.
    closed = signed(args, state.key("admin")).get_httpx_client().post("/v1/admin/races/close-qualifying")
    expect(closed.status_code == 200 and closed.json()["status"] == "RACE_RUNNING", f"the race runs: {closed.text}")
    locked = miner_api.set_race_selection.sync_detailed(client=miner, body=models.MinerRaceSelectionRequest(
        agent_version_id=uuid.UUID(version_id)))
    expect(parsed(locked, "set_race_selection (locked)", 409).error_code == "RACE_LOCKED", "RACE_LOCKED", locked)
    locked_clear = miner_api.clear_race_selection.sync_detailed(client=miner)
    expect(parsed(locked_clear, "clear_race_selection (locked)", 409).error_code == "RACE_LOCKED", "RACE_LOCKED on unpin", locked_clear)
    race = parsed(module("oro_sdk.api.public.get_current_race").sync_detailed(client=public(args)), "get_current_race (running)")
    expect(race.race.status == "RACE_RUNNING" and [str(q.agent_version_id) for q in race.qualifiers] == [version_id],
           f"the pinned version races: {race}")


def scenario_admin(args, state: State) -> None:
    """Every admin call of the 1.0.x SDK (7.x removed the admin API from the client)."""
    if NEWER:
        expect(not has_module("oro_sdk.api.admin"), "7.x has no admin API")
        return
    admin_api = Api("oro_sdk.api.admin")
    models = module("oro_sdk.models")
    client = signed(args, state.key("admin"))
    version_id = uuid.UUID(state["version_id"])
    run_id = uuid.UUID(state["run_id"])

    miners = parsed(admin_api.list_miners.sync_detailed(client=client), "list_miners")
    expect(state.key("miner").ss58_address in [m.miner_hotkey for m in miners.miners], "the miner is listed")
    validators = parsed(admin_api.list_validators.sync_detailed(client=client), "list_validators")
    entry = [v for v in validators.validators if v.hotkey == state.key("validator").ss58_address]
    expect(len(entry) == 1, "the validator is listed")
    if HAS_1050:
        expect(entry[0].cpu_pct == 12.5 and entry[0].metrics_reported_at is not None, f"admin sees host metrics: {entry[0]}")
    stranger = state.key("stranger").ss58_address
    banned = parsed(admin_api.ban_miner.sync_detailed(stranger, client=client, body=models.BanRequest(reason="compat test")), "ban_miner")
    expect(banned.is_banned is True, "banned")
    expect(parsed(admin_api.unban_miner.sync_detailed(stranger, client=client), "unban_miner").is_banned is False, "unbanned")
    missing = admin_api.ban_miner.sync_detailed(Keypair.create_from_seed(os.urandom(32).hex()).ss58_address, client=client,
                                                body=models.BanRequest(reason="x"))
    expect(parsed(missing, "ban_miner (unknown)", 404).error_code == "MINER_NOT_FOUND", "MINER_NOT_FOUND", missing)
    validator = state.key("validator").ss58_address
    expect(parsed(admin_api.ban_validator.sync_detailed(validator, client=client, body=models.BanRequest(reason="compat")),
                  "ban_validator").is_banned is True, "validator banned")
    expect(parsed(admin_api.unban_validator.sync_detailed(validator, client=client), "unban_validator").is_banned is False,
           "validator unbanned")
    cleared = parsed(admin_api.clear_miner_cooldown.sync_detailed(stranger, client=client), "clear_miner_cooldown")
    expect(cleared.cleared is True, "cooldown cleared")
    listed = parsed(admin_api.list_agent_versions.sync_detailed(client=client), "list_agent_versions")
    expect(str(version_id) in [str(v.agent_version_id) for v in listed.agent_versions], "the version is listed")
    parsed(admin_api.get_agent_version_code.sync_detailed(version_id, client=client), "get_agent_version_code")
    runs = parsed(admin_api.list_evaluation_runs.sync_detailed(client=client), "list_evaluation_runs")
    expect(str(run_id) in [str(r.run_id) for r in runs.evaluation_runs], "the run is listed")
    parsed(admin_api.get_reaper_stats.sync_detailed(client=client), "get_reaper_stats")

    scores = parsed(admin_api.get_validator_scores.sync_detailed(client=client), "get_validator_scores")
    expect(len(scores.validators) == 1 and scores.validators[0].validator_hotkey == validator
           and abs(scores.validators[0].avg_score - 0.75) < 1e-9 and scores.validators[0].success_count == 1,
           f"one validator, one 0.75 run: {scores}")
    variance = parsed(admin_api.get_agent_version_variance.sync_detailed(client=client), "get_agent_version_variance")
    expect(len(variance.agent_versions) == 1 and variance.agent_versions[0].spread == 0
           and variance.agent_versions[0].is_high_variance is False and abs(variance.variance_threshold - 0.1) < 1e-9,
           f"one work item, one score: {variance}")

    # Discard → reinstate; set-top; the race closes and the diagnostics parse.
    discarded = parsed(admin_api.discard_agent_version.sync_detailed(version_id, client=client, body=models.DiscardRequest(
        reason="compat")), "discard_agent_version")
    expect(discarded.is_discarded is True, "discarded")
    parsed(admin_api.reinstate_agent_version.sync_detailed(version_id, client=client, body=models.ReinstateRequest()),
           "reinstate_agent_version")
    top = parsed(admin_api.set_top_agent.sync_detailed(version_id, client=client, body=models.SetTopRequest(force=True)),
                 "set_top_agent")
    expect(str(top.agent_version_id) == str(version_id), "set top")
    races = parsed(admin_api.get_current_races.sync_detailed(client=client), "get_current_races")
    expect(len(races.races) == 1, f"one open race: {races}")
    parsed(admin_api.get_race_diagnostics.sync_detailed(races.races[0].race_id, client=client), "get_race_diagnostics")
    parsed(admin_api.close_qualifying.sync_detailed(client=client), "close_qualifying")
    if HAS_1050:
        with sqlite3.connect(Path(args.data_dir) / "arena.sqlite") as db:
            db.execute("UPDATE agent_versions SET eliminated_at = ?, eliminated_in_race_number = 1 WHERE agent_version_id = ?",
                       (int(time.time() * 1000), str(version_id)))
        reinstated = parsed(admin_api.reinstate_elimination.sync_detailed(version_id, client=client,
                                                                          body=models.ReinstateEliminationRequest(reason="compat")),
                            "reinstate_elimination")
        expect(str(reinstated.agent_version_id) == str(version_id) and reinstated.suite_id == state["suite_id"], f"{reinstated}")
        status = parsed(module("oro_sdk.api.public.get_agent_version_status").sync_detailed(version_id, client=public(args)),
                        "get_agent_version_status (reinstated)")
        expect(status.eliminated_at is None, "the elimination is cleared")
        unknown = admin_api.reinstate_elimination.sync_detailed(uuid.uuid4(), client=client, body=models.ReinstateEliminationRequest())
        expect(parsed(unknown, "reinstate_elimination (unknown)", 404).error_code == "AGENT_VERSION_NOT_FOUND", "404", unknown)
    invalidated = parsed(admin_api.invalidate_evaluation_run.sync_detailed(run_id, client=client, body=models.InvalidateRunRequest(
        reason="compat")), "invalidate_evaluation_run")
    del invalidated
    twice = admin_api.invalidate_evaluation_run.sync_detailed(run_id, client=client, body=models.InvalidateRunRequest(reason="x"))
    expect(parsed(twice, "invalidate_evaluation_run (again)", 409).error_code == "ALREADY_INVALIDATED", "409", twice)
    parsed(admin_api.reevaluate_agent_version.sync_detailed(version_id, client=client, body=models.ReevaluateRequest(reason="compat")),
           "reevaluate_agent_version")
    cancelled = parsed(admin_api.cancel_agent_version.sync_detailed(version_id, client=client, body=models.CancelRequest(
        reason="compat")), "cancel_agent_version")
    expect(cancelled.cancelled_runs == 0, f"no active run to cancel: {cancelled}")

    created = parsed(admin_api.create_suite.sync_detailed(client=client, body=models.CreateSuiteRequest(
        problem_suite_uri=args.suite)), "create_suite", 201)
    expect(created.is_active is False, "a new inactive suite")
    events = parsed(admin_api.get_audit_events.sync_detailed(client=client, actor_hotkey=state.key("admin").ss58_address),
                    "get_audit_events")
    actions = {e.action for e in events.events}
    wanted = {"suite.create", "miner.ban", "miner.unban", "miner.clear_cooldown", "agent_version.discard", "agent_version.set_top"}
    if HAS_1050:
        wanted.add("agent_version.reinstate_elimination")
    expect(wanted <= actions, f"audited: {sorted(actions)}")
    activated = parsed(admin_api.activate_suite.sync_detailed(created.suite_id, client=client, requeue_top_n=0), "activate_suite")
    expect(activated.is_active is True, "activated")

    # A miner may not call admin routes, and is told why.
    refused = admin_api.list_miners.sync_detailed(client=signed(args, state.key("miner")))
    expect(int(refused.status_code) == 403 and body(refused)["error_code"] == "NOT_REGISTERED_AS_ADMIN"
           and "a miner, not an admin" in body(refused)["detail"], "a miner on an admin route: 403", refused)
    CHECKED.append("list_miners (as a miner: 403)")


def scenario_unsupported(args, state: State) -> None:
    """Unknown routes answer JSON 404s; ORO's newer evaluation endpoints are named as unsupported."""
    client = signed(args, state.key("validator")).get_httpx_client()
    unknown = client.get("/v1/public/no-such-route")
    expect(unknown.status_code == 404 and unknown.json()["error_code"] == "NOT_FOUND", f"unknown route: {unknown.text}")
    for method, path in (("GET", f"/v1/validator/pack/{'ab' * 32}"), ("POST", "/v1/validator/episode-results"),
                         ("GET", "/v1/validator/weight-salt"), ("GET", f"/v1/public/races/{uuid.uuid4()}/seed-commitment")):
        answer = client.request(method, path, json={} if method == "POST" else None)
        expect(answer.status_code == 404 and answer.json().get("unsupported") is True
               and "not implement" in answer.json()["detail"], f"{method} {path}: {answer.text}")
    CHECKED.append("unknown and unsupported routes (raw)")
    if NEWER:
        validator_api = Api("oro_sdk.api.validator")
        public_api = Api("oro_sdk.api.public")
        models = module("oro_sdk.models")
        validator = signed(args, state.key("validator"))
        for name, call in (
            ("get_pack", lambda: validator_api.get_pack.sync_detailed("ab" * 32, client=validator)),
            ("get_weight_salt", lambda: validator_api.get_weight_salt.sync_detailed(client=validator)),
            ("get_race_seed_commitment", lambda: public_api.get_race_seed_commitment.sync_detailed(uuid.uuid4(), client=public(args))),
            ("get_race_validator_variance",
             lambda: public_api.get_race_validator_variance.sync_detailed(uuid.uuid4(), client=public(args))),
            ("get_episode_feedback", lambda: public_api.get_episode_feedback.sync_detailed(uuid.uuid4(), client=public(args))),
            ("get_race_pack", lambda: validator_api.get_race_pack.sync_detailed(uuid.uuid4(), client=validator)),
            ("presign_episode_artifact", lambda: validator_api.presign_episode_artifact.sync_detailed(
                client=validator, body=models.EpisodeArtifactPresignRequest(
                    eval_run_id=uuid.uuid4(), env_pack_sha256="ab" * 32, artifact_sha256="cd" * 32, content_length=10))),
            ("submit_episode_results", lambda: validator_api.submit_episode_results.sync_detailed(
                client=validator, body=models.SubmitEpisodeResultsRequest(results=[]))),
            ("exchange_chutes_code", lambda: Api("oro_sdk.api.miner").exchange_chutes_code.sync_detailed(
                client=signed(args, state.key("miner")),
                body=models.ExchangeChutesCodeRequest(code="c", code_verifier="v", redirect_uri="http://localhost:8765/cb"))),
            ("api_problems", lambda: Api("oro_sdk.api.demo").api_problems.sync_detailed(client=public(args))),
            ("api_run", lambda: Api("oro_sdk.api.demo").api_run.sync_detailed(client=public(args), models="m")),
            ("get_trajectory_history", lambda: public_api.get_trajectory_history.sync_detailed(client=public(args))),
        ):
            try:
                answer = call()
            except TypeError:
                raise CheckFailed(f"{name}: the SDK's signature changed")
            # The 404 parses (seed commitments into RaceNotFoundError, whose error_code must be RACE_NOT_FOUND).
            expect(int(answer.status_code) == 404 and body(answer).get("unsupported") is True
                   and "does not implement" in body(answer)["detail"], f"{name}: a clear 404", answer)
            CHECKED.append(name + " (unsupported)")


def scenario_coverage(args, state: State) -> None:
    """Every endpoint function of the installed SDK was called by an earlier scenario (a new release's additions
    show up here as calls nobody made)."""
    import pkgutil

    api = module("oro_sdk.api")
    functions = {info.name.rsplit(".", 1)[-1] for info in pkgutil.walk_packages(api.__path__, "oro_sdk.api.") if not info.ispkg}
    called = {name.split(" (")[0] for name in state.get("checked", [])}
    missing = sorted(functions - called)
    expect(not missing, f"SDK calls no scenario made: {missing}")
    CHECKED.extend(sorted(functions))


SCENARIOS = {
    "setup": setup, "public": scenario_public, "submit": scenario_submit, "validate": scenario_validate,
    "status": scenario_status, "pin": scenario_pin, "admin": scenario_admin, "unsupported": scenario_unsupported,
    "coverage": scenario_coverage,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    for name in ("--version", "--base-url", "--binary", "--data-dir", "--suite", "--state"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    installed = importlib.metadata.version("oro-sdk")
    if installed != args.version:
        sys.exit(f"this interpreter has oro-sdk {installed}, not {args.version}")
    state = State(Path(args.state))
    if args.scenario != "setup" and "seeds" not in state.data:
        setup(args, state)
    try:
        SCENARIOS[args.scenario](args, state)
    except CheckFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    if args.scenario != "coverage":
        state["checked"] = state.get("checked", []) + CHECKED
    print("REPORT " + json.dumps({"version": installed, "scenario": args.scenario, "checked": CHECKED}))


if __name__ == "__main__":
    main()
