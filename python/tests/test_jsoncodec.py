"""jsoncodec: the harness's re-free JSON must match the json module exactly."""

from __future__ import annotations

import json

import pytest

from shoparena_runtime import jsoncodec


class _Opaque:
    def __str__(self) -> str:
        return "opaque!"


VALUES = [
    {"query": "red shoes", "problem_id": "p-1", "difficulty": 3, "nested": {"list": [1, 2.5, None, True, False]}},
    ["é", "\u2028", "\ud800", "tab\tquote\"backslash\\", "😀"],
    {1: "int key", 2.5: "float key", True: "bool key", None: "none key"},
    [float("inf"), float("-inf"), -0.0, 1e300, 10**40],
    "just a string",
    42,
    [],
    {},
]


def test_accelerated_on_cpython():
    assert jsoncodec.ACCELERATED


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_dumps_matches_json(value, ensure_ascii):
    assert jsoncodec.dumps(value, ensure_ascii=ensure_ascii) == json.dumps(value, ensure_ascii=ensure_ascii)


def test_dumps_default_and_unserializable():
    assert jsoncodec.dumps({"o": _Opaque()}, default=str) == '{"o": "opaque!"}'
    with pytest.raises(TypeError, match="Object of type _Opaque is not JSON serializable"):
        jsoncodec.dumps({"o": _Opaque()})
    cycle: list = []
    cycle.append(cycle)
    with pytest.raises(ValueError):
        jsoncodec.dumps(cycle)


@pytest.mark.parametrize(
    "text", [' {"a": [1, 2]} \n', '[1e5, -3, "\\u00e9", 1.25]', '"s"', "12", "NaN", " null ", '{"a": {"b": []}}']
)
def test_loads_matches_json(text):
    assert repr(jsoncodec.loads(text)) == repr(json.loads(text))


@pytest.mark.parametrize("text", ["", "{", "{} x", "\ufeff{}", "[1,]", '{"a" 1}'])
def test_loads_errors_are_jsons(text):
    with pytest.raises(json.JSONDecodeError) as ours:
        jsoncodec.loads(text)
    with pytest.raises(json.JSONDecodeError) as theirs:
        json.loads(text)
    assert str(ours.value) == str(theirs.value)
