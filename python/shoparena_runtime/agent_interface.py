"""Tool registry and dialogue-step helpers for agents (ORO ``src.agent.agent_interface`` compatible).

An agent registers client-side tools with ``@Tool`` (or ``@Tool("name")``, or ``register_tool(name, func)``),
runs them with ``execute_tool_call`` and records each turn with ``create_dialogue_step``. The step format is
the one the scorer reads::

    {"completion": {"reasoning_content": "",
                    "content": "<think>..</think>\\n<tool_call>[{..}]</tool_call>\\n<response>..</response>",
                    "message": {"think": str, "tool_call": [ToolCallResult], "response": str}},
     "extra_info": {"step": int, "query": str, "timestamp": int (epoch ms)}}

``message`` carries only its non-empty keys, and ``content`` leaves out ``tool_call_id`` and ``result``.

Every public name of ORO's module is here with the same behaviour: ``AgentOutput``, ``ToolResult``,
``ToolCallResult``, ``_TOOL_REGISTRY``, ``register_tool``, ``Tool``, ``get_tool``, ``list_tools``,
``generate_tool_call_id``, ``format_content``, ``create_dialogue_step``, ``execute_tool_call``. ShopArena adds:

- ``recommend_product`` and ``terminate`` work through ``execute_tool_call`` without being registered
  (built-in fallbacks). They are *not* in ``_TOOL_REGISTRY``, which starts empty as in ORO, so an agent
  that lists the registry (for its prompt, say) sees exactly the tools it registered, in its order.
- ``create_dialogue_step`` takes optional ``timestamp`` and has defaults for every argument; its ``content``
  writes the tool-call JSON compactly (``{"name":"x"}``), where ORO's (and ``format_content``'s) has
  ``json.dumps``'s default spaces. Scoring reads ``message``, never ``content``.
- ``TOOL_REGISTRY`` (the same dict as ``_TOOL_REGISTRY``), ``tool_call_id`` and ``now_ms``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import Any, Callable, Dict, List, Optional, TypedDict, Union

__all__ = [
    "AgentOutput",
    "ToolResult",
    "ToolCallResult",
    "TOOL_REGISTRY",
    "register_tool",
    "Tool",
    "get_tool",
    "list_tools",
    "generate_tool_call_id",
    "tool_call_id",
    "format_content",
    "execute_tool_call",
    "create_dialogue_step",
    "now_ms",
    "recommend_product",
    "terminate",
]

#: What ``agent_main`` returns: a list of dialogue steps.
AgentOutput = List[Dict]

#: What a tool returns: anything JSON-serialisable.
ToolResult = Any


class ToolCallResult(TypedDict):
    """One executed tool call, as ``execute_tool_call`` returns it and ``message.tool_call`` stores it."""

    name: str
    parameters: Dict[str, Any]
    tool_call_id: str
    result: Any


#: Registered tools by name, in registration order. Shared by every import path of this module
#: (``src.agent.agent_interface`` is the same module object), so a tool registered through one name is
#: visible through the other.
_TOOL_REGISTRY: Dict[str, Callable[..., Any]] = {}

#: ShopArena's name for the same dict.
TOOL_REGISTRY = _TOOL_REGISTRY

#: Used by ``get_tool`` when the agent registered no tool of that name (see the module docstring).
_BUILTIN_TOOLS: Dict[str, Callable[..., Any]] = {}


def register_tool(name: str, func: Callable[..., Any]) -> None:
    """Register ``func`` as the tool ``name``, replacing any earlier tool of that name."""
    _TOOL_REGISTRY[name] = func


def Tool(name_or_func: Union[str, Callable[..., Any], None] = None, *, name: Optional[str] = None):
    """Register a function as a tool.

    Usable bare (``@Tool``: the tool takes the function's ``__name__``), with a name (``@Tool("find")``),
    with a keyword (``@Tool(name="find")``) or empty (``@Tool()``). Returns the function unchanged.
    """
    if callable(name_or_func):
        register_tool(name or name_or_func.__name__, name_or_func)
        return name_or_func

    explicit = name if name is not None else name_or_func

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        register_tool(explicit if explicit is not None else func.__name__, func)
        return func

    return register


def _available_tools() -> List[str]:
    return sorted(set(_TOOL_REGISTRY) | set(_BUILTIN_TOOLS))


def get_tool(name: str) -> Callable[..., Any]:
    """The tool registered as ``name`` (or the built-in of that name); ``ValueError`` listing the tools otherwise."""
    func = _TOOL_REGISTRY.get(name)
    if func is None:
        func = _BUILTIN_TOOLS.get(name)
    if func is None:
        available = ", ".join(_available_tools()) or "(none)"
        raise ValueError(f"Tool '{name}' is not registered. Available tools: {available}")
    return func


def list_tools() -> List[str]:
    """Names of the registered tools in registration order (the built-in fallbacks are not listed)."""
    return list(_TOOL_REGISTRY)


def generate_tool_call_id(name: str, parameters: Any, length: int = 8) -> str:
    """Cosmetic id of a call, the first ``length`` characters of a hash of the call.

    The hash: MD5 of ``f"{name}\\n{parameters}"`` (for a dict that is its ``repr``, so key order matters),
    encoded as URL-safe base64 with ``=``, ``+`` and ``/`` removed. Scoring never checks this id; it only
    links a call to its observation.
    """
    text = f"{name}\n{parameters}"
    digest = hashlib.md5(text.encode("utf-8"), usedforsecurity=False).digest()
    encoded = base64.urlsafe_b64encode(digest).decode("ascii")
    for ch in "=+/":
        encoded = encoded.replace(ch, "")
    return encoded[:length]


def tool_call_id(name: str, parameters: Any) -> str:
    """``generate_tool_call_id`` with the default length of 8 (ShopArena's original name)."""
    return generate_tool_call_id(name, parameters)


def _tool_calls_json(tool_calls: List[Any], separators: Optional[tuple]) -> str:
    calls = []
    for item in tool_calls:
        if isinstance(item, dict):
            calls.append({"name": item.get("name", ""), "parameters": item.get("parameters", {})})
        else:
            calls.append({"name": str(item), "parameters": {}})
    return json.dumps(calls, separators=separators, default=str)


def _content(think: str, tool_calls: List[Any], response: str, separators: Optional[tuple]) -> str:
    parts = []
    if think:
        parts.append(f"<think>{think}</think>")
    if tool_calls:
        parts.append(f"<tool_call>{_tool_calls_json(tool_calls, separators)}</tool_call>")
    if response:
        parts.append(f"<response>{response}</response>")
    return "\n".join(parts)


def format_content(think: str, tool_calls: List[Any], response: str) -> str:
    """The tagged ``content`` text of a step, exactly as ORO writes it.

    ``<think>…</think>``, ``<tool_call>[{"name": …, "parameters": …}, …]</tool_call>`` (``json.dumps``
    with its default separators; ``tool_call_id`` and ``result`` are left out) and
    ``<response>…</response>``, each only when non-empty, joined by newlines.
    """
    return _content(think, list(tool_calls or []), response, None)


def execute_tool_call(tool_name: str, parameters: Optional[Dict[str, Any]] = None) -> ToolCallResult:
    """Run a tool with keyword ``parameters``; returns ``{name, parameters, tool_call_id, result}``.

    Exceptions raised by the tool propagate to the caller, as do unknown tool names (``ValueError``).
    """
    params = dict(parameters or {})
    func = get_tool(tool_name)
    result = func(**params)
    return {
        "name": tool_name,
        "parameters": params,
        "tool_call_id": generate_tool_call_id(tool_name, params),
        "result": result,
    }


def now_ms() -> int:
    """Current wall-clock time in epoch milliseconds (the ``extra_info.timestamp`` unit)."""
    return int(time.time() * 1000)


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
    message: Dict[str, Any] = {}
    if think:
        message["think"] = think
    if tool_results:
        message["tool_call"] = tool_results
    if response:
        message["response"] = response
    return {
        "completion": {
            "reasoning_content": "",
            "content": _content(think, tool_results, response, (",", ":")),
            "message": message,
        },
        "extra_info": {
            "step": step,
            "query": query,
            "timestamp": now_ms() if timestamp is None else int(timestamp),
        },
    }


# -- Built-in local tools ------------------------------------------------------------------------------


def recommend_product(product_ids: str) -> str:
    """Record the final recommendation (comma-separated ids). The scorer reads the last such call."""
    return f"Having recommended the products to the user: {product_ids}."


def terminate(status: str = "success") -> str:
    """End the episode with ``status`` ``success`` or ``failure``."""
    return f"The interaction has been completed with status: {status}"


_BUILTIN_TOOLS["recommend_product"] = recommend_product
_BUILTIN_TOOLS["terminate"] = terminate
