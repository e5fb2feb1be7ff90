"""Static analysis of a submitted agent file (used by the backend at submission time).

``python3 -m shoparena_runtime.analyze FILE`` (``-`` reads stdin) prints one JSON object and exits 0, whatever
the file holds; errors are data::

    {"schema": "shoparena.analysis/1", "ok": bool, "size": int, "sha256": hex, "has_agent_main": bool,
     "file_error": null | {"code": "FILE_TOO_LARGE"|"INVALID_FILE"|"ANALYSIS_FAILED", "message": str,
                           "line": int|null},
     "violations": [{"rule", "severity": "security"|"integrity", "message", "line"}],
     "severity": null | "compatibility" | "security" | "integrity"}

``file_error`` maps to the backend's 413 FILE_TOO_LARGE / 400 INVALID_FILE; ``violations`` to 422
CODE_ANALYSIS_ERROR, and ``severity`` is the worst one (integrity, then security, then compatibility;
integrity: full cooldown, the others: reduced cooldown).

Checks, in order: size <= 1 MB (refused before decoding or parsing), UTF-8, ``ast.parse``, a module-level
``agent_main`` (a plain ``def`` or an assignment), then the rules of ORO's anti-cheating page:

security
  ``banned_import``  os, subprocess, commands, socket, http, urllib, requests, ctypes, cffi, pickle, shutil
                     (allowed: ``os.path``, ``urllib.parse``, ``from os import getenv``); also importlib,
                     builtins and marshal, which would bypass the rest, and the same doors under other names
                     (posix, _posixsubprocess, pty, multiprocessing, _socket, runpy, imp, pkgutil, zipimport,
                     code, …)
  ``banned_call``    eval, exec, ``__import__`` (called or referenced), ``__builtins__`` access
  ``file_write``     ``open()`` in a write/append/create mode (or a mode that is not a literal),
                     ``.open()`` with such a mode, ``Path.write_text`` / ``write_bytes``
compatibility
  ``unknown_runtime_import``  an import (or module attribute) of ``src.*`` / ``shoparena_runtime.*`` that the
                     runtime does not provide, found by importing the runtime's own modules
                     (``importcheck``): such an agent fails every problem with ImportError. A runtime name
                     that is a banned module (``from src.agent.proxy_client import os``) counts as importing it
integrity
  ``encoding_module``       base64, binascii, codecs, zlib (and gzip, bz2, lzma)
  ``encoded_payload``       ``bytes.fromhex``-style calls, long base64-like or hex-like string literals,
                            long mostly-binary bytes literals
  ``hardcoded_product_id``  a string literal that is a product id (8-12 digits, or a comma list of them)
  ``answer_table``          a literal collection holding 3+ product ids, or a dict keyed by 5+ query-like texts

and the rules against ways around these (``evasion``): ``compile`` and ``getattr(x, "exec")``-style calls,
banned modules reached through allowed ones (``logging.os``, ``os.system`` after ``import os.path``),
``introspection_escape`` (``__globals__``, ``__subclasses__``, ``print.__self__``, frames, ``sys.modules``,
``globals()[computed]``), ``homoglyph_identifier`` (look-alike letters), and ``encoded_payload`` for decoding
done at run time (``.decode("unicode_escape")``, ``bytes([...])``, ``chr()`` spellings, huge integers).

Bounded time and memory: input over 1 MB is refused without reading past the limit; the tree walk is
iterative (no Python recursion); the regular expressions are linear. The CLI runs the analysis in a child
interpreter (``analyze_isolated``) with a 20 s timeout and a 2 GiB address-space limit: a timeout becomes
``ANALYSIS_FAILED``, and a parser crash (CPython 3.10 segfaults on e.g. a 200,000-term ``1 + 1 + …``)
becomes ``INVALID_FILE``. ``RecursionError`` / ``MemoryError`` while parsing are ``INVALID_FILE`` too.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import os
import subprocess
import sys
from typing import Any, Dict, List, Optional, Set

from shoparena_runtime.evasion import check_evasions
from shoparena_runtime.importcheck import check_runtime_imports

__all__ = ["analyze_source", "analyze_path", "analyze_isolated", "classify_child", "MAX_FILE_BYTES", "main"]

SCHEMA = "shoparena.analysis/1"
MAX_FILE_BYTES = 1_000_000
TIME_BUDGET_SECONDS = 20
CHILD_MEMORY_BYTES = 2 * 1024 ** 3

SECURITY_MODULES = {
    "os", "subprocess", "commands", "socket", "http", "urllib", "requests", "ctypes", "cffi", "pickle", "shutil",
    "importlib", "builtins", "marshal", "shelve",
    # the same doors under other names (shelve unpickles what it opens): os's C half, process and socket internals, import and run machinery
    "posix", "nt", "_posixsubprocess", "pty", "multiprocessing", "_multiprocessing", "_socket", "_ctypes", "_pickle",
    "runpy", "imp", "pkgutil", "zipimport", "code", "codeop", "ftplib", "smtplib", "telnetlib", "xmlrpc", "webbrowser",
}
ALLOWED_MODULES = {"os.path", "urllib.parse"}
ALLOWED_FROM_NAMES = {"os": {"getenv", "path"}, "urllib": {"parse"}}
ENCODING_MODULES = {"base64", "binascii", "codecs", "zlib", "gzip", "bz2", "lzma", "encodings", "_codecs", "quopri", "uu"}
BANNED_NAMES = {"eval", "exec", "__import__"}

_PRODUCT_ID = re.compile(r"\d{8,12}")
_PRODUCT_ID_LIST = re.compile(r"\d{8,12}(?:\s*,\s*\d{8,12})+")
_BASE64ISH = re.compile(r"[A-Za-z0-9+/=_\-\r\n]+")
_HEXISH = re.compile(r"[0-9a-fA-F\s]+")
_WRITE_MODE = re.compile(r"[wax+]")


def _violation(rule: str, severity: str, message: str, node: Optional[ast.AST]) -> Dict[str, Any]:
    return {"rule": rule, "severity": severity, "message": message, "line": getattr(node, "lineno", None)}


def _is_product_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_PRODUCT_ID.fullmatch(value.strip()) or _PRODUCT_ID_LIST.fullmatch(value.strip()))


def _module_allowed(name: str) -> bool:
    return any(name == a or name.startswith(a + ".") for a in ALLOWED_MODULES)


def _banned_module(name: str) -> Optional[tuple]:
    """``(rule, severity)`` when an agent may not import module ``name``, else None."""
    top = name.split(".")[0]
    if top in ENCODING_MODULES:
        return ("encoding_module", "integrity")
    if top in SECURITY_MODULES and not _module_allowed(name):
        return ("banned_import", "security")
    return None


def _check_import(node: ast.AST, out: List[Dict[str, Any]]) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            top = alias.name.split(".")[0]
            if top in SECURITY_MODULES and not _module_allowed(alias.name):
                out.append(_violation("banned_import", "security", f"import of '{alias.name}' is not allowed", node))
            elif top in ENCODING_MODULES:
                out.append(_violation("encoding_module", "integrity", f"encoding module '{alias.name}' is not allowed", node))
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        module = node.module
        top = module.split(".")[0]
        if top in ENCODING_MODULES:
            out.append(_violation("encoding_module", "integrity", f"encoding module '{module}' is not allowed", node))
        elif top in SECURITY_MODULES and not _module_allowed(module):
            allowed = ALLOWED_FROM_NAMES.get(module, set())
            for alias in node.names:
                if alias.name not in allowed:
                    out.append(
                        _violation("banned_import", "security", f"'from {module} import {alias.name}' is not allowed", node)
                    )


def _const_str(node: Optional[ast.AST]) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _mode_arg(call: ast.Call, position: int) -> Optional[ast.AST]:
    for kw in call.keywords:
        if kw.arg == "mode":
            return kw.value
    if len(call.args) > position:
        return call.args[position]
    return None


def _check_call(node: ast.Call, out: List[Dict[str, Any]]) -> None:
    func = node.func
    if isinstance(func, ast.Name) and func.id == "open":
        mode_node = _mode_arg(node, 1)
        if mode_node is not None:
            mode = _const_str(mode_node)
            if mode is None:
                out.append(_violation("file_write", "security", "open() with a mode that is not a string literal", node))
            elif _WRITE_MODE.search(mode):
                out.append(_violation("file_write", "security", f"open() in mode '{mode}' writes files", node))
    elif isinstance(func, ast.Attribute):
        attr = func.attr
        if attr in ("write_text", "write_bytes"):
            out.append(_violation("file_write", "security", f".{attr}() writes files", node))
        elif attr == "open":
            mode_node = _mode_arg(node, 0)
            mode = _const_str(mode_node)
            if mode is not None and _WRITE_MODE.search(mode):
                out.append(_violation("file_write", "security", f".open() in mode '{mode}' writes files", node))
        elif attr == "fromhex":
            out.append(_violation("encoded_payload", "integrity", ".fromhex() decodes an encoded payload", node))
        elif attr == "__import__":
            out.append(_violation("banned_call", "security", "__import__ is not allowed", node))


def _check_constant(node: ast.Constant, out: List[Dict[str, Any]], in_table: Set[int]) -> None:
    value = node.value
    if isinstance(value, str):
        if id(node) not in in_table and _is_product_id(value):
            out.append(_violation("hardcoded_product_id", "integrity", f"hard-coded product id '{value[:60]}'", node))
            return
        compact = value.strip()
        if len(compact) >= 256 and " " not in compact and _BASE64ISH.fullmatch(compact):
            head = compact[:4096]
            mixed_case = any(c.isupper() for c in head) and any(c.islower() for c in head)
            letters_and_digits = any(c.isalpha() for c in head) and any(c.isdigit() for c in head)
            if mixed_case or letters_and_digits:
                out.append(_violation("encoded_payload", "integrity", f"base64-like string literal ({len(compact)} chars)", node))
                return
        if len(compact) >= 128 and _HEXISH.fullmatch(compact):
            out.append(_violation("encoded_payload", "integrity", f"hex-like string literal ({len(compact)} chars)", node))
    elif isinstance(value, bytes) and len(value) >= 128:
        binary = sum(1 for b in value if b < 9 or 13 < b < 32 or b > 126)
        if binary * 10 >= len(value) * 3:
            out.append(_violation("encoded_payload", "integrity", f"binary bytes literal ({len(value)} bytes)", node))


def _check_collection(node: ast.AST, out: List[Dict[str, Any]], in_table: Set[int]) -> None:
    if isinstance(node, ast.Dict):
        elements = [k for k in node.keys if k is not None] + list(node.values)
        keys = [_const_str(k) for k in node.keys if k is not None]
        querylike = [k for k in keys if k is not None and len(k) >= 30 and len(k.split()) >= 5]
        if len(querylike) >= 5:
            out.append(_violation("answer_table", "integrity", f"dict keyed by {len(querylike)} query-like texts", node))
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        elements = list(node.elts)
    else:
        return
    ids = [e for e in elements if isinstance(e, ast.Constant) and _is_product_id(e.value)]
    if len(ids) >= 3:
        out.append(_violation("answer_table", "integrity", f"literal collection of {len(ids)} product ids", node))
        in_table.update(id(e) for e in ids)


def _agent_main_status(tree: ast.Module) -> Optional[str]:
    """``None`` when a usable module-level agent_main exists, else a message."""
    stack: List[ast.stmt] = list(tree.body)
    found_async = False
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "agent_main":
            return None
        if isinstance(stmt, ast.AsyncFunctionDef) and stmt.name == "agent_main":
            found_async = True
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(isinstance(t, ast.Name) and t.id == "agent_main" for t in targets):
                return None
        elif isinstance(stmt, (ast.ImportFrom, ast.Import)):
            if any((a.asname or a.name) == "agent_main" for a in stmt.names):
                return None
        elif isinstance(stmt, (ast.If, ast.Try, ast.With)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(stmt, field, []) or []:
                    if isinstance(child, ast.ExceptHandler):
                        stack.extend(child.body)
                    else:
                        stack.append(child)
    if found_async:
        return "agent_main must be a regular function (def), not async def"
    return "the file must define agent_main(problem_data) at module level"


def _result(data: bytes) -> Dict[str, Any]:
    return {
        "schema": SCHEMA,
        "ok": False,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "has_agent_main": False,
        "file_error": None,
        "violations": [],
        "severity": None,
    }


def _file_error(result: Dict[str, Any], code: str, message: str, line: Optional[int] = None) -> Dict[str, Any]:
    result["file_error"] = {"code": code, "message": message, "line": line}
    return result


def analyze_source(data: bytes) -> Dict[str, Any]:
    """Analyse the bytes of an agent file; never raises for any input."""
    result = _result(data[: MAX_FILE_BYTES + 1] if len(data) > MAX_FILE_BYTES else data)
    result["size"] = len(data)
    if len(data) > MAX_FILE_BYTES:
        return _file_error(result, "FILE_TOO_LARGE", f"file is {len(data)} bytes; the limit is {MAX_FILE_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _file_error(result, "INVALID_FILE", f"file is not valid UTF-8 (byte offset {exc.start})")
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        tree = ast.parse(text, mode="exec")
    except SyntaxError as exc:
        return _file_error(result, "INVALID_FILE", f"syntax error: {exc.msg}", exc.lineno)
    except (ValueError, RecursionError, MemoryError) as exc:
        return _file_error(result, "INVALID_FILE", f"file cannot be parsed: {type(exc).__name__}: {exc}")

    problem = _agent_main_status(tree)
    result["has_agent_main"] = problem is None
    if problem is not None:
        return _file_error(result, "INVALID_FILE", problem)

    violations: List[Dict[str, Any]] = []
    in_table: Set[int] = set()
    nodes = list(ast.walk(tree))  # iterative breadth-first: containers are seen before their elements
    for node in nodes:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            _check_import(node, violations)
        elif isinstance(node, ast.Call):
            _check_call(node, violations)
        elif isinstance(node, ast.Name):
            if node.id in BANNED_NAMES:
                violations.append(_violation("banned_call", "security", f"'{node.id}' is not allowed", node))
            elif node.id == "__builtins__":
                violations.append(_violation("banned_call", "security", "access to __builtins__ is not allowed", node))
        elif isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
            _check_collection(node, violations, in_table)
    for node in nodes:
        if isinstance(node, ast.Constant):
            _check_constant(node, violations, in_table)
    violations.extend(check_runtime_imports(tree, _banned_module))
    violations.extend(check_evasions(nodes, _banned_module))

    seen = set()
    unique = []
    for v in sorted(violations, key=lambda v: (v["line"] or 0, v["rule"], v["message"])):
        key = (v["rule"], v["line"], v["message"])
        if key not in seen:
            seen.add(key)
            unique.append(v)
    result["violations"] = unique
    if any(v["severity"] == "integrity" for v in unique):
        result["severity"] = "integrity"
    elif any(v["severity"] == "security" for v in unique):
        result["severity"] = "security"
    elif unique:
        result["severity"] = "compatibility"
    result["ok"] = not unique
    return result


def _read_bounded(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    with open(path, "rb") as fh:
        return fh.read(MAX_FILE_BYTES + 1)


def analyze_path(path: str) -> Dict[str, Any]:
    """Read at most ``MAX_FILE_BYTES + 1`` bytes of ``path`` (``-`` = stdin) and analyse them in-process."""
    try:
        data = _read_bounded(path)
    except OSError as exc:
        return _file_error(_result(b""), "INVALID_FILE", f"cannot read {path}: {exc.strerror or exc}")
    return analyze_source(data)


def _limit_child() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    except (ImportError, ValueError, OSError):
        pass


def classify_child(data: bytes, returncode: int, stdout: bytes, stderr: bytes) -> Dict[str, Any]:
    """The result of an analysis child process: its JSON, or a file error saying why there is none."""
    if returncode == 0:
        try:
            result = json.loads(stdout.decode("utf-8"))
            if isinstance(result, dict) and result.get("schema") == SCHEMA:
                return result
        except ValueError:
            pass
        return _file_error(_result(data), "ANALYSIS_FAILED", "the analysis process printed no result")
    if returncode < 0:
        return _file_error(
            _result(data),
            "INVALID_FILE",
            f"the Python parser crashed on this file (signal {-returncode}); it is too deeply nested or too complex",
        )
    tail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    return _file_error(_result(data), "ANALYSIS_FAILED", f"analysis process failed (exit {returncode}): {tail[0][:300]}")


def analyze_isolated(data: bytes, timeout: float = TIME_BUDGET_SECONDS) -> Dict[str, Any]:
    """``analyze_source`` in a child interpreter with a time and memory limit.

    Some Python versions (3.10) crash with SIGSEGV while building the tree of pathological but small input
    (e.g. a 200,000-term ``1 + 1 + …``); a child turns that, a timeout or an out-of-memory into data.
    """
    if len(data) > MAX_FILE_BYTES:
        return analyze_source(data)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from shoparena_runtime.analyze import _worker; sys.exit(_worker())"
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-I", "-B", "-c", code, root],
            input=data,
            capture_output=True,
            timeout=timeout,
            preexec_fn=_limit_child if os.name == "posix" else None,
        )
    except subprocess.TimeoutExpired:
        return _file_error(_result(data), "ANALYSIS_FAILED", f"analysis exceeded {timeout:g} s")
    except OSError as exc:
        return _file_error(_result(data), "ANALYSIS_FAILED", f"cannot start the analysis process: {exc}")
    return classify_child(data, proc.returncode, proc.stdout, proc.stderr)


def _worker() -> int:
    """Child side of ``analyze_isolated``: bytes on stdin, JSON on stdout."""
    result = analyze_source(sys.stdin.buffer.read(MAX_FILE_BYTES + 1))
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        result = _file_error(_result(b""), "ANALYSIS_FAILED", "usage: python -m shoparena_runtime.analyze FILE|-")
    else:
        try:
            data = _read_bounded(args[0])
        except OSError as exc:
            result = _file_error(_result(b""), "INVALID_FILE", f"cannot read {args[0]}: {exc.strerror or exc}")
        else:
            try:
                result = analyze_isolated(data)
            except Exception as exc:  # defensive: errors are data
                result = _file_error(_result(data), "ANALYSIS_FAILED", f"{type(exc).__name__}: {exc}")
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
