"""ReAct LLM agent in the ShoppingBench tag format; runs unchanged on ShopArena and ORO.

Every step the model gets two messages: a system prompt (role, tools, rules, output format) and a user
message ``# Dialogue Records History`` with ``<user>{query}</user>`` followed by the past turns as
``<think>…</think>\\n<tool_call>[…]</tool_call>\\n<obs>[…]</obs>\\n<response>…</response>``. The model answers
with ``<think>`` plus ``<tool_call>`` (a JSON array of ``{"name", "parameters"}``) and/or ``<response>``.

Limits: ``MAX_STEPS`` 25 model calls; stop after 3 consecutive empty replies; stop when ``terminate`` is
called. If the model never called ``recommend_product``, the agent recommends the best product it has seen
(auto-recommend fallback) so the run still has an answer. Model: ``SANDBOX_MODEL`` (default
``deepseek-ai/DeepSeek-V3.2-TEE``), temperature 0, through ``/inference/chat/completions`` of the proxy.
"""

from __future__ import annotations

import json
import re
from os import getenv
from typing import Any, Dict, List, Optional, Tuple

from src.agent.agent_interface import Tool, create_dialogue_step, execute_tool_call, tool_call_id
from src.agent.proxy_client import ProxyClient

MAX_STEPS = 25
MAX_EMPTY_REPLIES = 3
MAX_OBS_CHARS = 6000
DEFAULT_MODEL = "deepseek-ai/DeepSeek-V3.2-TEE"

_STATE: Dict[str, Any] = {"client": None}

TOOLS = [
    {
        "name": "find_product",
        "description": "Search products by keywords. Returns up to 10 products per page with product_id, "
                       "shop_id, title, price, service and sold_count.",
        "parameters": {
            "type": "object",
            "properties": {
                "q": {"type": "string", "description": "2-4 keywords, e.g. 'nike running shoes'"},
                "page": {"type": "integer", "description": "page 1-5; change it to see more products"},
                "shop_id": {"type": "string", "description": "only products of this shop"},
                "price": {"type": "string", "description": "'low-high', e.g. '0-100', '100-1000', '1000-'"},
                "sort": {"type": "string", "enum": ["priceasc", "pricedesc", "order", "default"]},
                "service": {"type": "string", "description": "comma list of official (LazMall), freeShipping, "
                                                             "COD, flashsale (LazFlash), default"},
            },
            "required": ["q", "page"],
        },
    },
    {
        "name": "view_product_information",
        "description": "Details of products: short_description, description, sku_options, attributes.",
        "parameters": {
            "type": "object",
            "properties": {"product_ids": {"type": "string", "description": "comma-separated product ids"}},
            "required": ["product_ids"],
        },
    },
    {
        "name": "recommend_product",
        "description": "Recommend the final products to the user; use only once. One id for a single product; "
                       "several ids in the user's order; for a shop request all ids from one shop.",
        "parameters": {
            "type": "object",
            "properties": {"product_ids": {"type": "string", "description": "comma-separated product ids"}},
            "required": ["product_ids"],
        },
    },
    {
        "name": "terminate",
        "description": "End the interaction when the task is done or cannot be done.",
        "parameters": {
            "type": "object",
            "properties": {"status": {"type": "string", "enum": ["success", "failure"]}},
            "required": ["status"],
        },
    },
]
TOOL_NAMES = {t["name"] for t in TOOLS}


def render_tools() -> str:
    return "\n\n".join(
        f"{i}. Name: {t['name']}\nDescription: {t['description']}\n"
        f"Parameters: {json.dumps(t['parameters'], separators=(',', ':'))}"
        for i, t in enumerate(TOOLS, start=1)
    )


SYSTEM_PROMPT = f"""# Role
You are a shopping assistant in a multi-turn dialogue. You help the user find products on an online
marketplace by calling tools, and you finish by recommending the products that satisfy every requirement.

# Available Tools
{render_tools()}

# Tools Rules
- Tool results come back in <obs> as a list of {{"tool_call_id", "results"}}; link them to your calls by id.
- Do not trust search results blindly: check titles, prices and services against the request.
- Refine searches by changing q or page, or by setting shop_id, price, sort or service.
- Use view_product_information to check color, size, weight, model, material, pattern and other details.
- For a shop request, all recommended products must come from the same shop.
- For a voucher request, the total after the voucher must fit the budget.
- Recommend as soon as you have found the products, then terminate. Never ask the user questions.

# Output Format
Always write <think>your reasoning</think>, followed by at least one of <tool_call>…</tool_call> and
<response>…</response>, and nothing else. The tool call body is a JSON array:
<think>...</think>
<tool_call>[{{"name": "find_product", "parameters": {{"q": "...", "page": 1}}}}]</tool_call>
"""


@Tool("find_product")
def find_product(q: str, page: int = 1, shop_id: Optional[str] = None, price: Optional[str] = None,
                 sort: Optional[str] = None, service: Optional[str] = None) -> Any:
    result = _STATE["client"].find_product(q, page=page, shop_id=shop_id, price=price, sort=sort, service=service)
    return result if result is not None else {"error": "search failed"}


@Tool("view_product_information")
def view_product_information(product_ids: str) -> Any:
    result = _STATE["client"].view_product_information(str(product_ids))
    return result if result is not None else {"error": "lookup failed"}


def _span(tag: str, text: str) -> Optional[str]:
    m = re.search(rf"<{tag}>(.*?)</{tag}>", text, re.S)
    return m.group(1).strip() if m else None


def parse_reply(content: str, reasoning: str) -> Tuple[str, List[Dict[str, Any]], str]:
    """``(think, calls, response)`` from a model reply; invalid tool JSON gives no calls."""
    think = _span("think", content)
    if think is None:
        think = reasoning.strip()
    response = _span("response", content) or ""
    calls: List[Dict[str, Any]] = []
    body = _span("tool_call", content)
    if body:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = []
        if isinstance(parsed, dict):
            parsed = [parsed]
        if isinstance(parsed, list):
            for call in parsed:
                if isinstance(call, dict) and call.get("name") in TOOL_NAMES:
                    params = call.get("parameters") or call.get("arguments") or {}
                    if isinstance(params, dict):
                        calls.append({"name": call["name"], "parameters": params})
    return think, calls, response


def run_call(name: str, params: Dict[str, Any]) -> Dict[str, Any]:
    try:
        return execute_tool_call(name, params)
    except Exception as exc:  # bad parameters from the model: report them as the observation
        return {"name": name, "parameters": params, "tool_call_id": tool_call_id(name, params),
                "result": {"error": f"{type(exc).__name__}: {exc}"}}


def turn_text(think: str, results: List[Dict[str, Any]], response: str) -> str:
    parts = []
    if think:
        parts.append(f"<think>{think}</think>")
    if results:
        calls = [{"name": r["name"], "parameters": r["parameters"], "tool_call_id": r["tool_call_id"]} for r in results]
        parts.append(f"<tool_call>{json.dumps(calls, separators=(',', ':'))}</tool_call>")
        obs = json.dumps([{"tool_call_id": r["tool_call_id"], "results": r["result"]} for r in results],
                         separators=(",", ":"), default=str)
        if len(obs) > MAX_OBS_CHARS:
            obs = obs[:MAX_OBS_CHARS] + "...(truncated)"
        parts.append(f"<obs>{obs}</obs>")
    if response:
        parts.append(f"<response>{response}</response>")
    return "\n".join(parts)


def best_seen(history: List[Dict[str, Any]]) -> Optional[str]:
    """The first product of the most recent non-empty search, for the auto-recommend fallback."""
    for result in reversed(history):
        if result["name"] == "find_product" and isinstance(result["result"], list):
            for hit in result["result"]:
                if isinstance(hit, dict) and hit.get("product_id"):
                    return str(hit["product_id"])
    return None


def agent_main(problem_data: Dict[str, Any]) -> List[Dict[str, Any]]:
    client = ProxyClient()
    _STATE["client"] = client
    model = getenv("SANDBOX_MODEL") or DEFAULT_MODEL
    query = str(problem_data.get("query") or "")
    steps: List[Dict[str, Any]] = []
    blocks = [f"<user>{query}</user>"]
    results_seen: List[Dict[str, Any]] = []
    recommended = False
    terminated = False
    empty = 0

    for _ in range(MAX_STEPS):
        messages = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": "# Dialogue Records History\n" + "\n\n".join(blocks)},
        ]
        content, reasoning = ProxyClient.message_content(client.chat_completion(messages, model=model, temperature=0))
        if not content.strip() and not reasoning.strip():
            empty += 1
            if empty >= MAX_EMPTY_REPLIES:
                break
            continue
        empty = 0
        think, calls, response = parse_reply(content, reasoning)
        results = [run_call(c["name"], c["parameters"]) for c in calls]
        results_seen.extend(results)
        steps.append(create_dialogue_step(think, results, response, query, len(steps) + 1))
        blocks.append(turn_text(think, results, response))
        recommended = recommended or any(r["name"] == "recommend_product" for r in results)
        if any(r["name"] == "terminate" for r in results):
            terminated = True
            break

    if not recommended:
        fallback = best_seen(results_seen)
        if fallback:
            rec = run_call("recommend_product", {"product_ids": fallback})
            end = run_call("terminate", {"status": "success"})
            steps.append(create_dialogue_step("No recommendation was made; recommend the best product seen.",
                                              [rec, end], "", query, len(steps) + 1))
            terminated = True
    if not terminated:
        end = run_call("terminate", {"status": "success" if recommended else "failure"})
        steps.append(create_dialogue_step("Stop here.", [end], "", query, len(steps) + 1))
    return steps
