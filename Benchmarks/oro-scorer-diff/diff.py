#!/usr/bin/env python3
"""Differential check of `shoparena score` against ORO's own scorer, per field, on generated dialogues.

ORO's scorer is not part of ShopArena and is never committed here: point --oro-root at a checkout of ORO's
public repository (the folder that holds `src/agent/problem_scorer.py`), e.g. a throw-away copy made for this
run. The script imports ORO's `ProblemScorer` from there unchanged and only replaces its two outside
dependencies: the product lookup (ORO asks its search server; here: the generated catalog) and the sentence
model (ORO loads Qwen3-Embedding-0.6B; here: an exact-title model that matches `--similarity exact`).

Every dialogue is scored by both; a dialogue on which ORO's scorer raises must come out FAILED with a
`failure_reason` from ShopArena. Prints one JSON report; exit status 1 when anything differs.

usage: diff.py --oro-root DIR --shoparena .build/release/shoparena [--dialogues 2000 --seed 7 --work DIR]
"""
import argparse
import importlib
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import types
import unicodedata

FIELDS = ["length", "format", "product", "gt", "rule", "title", "price", "service", "sku & attrs", "shop", "budget"]
PY_SPACES = [c for c in map(chr, range(0x110000)) if c.isspace()]


def exact_key(title):
    """NFKC, casefold, white space collapsed: the rule of ShopArena's --similarity exact."""
    return " ".join(unicodedata.normalize("NFKC", title).casefold().split())


class ExactModel:
    """Stands in for ORO's sentence model: an 'embedding' is the normalised title."""

    def encode(self, titles):
        return [exact_key(t) for t in titles]

    def similarity(self, a, b):
        return [[1.0 if x == y else 0.0 for y in b] for x in a]


def load_oro(root):
    sys.path.insert(0, root)
    scorer = importlib.import_module("src.agent.problem_scorer")
    orm = importlib.import_module("src.agent.rewards.orm")
    model = ExactModel()
    orm._get_sentence_model = lambda: model
    return scorer


def run(cmd, **kw):
    print("+ " + " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, **kw)


def load_catalog(path):
    products = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            p = doc.get("product", doc)
            products[p["product_id"]] = p
    return products


class Dialogues:
    """Deterministic dialogues that exercise every rule the two scorers share, and ORO's crash paths."""

    def __init__(self, rng, products):
        self.rng = rng
        self.ids = sorted(products)

    def pad(self, s):
        r = self.rng
        if r.random() < 0.5:
            return s
        return "".join(r.choice(PY_SPACES) for _ in range(r.randint(1, 3))) + s + \
            "".join(r.choice(PY_SPACES) for _ in range(r.randint(0, 2)))

    def product_ids(self, gts):
        r = self.rng
        ids = []
        for gt in gts:
            roll = r.random()
            ids.append(gt if roll < 0.55 else r.choice(self.ids))
        if r.random() < 0.2:
            r.shuffle(ids)
        if r.random() < 0.15 and ids:
            ids.insert(r.randrange(len(ids) + 1), ids[0])  # a repeat
        if r.random() < 0.1:
            ids.insert(r.randrange(len(ids) + 1), "")  # an empty id
        if r.random() < 0.1 and ids:
            ids.pop()
        return ",".join(self.pad(i) for i in ids)

    def extra(self, step):
        r = self.rng.random()
        if r < 0.75:
            return {"step": step, "query": "q", "timestamp": 1700000000000 + step}
        return self.rng.choice([None, [], "ts", {}, {"timestamp": 0}, {"timestamp": "1"}, {"timestamp": True},
                                {"timestamp": -5}, {"timestamp": 1.5}])

    def step(self, message, index, extra=True):
        s = {"completion": {"content": "", "message": message}}
        if extra:
            s["extra_info"] = self.extra(index)
        return s

    def think(self):
        return self.rng.choice(["look for it", "compare <think> tags", "ok", "check </response> text", "plan"])

    def make(self, gts):
        r = self.rng
        steps = []
        n = r.randint(0, 3)
        for i in range(n):
            msg = {"think": self.think(),
                   "tool_call": [{"name": "find_product", "parameters": {"q": "bag", "page": 1}}]}
            if r.random() < 0.1:
                msg["response"] = "searching"
            if r.random() < 0.15:
                msg["tool_call"].append({"name": "recommend_product", "parameters": {"product_ids": self.product_ids(gts)}})
            steps.append(self.step(msg, i + 1, extra=r.random() > 0.05))
        calls = []
        roll = r.random()
        if roll < 0.06:
            calls.append({"parameters": {"x": 1}})  # no name: ORO ends the step here
        elif roll < 0.1:
            calls.append({"name": "recommend_product", "parameters": [self.product_ids(gts)]})
        elif roll < 0.13:
            calls.append({"name": 7, "parameters": {}})  # not malformed for extraction
        ids = self.product_ids(gts)
        params = {"product_ids": ids}
        if r.random() < 0.04:
            params = {"product_ids": [ids]}
        if r.random() < 0.03:
            params = {}
        calls.append({"name": "recommend_product", "parameters": params})
        final = {"think": self.think(), "tool_call": calls}
        if r.random() < 0.7:
            final["tool_call"] = calls + [{"name": "terminate", "parameters": {"status": "success"}}]
        if r.random() < 0.2:
            final["response"] = "here you are"
        steps.append(self.step(final, n + 1))
        if r.random() < 0.25:
            steps.append(self.step({"think": "done", "tool_call": [{"name": "terminate", "parameters": {}}]}, n + 2))
        self.corrupt(steps)
        return steps

    def corrupt(self, steps):
        """Now and then, one of the shapes on which ORO's scorer skips a step or raises."""
        r = self.rng
        roll = r.random()
        if roll > 0.3:
            return
        i = r.randrange(len(steps))
        msg = steps[i]["completion"]["message"]
        kind = r.randrange(14)
        if kind == 0:
            msg["response"] = None
        elif kind == 1:
            msg["think"] = 5
        elif kind == 2:
            msg["tool_call"] = {"name": "terminate"}
        elif kind == 3:
            msg["tool_call"] = msg["tool_call"] + ["terminate"]
        elif kind == 4:
            msg["obs"] = "observation"
        elif kind == 5:
            steps[i] = None
        elif kind == 6:
            del steps[i]["completion"]
        elif kind == 7:
            steps[i]["completion"] = {"content": "x"}
        elif kind == 8:
            steps[i]["completion"]["message"] = "I will call tool_call now"
        elif kind == 9:
            steps[i]["completion"]["message"] = None
        elif kind == 10:
            msg["tool_call"] = msg["tool_call"] + [{"parameters": {}}]
        elif kind == 11:
            steps[i] = "a step as text"
        elif kind == 12:
            msg["user"] = None
        else:
            steps[i]["extra_info"] = None


def oro_verdict(category, score):
    if category == "product":
        return score.get("rule", 0) >= 1
    if category == "shop":
        return score.get("rule", 0) >= 1 and score.get("shop", 0) >= 1
    return score.get("rule", 0) >= 1 and score.get("budget", 0) >= 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--oro-root", required=True)
    ap.add_argument("--shoparena", required=True)
    ap.add_argument("--dialogues", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work")
    ap.add_argument("--profile", default="oro", help="ShopArena's profile (shoppingbench shows the harness finds differences)")
    ap.add_argument("--cover", nargs="*", default=[], help="extra problem files (e.g. ORO's suite v3)")
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="oro-diff-")
    os.makedirs(work, exist_ok=True)
    oro = load_oro(os.path.abspath(a.oro_root))

    catalog = os.path.join(work, "catalog.jsonl")
    generated = os.path.join(work, "generated.json")
    cover = [os.path.abspath(c) for c in a.cover]
    run([a.shoparena, "catalog", "generate", "--products", "3000", "--seed", str(a.seed), "--out", catalog]
        + sum((["--cover", c] for c in cover), []))
    run([a.shoparena, "suite", "generate", "--catalog", catalog, "--count", "90", "--seed", str(a.seed), "--out", generated])
    base = json.load(open(generated, encoding="utf-8"))
    for c in cover:
        base += json.load(open(c, encoding="utf-8"))
    products = load_catalog(catalog)

    rng = random.Random(a.seed)
    gen = Dialogues(rng, products)
    suite, envelopes, cases = [], [], []
    for k in range(a.dialogues):
        p = dict(base[k % len(base)])
        p.pop("reward_title_embeddings", None)
        pid = "diff-%05d" % k
        p["problem_id"] = pid
        p["query"] = "%s [%d]" % (p["query"], k)
        reward = p["reward"]
        gts = [reward["product_id"]] if isinstance(reward, dict) else [r["product_id"] for r in reward]
        dialogue = gen.make(gts)
        suite.append(p)
        envelopes.append({"problem_id": pid, "status": "SUCCESS", "dialogue": dialogue})
        cases.append((p, dialogue))
    suite_path = os.path.join(work, "suite.json")
    env_path = os.path.join(work, "envelopes.jsonl")
    report_path = os.path.join(work, "report.json")
    json.dump(suite, open(suite_path, "w", encoding="utf-8"), ensure_ascii=False)
    with open(env_path, "w", encoding="utf-8") as f:
        for e in envelopes:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    run([a.shoparena, "score", "--suite", suite_path, "--dialogues", env_path, "--catalog", catalog, "--profile", a.profile,
         "--similarity", "exact", "--output", report_path], stdout=subprocess.DEVNULL)
    ours = {p["problem_id"]: p for p in json.load(open(report_path, encoding="utf-8"))["problems"]}

    oro.get_product = lambda pid: products.get(pid) if pid else None
    counts = {"dialogues": len(cases), "oro_raised": 0, "raised_and_failed_with_reason": 0, "comparable": 0,
              "verdicts_equal": 0, "fields_compared": 0, "fields_equal": 0}
    mismatches = []
    for p, dialogue in cases:
        category = p["category"].lower()
        mine = ours[p["problem_id"]]
        scorer = oro.ProblemScorer(category, {p["query"]: p["reward"]}, {p["query"]: p.get("voucher")})
        try:
            theirs = scorer.score_problem(p["query"], json.loads(json.dumps(dialogue)))
        except Exception as e:  # ORO leaves the problem unscored
            counts["oro_raised"] += 1
            if mine["status"] == "FAILED" and mine.get("failure_reason"):
                counts["raised_and_failed_with_reason"] += 1
            elif len(mismatches) < 20:
                mismatches.append({"problem_id": p["problem_id"], "oro": "raised %s" % type(e).__name__,
                                   "shoparena": mine["status"], "dialogue": dialogue})
            continue
        counts["comparable"] += 1
        if mine.get("failure_reason"):
            mismatches.append({"problem_id": p["problem_id"], "oro": "scored", "shoparena": mine["failure_reason"]})
            continue
        verdict = oro_verdict(category, theirs)
        counts["verdicts_equal"] += verdict == (mine["status"] == "SUCCESS")
        diff = {}
        for field in FIELDS:
            if field in ("shop", "budget") and field not in mine["components"] and field not in theirs:
                continue
            a_, b_ = theirs.get(field, 0.0), mine["components"].get(field, 0.0)
            counts["fields_compared"] += 1
            if math.isclose(a_, b_, abs_tol=1e-9):
                counts["fields_equal"] += 1
            else:
                diff[field] = {"oro": a_, "shoparena": b_}
        if (diff or verdict != (mine["status"] == "SUCCESS")) and len(mismatches) < 20:
            mismatches.append({"problem_id": p["problem_id"], "fields": diff, "dialogue": dialogue})
    out = {"counts": counts, "mismatches": mismatches, "work": work}
    print(json.dumps(out, indent=1, ensure_ascii=False))
    ok = (counts["verdicts_equal"] == counts["comparable"] and counts["fields_equal"] == counts["fields_compared"]
          and counts["raised_and_failed_with_reason"] == counts["oro_raised"])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
