"""Validation, ORO post-processing and size bounding of the steps an agent returns.

``prepare_dialogue`` turns whatever ``agent_main`` returned into a JSON-safe list of step dicts, or raises
``InvalidDialogue`` with a reason a miner can act on:

- the result must be a ``list`` and every step a ``dict`` (``extra_info``, when present, a ``dict``);
- values must be JSON data: dict (keys str/int/float/bool/None, converted like ``json.dumps`` does),
  list/tuple, str, int, float, bool, None. Anything else fails with the path of the value. Non-finite
  floats become ``null`` (a warning says so); lone surrogates in strings are replaced;
- nesting deeper than ``MAX_DEPTH`` or more than ``MAX_NODES`` values fail (cycles end there too);
- strings longer than the string cap are cut, keeping the head and a ``...[truncated N chars]`` marker;
  if the serialized dialogue is still over ``max_total_bytes`` the cap is lowered step by step, and past
  the smallest cap the result fails as ``OutputTooLarge``.

Post-processing (ORO sandbox; ``setdefault``, never overwrites): ``extra_info.step`` (1-based index),
``extra_info.query``, ``extra_info.timestamp`` (now, epoch ms), ``extra_info.problem_id`` (when known),
and ``extra_info.execution_time`` on the first step only.
"""

from __future__ import annotations

import math
import time

from shoparena_runtime import jsoncodec
# typing is not imported: with postponed annotations nothing needs it at run time, and it costs
# milliseconds on every problem's startup (the names stay for type checkers).
if False:  # pragma: no cover
    from typing import Any, Dict, List, Optional, Tuple  # noqa: F401

# Bound at import, before any agent code runs, so an agent that rebinds ``json.dumps`` cannot change it
# (``jsoncodec``: the same output as ``json.dumps`` without importing ``re`` at startup).
_dumps = jsoncodec.dumps

__all__ = ["InvalidDialogue", "prepare_dialogue", "MAX_DEPTH", "MAX_NODES", "STRING_CAPS", "MAX_TOTAL_BYTES"]

MAX_DEPTH = 64
MAX_NODES = 2_000_000
#: String caps tried in order until the serialized dialogue fits in ``MAX_TOTAL_BYTES``.
STRING_CAPS = (100_000, 8_000, 1_000, 200)
MAX_TOTAL_BYTES = 16 * 1024 * 1024


class InvalidDialogue(Exception):
    """The agent's return value cannot become a dialogue. ``type_name`` goes to ``error.type``."""

    def __init__(self, type_name: str, message: str) -> None:
        super().__init__(message)
        self.type_name = type_name
        self.message = message


def truncate_text(text: str, cap: int) -> str:
    """``text`` cut to ``cap`` characters of head plus a marker naming how many were dropped."""
    if len(text) <= cap:
        return text
    dropped = len(text) - cap
    return f"{text[:cap]}...[truncated {dropped} chars]"


class _Sanitizer:
    def __init__(self, string_cap: int) -> None:
        self.string_cap = string_cap
        self.nodes = 0
        self.truncated = 0
        self.non_finite = 0
        self.surrogates = 0

    def string(self, value: str) -> str:
        value = str.__str__(value)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            value = value.encode("utf-8", "replace").decode("utf-8")
            self.surrogates += 1
        if len(value) > self.string_cap:
            self.truncated += 1
            value = truncate_text(value, self.string_cap)
        return value

    def key(self, key: Any, path: str) -> str:
        if isinstance(key, str):
            return self.string(key)
        if key is None:
            return "null"
        if isinstance(key, bool):
            return "true" if key else "false"
        if isinstance(key, int):
            return str(int(key))
        if isinstance(key, float):
            return repr(float(key)) if math.isfinite(key) else "null"
        raise InvalidDialogue(
            "TypeError", f"{path}: dict key of type {type(key).__name__} is not JSON-serializable"
        )

    def value(self, value: Any, path: str, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise InvalidDialogue("OutputTooLarge", f"dialogue has more than {MAX_NODES} values")
        if depth > MAX_DEPTH:
            raise InvalidDialogue(
                "ValueError", f"{path}: nested deeper than {MAX_DEPTH} levels (or a circular reference)"
            )
        if value is None or value is True or value is False:
            return value
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, bool):
            return bool(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            if math.isfinite(value):
                return float(value)
            self.non_finite += 1
            return None
        if isinstance(value, dict):
            out: Dict[str, Any] = {}
            for k, v in value.items():
                key = self.key(k, path)
                out[key] = self.value(v, f"{path}.{key}" if len(key) <= 40 else f"{path}.<key>", depth + 1)
            return out
        if isinstance(value, (list, tuple)):
            return [self.value(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
        raise InvalidDialogue(
            "TypeError", f"{path}: value of type {type(value).__name__} is not JSON-serializable"
        )


def _check_shape(result: Any) -> None:
    if not isinstance(result, list):
        raise InvalidDialogue(
            "TypeError", f"agent_main must return a list of dialogue steps, got {type(result).__name__}"
        )
    for i, step in enumerate(result):
        if not isinstance(step, dict):
            raise InvalidDialogue(
                "TypeError", f"step {i}: a dialogue step must be a dict, got {type(step).__name__}"
            )
        extra = step.get("extra_info")
        if extra is not None and not isinstance(extra, dict):
            raise InvalidDialogue(
                "TypeError", f"step {i}: extra_info must be a dict, got {type(extra).__name__}"
            )


def prepare_dialogue(
    result: Any,
    *,
    query: str = "",
    problem_id: Optional[str] = None,
    execution_time: Optional[float] = None,
    now_ms: Optional[int] = None,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    string_caps: Tuple[int, ...] = STRING_CAPS,
) -> Tuple[List[Dict[str, Any]], List[str]]:
    """Validated, post-processed, JSON-safe dialogue and the warnings produced on the way."""
    _check_shape(result)
    timestamp = int(time.time() * 1000) if now_ms is None else int(now_ms)
    for cap in string_caps:
        sanitizer = _Sanitizer(cap)
        steps = [sanitizer.value(step, f"step {i}", 1) for i, step in enumerate(result)]
        for i, step in enumerate(steps):
            extra = step.get("extra_info")
            if extra is None:
                extra = step["extra_info"] = {}
            extra.setdefault("step", i + 1)
            extra.setdefault("query", query)
            extra.setdefault("timestamp", timestamp)
            if problem_id is not None:
                extra.setdefault("problem_id", problem_id)
            if i == 0 and execution_time is not None:
                extra.setdefault("execution_time", execution_time)
        size = len(_dumps(steps, ensure_ascii=False).encode("utf-8"))
        if size <= max_total_bytes:
            warnings = []
            if sanitizer.truncated:
                warnings.append(f"{sanitizer.truncated} string(s) longer than {cap} characters were truncated")
            if sanitizer.non_finite:
                warnings.append(f"{sanitizer.non_finite} non-finite float(s) (NaN/Infinity) were replaced by null")
            if sanitizer.surrogates:
                warnings.append(f"{sanitizer.surrogates} string(s) with invalid surrogates were repaired")
            if not steps:
                warnings.append("agent_main returned an empty dialogue")
            return steps, warnings
    raise InvalidDialogue(
        "OutputTooLarge",
        f"dialogue is larger than {max_total_bytes} bytes even with strings cut to {string_caps[-1]} characters",
    )
