"""ShopArena's outcome scorer (`Sources/Scoring/OutcomeScorer.swift`) with the lexical title similarity.

- The recommendation is the last `recommend_product` call of the dialogue.
- Product and web tasks judge the first id; shop and voucher tasks pair id *i* with reward item *i*
  (missing ids score 0, extra ids are ignored).
- Per item: a ground-truth id scores rule 1; otherwise rule = hits / constraints over each title
  (similarity >= the profile's threshold), each price constraint (inclusive, open ends), each required
  service, and each SKU and attribute pair (best over the product's variants plus "no variant").
- `shop`: every item hit and one shop id. `budget`: the plain total fits, or the voucher applies (platform,
  or shop with one shop), the total reaches the threshold and the discounted total fits.
- Success: product and web rule >= 1; shop also shop >= 1; voucher also budget >= 1.

Malformed dialogues, unknown products and odd input never raise here: they score 0 with an issue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

from . import similarity as lexical
from .dialogue import Issue, analyse, completion_steps
from .problem import Problem, Product, RewardItem, Voucher, python_float

__all__ = ["Profile", "PROFILES", "score_problem"]


@dataclass(frozen=True)
class Profile:
    """The rules that differ between ORO's validator and ShoppingBench's evaluator (ScoringProfile.swift)."""

    name: str
    title_threshold: float
    web_title_threshold: float
    unconstrained_field_ratio: float
    id_splitting: str  # "trimmed" or "plain"
    missing_timestamp_factor: float
    slot_hit: str  # "positive_rule" or "resolved"
    ground_truth_fields: str  # "counted" or "perfect"
    extra_info_must_be_object: bool


PROFILES: Dict[str, Profile] = {
    "oro": Profile(
        "oro", lexical.calibrated_threshold(0.7), lexical.calibrated_threshold(0.8), 0.0, "trimmed", 0.5,
        "positive_rule", "counted", True,
    ),
    "shoppingbench": Profile(
        "shoppingbench", lexical.calibrated_threshold(0.5), lexical.calibrated_threshold(0.8), 1.0, "plain", 1.0,
        "resolved", "perfect", False,
    ),
}
PROFILES["sb"] = PROFILES["shopping-bench"] = PROFILES["shoppingbench"]

COMPONENT_NAMES = ["length", "format", "product", "gt", "rule", "title", "price", "service", "sku & attrs"]


def _rounded(x: float) -> str:
    return python_float(math.floor(x * 10_000 + 0.5) / 10_000)


def _reward_match(reward: RewardItem, product: Product) -> Dict[str, Any]:
    m: Dict[str, Any] = {"missed": []}
    m["price_total"] = len(reward.price)
    m["price_hits"] = 0
    for p in reward.price:
        if p.contains(product.price):
            m["price_hits"] += 1
        else:
            lo = "null" if p.lower is None else python_float(p.lower)
            hi = "null" if p.upper is None else python_float(p.upper)
            m["missed"].append(f"price {p.mode} [{lo}, {hi}]")
    services = set(product.service)
    m["service_total"] = len(reward.service)
    m["service_hits"] = 0
    for s in reward.service:
        if s in services:
            m["service_hits"] += 1
        else:
            m["missed"].append(f"service {s}")
    required = reward.required_pairs
    m["pair_total"] = len(required)
    hits, missed = 0, []
    if required:
        attribute_pairs = set(product.attribute_pairs)
        best_hits, best_missed = -1, []
        for variant in [[]] + product.sku_options:
            available = attribute_pairs | set(variant)
            h, miss = 0, []
            for pair in required:
                if pair in available:
                    h += 1
                else:
                    miss.append(pair)
            if h > best_hits:
                best_hits, best_missed = h, miss
                if h == len(required):
                    break
        hits, missed = best_hits, best_missed
    m["pair_hits"] = hits
    m["missed"] += [f"{k}={v}" for k, v in missed]
    m["hits"] = m["price_hits"] + m["service_hits"] + m["pair_hits"]
    m["total"] = m["price_total"] + m["service_total"] + m["pair_total"]
    return m


def _fits_budget(prices: List[float], shop_count: int, voucher: Voucher) -> bool:
    total = 0.0
    for p in prices:
        total += p
    if total <= voucher.budget:
        return True
    applicable = voucher.scope == "platform" or (voucher.scope == "shop" and shop_count == 1)
    if not applicable or total < voucher.threshold:
        return False
    return voucher.discounted(total) <= voucher.budget


def _empty_components() -> Dict[str, float]:
    return {name: 0.0 for name in COMPONENT_NAMES}


def score_problem(
    problem: Problem,
    completion: Any,
    lookup: Callable[[str], Optional[Product]],
    profile: Profile,
    similarity: Callable[[str, str], Optional[float]] = lexical.similarity,
) -> Dict[str, Any]:
    """The per-problem score dict: `status`, `score`, `success`, `components` (named as the Swift scorer
    names them), `recommended`, `slots`, `issues` and, for a malformed dialogue, `failure_reason`."""
    dialogue, status, verdicts = completion_steps(completion)
    out: Dict[str, Any] = {
        "problem_id": problem.id,
        "category": problem.category,
        "outcome": "scored",
        "status": "FAILED",
        "score": 0.0,
        "success": False,
        "components": _empty_components(),
        "recommended": [],
        "slots": [],
        "issues": [],
    }
    if status is not None and status != "SUCCESS":
        out["outcome"] = "run_not_successful"
        out["issues"].append(Issue("not_successful", f"the run ended {status}").as_dict())
        return out
    a = analyse(dialogue, profile.id_splitting, profile.missing_timestamp_factor, profile.extra_info_must_be_object,
                text_formats=verdicts)
    c = out["components"]
    c["format"], c["length"] = a.format, a.length
    issues: List[Issue] = list(a.issues)
    out["format_deductions"] = [
        {"step": i, "score": f.score, "failure": f.failure, "timestamp_missing": f.timestamp_missing}
        for i, f in enumerate(a.step_formats)
        if f.failure is not None or f.timestamp_missing
    ]
    if a.malformation is not None:
        issues.append(a.malformation)
        out["failure_reason"] = a.malformation.as_dict()
        out["components"] = _empty_components()
        out["issues"] = [i.as_dict() for i in issues]
        return out
    ids = a.recommendation[0] if a.recommendation else []
    out["recommended"] = ids
    if not ids and not any(i.code == "product_ids_not_string" for i in issues):
        issues.append(Issue("nothing_recommended", "no recommend_product call with product ids"))

    category = problem.category
    if category in ("Product", "Web"):
        judged = [(problem.rewards[0], ids[0] if ids else None)]
    else:
        judged = [(r, ids[i] if i < len(ids) else None) for i, r in enumerate(problem.rewards)]
    web = category == "Web"
    threshold = profile.web_title_threshold if web else profile.title_threshold

    slots: List[Dict[str, Any]] = []
    for i, (reward, pid) in enumerate(judged):
        slot: Dict[str, Any] = {
            "index": i, "reward_product_id": reward.product_id, "recommended_id": pid, "found": False, "gt": False,
            "rule": 0.0, "hits": 0, "constraints": 0, "title": 0.0, "price": 0.0, "service": 0.0,
            "sku & attrs": 0.0, "title_similarities": [], "missed": [],
        }
        product: Optional[Product] = None
        if pid is not None:
            if web and reward.product_id and reward.product_id in pid:
                slot["gt"] = slot["found"] = True
                product = lookup(pid)
            else:
                p = lookup(pid)
                if p is not None and p.product_id == pid:
                    product = p
                    slot["found"] = True
                    slot["gt"] = p.product_id == reward.product_id
                else:
                    issues.append(Issue("unknown_product", f"recommended id '{pid}' (slot {i}) is not in the catalog"))
        elif ids:
            issues.append(Issue("missing_slot", f"no id for reward item {i} of {len(judged)}"))
        sims: List[Optional[float]] = []
        if product is not None and not slot["gt"]:
            sims = [similarity(product.title, title) for title in reward.titles]
        if web:
            _score_web_slot(slot, product, problem.knowledge_attribute, sims, threshold)
        else:
            _score_slot(slot, product, reward, sims, threshold, profile)
        slots.append(slot)

    n = float(max(len(slots), 1))
    hit_prices: List[float] = []
    hit_shops = set()
    sums = {k: 0.0 for k in ("product", "gt", "rule", "title", "price", "service", "sku & attrs")}
    for slot in slots:
        if not slot["found"]:
            continue
        sums["product"] += 1
        sums["gt"] += 1 if slot["gt"] else 0
        for k in ("rule", "title", "price", "service", "sku & attrs"):
            sums[k] += slot[k]
        hit = profile.slot_hit == "resolved" or slot["rule"] > 0
        if hit and "product_price" in slot:
            hit_prices.append(slot["product_price"])
            if slot.get("shop_id") is not None:
                hit_shops.add(slot["shop_id"])
    for k, v in sums.items():
        c[k] = v / n
    all_hit = bool(slots) and len(hit_prices) == len(slots)
    if category in ("Product",):
        success = c["rule"] >= 1
    elif category == "Web":
        c["kw"] = slots[0].get("kw", 0.0) if slots else 0.0
        success = c["rule"] >= 1
    elif category == "Shop":
        c["shop"] = 1.0 if all_hit and len(hit_shops) == 1 else 0.0
        success = c["rule"] >= 1 and c["shop"] >= 1
    else:
        if problem.voucher is not None:
            c["budget"] = 1.0 if all_hit and _fits_budget(hit_prices, len(hit_shops), problem.voucher) else 0.0
        else:
            c["budget"] = 0.0
        success = c["rule"] >= 1 and c["budget"] >= 1
    out["slots"] = slots
    out["success"] = bool(success)
    out["score"] = 1.0 if success else 0.0
    out["status"] = "SUCCESS" if success else "FAILED"
    out["issues"] = [i.as_dict() for i in issues]
    return out


def _field_ratios(slot: Dict[str, Any], title_hits: int, title_total: int, m: Dict[str, Any], unconstrained: float) -> None:
    def ratio(h: int, t: int) -> float:
        return h / t if t > 0 else unconstrained

    slot["title"] = ratio(title_hits, title_total)
    slot["price"] = ratio(m["price_hits"], m["price_total"])
    slot["service"] = ratio(m["service_hits"], m["service_total"])
    slot["sku & attrs"] = ratio(m["pair_hits"], m["pair_total"])


def _score_slot(
    slot: Dict[str, Any], product: Optional[Product], reward: RewardItem, sims: List[Optional[float]],
    threshold: float, profile: Profile,
) -> None:
    if product is None or not slot["found"]:
        return
    slot["product_price"] = product.price
    slot["shop_id"] = product.shop_id
    if slot["gt"]:
        slot["rule"] = 1.0
        if profile.ground_truth_fields == "perfect":
            for k in ("title", "price", "service", "sku & attrs"):
                slot[k] = 1.0
        else:
            m = _reward_match(reward, product)
            titles = len(reward.titles)
            slot["hits"] = titles + m["hits"]
            slot["constraints"] = titles + m["total"]
            slot["missed"] = m["missed"]
            _field_ratios(slot, titles, titles, m, profile.unconstrained_field_ratio)
        return
    title_hits = title_total = 0
    slot["title_similarities"] = sims
    for i, sim in enumerate(sims):
        if sim is None:
            continue
        title_total += 1
        if sim >= threshold:
            title_hits += 1
        else:
            slot["missed"].append(f"title '{reward.titles[i]}' (similarity {_rounded(sim)} < {python_float(threshold)})")
    m = _reward_match(reward, product)
    slot["missed"] += m["missed"]
    slot["hits"] = title_hits + m["hits"]
    slot["constraints"] = title_total + m["total"]
    slot["rule"] = slot["hits"] / slot["constraints"] if slot["constraints"] > 0 else 0.0
    _field_ratios(slot, title_hits, title_total, m, profile.unconstrained_field_ratio)


def _score_web_slot(
    slot: Dict[str, Any], product: Optional[Product], knowledge: Optional[str], sims: List[Optional[float]],
    threshold: float,
) -> None:
    if not slot["found"]:
        return
    if product is not None:
        slot["product_price"] = product.price
        slot["shop_id"] = product.shop_id
    slot["constraints"] = 2
    if slot["gt"]:
        slot.update({"kw": 1.0, "title": 1.0, "rule": 1.0, "hits": 2})
        return
    if product is None:
        return
    keyword = 0.0
    if knowledge:
        needle = knowledge.lower()
        if needle in product.title.lower() or needle in product.description.lower():
            keyword = 1.0
    slot["kw"] = keyword
    if keyword == 0:
        slot["missed"].append("knowledge attribute in title or description")
    slot["title_similarities"] = sims
    title = 0.0
    sim = sims[0] if sims else None
    if sim is not None:
        if sim >= threshold:
            title = 1.0
        else:
            slot["missed"].append(f"title (similarity {_rounded(sim)} < {python_float(threshold)})")
    else:
        slot["missed"].append("title (not judged)")
    slot["title"] = title
    slot["hits"] = int(keyword + title)
    slot["rule"] = (keyword + title) / 2
