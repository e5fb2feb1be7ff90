"""Measures the server's share of each page of a running arena: size and the `Server-Timing` figures.

    python3 python/tests/web/measure_pages.py http://127.0.0.1:8080 [--repeats 30]

Requests every page `repeats` times (after one warm-up request) and prints, per page, the body size and the
median and 90th percentile of `app` (load + render), `load` and `render` in milliseconds, as JSON. Not a test:
timings depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import urllib.request


def get(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read(), response.headers.get("Server-Timing", "")


def pages(base: str):
    board = json.loads(get(base + "/v1/public/leaderboard")[0])
    version = board["entries"][0]["agent_version_id"]
    hotkey = board["entries"][0]["miner_hotkey"]
    run = json.loads(get(f"{base}/v1/public/agent-versions/{version}/runs")[0])[0]["eval_run_id"]
    problems = json.loads(get(f"{base}/v1/public/agent-versions/{version}/problems")[0])["problems"]
    problem = next(p["problem_id"] for p in problems if any(v["eval_run_id"] == run for v in p["validator_results"]))
    return {
        "leaderboard": "/", "agent": f"/agents/{version}", "agent-live": f"/agents/{version}/live", "run": f"/runs/{run}",
        "trajectory": f"/runs/{run}/problems/{problem}", "races": "/races", "miner": f"/miners/{hotkey}",
        "corpus": "/corpus", "validators": "/validators",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    report = {}
    for name, path in pages(args.base).items():
        get(args.base + path)
        figures = {"app": [], "load": [], "render": []}
        size = 0
        for _ in range(args.repeats):
            body, timing = get(args.base + path)
            size = len(body)
            for key in figures:
                match = re.search(key + r";dur=([0-9.]+)", timing)
                if match:
                    figures[key].append(float(match.group(1)))
        def summary(values):
            values = sorted(values)
            return {"median": round(statistics.median(values), 2), "p90": round(values[int(len(values) * 0.9) - 1], 2)}
        report[name] = {"bytes": size, **{key: summary(values) for key, values in figures.items() if values}}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
