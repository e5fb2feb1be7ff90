"""Run one agent file on one problem and write one result JSON. The sandbox's entry point.

Usage (see ``python/README.md`` for the whole contract)::

    python3 -B -m shoparena_runtime.harness --agent AGENT.py --problem PROBLEM.json --output RESULT.json \\
        [--proxy-socket /run/proxy.sock] [--problem-id ID]

Steps:

1. Read the problem (one JSON object) and strip ``reward``, ``voucher`` and ``reward_title_embeddings``.
2. If a proxy socket is given (``--proxy-socket`` or ``SHOPARENA_PROXY_SOCKET``), start a forwarder on
   ``127.0.0.1:<free port>`` and set ``SANDBOX_PROXY_URL`` to it. Set ``PROBLEM_DATA`` (stripped problem JSON).
   ``CHUTES_ACCESS_TOKEN`` and ``SANDBOX_MODEL`` pass through from the harness's own environment.
3. Load the agent file by path as module ``user_agent_<crc32(path) length>`` (12 hex digits), registered in ``sys.modules``
   before it executes (PEP 563 + dataclass agents need that), and call ``agent_main(problem)``.
4. Validate and post-process the steps (``dialogue.prepare_dialogue``) and write the result atomically
   (temporary file + rename). Then ``os._exit(0)`` so threads the agent left behind cannot keep the
   process alive. Exit code 1 only when the result file itself could not be written; 2 for bad arguments.

The result (schema ``shoparena.harness-result/1``)::

    {"schema", "status": "SUCCESS"|"FAILED", "problem_id": str|null, "execution_time": float s,
     "dialogue": [step]|null, "error": null|{"type", "message"}, "traceback": str|null,
     "warnings": [str], "python": "3.11.7"}

The agent runs in this interpreter, so it could tamper with the harness; the result is therefore only the
agent's own claim (its dialogue). Timing, timeouts and the trusted call log come from outside the sandbox.
"""

from __future__ import annotations

import zlib
import os
import sys
import time

try:  # what importlib.machinery re-exports, without importing importlib's package on every startup
    from _frozen_importlib import ModuleSpec
    from _frozen_importlib_external import SourceFileLoader
except ImportError:  # pragma: no cover - not CPython
    from importlib.machinery import ModuleSpec, SourceFileLoader
# typing is not imported: with postponed annotations nothing needs it at run time, and it costs
# milliseconds on every problem's startup (the names stay for type checkers).
if False:  # pragma: no cover
    from typing import Any, Dict, List, Optional  # noqa: F401

# Make ``src.agent.*`` (the ORO import path) resolvable whatever way this module was started.
_RUNTIME_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _RUNTIME_ROOT not in sys.path:
    sys.path.insert(0, _RUNTIME_ROOT)

from shoparena_runtime import RESULT_SCHEMA  # noqa: E402
from shoparena_runtime import jsoncodec  # noqa: E402
from shoparena_runtime.bridge import UnixSocketBridge  # noqa: E402
from shoparena_runtime.dialogue import InvalidDialogue, prepare_dialogue, truncate_text  # noqa: E402

__all__ = ["HIDDEN_KEYS", "strip_problem", "run", "main"]

#: Problem keys the agent must never see.
HIDDEN_KEYS = ("reward", "voucher", "reward_title_embeddings")
MAX_MESSAGE_CHARS = 4000
MAX_TRACEBACK_CHARS = 12000
MAX_TRACEBACK_FRAMES = 40

# Bound before agent code runs. ``jsoncodec`` rather than ``json``: same output, without importing ``re``
# (and ``enum``, ``functools``, ...) before every agent starts.
_dumps = jsoncodec.dumps
_loads = jsoncodec.loads
_replace = os.replace
_exit = os._exit
_perf = time.perf_counter


def strip_problem(problem: Dict[str, Any]) -> Dict[str, Any]:
    """A deep copy of ``problem`` without the hidden keys."""
    return {k: _clone(v) for k, v in problem.items() if k not in HIDDEN_KEYS}


def _error(type_name: str, message: str) -> Dict[str, str]:
    return {"type": type_name, "message": truncate_text(str(message), MAX_MESSAGE_CHARS)}


def _exception_error(exc: BaseException) -> Dict[str, str]:
    try:
        message = str(exc)
    except Exception:
        message = "<unprintable exception>"
    return _error(type(exc).__name__, message)


def _bounded_traceback(exc: BaseException) -> Optional[str]:
    try:
        import traceback  # only on failures: keeps it out of every run's startup

        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-MAX_TRACEBACK_FRAMES))
    except Exception:
        return None
    if len(text) > MAX_TRACEBACK_CHARS:
        text = f"...[truncated {len(text) - MAX_TRACEBACK_CHARS} chars]\n" + text[-MAX_TRACEBACK_CHARS:]
    return text


def _module_name(path: str) -> str:
    # crc32 + length rather than sha1: hashlib loads OpenSSL, milliseconds of startup for a module name.
    data = os.path.abspath(path).encode("utf-8", "replace")
    return "user_agent_%08x%04x" % (zlib.crc32(data), len(data) & 0xFFFF)


def load_agent(path: str):
    """Import the agent file by path; returns the module. Exceptions of the agent's top level propagate."""
    name = _module_name(path)
    # importlib.machinery rather than importlib.util: the same spec and module attributes, without util's
    # contextlib/functools imports on every problem's startup.
    loader = SourceFileLoader(name, path)
    spec = ModuleSpec(name, loader, origin=path)
    spec.has_location = True
    module = type(sys)(name)
    module.__spec__ = spec
    module.__loader__ = loader
    module.__file__ = path
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def run(
    agent_path: str,
    problem: Dict[str, Any],
    problem_id: Optional[str] = None,
) -> Dict[str, Any]:
    """Load the agent, call ``agent_main`` on the stripped problem, return the result dict (never raises)."""
    visible = strip_problem(problem)
    if problem_id is None and visible.get("problem_id") is not None:
        problem_id = str(visible["problem_id"])
    query = visible.get("query")
    query = query if isinstance(query, str) else ""
    os.environ["PROBLEM_DATA"] = _dumps(visible, default=str)

    result: Dict[str, Any] = {
        "schema": RESULT_SCHEMA,
        "status": "FAILED",
        "problem_id": problem_id,
        "execution_time": 0.0,
        "dialogue": None,
        "error": None,
        "traceback": None,
        "warnings": [],
        "python": ".".join(str(p) for p in sys.version_info[:3]),
    }
    started = _perf()
    returned: Any = None
    try:
        module = load_agent(agent_path)
        entry = getattr(module, "agent_main", None)
        if entry is None:
            raise ImportError("agent file does not define agent_main(problem_data)")
        if not callable(entry):
            raise ImportError(f"agent_main is not callable (it is a {type(entry).__name__})")
        returned = entry(_clone(visible))
        if hasattr(returned, "__await__") and hasattr(returned, "close"):
            returned.close()
            raise TypeError("agent_main returned a coroutine; it must be a regular function returning a list")
    except BaseException as exc:  # SystemExit and KeyboardInterrupt from agent code are failures too
        result["execution_time"] = round(_perf() - started, 6)
        result["error"] = _exception_error(exc)
        result["traceback"] = _bounded_traceback(exc)
        return result
    elapsed = round(_perf() - started, 6)
    result["execution_time"] = elapsed
    try:
        steps, warnings = prepare_dialogue(returned, query=query, problem_id=problem_id, execution_time=elapsed)
    except InvalidDialogue as exc:
        result["error"] = _error(exc.type_name, exc.message)
        return result
    except BaseException as exc:  # e.g. an agent object whose __eq__/__iter__ raises while being inspected
        result["error"] = _error("TypeError", f"agent_main returned a value that cannot be inspected: {exc!r}")
        return result
    result["status"] = "SUCCESS"
    result["dialogue"] = steps
    result["warnings"] = warnings
    return result


def write_result(path: str, result: Dict[str, Any]) -> None:
    """Write ``result`` as UTF-8 JSON via a temporary file in the same directory and a rename.

    No fsync: the reader is the host, right after this process ends, through the same page cache; the
    rename alone guarantees it sees the whole file or none. (fsync cost milliseconds per problem on a
    busy disk.)"""
    data = _dumps(result, ensure_ascii=False, default=str).encode("utf-8")
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "wb") as fh:
        fh.write(data)
    _replace(tmp, path)


def _read_problem(path: str) -> Dict[str, Any]:
    """The problem of ``path`` already stripped: the hidden keys never outlive this call, so agent code
    cannot find them by walking frames or the garbage collector's object list."""
    with open(path, "rb") as fh:
        data = _loads(fh.read().decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"problem file must hold one JSON object, got {type(data).__name__}")
    for key in HIDDEN_KEYS:
        data.pop(key, None)
    return data


_OPTIONS = {
    "--agent": "agent .py file defining agent_main(problem_data)",
    "--problem": "one problem as a JSON object (hidden keys are stripped)",
    "--output": "where to write the result JSON",
    "--proxy-socket": "Unix socket of the proxy; default $SHOPARENA_PROXY_SOCKET. Exposed to the agent as "
    "SANDBOX_PROXY_URL.",
    "--problem-id": "problem id to record (default: problem_id of the problem)",
}
_REQUIRED = ("--agent", "--problem", "--output")
_USAGE = "usage: python -m shoparena_runtime.harness --agent FILE --problem FILE --output FILE " \
         "[--proxy-socket PATH] [--problem-id ID]"


class _Args:
    """The parsed command line (``agent``, ``problem``, ``output``, ``proxy_socket``, ``problem_id``)."""

    def __init__(self, values: Dict[str, Optional[str]]) -> None:
        self.agent = values.get("--agent")
        self.problem = values.get("--problem")
        self.output = values.get("--output")
        self.proxy_socket = values.get("--proxy-socket")
        self.problem_id = values.get("--problem-id")


def parse_args(argv: Optional[List[str]] = None) -> _Args:
    """``--name value`` / ``--name=value`` options; exits 2 with the usage on a bad command line.

    Hand-rolled instead of argparse, whose imports (re, enum, gettext) cost tens of milliseconds on every
    problem's startup."""
    args = list(sys.argv[1:] if argv is None else argv)
    values: Dict[str, Optional[str]] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-h", "--help"):
            print(_USAGE + "\n\n" + "\n".join(f"  {k:<15} {v}" for k, v in _OPTIONS.items()))
            raise SystemExit(0)
        name, eq, value = arg.partition("=")
        if name not in _OPTIONS:
            _usage_error(f"unrecognized argument: {arg}")
        if not eq:
            if i + 1 >= len(args):
                _usage_error(f"argument {name}: expected one argument")
            i += 1
            value = args[i]
        values[name] = value
        i += 1
    missing = [k for k in _REQUIRED if not values.get(k)]
    if missing:
        _usage_error("the following arguments are required: " + ", ".join(missing))
    return _Args(values)


def _usage_error(message: str) -> None:
    print(f"{_USAGE}\nharness: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def _clone(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars) without importing ``copy``."""
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    import copy

    return copy.deepcopy(value)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    # Absolute before any agent code runs: an agent may chdir.
    args.output = os.path.abspath(args.output)
    args.agent = os.path.abspath(args.agent)
    warnings: List[str] = []
    socket_path = args.proxy_socket or os.environ.get("SHOPARENA_PROXY_SOCKET")
    bridge: Optional[UnixSocketBridge] = None
    if socket_path:
        # The socket itself may appear only after the sandbox started (the host starts the proxy
        # concurrently; the bridge waits for it), but its directory must be there.
        if not os.path.isdir(os.path.dirname(os.path.abspath(socket_path))):
            warnings.append(f"proxy socket {socket_path} does not exist; proxy calls will fail")
        try:
            bridge = UnixSocketBridge(socket_path).start()
            os.environ["SANDBOX_PROXY_URL"] = bridge.url
        except OSError as exc:
            warnings.append(f"could not start the proxy bridge: {exc}")

    try:
        problem = _read_problem(args.problem)
    except Exception as exc:
        result = {
            "schema": RESULT_SCHEMA,
            "status": "FAILED",
            "problem_id": args.problem_id,
            "execution_time": 0.0,
            "dialogue": None,
            "error": _error("HarnessError", f"cannot read problem file {args.problem}: {exc}"),
            "traceback": None,
            "warnings": warnings,
            "python": ".".join(str(p) for p in sys.version_info[:3]),
        }
    else:
        sys.argv = [args.agent]
        result = run(args.agent, problem, problem_id=args.problem_id)
        result["warnings"] = warnings + list(result.get("warnings") or [])

    try:
        write_result(args.output, result)
        code = 0
    except Exception as exc:
        print(f"shoparena harness: cannot write result to {args.output}: {exc}", file=sys.__stderr__)
        code = 1
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:
            pass
    return code


if __name__ == "__main__":
    _exit(main())
