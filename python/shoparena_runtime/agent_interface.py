"""Tool registry and dialogue-step helpers for agents (ORO ``src.agent.agent_interface`` compatible).

An agent registers client-side tools with ``@Tool`` (or ``@Tool("name")``), runs them with
``execute_tool_call`` and records each turn with ``create_dialogue_step``. The step format is the one the
scorer reads::

    {"completion": {"reasoning_content": "",
                    "content": "<think>..</think>\\n<tool_call>[{..}]</tool_call>\\n<response>..</response>",
                    "message": {"think": str, "tool_call": [ToolCallResult], "response": str}},
     "extra_info": {"step": int, "query": str, "timestamp": int (epoch ms)}}

``message`` carries only its non-empty keys, and ``content`` leaves out ``tool_call_id`` and ``result``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import Any, Callable, Dict, List, Optional, Union

__all__ = [
    "TOOL_REGISTRY",
    "Tool",
    "get_tool",
    "list_tools",
    "tool_call_id",
    "execute_tool_call",
    "create_dialogue_step",
    "now_ms",
    "recommend_product",
    "terminate",
]

#: Registered tools by name. Shared by every import path of this module (``src.agent.agent_interface`` is
#: the same module object), so a tool registered through one name is visible through the other.
TOOL_REGISTRY: Dict[str, Callable[..., Any]] = {}


def Tool(name_or_func: Union[str, Callable[..., Any], None] = None, *, name: Optional[str] = None):
    """Register a function as a tool.

    Usable bare (``@Tool``: the tool takes the function's ``__name__``), with a name (``@Tool("find")``)
    or with a keyword (``@Tool(name="find")``). Returns the function unchanged.
    """
    if callable(name_or_func):
        func = name_or_func
        TOOL_REGISTRY[name or func.__name__] = func
        return func

    explicit = name if name is not None else name_or_func

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        TOOL_REGISTRY[explicit or func.__name__] = func
        return func

    return register


def get_tool(name: str) -> Callable[..., Any]:
    """The tool registered under ``name``; ``ValueError`` naming the registered tools otherwise."""
    try:
        return TOOL_REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"Tool '{name}' is not registered. Registered tools: {sorted(TOOL_REGISTRY)}"
        ) from None


def list_tools() -> List[str]:
    """Names of the registered tools, sorted."""
    return sorted(TOOL_REGISTRY)


def tool_call_id(name: str, parameters: Any) -> str:
    """Cosmetic id of a call: MD5 over ``"{name}\\n{repr(parameters)}"``, URL-safe base64, ``=+/`` removed, 8 chars.

    ``parameters`` is rendered with ``str()`` as an f-string would, which for dicts is their ``repr``, so
    key order matters. Scoring never checks this id; it only links a call to its observation.
    """
    digest = hashlib.md5(f"{name}\n{parameters}".encode("utf-8")).digest()
    text = base64.urlsafe_b64encode(digest).decode("ascii")
    for ch in "=+/":
        text = text.replace(ch, "")
    return text[:8]


def execute_tool_call(name: str, parameters: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """Run a registered tool with keyword ``parameters``; returns ``{name, parameters, tool_call_id, result}``.

    Exceptions raised by the tool propagate to the caller, as do unknown tool names (``ValueError``).
    """
    params = dict(parameters or {})
    func = get_tool(name)
    result = func(**params)
    return {
        "name": name,
        "parameters": params,
        "tool_call_id": tool_call_id(name, params),
        "result": result,
    }


def now_ms() -> int:
    """Current wall-clock time in epoch milliseconds (the ``extra_info.timestamp`` unit)."""
    return int(time.time() * 1000)


def _tool_call_content(tool_results: List[Dict[str, Any]]) -> str:
    calls = []
    for item in tool_results:
        if isinstance(item, dict):
            calls.append({"name": item.get("name", ""), "parameters": item.get("parameters", {})})
        else:
            calls.append({"name": str(item), "parameters": {}})
    return json.dumps(calls, separators=(",", ":"), default=str)


def create_dialogue_step(
    think: str = "",
    tool_results: Optional[List[Dict[str, Any]]] = None,
    response: str = "",
    query: str = "",
    step: int = 1,
    timestamp: Optional[int] = None,
) -> Dict[str, Any]:
    """Build one dialogue step.

    ``tool_results`` are ``execute_tool_call`` results (or any ``{name, parameters, ...}`` dicts). ``step`` is
    1-based. ``timestamp`` defaults to now in epoch ms.
    """
    tool_results = list(tool_results or [])
    parts = []
    message: Dict[str, Any] = {}
    if think:
        parts.append(f"<think>{think}</think>")
        message["think"] = think
    if tool_results:
        parts.append(f"<tool_call>{_tool_call_content(tool_results)}</tool_call>")
        message["tool_call"] = tool_results
    if response:
        parts.append(f"<response>{response}</response>")
        message["response"] = response
    return {
        "completion": {
            "reasoning_content": "",
            "content": "\n".join(parts),
            "message": message,
        },
        "extra_info": {
            "step": step,
            "query": query,
            "timestamp": now_ms() if timestamp is None else int(timestamp),
        },
    }


# -- Built-in local tools ------------------------------------------------------------------------------
# Registered by default so ``execute_tool_call("recommend_product", ...)`` works out of the box; an agent
# that registers its own tool under the same name replaces these.


@Tool("recommend_product")
def recommend_product(product_ids: str) -> str:
    """Record the final recommendation (comma-separated ids). The scorer reads the last such call."""
    return f"Having recommended the products to the user: {product_ids}."


@Tool("terminate")
def terminate(status: str = "success") -> str:
    """End the episode with ``status`` ``success`` or ``failure``."""
    return f"The interaction has been completed with status: {status}"
