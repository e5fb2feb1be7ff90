"""Reads a schemathesis NDJSON report (`--report ndjson`) and lists its unique failures: check code, operation,
title and the first line of the message. `python3 report_summary.py report.json` prints them with counts."""

from __future__ import annotations

import json
import sys
from collections import Counter


def failures(path: str) -> list[tuple[str, str, str, str]]:
    """(code, operation, title, message's first line) of each unique failure, in report order."""
    seen: dict[tuple[str, str, str, str], None] = {}
    with open(path) as report:
        for line in report:
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            for results in (finished.get("recorder", {}).get("checks") or {}).values():
                for result in results:
                    if result.get("status") == "success":
                        continue
                    failure = (result.get("failure_info") or {}).get("failure") or {}
                    message = (failure.get("message") or "").strip().splitlines()
                    key = (failure.get("code", "?"), failure.get("operation", "?"), failure.get("title", result.get("name", "?")),
                           message[0][:200] if message else "")
                    seen.setdefault(key, None)
    return list(seen)


def summary(path: str) -> str:
    found = failures(path)
    by_code = Counter(code + " " + title for code, _, title, _ in found)
    lines = [f"{len(found)} unique failures"] + [f"  {count:4d}  {what}" for what, count in by_code.most_common()]
    lines += [f"  {code} {operation}: {message}" for code, operation, _, message in found]
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(sys.argv[1]))
