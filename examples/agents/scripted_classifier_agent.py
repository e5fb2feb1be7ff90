"""Scripted classifier agent: the program chooses every tool call; the LLM only classifies and narrates.

This is the trajectory paper's "Axis B" (sub-task) pattern, kept here as a measured counter-example: ShopArena's
proxy sees that no reply of the model proposed the searches this agent dispatches, so its trajectories come out
``scripted`` (agentic richness 0) while the ReAct example comes out ``agentic`` and the baseline ``no-llm``.

Per problem:
1. Ask the model to classify the request (``# Intent classification``: product, shop or voucher). The answer only
   picks how many items to look for; an unreadable answer falls back to the problem's ``category``.
2. Search with keywords the program extracts from the request (never with text the model wrote), then look at
   the best few hits with ``view_product_information``.
3. Pick the best-scoring hit per item by keyword overlap, price fit and sales.
4. Ask the model to narrate the choice in one sentence (``# Narration``); the sentence becomes the response.
5. ``recommend_product`` with the chosen ids, then ``terminate``.
"""

from __future__ import annotations

import math
import re
from os import getenv
from typing import Any, Dict, List, Optional, Tuple

from src.agent.agent_interface import Tool, create_dialogue_step, execute_tool_call
from src.agent.proxy_client import ProxyClient

DEFAULT_MODEL = "deepseek-ai/DeepSeek-V3.2-TEE"
CANDIDATES = 3
_STATE: Dict[str, Any] = {"client": None}

STOPWORDS = set(
    """a an the and or of for to in on with by from at as is are be that this it its i im me my we you your
    please can could would like want need looking find show shop shops store stores sells sell both also item items
    product products one another first second third some any which price priced prices php peso pesos between above
    below over under more less than least most around about only available budget voucher free shipping delivery
    cash official""".split()
)

_NUM = r"(\d+(?:[.,]\d+)?)"
RANGE = re.compile(r"between\s+(?:php\s*)?" + _NUM + r"\s*(?:php)?\s+and\s+(?:php\s*)?" + _NUM, re.I)
BELOW = re.compile(r"(?:below|under|less than|at most)\s+(?:php\s*)?" + _NUM, re.I)
ABOVE = re.compile(r"(?:above|over|more than|at least)\s+(?:php\s*)?" + _NUM, re.I)


@Tool("find_product")
def find_product(q: str, page: int = 1, price: Optional[str] = None) -> List[Dict[str, Any]]:
    result = _STATE["client"].find_product(q, page=page, price=price)
    return result if isinstance(result, list) else []


@Tool("view_product_information")
def view_product_information(product_ids: str) -> List[Dict[str, Any]]:
    result = _STATE["client"].view_product_information(product_ids)
    return result if isinstance(result, list) else []


def ask(prompt: str) -> str:
    """One model call; the reply's text, or "" when the call failed."""
    model = getenv("SANDBOX_MODEL") or DEFAULT_MODEL
    reply = _STATE["client"].chat_completion([{"role": "user", "content": prompt}], model=model, temperature=0)
    content, _ = ProxyClient.message_content(reply)
    return content.strip()


def classify(query: str, fallback: str) -> str:
    answer = ask("# Intent classification\nAnswer with one word (product, shop or voucher): what kind of shopping "
                 "request is this?\n\nRequest: " + query).lower()
    for label in ("voucher", "shop", "product"):
        if label in answer:
            return label
    return fallback or "product"


def narrate(query: str, titles: List[str]) -> str:
    text = ask("# Narration\nIn one sentence, tell the user why these products fit their request.\n\nRequest: "
               + query + "\nProducts: " + "; ".join(titles))
    return text or "These products match your request."


def price_range(text: str) -> Tuple[Optional[float], Optional[float]]:
    def num(s: str) -> float:
        return float(s.replace(",", ""))

    m = RANGE.search(text)
    if m:
        return num(m.group(1)), num(m.group(2))
    m = BELOW.search(text)
    if m:
        return None, num(m.group(1))
    m = ABOVE.search(text)
    if m:
        return num(m.group(1)), None
    return None, None


def keywords(text: str, limit: int = 4) -> List[str]:
    out: List[str] = []
    for tok in re.findall(r"[a-z][a-z0-9'-]+", text.lower()):
        if tok not in STOPWORDS and tok not in out:
            out.append(tok)
    return out[:limit]


def split_items(query: str, kind: str) -> List[str]:
    if kind == "product":
        return [query]
    request = re.split(r"\n\s*\n", query)[0]
    parts = [p for p in re.split(r",?\s+and also\s+|;\s+|\.\s+Also,?\s+|,\s+and\s+(?:a|an)\s+", request, flags=re.I)
             if len(p.split()) >= 2]
    return parts[:3] if len(parts) >= 2 else [request]


def score(hit: Dict[str, Any], words: List[str], low: Optional[float], high: Optional[float]) -> float:
    title = str(hit.get("title", "")).lower()
    value = sum(1.0 for w in words if w in title) / max(1, len(words))
    price = hit.get("price")
    if isinstance(price, (int, float)) and (low is None or price >= low) and (high is None or price <= high):
        value += 0.5
    return value + 0.01 * math.log1p(max(0, int(hit.get("sold_count") or 0)))


class Trace:
    def __init__(self, query: str) -> None:
        self.query = query
        self.steps: List[Dict[str, Any]] = []

    def call(self, think: str, name: str, params: Dict[str, Any], response: str = "") -> Any:
        params = {k: v for k, v in params.items() if v is not None}
        result = execute_tool_call(name, params)
        self.steps.append(create_dialogue_step(think, [result], response, self.query, len(self.steps) + 1))
        return result["result"]


def agent_main(problem_data: Dict[str, Any]) -> List[Dict[str, Any]]:
    _STATE["client"] = ProxyClient()
    query = str(problem_data.get("query") or "")
    trace = Trace(query)
    kind = classify(query, str(problem_data.get("category") or "").lower())

    chosen: List[Dict[str, Any]] = []
    for text in split_items(query, kind):
        words = keywords(text) or keywords(query)
        low, high = price_range(text)
        price = None if low is None and high is None else f"{int(low or 0)}-{'' if high is None else int(high)}"
        q = " ".join(words)
        hits = trace.call(f"The request is a {kind} request; search '{q}'.", "find_product", {"q": q, "page": 1, "price": price})
        if not hits and price:
            hits = trace.call("Nothing in that price range; search without it.", "find_product", {"q": q, "page": 1})
        hits = [h for h in hits if isinstance(h, dict) and h.get("product_id")]
        ranked = sorted(hits, key=lambda h: -score(h, words, low, high))[:CANDIDATES]
        if ranked:
            trace.call("Look at the best candidates.", "view_product_information",
                       {"product_ids": ",".join(str(h["product_id"]) for h in ranked)})
            if str(ranked[0]["product_id"]) not in {str(c["product_id"]) for c in chosen}:
                chosen.append(ranked[0])

    if not chosen:
        trace.call("Nothing matched the request.", "terminate", {"status": "failure"},
                   "Sorry, I could not find a matching product.")
        return trace.steps
    story = narrate(query, [str(c.get("title", "")) for c in chosen])
    ids = ",".join(str(c["product_id"]) for c in chosen)
    trace.call(f"Recommend {ids}.", "recommend_product", {"product_ids": ids})
    trace.call("Done.", "terminate", {"status": "success"}, story)
    return trace.steps
