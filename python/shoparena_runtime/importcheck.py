"""Submission-time check that an agent imports only what the ShopArena runtime provides.

An agent that does ``from src.agent.agent_interface import some_name`` the runtime lacks fails every problem
with ``ImportError`` and scores 0; refusing it at submission tells the miner at once. The names provided are
read from the runtime's own modules (they are imported here, and Python's own rules decide: ``from M import
n`` works when ``M`` has the attribute ``n`` or a submodule ``M.n`` exists), so the check cannot drift from
the runtime. Modules checked: everything under ``src`` (ORO's ``src.agent.*`` paths) and
``shoparena_runtime``; a miner's submission is one file, so any such import can only mean the runtime.

Checked forms, each reported with its line (rule ``unknown_runtime_import``, severity ``compatibility``):

- ``import src.agent.missing`` / ``from src.agent.missing import x``: no such runtime module;
- ``from src.agent.agent_interface import missing``;
- attribute use through a module name: ``import src.agent.proxy_client as pc`` then ``pc.missing``, or
  ``import src.agent.agent_interface`` then ``src.agent.agent_interface.missing``.

Not reported (they cannot fail, or the agent handles the failure): ``import *``; imports inside a ``try``
whose handlers catch ``ImportError`` (or ``Exception``, or everything) and attribute uses inside one that
catches ``AttributeError``; ``if TYPE_CHECKING:`` blocks; attributes the agent assigns on the module itself;
attribute uses of a module the agent probes with ``hasattr`` / ``getattr``; names bound more than once.

A runtime name that is itself a banned module (``from src.agent.proxy_client import os``, ``pc.urllib``,
``getattr(pc, "os")``) is reported like a direct import of that module (``banned_import`` /
``encoding_module``): re-exports must not open a way around the import rules. For the same reason
``getattr`` / ``hasattr`` / ``setattr`` / ``delattr`` with a computed name on a runtime module, and
``vars()`` of one, are ``introspection_escape`` (security).
"""

from __future__ import annotations

import ast
import difflib
import importlib
import importlib.util
import types
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

__all__ = ["RUNTIME_ROOTS", "check_runtime_imports"]

#: Top-level packages that resolve to the runtime inside the sandbox.
RUNTIME_ROOTS = ("src", "shoparena_runtime")

RULE = "unknown_runtime_import"
SEVERITY = "compatibility"

_CATCH_ALL = frozenset({"*", "Exception", "BaseException"})
_IMPORT_ERRORS = _CATCH_ALL | {"ImportError", "ModuleNotFoundError"}
_ATTRIBUTE_ERRORS = _CATCH_ALL | {"AttributeError"}
_SKIP = "TYPE_CHECKING"
_MISSING = object()  # the runtime does not provide this name
_UNKNOWN = object()  # importing failed for a reason that is not the agent's: nothing is reported

#: ``module_name -> (rule, severity)`` for a module agents may not import, else None (the analyzer's rules).
BannedModule = Callable[[str], Optional[Tuple[str, str]]]


def _is_runtime(dotted: str) -> bool:
    return dotted.split(".")[0] in RUNTIME_ROOTS


def _handler_names(handler: ast.ExceptHandler) -> Set[str]:
    if handler.type is None:
        return {"*"}
    items = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    names = set()
    for item in items:
        if isinstance(item, ast.Name):
            names.add(item.id)
        elif isinstance(item, ast.Attribute):
            names.add(item.attr)
    return names


def _is_type_checking(test: ast.AST) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk_with_guards(tree: ast.AST) -> Iterable[Tuple[ast.AST, FrozenSet[str]]]:
    """Every node with the exception names caught around it (iteratively, no recursion)."""
    stack: List[Tuple[ast.AST, FrozenSet[str]]] = [(tree, frozenset())]
    try_types = tuple(t for t in (getattr(ast, "Try", None), getattr(ast, "TryStar", None)) if t is not None)
    while stack:
        node, caught = stack.pop()
        yield node, caught
        if isinstance(node, try_types):
            inner = set(caught)
            for handler in node.handlers:
                inner |= _handler_names(handler)
            stack.extend((child, frozenset(inner)) for child in node.body)
            for field in (node.handlers, node.orelse, node.finalbody):
                stack.extend((child, caught) for child in field)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend((child, caught | {_SKIP}) for child in node.body)
            stack.extend((child, caught) for child in node.orelse)
        else:
            stack.extend((child, caught) for child in ast.iter_child_nodes(node))


class _Runtime:
    """The runtime's modules, imported on demand and cached."""

    def __init__(self) -> None:
        self._modules: Dict[str, Any] = {}

    def module(self, dotted: str) -> Any:
        """The module ``dotted``; None when the runtime has no such module; ``_UNKNOWN`` when it cannot tell."""
        if dotted in self._modules:
            return self._modules[dotted]
        module: Any
        try:
            module = importlib.import_module(dotted)
        except ModuleNotFoundError as exc:
            # Missing only if the name that is not found is the requested module or one of its parents;
            # anything else is a problem of the runtime itself, not of the agent: do not blame the agent.
            missing = exc.name or ""
            module = None if dotted == missing or dotted.startswith(missing + ".") else _UNKNOWN
        except Exception:
            module = _UNKNOWN
        self._modules[dotted] = module
        return module

    def member(self, module: types.ModuleType, dotted: str, name: str) -> Any:
        """What ``from dotted import name`` gives, or ``_MISSING``."""
        try:
            return getattr(module, name)
        except AttributeError:
            pass
        except Exception:
            return _UNKNOWN  # the attribute exists but misbehaves: not the agent's fault
        if hasattr(module, "__path__"):
            try:
                if importlib.util.find_spec(f"{dotted}.{name}") is not None:
                    sub = self.module(f"{dotted}.{name}")
                    return _MISSING if sub is None else sub
            except (ImportError, ValueError):
                pass
        return _MISSING


def _suggestion(module: types.ModuleType, name: str) -> str:
    names = [n for n in dir(module) if not n.startswith("__")]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _missing_name(module: types.ModuleType, dotted: str, name: str, error: str) -> str:
    return (
        f"'{name}' is not provided by {dotted} in the ShopArena runtime{_suggestion(module, name)}; "
        f"the agent would fail every problem with {error}"
    )


def _missing_module(dotted: str) -> str:
    return (
        f"module '{dotted}' does not exist in the ShopArena runtime (it provides src.agent.agent_interface, "
        "src.agent.proxy_client and shoparena_runtime.*); the agent would fail every problem with ImportError"
    )


def check_runtime_imports(tree: ast.Module, banned: BannedModule) -> List[Dict[str, Any]]:
    """Violations ``{rule, severity, message, line}`` of ``tree``'s imports and uses of runtime modules.

    ``banned(module_name)`` gives ``(rule, severity)`` for a module the agent may not import, else None.
    """
    runtime = _Runtime()
    out: List[Dict[str, Any]] = []

    def report(rule: str, severity: str, message: str, node: ast.AST) -> None:
        out.append({"rule": rule, "severity": severity, "message": message, "line": getattr(node, "lineno", None)})

    def check_object(obj: Any, via: str, node: ast.AST) -> None:
        if isinstance(obj, types.ModuleType) and not _is_runtime(obj.__name__):
            verdict = banned(obj.__name__)
            if verdict is not None:
                report(verdict[0], verdict[1], f"'{obj.__name__}' reached through {via} is not allowed", node)

    nodes = list(_walk_with_guards(tree))

    # Names bound to runtime modules: name -> (module, its dotted name as the agent wrote it). A name bound
    # any other way as well (assigned, a parameter, another import) is dropped: too ambiguous to check.
    aliases: Dict[str, Tuple[types.ModuleType, str]] = {}
    conflicts: Set[str] = set()

    def bind(name: str, module: Optional[types.ModuleType] = None, dotted: str = "") -> None:
        if module is None:
            conflicts.add(name)
        elif name in aliases and aliases[name][0] is not module:
            conflicts.add(name)
        else:
            aliases[name] = (module, dotted)

    for node, caught in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound_name = alias.asname or alias.name.split(".")[0]
                if not _is_runtime(alias.name) or _SKIP in caught:
                    bind(bound_name)
                    continue
                module = runtime.module(alias.name)
                if module is None and not (caught & _IMPORT_ERRORS):
                    report(RULE, SEVERITY, _missing_module(alias.name), node)
                if not isinstance(module, types.ModuleType):
                    bind(bound_name)
                elif alias.asname:
                    bind(bound_name, module, alias.name)
                else:
                    top = runtime.module(bound_name)
                    bind(bound_name, top if isinstance(top, types.ModuleType) else None, bound_name)
        elif isinstance(node, ast.ImportFrom):
            runtime_from = bool(not node.level and node.module and _is_runtime(node.module) and _SKIP not in caught)
            module = runtime.module(node.module) if runtime_from else None
            if runtime_from and module is None and not (caught & _IMPORT_ERRORS):
                report(RULE, SEVERITY, _missing_module(node.module), node)
            for alias in node.names:
                if alias.name == "*":
                    continue
                bound_name = alias.asname or alias.name
                if not isinstance(module, types.ModuleType):
                    bind(bound_name)
                    continue
                obj = runtime.member(module, node.module, alias.name)
                if obj is _MISSING:
                    if not (caught & _IMPORT_ERRORS):
                        report(RULE, SEVERITY, _missing_name(module, node.module, alias.name, "ImportError"), node)
                    bind(bound_name)
                    continue
                check_object(obj, node.module, node)
                if isinstance(obj, types.ModuleType) and _is_runtime(obj.__name__):
                    bind(bound_name, obj, f"{node.module}.{alias.name}")
                else:
                    bind(bound_name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bind(node.id)
        elif isinstance(node, ast.arg):
            bind(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bind(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                bind(name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bind(node.name)
        elif type(node).__name__ in ("MatchAs", "MatchStar") and getattr(node, "name", None):
            bind(node.name)
        elif type(node).__name__ == "MatchMapping" and getattr(node, "rest", None):
            bind(node.rest)

    for name in conflicts:
        aliases.pop(name, None)
    if not aliases:
        return out

    def resolve(expr: ast.AST) -> Optional[Tuple[types.ModuleType, str]]:
        """The runtime module an expression names (``alias`` or ``alias.sub``) and its dotted name, else None."""
        chain: List[str] = []
        while isinstance(expr, ast.Attribute):
            chain.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name) or expr.id not in aliases:
            return None
        obj: Any
        obj, dotted = aliases[expr.id]
        for attr in reversed(chain):
            if not isinstance(obj, types.ModuleType):
                return None
            obj = runtime.member(obj, obj.__name__, attr)
            dotted = f"{dotted}.{attr}"
            if obj is _MISSING:
                return None
        return (obj, dotted) if isinstance(obj, types.ModuleType) else None

    # Modules the agent probes or patches: those attribute uses are not checked.
    unchecked: Set[int] = set()
    assigned: Set[Tuple[int, str]] = set()
    for node, _ in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            if node.func.id in ("hasattr", "getattr", "setattr", "delattr", "vars", "dir"):
                target = resolve(node.args[0])
                if target is None:
                    continue
                unchecked.add(id(target[0]))
                if node.func.id in ("vars", "dir"):
                    if node.func.id == "vars":
                        report("introspection_escape", "security",
                               f"vars() of runtime module {target[1]} exposes every module it imports; use its attributes",
                               node)
                    continue
                name = node.args[1] if len(node.args) > 1 else None
                if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                    report("introspection_escape", "security",
                           f"{node.func.id}() with a computed name on runtime module {target[1]} can reach every module "
                           "it imports (os, requests …); name the attribute", node)
                    continue
                # A literal name is an attribute use the agent guards itself: a missing one is fine, a banned
                # module behind it is not.
                obj = runtime.member(target[0], target[0].__name__, name.value)
                if obj is not _MISSING:
                    check_object(obj, f"{target[1]}.{name.value}", node)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
            target = resolve(node.value)
            if target is not None:
                assigned.add((id(target[0]), node.attr))

    for node, caught in nodes:
        if not isinstance(node, ast.Attribute) or not isinstance(node.ctx, ast.Load) or _SKIP in caught:
            continue
        target = resolve(node.value)
        if target is None:
            continue
        module, dotted = target
        if id(module) in unchecked or (id(module), node.attr) in assigned:
            continue
        obj = runtime.member(module, module.__name__, node.attr)
        if obj is _MISSING:
            if not (caught & _ATTRIBUTE_ERRORS):
                report(RULE, SEVERITY, _missing_name(module, dotted, node.attr, "AttributeError"), node)
            continue
        check_object(obj, dotted, node)
    return out
