"""Schemathesis hooks for python/tests/api (loaded with SCHEMATHESIS_HOOKS=python.tests.api.schemathesis_hooks or by
path): an auth provider that signs each request with a registered test hotkey of the operation's role, so the
fuzzer reaches the handlers behind authentication instead of stopping at 401.

The hotkeys come from $SHOPARENA_FUZZ_KEYS: `role=seedhex` pairs separated by commas (miner, validator, admin),
registered with `shoparena admin register` before the server starts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import schemathesis
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from signing import Hotkey, ss58  # noqa: E402

EXAMPLE_AGENTS = Path(__file__).resolve().parents[3] / "examples" / "agents"

# The document's custom string formats, for rules no JSON Schema keyword expresses: `ss58` (a hotkey: base58 with a
# checksum) and `python-agent` (an agent file the submission's code analysis accepts: the repository's examples).
schemathesis.openapi.format("ss58", st.binary(min_size=32, max_size=32).map(ss58))
schemathesis.openapi.format("python-agent", st.sampled_from(sorted(
    path.read_text() for path in EXAMPLE_AGENTS.glob("*.py"))))

SIGNED = ("X-Hotkey", "X-Timestamp", "X-Nonce", "X-Signature", "Authorization")


def _keys() -> dict[str, Hotkey]:
    pairs = [item.split("=", 1) for item in os.environ.get("SHOPARENA_FUZZ_KEYS", "").split(",") if "=" in item]
    return {role: Hotkey(seed) for role, seed in pairs}


@schemathesis.auth(refresh_interval=None)
class SignedHotkey:
    """Signs with the hotkey of the operation's `x-role` (none on public routes); a fresh nonce per request."""

    def get(self, case, ctx):
        return _keys()

    def set(self, case, data, ctx):
        role = case.operation.definition.raw.get("x-role")
        if role is None or role not in data:
            return
        headers = {k: v for k, v in (case.headers or {}).items() if k not in SIGNED and k.lower() != "authorization"}
        headers.update(data[role].headers())
        case.headers = headers
