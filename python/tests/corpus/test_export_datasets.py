"""Every `shoparena corpus export` format loads with Hugging Face `datasets.load_dataset("json", ...)`.

A small generated corpus (`shoparena bench corpus --count 300 --data-dir D`, its dialogues in D/blobs and its problems
in the store) is exported in each format, plain and gzip, and each data file is loaded with `datasets`; the rows
are checked against the TRL shapes (tool calls with JSON-text arguments, DPO/KTO message lists, the rl contract).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
BINARY = Path(os.environ.get("SHOPARENA_BINARY", REPO_ROOT / ".build" / "debug" / "shoparena"))

datasets = pytest.importorskip(
    "datasets", reason="Hugging Face datasets is not installed and PyPI was unreachable: pip install datasets")


def run(*args: str) -> str:
    done = subprocess.run([str(BINARY), *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    if not BINARY.exists():
        pytest.fail(f"{BINARY} not found: build it first (swift build) or set SHOPARENA_BINARY")
    data = tmp_path_factory.mktemp("corpus")
    run("bench", "corpus", "--count", "300", "--pool", "60", "--chunk", "100", "--data-dir", str(data), "--no-export")
    return data


def export(corpus: Path, out: Path, fmt: str, *extra: str) -> Path:
    printed = run("corpus", "export", "--data-dir", str(corpus), "--format", fmt, "--out", str(out), "--filter", "all",
                  "--eval-fraction", "0.3", *extra)
    assert "split audit: clean" in printed
    return out


def load(path: Path):
    return datasets.load_dataset("json", data_files=str(path), split="train")


@pytest.mark.parametrize("gzip", [False, True])
def test_sft_loads_as_trl_conversational_rows(corpus: Path, tmp_path: Path, gzip: bool) -> None:
    out = export(corpus, tmp_path / "sft", "sft", *(["--gzip"] if gzip else []))
    suffix = ".jsonl.gz" if gzip else ".jsonl"
    ds = load(out / f"sft-train{suffix}")
    assert len(ds) > 0
    assert {"messages", "tools", "trajectory_id", "category", "judge_score", "verdict"} <= set(ds.column_names)
    row = ds[0]
    assert [m["role"] for m in row["messages"][:2]] == ["system", "user"]
    calls = [c for m in row["messages"] if m["role"] == "assistant" for c in (m.get("tool_calls") or [])]
    assert calls and all(c["type"] == "function" and isinstance(json.loads(c["function"]["arguments"]), dict) for c in calls)
    assert all(isinstance(m["content"], str) for m in row["messages"])
    assert {t["function"]["name"] for t in row["tools"]} == {"find_product", "view_product_information",
                                                            "recommend_product", "terminate"}
    stats = json.loads((out / "stats.json").read_text())
    assert stats["rows"][f"sft-train{suffix}"] == len(ds)
    card = (out / "README.md").read_text()
    assert card.startswith("---\nlicense: cc-by-4.0\n")


def test_sft_steps_loads_as_alpaca_rows(corpus: Path, tmp_path: Path) -> None:
    ds = load(export(corpus, tmp_path / "steps", "sft-steps") / "sft-steps-train.jsonl")
    assert {"instruction", "input", "output", "step"} <= set(ds.column_names)
    assert all(text.startswith("# Dialogue Records History\n<user>") for text in ds["input"][:50])
    assert any("<tool_call>" in text for text in ds["output"][:50])


def test_preference_loads_as_dpo_and_kto_rows(corpus: Path, tmp_path: Path) -> None:
    out = export(corpus, tmp_path / "pref", "preference")
    dpo = load(out / "dpo-train.jsonl")
    assert len(dpo) > 0 and {"prompt", "chosen", "rejected"} <= set(dpo.column_names)
    assert dpo[0]["chosen"][0]["role"] == "assistant" and dpo[0]["prompt"][-1]["role"] == "user"
    kto = load(out / "kto-train.jsonl")
    assert {"prompt", "completion", "label"} <= set(kto.column_names)
    assert set(kto["label"]) == {True, False}


def test_rl_loads_with_the_reward_contract(corpus: Path, tmp_path: Path) -> None:
    ds = load(export(corpus, tmp_path / "rl", "rl") / "rl-train.jsonl")
    assert set(ds.column_names) == {"prompt", "tools", "problem_id", "category", "query", "reward_spec", "products",
                                    "trajectory_id"}
    row = ds[0]
    assert [m["role"] for m in row["prompt"]] == ["system", "user"]
    assert row["prompt"][1]["content"] == row["query"]
    assert "reward" in row["reward_spec"] and "voucher" in row["reward_spec"]
    assert isinstance(row["products"], dict) and row["products"]
    assert all(doc["product_id"] == pid for pid, doc in row["products"].items())
