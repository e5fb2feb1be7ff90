"""shoparena_rl (the training reward) agrees exactly with ShopArena's Swift outcome scorer.

The ORO v3 suite (shared data) is covered by a catalog that `shoparena catalog generate` writes (anchors
under the ground-truth ids, alternates that satisfy every constraint, hard negatives that break exactly one,
filler). For every problem the test writes many rollouts — ground truth, alternates, each hard negative,
absent ids, filler, wrong counts and order, no recommendation, later calls overriding earlier ones, missing
timestamps, broken format, malformed dialogues, failed runs — scores them with `shoparena score` (lexical
title similarity, both profiles) and asserts the Python scorer gives the same status, components and slots
for the same dialogues, and the same outcome for the same rollouts written as chat messages and as ORO text.

Needs the debug binary ($SHOPARENA_BINARY or .build/debug/shoparena) and the shared suite.
"""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from conftest import REPO_ROOT, shared_data

import shoparena_rl
from shoparena_rl import reward, score
from shoparena_rl.similarity import similarity, tokens

TS = 1_700_000_000_000


# MARK: - rollouts


def step(think: Optional[str], calls: Optional[List[Any]], response: str = "", n: int = 1, timestamp: bool = True) -> Dict[str, Any]:
    message: Dict[str, Any] = {}
    if think:
        message["think"] = think
    if calls is not None:
        message["tool_call"] = calls
    if response:
        message["response"] = response
    extra: Dict[str, Any] = {"step": n, "query": "q"}
    if timestamp:
        extra["timestamp"] = TS + n
    return {"completion": {"reasoning_content": "", "content": "", "message": message}, "extra_info": extra}


def recommend(ids: Any) -> Dict[str, Any]:
    return {"name": "recommend_product", "parameters": {"product_ids": ids}}


TERMINATE = {"name": "terminate", "parameters": {"status": "success"}}
SEARCH = {"name": "find_product", "parameters": {"q": "bag"}}


def standard(ids: Any, timestamp: bool = True) -> List[Dict[str, Any]]:
    """search, recommend, terminate: the shape of a real agent's dialogue."""
    return [
        step("look", [SEARCH], n=1, timestamp=timestamp),
        step("pick", [recommend(ids)], n=2, timestamp=timestamp),
        step("done", [TERMINATE], response="Here you go.", n=3, timestamp=timestamp),
    ]


class Case:
    def __init__(self, problem: Dict[str, Any], name: str, dialogue: Any, status: str = "SUCCESS", chat: bool = True):
        self.problem = problem
        self.name = name
        self.dialogue = dialogue
        self.status = status
        #: the dialogue is well formed and timestamped, so its chat form must score identically
        self.chat = chat

    @property
    def id(self) -> str:
        return self.problem["problem_id"]


def build_cases(suite: List[Dict[str, Any]], catalog: Dict[str, Dict[str, Any]], manifest: List[Dict[str, Any]]) -> List[Case]:
    rng = random.Random(17)
    by_reward: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
    for entry in manifest:
        by_reward[entry["reward_product_id"]].append(entry)
    in_manifest = {e["product_id"] for e in manifest}
    filler = sorted(pid for pid in catalog if pid not in in_manifest)
    cases: List[Case] = []

    for index, full in enumerate(suite):
        # the lexical similarity does not read the precomputed embeddings; copies stay small without them
        original = {k: v for k, v in full.items() if k != "reward_title_embeddings"}

        def add(name: str, dialogue: Any, **kw: Any) -> None:
            p = copy.deepcopy(original)
            p["problem_id"] = f"p{index:02d}-{name}"
            p["query"] += f" (case {name})"  # a suite's queries must be distinct; scoring does not read them
            cases.append(Case(p, name, dialogue, **kw))

        rewards = original["reward"] if isinstance(original["reward"], list) else [original["reward"]]
        gts = [r["product_id"] for r in rewards]
        joined = ",".join(gts)
        add("gt", standard(joined))
        add("gt-no-terminate", standard(joined)[:2])
        add("gt-no-timestamp", standard(joined, timestamp=False), chat=False)
        half = standard(joined)
        del half[0]["extra_info"]["timestamp"]
        add("gt-one-timestamp-missing", half, chat=False)
        add("gt-messy-ids", standard(" " + gts[0] + " ,\t" + ",".join(gts) + ",, "))
        add("gt-first-only", standard(gts[0]))
        if len(gts) > 1:
            add("gt-reversed", standard(",".join(reversed(gts))))
            add("gt-too-few", standard(",".join(gts[:-1])))
        add("gt-too-many", standard(joined + "," + rng.choice(filler)))
        add("absent", standard(",".join("9" * 11 + str(i) for i in range(len(gts)))))
        add("filler", standard(",".join(rng.choice(filler) for _ in gts)))
        add("empty-ids", standard(""))
        add("nothing", [step("look", [SEARCH], n=1), step("done", [TERMINATE], n=2)])
        add("ids-not-string", standard(gts), chat=False)
        add("override-bad", standard(joined)[:2] + [step("again", [recommend(rng.choice(filler)), TERMINATE], n=3)])
        add("override-good", standard(rng.choice(filler))[:2] + [step("again", [recommend(joined), TERMINATE], n=3)])
        add("failed-run", standard(joined), status="FAILED", chat=False)
        add("no-think", [step(None, [recommend(joined)], n=1), step("done", [TERMINATE], n=2)])
        add("malformed-last", standard(joined)[:2] + [step("done", "terminate", n=3)], chat=False)
        add("call-without-parameters", [step("pick", [{"name": "recommend_product"}, recommend(joined)], n=1)], chat=False)

        # alternates (satisfy every constraint), decoys, and each hard negative in place of one item
        good = [
            next((e["product_id"] for e in by_reward[g] if e["layer"] != "anchor" and e["violates"] is None
                  and e["layer"] != "negative"), g)
            for g in gts
        ]
        add("alternates", standard(",".join(good)))
        for slot, g in enumerate(gts):
            negatives = [e for e in by_reward[g] if e["violates"] is not None or e["layer"] == "negative"]
            for k, e in enumerate(negatives[:4]):
                ids = list(good)
                ids[slot] = e["product_id"]
                add(f"negative-{slot}-{k}-{e['violates']}", standard(",".join(ids)))
            others = [e for e in by_reward[g] if e["layer"] in ("alternate", "decoy")]
            for k, e in enumerate(others[:3]):
                ids = list(gts)
                ids[slot] = e["product_id"]
                add(f"{e['layer']}-{slot}-{k}", standard(",".join(ids)))
    return cases


def chat_messages(dialogue: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The dialogue as OpenAI chat (as the corpus export writes it), tool results in between."""
    out: List[Dict[str, Any]] = [{"role": "user", "content": "find it"}]
    for n, s in enumerate(dialogue):
        m = s["completion"]["message"]
        msg: Dict[str, Any] = {"role": "assistant", "content": m.get("response", "")}
        if m.get("think"):
            msg["reasoning_content"] = m["think"]
        calls = m.get("tool_call") or []
        if calls:
            msg["tool_calls"] = [
                {"id": f"call_{n}_{i}", "type": "function",
                 "function": {"name": c["name"], "arguments": json.dumps(c.get("parameters", {}))}}
                for i, c in enumerate(calls)
            ]
        out.append(msg)
        for i, c in enumerate(calls):
            out.append({"role": "tool", "tool_call_id": f"call_{n}_{i}", "content": "ok"})
    return out


def oro_text(dialogue: List[Dict[str, Any]]) -> str:
    """The last recommending step and the final step as one ORO-dialect text completion."""
    calls: List[Any] = []
    for s in dialogue:
        for c in s["completion"]["message"].get("tool_call") or []:
            if c.get("name") == "recommend_product":
                calls = [c]
    calls = calls + [TERMINATE]
    return "<think>I compared the candidates.</think>\n<tool_call>" + json.dumps(calls) + "</tool_call>\n<response>Done.</response>"


# MARK: - fixtures


@pytest.fixture(scope="module")
def binary() -> Path:
    path = Path(os.environ.get("SHOPARENA_BINARY", REPO_ROOT / ".build" / "debug" / "shoparena"))
    if not path.is_file():
        pytest.fail(f"{path} not found: build it first (swift build --product shoparena) or set SHOPARENA_BINARY")
    return path


def run(binary: Path, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"shoparena {' '.join(args[:2])} failed: {proc.stderr[-2000:]}"
    return proc


class Arena:
    def __init__(self, directory: Path, cases: List[Case], catalog_path: Path, catalog: Dict[str, Dict[str, Any]],
                 reports: Dict[str, Dict[str, Dict[str, Any]]]):
        self.directory = directory
        self.cases = cases
        self.catalog_path = catalog_path
        self.catalog = catalog
        self.reports = reports  # profile -> problem_id -> Swift per-problem JSON


@pytest.fixture(scope="module")
def arena(binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Arena:
    d = tmp_path_factory.mktemp("rl-agreement")
    suite_path = shared_data("oro_problem_suite_v3.json")
    suite = json.loads(suite_path.read_text(encoding="utf-8"))
    catalog_path, manifest_path = d / "catalog.jsonl", d / "manifest.jsonl"
    run(binary, "catalog", "generate", "--products", "3000", "--seed", "11", "--cover", str(suite_path),
        "--out", str(catalog_path), "--manifest", str(manifest_path))
    catalog: Dict[str, Dict[str, Any]] = {}
    for line in catalog_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc = json.loads(line)
            catalog[doc["product"]["product_id"]] = doc
    manifest = [json.loads(line) for line in manifest_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = build_cases(suite, catalog, manifest)
    cases_suite = d / "cases.json"
    cases_suite.write_text(json.dumps([c.problem for c in cases]), encoding="utf-8")
    envelopes = d / "envelopes.jsonl"
    with envelopes.open("w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps({"problem_id": c.id, "status": c.status, "dialogue": c.dialogue}) + "\n")
    reports: Dict[str, Dict[str, Dict[str, Any]]] = {}
    for profile in ("oro", "shoppingbench"):
        out = d / f"report-{profile}.json"
        run(binary, "score", "--suite", str(cases_suite), "--dialogues", str(envelopes), "--catalog", str(catalog_path),
            "--profile", profile, "--similarity", "lexical", "--output", str(out))
        report = json.loads(out.read_text(encoding="utf-8"))
        reports[profile] = {p["problem_id"]: p for p in report["problems"]}
    return Arena(d, cases, catalog_path, catalog, reports)


# MARK: - comparison

SLOT_KEYS = ["index", "reward_product_id", "recommended_id", "found", "gt", "rule", "hits", "constraints", "title",
             "price", "service", "sku & attrs", "kw", "title_similarities", "missed", "product_price", "shop_id"]


def differences(swift: Dict[str, Any], py: Dict[str, Any], full: bool = True) -> List[str]:
    diffs = []
    for key in ("status", "score", "recommended"):
        if swift.get(key) != py.get(key):
            diffs.append(f"{key}: swift {swift.get(key)!r} python {py.get(key)!r}")
    sc, pc = swift["components"], py["components"]
    keys = list(sc) if full else [k for k in sc if k not in ("length", "format")]
    if full and set(sc) != set(pc):
        diffs.append(f"component names: swift {sorted(sc)} python {sorted(pc)}")
    for k in keys:
        if sc.get(k) != pc.get(k):
            diffs.append(f"components[{k!r}]: swift {sc.get(k)!r} python {pc.get(k)!r}")
    if len(swift["slots"]) != len(py["slots"]):
        diffs.append(f"slot count: swift {len(swift['slots'])} python {len(py['slots'])}")
    for ss, ps in zip(swift["slots"], py["slots"]):
        for k in SLOT_KEYS:
            if ss.get(k) != ps.get(k):
                diffs.append(f"slot {ss['index']} {k}: swift {ss.get(k)!r} python {ps.get(k)!r}")
    if full:
        sr = (swift.get("failure_reason") or {}).get("code")
        pr = (py.get("failure_reason") or {}).get("code")
        if sr != pr:
            diffs.append(f"failure_reason: swift {sr} python {pr}")
    return diffs


def products_for(arena: Arena, case: Case) -> Dict[str, Any]:
    """The product documents an export row would carry: every catalog product the dialogue mentions."""
    text = json.dumps(case.dialogue)
    return {pid: doc for pid, doc in arena.catalog.items() if pid in text}


def agreement(arena: Arena, category: str, profile: str) -> Tuple[int, List[str]]:
    failures: List[str] = []
    checked = 0
    for n, case in enumerate(arena.cases):
        if case.problem["category"] != category:
            continue
        swift = arena.reports[profile][case.id]
        envelope = {"dialogue": case.dialogue, "status": case.status}
        # alternate the two ways a reward finds products: the row's own documents, or the catalog file
        if n % 2:
            py = score(envelope, case.problem, products=products_for(arena, case), profile=profile)
        else:
            py = score(envelope, case.problem, catalog=str(arena.catalog_path), profile=profile)
        failures += [f"{case.id} (dialogue): {d}" for d in differences(swift, py)]
        if case.chat:
            chat = score(chat_messages(case.dialogue), case.problem, products=products_for(arena, case), profile=profile)
            failures += [f"{case.id} (chat): {d}" for d in differences(swift, chat)]
            text = score(oro_text(case.dialogue), case.problem, catalog=str(arena.catalog_path), profile=profile)
            failures += [f"{case.id} (text): {d}" for d in differences(swift, text, full=False)]
        checked += 1
    return checked, failures


@pytest.mark.parametrize("profile", ["oro", "shoppingbench"])
@pytest.mark.parametrize("category", ["Product", "Shop", "Voucher"])
def test_reward_agrees_with_swift_scorer(arena: Arena, category: str, profile: str) -> None:
    checked, failures = agreement(arena, category, profile)
    assert checked >= 150, f"only {checked} {category} cases"
    assert not failures, f"{len(failures)} disagreements, first ones:\n" + "\n".join(failures[:25])


def test_cases_cover_success_and_every_kind_of_failure(arena: Arena) -> None:
    """The agreement above is only worth something if the cases exercise both outcomes and every rule."""
    oro = arena.reports["oro"]
    outcomes = Counter((c.problem["category"], oro[c.id]["status"]) for c in arena.cases)
    for category in ("Product", "Shop", "Voucher"):
        assert outcomes[(category, "SUCCESS")] >= 20, outcomes
        assert outcomes[(category, "FAILED")] >= 100, outcomes
    violated = {c.name.split("-")[3] for c in arena.cases if c.name.startswith("negative-")}
    assert {"price", "service", "sku", "attribute", "shop"} <= violated, violated
    components = [oro[c.id]["components"] for c in arena.cases]
    assert any(0 < x["rule"] < 1 for x in components), "no partial rule score"
    assert any(x.get("shop") == 0 and x["rule"] == 1 for x in components), "no shop-rule failure alone"
    assert any(x.get("budget") == 0 and x["rule"] == 1 for x in components), "no budget-rule failure alone"
    assert any(x["format"] == 0.5 for x in components) and any(0.5 < x["format"] < 1 for x in components)
    assert any(oro[c.id].get("failure_reason") for c in arena.cases), "no malformed dialogue"
    sims = [s for x in oro.values() for slot in x["slots"] for s in slot["title_similarities"] if s is not None]
    assert len(sims) > 300 and len({round(s, 6) for s in sims}) > 30, "too few title comparisons"


def test_reward_function_for_trl(arena: Arena) -> None:
    """The GRPO signature: lists of completions, reward_spec and products (dataset columns) in, floats out."""
    cases = [c for c in arena.cases if c.chat][:60]
    completions = [chat_messages(c.dialogue)[1:] for c in cases]
    rewards = reward(completions, reward_spec=[c.problem for c in cases],
                     products=[products_for(arena, c) for c in cases], prompts=["p"] * len(cases), trainer_state=None)
    expected = [arena.reports["oro"][c.id]["score"] for c in cases]
    assert rewards == expected and 0 < sum(rewards) < len(rewards)
    # reward_spec as JSON text (a string column), the catalog from the environment, a component as the value
    os.environ["SHOPARENA_CATALOG"] = str(arena.catalog_path)
    try:
        rules = reward(completions, reward_spec=[json.dumps(c.problem) for c in cases], value="rule")
    finally:
        del os.environ["SHOPARENA_CATALOG"]
    assert rules == [arena.reports["oro"][c.id]["components"]["rule"] for c in cases]
    named = shoparena_rl.make_reward(value="rule", catalog=str(arena.catalog_path))
    assert named.__name__ == "shoparena_rule"
    assert named(completions, reward_spec=[c.problem for c in cases]) == rules


# MARK: - units that need no binary


PRODUCT_SPEC = {
    "query": "Looking for a hosport brand waist bag for motorcycles, priced from 180 to 505 PHP.",
    "category": "Product",
    "reward": {"product_id": "100", "title": ["Waterproof Waist Leg Bag Motorcycle"],
               "attributes": [{"brand": ["hosport"]}], "price": [{"between": [180, 505]}]},
}
DOCS = {
    "100": {"product_id": "100", "shop_id": "s1", "title": "Waterproof Waist Leg Bag Motorcycle", "price": 300,
            "attributes": {"brand": ["hosport"]}},
    "200": {"id": "200", "contents": "", "product": {"product_id": "200", "shop_id": "s2", "price": 299.0,
            "title": "Waterproof Motorcycle Waist Bag Leg Pack", "attributes": {"brand": ["hosport"]}}},
    "300": {"product_id": "300", "shop_id": "s2", "title": "Waterproof Motorcycle Waist Bag Leg Pack", "price": 520,
            "attributes": {"brand": ["hosport"]}},
}


def text(ids: str, think: str = "<think>ok</think>\n") -> str:
    calls = [{"name": "recommend_product", "parameters": {"product_ids": ids}}, TERMINATE]
    return think + "<tool_call>" + json.dumps(calls) + "</tool_call>"


def test_text_completions_score_like_the_worked_example() -> None:
    # reference/oro-validator.md §3 worked example 1: a non-GT product meeting every constraint succeeds,
    # the same product priced above the range fails on price alone.
    gt, alt, pricey = (score(text(i), PRODUCT_SPEC, DOCS) for i in ("100", "200", "300"))
    assert gt["success"] and gt["components"]["gt"] == 1.0
    assert alt["success"] and alt["components"]["gt"] == 0.0 and alt["components"]["rule"] == 1.0
    assert not pricey["success"] and pricey["components"]["rule"] == 2 / 3
    assert pricey["slots"][0]["missed"] == ["price between [180.0, 505.0]"]
    assert gt["components"]["format"] == 1.0 and gt["components"]["length"] == 1.0


def test_text_format_rule() -> None:
    assert score(text("100", think=""), PRODUCT_SPEC, DOCS)["components"]["format"] == 0.0
    nested = "<think>a <response>b</response></think>\n" + text("100", think="")
    assert score(nested, PRODUCT_SPEC, DOCS)["components"]["format"] == 0.0
    twice = text("200") + "\n<tool_call>[" + json.dumps(TERMINATE) + "]</tool_call>"
    s = score(twice, PRODUCT_SPEC, DOCS)
    assert s["components"]["format"] == 0.0 and s["success"], "two tool_call blocks break the format, not the recommendation"
    not_json = "<think>x</think>\n<tool_call>recommend 100</tool_call>"
    s = score(not_json, PRODUCT_SPEC, DOCS)
    assert s["components"]["format"] == 0.0 and not s["success"] and s["recommended"] == []


def test_chat_completion_with_unreadable_arguments_recommends_nothing() -> None:
    msgs = [{"role": "assistant", "reasoning_content": "r", "content": "",
             "tool_calls": [{"id": "1", "type": "function",
                             "function": {"name": "recommend_product", "arguments": "{not json"}}]}]
    s = score(msgs, PRODUCT_SPEC, DOCS)
    assert not s["success"] and s["recommended"] == []
    assert any(i["code"] == "product_ids_not_string" for i in s["issues"])
    assert s["components"]["format"] == 0.0


def test_unknown_and_bare_reward_specs() -> None:
    # a bare reward list is a shop problem; ids pair with items in order
    bare = [{"product_id": "100", "title": ["x"]}, {"product_id": "300", "title": ["y"]}]
    s = score(text("100,300"), bare, DOCS)
    assert s["category"] == "Shop" and s["components"]["gt"] == 1.0 and s["components"]["shop"] == 0.0
    with pytest.raises(shoparena_rl.RewardSpecError, match="query"):
        score(text("100"), {"query": " ", "reward": {"product_id": "1"}}, DOCS)
    with pytest.raises(ValueError, match="one per completion"):
        reward(["a", "b", "c"], reward_spec=[PRODUCT_SPEC, PRODUCT_SPEC])


def test_rl_export_rows_reward_spec_shape() -> None:
    # `corpus export --format rl` writes reward_spec = {"reward", "voucher"} with query and category as their own
    # columns, which TRL passes to the reward function as keyword lists.
    spec = {"reward": PRODUCT_SPEC["reward"], "voucher": None}
    rewards = reward([text("100"), text("300")], reward_spec=[spec, spec], products=[DOCS, DOCS],
                     category=["product", "product"], query=[PRODUCT_SPEC["query"]] * 2)
    assert rewards == [1.0, 0.0]
    assert score(text("200"), spec, DOCS)["success"]


def test_lexical_similarity_rules() -> None:
    assert tokens("The 160g Powder1 T-Shirts, bags & Batteries") == ["160", "g", "powder", "1", "t", "shirt", "bag", "battery"]
    assert similarity("Red Bag", "Red Bag") == 1.0
    assert similarity("!!!", "???") == 0.0
    assert similarity("red bag", "blue pen") == 0.0
    assert similarity("Waterproof Waist Bag", "waterproof waist bags") == 1.0  # plural stemmed
    assert 0.5 < similarity("Waterproof Waist Bag", "Waterproof Waist Bag for Motorcycle Riders") < 1.0


def test_qwen_style_tool_calls_in_generated_text() -> None:
    """What a model trained with a Qwen3 chat template generates (GRPO hands it over as assistant content)."""
    content = ('<think>\nThe hosport bag fits.\n</think>\n\n<tool_call>\n{"name": "recommend_product", '
               '"arguments": {"product_ids": "200"}}\n</tool_call>\n<tool_call>\n{"name": "terminate", '
               '"arguments": {"status": "success"}}\n</tool_call>')
    s = score([{"role": "assistant", "content": content}], PRODUCT_SPEC, DOCS)
    assert s["success"] and s["recommended"] == ["200"]
    assert s["components"]["format"] == 1.0 and s["components"]["length"] == 1.0
    assert reward([content, [{"role": "assistant", "content": content.replace('"200"', '"300"')}]],
                  reward_spec=PRODUCT_SPEC, products=DOCS) == [1.0, 0.0]


def voucher_spec(voucher: Dict[str, Any], prices: List[float]) -> Tuple[Dict[str, Any], Dict[str, Any], str]:
    rewards = [{"product_id": f"g{i}", "title": [f"Item {i}"]} for i in range(len(prices))]
    docs = {f"a{i}": {"product_id": f"a{i}", "shop_id": "s", "title": f"Item {i}", "price": p} for i, p in enumerate(prices)}
    spec = {"query": "voucher", "category": "Voucher", "reward": rewards, "voucher": voucher}
    return spec, docs, text(",".join(docs))


@pytest.mark.parametrize("prices,voucher,fits", [
    # reference/oro-validator.md §3 worked example 3: 102 > 82, 102 >= 63, max(67.32, 74) = 74 <= 82
    ([102.0], {"voucher_type": "platform", "threshold": 63, "discount_type": "percentage", "discount": 0.34, "cap": 28,
               "face_value": None, "price_after_voucher": 74.0, "budget": 82}, True),
    # fixed: 266 -> 217 <= 235
    ([150.0, 116.0], {"voucher_type": "platform", "threshold": 121, "discount_type": "fixed", "face_value": 49,
                      "discount": None, "cap": None, "price_after_voucher": 217.0, "budget": 235}, True),
    # the threshold is inclusive: a total of exactly 121 gets the discount
    ([100.0, 21.0], {"voucher_type": "platform", "threshold": 121, "discount_type": "fixed", "face_value": 49,
                     "discount": None, "cap": None, "price_after_voucher": 72.0, "budget": 72}, True),
    ([100.0, 20.99], {"voucher_type": "platform", "threshold": 121, "discount_type": "fixed", "face_value": 49,
                      "discount": None, "cap": None, "price_after_voucher": 72.0, "budget": 72}, False),
])
def test_budget_rule(prices: List[float], voucher: Dict[str, Any], fits: bool) -> None:
    spec, docs, completion = voucher_spec(voucher, prices)
    s = score(completion, spec, docs)
    assert s["components"]["rule"] == 1.0 and s["components"]["budget"] == (1.0 if fits else 0.0)
    assert s["success"] is fits
