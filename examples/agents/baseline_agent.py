"""Scripted baseline agent: no LLM, deterministic, runs unchanged on ShopArena and ORO.

Strategy (one per problem, the same for every run):
1. Split the request into items (shop and voucher problems ask for several products) and read each item's
   price range and services ("free shipping", "LazMall", "cash on delivery", "LazFlash") from the text.
2. Search each item with its keywords (``find_product`` with price/service filters, relaxed when nothing
   comes back) and score the hits: keyword overlap with the title, price and service fit, a little for sales.
3. Look at the best few hits of each item (``view_product_information``) and reward attribute/SKU words
   that the request mentions.
4. Shop problems: keep shops that sell every item (searching the other items with ``shop_id``).
   Voucher problems: pick the combination that fits the budget after the voucher (or outright).
5. ``recommend_product`` with the chosen ids in the user's order, then ``terminate``.
"""

from __future__ import annotations

import itertools
import math
import re
from typing import Any, Dict, List, Optional, Tuple

from src.agent.agent_interface import Tool, create_dialogue_step, execute_tool_call
from src.agent.proxy_client import ProxyClient

MAX_ITEMS = 4
CANDIDATES_PER_ITEM = 3
MAX_SHOPS_TRIED = 3

_STATE: Dict[str, Any] = {"client": None}

STOPWORDS = set(
    """a an the and or of for to in on with without by from at as is are be that this these those it its
    i im i'm me my we you your please can could would like want need looking look find show shop shops store
    stores offering offer offers sells sell selling sold both also item items product products option options
    one another first second third fourth some any which who where what help these following such
    priced price prices cost costs costing php peso pesos between above below over under more less than
    least most around about only available availability single piece pieces set type color colour size
    brand style series category deal deals perks services service delivery shipping free cash pay flash sale
    lazmall lazflash official cod mall guaranteed authenticity easy returns fast suitable use made either
    each all them they there have has had should must just very really own other same preferably specifically
    """.split()
)

SERVICE_PATTERNS = [
    ("freeShipping", re.compile(r"free (?:shipping|delivery)", re.I)),
    ("official", re.compile(r"lazmall|official store|authentic", re.I)),
    ("COD", re.compile(r"cash on delivery|pay on delivery|\bcod\b", re.I)),
    ("flashsale", re.compile(r"lazflash|flash ?sale", re.I)),
]

_NUM = r"(\d+(?:[.,]\d+)?)"
PRICE_PATTERNS = [
    (re.compile(r"(?:from|between)\s+(?:php\s*)?" + _NUM + r"\s*(?:php|pesos?)?\s+(?:to|and)\s+(?:php\s*)?" + _NUM, re.I), "range"),
    (re.compile(r"(?:above|over|more than|greater than|at least|exceeding|higher than)\s+(?:php\s*)?" + _NUM, re.I), "low"),
    (re.compile(r"(?:below|under|less than|at most|cheaper than|lower than|up to)\s+(?:php\s*)?" + _NUM, re.I), "high"),
]

VOUCHER_SPLIT = re.compile(r"\n\s*\n\s*My budget is only", re.I)


# -- tools --------------------------------------------------------------------------------------------


@Tool("find_product")
def find_product(q: str, page: int = 1, shop_id: Optional[str] = None, price: Optional[str] = None,
                 sort: Optional[str] = None, service: Optional[str] = None) -> List[Dict[str, Any]]:
    result = _STATE["client"].find_product(q, page=page, shop_id=shop_id, price=price, sort=sort, service=service)
    return result if isinstance(result, list) else []


@Tool("view_product_information")
def view_product_information(product_ids: str) -> List[Dict[str, Any]]:
    result = _STATE["client"].view_product_information(product_ids)
    return result if isinstance(result, list) else []


# -- request parsing ----------------------------------------------------------------------------------


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def parse_voucher(query: str) -> Optional[Dict[str, Any]]:
    """Budget and voucher rules from the fixed block that voucher problems end with."""
    budget = re.search(r"budget is only\s*`?\s*" + _NUM, query, re.I)
    if not budget:
        return None
    threshold = re.search(r"exceeds\s*`?\s*" + _NUM, query, re.I)
    fixed = re.search(r"fixed discount of\s*`?\s*" + _NUM, query, re.I)
    percent = re.search(r"percentage discount of\s*`?\s*" + _NUM + r"\s*%`?(?:\s*with a cap of\s*`?\s*" + _NUM + ")?", query, re.I)
    return {
        "budget": _number(budget.group(1)),
        "threshold": _number(threshold.group(1)) if threshold else None,
        "fixed": _number(fixed.group(1)) if fixed else None,
        "percent": _number(percent.group(1)) / 100.0 if percent else None,
        "cap": _number(percent.group(2)) if percent and percent.group(2) else None,
        "same_shop": bool(re.search(r"only applies to the products from the same shop", query, re.I)),
    }


def price_after_voucher(total: float, voucher: Dict[str, Any]) -> float:
    threshold = voucher.get("threshold")
    if threshold is None or total < threshold:
        return total
    if voucher.get("fixed") is not None:
        return total - voucher["fixed"]
    if voucher.get("percent") is not None:
        discount = total * voucher["percent"]
        if voucher.get("cap") is not None:
            discount = min(discount, voucher["cap"])
        return total - discount
    return total


def split_items(text: str, expect_many: bool) -> List[str]:
    """The request broken into one phrase per wanted product."""
    if not expect_many:
        return [text]
    ordinal = re.split(r"\b(?:For the )?(?:first|second|third|fourth)(?: product| item| one)?\b[,:]?", text, flags=re.I)
    parts = [p for p in ordinal[1:] if len(p.split()) >= 2]
    if len(parts) >= 2:
        return parts[:MAX_ITEMS]
    pieces = re.split(r",?\s+and also\s+|\.\s+Also,?\s+|;\s+|,\s+and\s+(?:a|an)\s+|\s+and\s+(?:a|an)\s+|,\s+(?=(?:a|an)\s)",
                      text, flags=re.I)
    pieces = [p for p in pieces if len(p.split()) >= 2]
    return pieces[:MAX_ITEMS] if len(pieces) >= 2 else [text]


def price_range(text: str) -> Tuple[Optional[float], Optional[float]]:
    for pattern, kind in PRICE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        if kind == "range":
            return _number(m.group(1)), _number(m.group(2))
        if kind == "low":
            return _number(m.group(1)), None
        return None, _number(m.group(1))
    return None, None


def services(text: str) -> List[str]:
    return [name for name, pattern in SERVICE_PATTERNS if pattern.search(text)]


def tokens(text: str) -> List[str]:
    return re.findall(r"[a-z0-9]+(?:[.'-][a-z0-9]+)*", text.lower())


def keywords(text: str, limit: int = 5) -> List[str]:
    cleaned = text
    for pattern, _ in PRICE_PATTERNS:
        cleaned = pattern.sub(" ", cleaned)
    for _, pattern in SERVICE_PATTERNS:
        cleaned = pattern.sub(" ", cleaned)
    out: List[str] = []
    for tok in tokens(cleaned):
        if tok in STOPWORDS or tok.isdigit() or len(tok) < 2 or tok in out:
            continue
        out.append(tok)
    return out[:limit]


def price_param(low: Optional[float], high: Optional[float]) -> Optional[str]:
    if low is None and high is None:
        return None
    fmt = lambda v: str(int(v)) if float(v).is_integer() else str(v)  # noqa: E731
    return f"{fmt(low) if low is not None else 0}-{fmt(high) if high is not None else ''}"


# -- scoring ------------------------------------------------------------------------------------------


def score(hit: Dict[str, Any], item: Dict[str, Any], details: Optional[Dict[str, Any]] = None) -> float:
    title = set(tokens(str(hit.get("title", ""))))
    words = item["words"]
    overlap = sum(1 for w in words if w in title) / max(1, len(words))
    value = 2.0 * overlap
    price = hit.get("price")
    low, high = item["price"]
    if isinstance(price, (int, float)):
        if (low is None or price >= low) and (high is None or price <= high):
            value += 0.5
    offered = set(hit.get("service") or [])
    if all(s in offered for s in item["services"]):
        value += 0.3
    value += 0.02 * math.log1p(max(0, int(hit.get("sold_count") or 0)))
    if details:
        blob = set(tokens(" ".join(str(details.get(k, "")) for k in ("attributes", "sku_options", "short_description"))))
        wanted = set(tokens(item["text"])) - STOPWORDS
        value += 0.5 * len(wanted & blob) / max(1, len(wanted))
    return value


# -- the agent ----------------------------------------------------------------------------------------


class Run:
    """One problem: the step log plus the search helpers that append to it."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.steps: List[Dict[str, Any]] = []

    def call(self, think: str, name: str, params: Dict[str, Any]) -> Any:
        params = {k: v for k, v in params.items() if v is not None}
        result = execute_tool_call(name, params)
        self.steps.append(create_dialogue_step(think, [result], "", self.query, len(self.steps) + 1))
        return result["result"]

    def search(self, item: Dict[str, Any], shop_id: Optional[str] = None) -> List[Dict[str, Any]]:
        q = " ".join(item["words"]) or item["text"][:60]
        price = price_param(*item["price"])
        service = ",".join(item["services"]) or None
        where = f" in shop {shop_id}" if shop_id else ""
        hits = self.call(f"Search '{q}'{where} with price {price or 'any'} and services {service or 'any'}.",
                         "find_product", {"q": q, "page": 1, "shop_id": shop_id, "price": price, "service": service})
        if not hits and (service or price):
            hits = self.call("Nothing matched; relax the price and service filters.",
                             "find_product", {"q": q, "page": 1, "shop_id": shop_id})
        if not hits and len(item["words"]) > 2:
            q = " ".join(item["words"][:2])
            hits = self.call(f"Still nothing; try the shorter query '{q}'.", "find_product",
                             {"q": q, "page": 1, "shop_id": shop_id})
        return [h for h in hits if isinstance(h, dict) and h.get("product_id")]


def make_item(text: str, whole: str) -> Dict[str, Any]:
    low, high = price_range(text)
    return {"text": text, "words": keywords(text) or keywords(whole), "price": (low, high), "services": services(text)}


def rank(run: Run, items: List[Dict[str, Any]], hits: List[List[Dict[str, Any]]]) -> List[List[Dict[str, Any]]]:
    ranked = [sorted(h, key=lambda x: -score(x, it))[:CANDIDATES_PER_ITEM] for it, h in zip(items, hits)]
    ids = [c["product_id"] for group in ranked for c in group]
    if ids:
        info = run.call("Check the details of the best candidates.", "view_product_information",
                        {"product_ids": ",".join(dict.fromkeys(ids))})
        by_id = {str(d.get("product_id")): d for d in info if isinstance(d, dict)}
        ranked = [sorted(group, key=lambda x: -score(x, it, by_id.get(str(x["product_id"]))))
                  for it, group in zip(items, ranked)]
    return ranked


def choose_shop(run: Run, items: List[Dict[str, Any]], first_hits: List[Dict[str, Any]]) -> List[List[Dict[str, Any]]]:
    """Per item the hits of one shop that sells every item (or the first item's best shop)."""
    shops = list(dict.fromkeys(str(h.get("shop_id")) for h in sorted(first_hits, key=lambda x: -score(x, items[0]))))
    fallback: Optional[List[List[Dict[str, Any]]]] = None
    for shop_id in shops[:MAX_SHOPS_TRIED]:
        groups = [[h for h in first_hits if str(h.get("shop_id")) == shop_id]]
        for item in items[1:]:
            groups.append(run.search(item, shop_id=shop_id))
        if all(groups):
            return groups
        if fallback is None:
            fallback = groups
    return fallback or [first_hits] + [[] for _ in items[1:]]


def pick_combination(ranked: List[List[Dict[str, Any]]], items: List[Dict[str, Any]],
                     voucher: Optional[Dict[str, Any]]) -> List[Dict[str, Any]]:
    groups = [g for g in ranked if g]
    if not groups:
        return []
    if voucher is None:
        return [g[0] for g in groups]
    best: Optional[Tuple[float, List[Dict[str, Any]]]] = None
    for combo in itertools.product(*groups):
        if voucher.get("same_shop") and len({str(c.get("shop_id")) for c in combo}) > 1:
            continue
        total = sum(float(c.get("price") or 0) for c in combo)
        fits = price_after_voucher(total, voucher) <= voucher["budget"]
        value = sum(score(c, it) for c, it in zip(combo, items)) + (10.0 if fits else 0.0)
        if best is None or value > best[0]:
            best = (value, list(combo))
    return best[1] if best else [g[0] for g in groups]


def agent_main(problem_data: Dict[str, Any]) -> List[Dict[str, Any]]:
    _STATE["client"] = ProxyClient()
    query = str(problem_data.get("query") or "")
    category = str(problem_data.get("category") or "").lower()
    run = Run(query)

    voucher = parse_voucher(query)
    request = VOUCHER_SPLIT.split(query)[0]
    if not category:
        category = "voucher" if voucher else ("shop" if re.search(r"\b(shop|store)s?\b", request, re.I) else "product")
    texts = split_items(request, expect_many=category in ("shop", "voucher"))
    items = [make_item(t, request) for t in texts]

    first_hits = run.search(items[0])
    if category == "shop" and len(items) > 1 and first_hits:
        hits = choose_shop(run, items, first_hits)
    else:
        hits = [first_hits] + [run.search(item) for item in items[1:]]
    ranked = rank(run, items, hits)
    chosen = pick_combination(ranked, items, voucher)

    ids = list(dict.fromkeys(str(c["product_id"]) for c in chosen))
    if ids:
        think = f"Recommend {', '.join(ids)}: the best match for each requested item."
        rec = execute_tool_call("recommend_product", {"product_ids": ",".join(ids)})
        end = execute_tool_call("terminate", {"status": "success"})
        run.steps.append(create_dialogue_step(think, [rec], "", query, len(run.steps) + 1))
        run.steps.append(create_dialogue_step("Done.", [end], "I recommended the products above.", query,
                                              len(run.steps) + 1))
    else:
        end = execute_tool_call("terminate", {"status": "failure"})
        run.steps.append(create_dialogue_step("No product matched the request.", [end],
                                              "Sorry, I could not find a matching product.", query, len(run.steps) + 1))
    return run.steps
