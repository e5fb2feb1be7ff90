"""``json.loads`` / ``json.dumps`` on the C accelerator ``_json`` alone, for the harness's startup path.

``import json`` pulls in ``re`` (and with it ``enum``, ``functools``, ``collections``): milliseconds on
every problem's startup before ``agent_main`` is reached. The C scanner and encoder that ``json`` itself
uses live in ``_json`` and need none of that, so the harness reads the problem and writes
``PROBLEM_DATA`` and the result through them. Output is byte for byte what ``json.dumps`` gives with the
default separators; on any input the fast path does not accept cleanly, ``loads`` hands over to the real
``json.loads`` so errors (``json.JSONDecodeError``) and edge cases are exactly the standard library's.

The encoder is checked against a known sample at import; if ``_json`` is missing or behaves differently
(another Python implementation or version), both functions simply use the ``json`` module.
"""

from __future__ import annotations

__all__ = ["loads", "dumps", "ACCELERATED"]

_WHITESPACE = " \t\n\r"
_INF = float("inf")
_CONSTANTS = {"-Infinity": -_INF, "Infinity": _INF, "NaN": _INF - _INF}


def _not_serializable(o):
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


class _ScannerContext:
    """The attributes ``_json.make_scanner`` reads from a ``json.JSONDecoder`` (its defaults)."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _CONSTANTS.__getitem__


try:
    import _json

    _make_encoder = _json.make_encoder
    _encode_ascii = _json.encode_basestring_ascii
    _encode_utf8 = _json.encode_basestring
    _scan = _json.make_scanner(_ScannerContext())

    def _c_dumps(obj, ensure_ascii, default):
        encode = _encode_ascii if ensure_ascii else _encode_utf8
        if isinstance(obj, str):
            return encode(obj)
        chunks = _make_encoder({}, default, encode, None, ": ", ", ", False, False, True)(obj, 0)
        return "".join(chunks)

    ACCELERATED = (
        _c_dumps({"a": [1, 2.5, None, True, "\u00e9", -_INF]}, True, _not_serializable)
        == '{"a": [1, 2.5, null, true, "\\u00e9", -Infinity]}'
        and _scan('{"k": [1, 2.5, "x"]}', 0) == ({"k": [1, 2.5, "x"]}, 20)
    )
except Exception:  # no accelerator, or one with another calling convention
    ACCELERATED = False


def loads(text: str):
    """``json.loads(text)`` for a ``str``."""
    if ACCELERATED:
        start = len(text) - len(text.lstrip(_WHITESPACE))
        try:
            value, end = _scan(text, start)
        except Exception:
            value, end = None, -1
        if end >= 0 and not text[end:].strip(_WHITESPACE):
            return value
    import json

    return json.loads(text)


def dumps(obj, *, ensure_ascii: bool = True, default=None) -> str:
    """``json.dumps(obj, ensure_ascii=..., default=...)`` with the default separators."""
    if ACCELERATED:
        return _c_dumps(obj, ensure_ascii, default if default is not None else _not_serializable)
    import json

    return json.dumps(obj, ensure_ascii=ensure_ascii, default=default)
