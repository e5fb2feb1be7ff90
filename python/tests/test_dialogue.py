"""dialogue.prepare_dialogue: validation, post-processing, bounding."""

from __future__ import annotations

import json
import math
from collections import OrderedDict

import pytest

from shoparena_runtime.dialogue import InvalidDialogue, prepare_dialogue, truncate_text


def test_setdefault_fields_and_execution_time_on_first_step_only():
    steps, warnings = prepare_dialogue([{}, {"extra_info": {"query": "kept"}}], query="q", problem_id="p",
                                       execution_time=1.5, now_ms=1000)
    assert steps[0]["extra_info"] == {"step": 1, "query": "q", "timestamp": 1000, "problem_id": "p",
                                      "execution_time": 1.5}
    assert steps[1]["extra_info"] == {"query": "kept", "step": 2, "timestamp": 1000, "problem_id": "p"}
    assert warnings == []


def test_no_problem_id_means_no_problem_id_field():
    steps, _ = prepare_dialogue([{}], query="q", now_ms=1)
    assert "problem_id" not in steps[0]["extra_info"]


def test_agent_objects_are_not_mutated():
    original = [{"extra_info": {}}]
    prepare_dialogue(original, query="q")
    assert original == [{"extra_info": {}}]


def test_json_like_values_are_normalised():
    steps, warnings = prepare_dialogue(
        [{"a": (1, 2), "b": OrderedDict(x=1), 3: "int key", None: 1, "f": math.nan, "g": True}], now_ms=0
    )
    step = steps[0]
    assert step["a"] == [1, 2] and step["b"] == {"x": 1} and step["3"] == "int key" and step["null"] == 1
    assert step["f"] is None and step["g"] is True
    assert any("non-finite" in w for w in warnings)
    json.dumps(step, allow_nan=False)


def test_bad_values_name_their_path():
    with pytest.raises(InvalidDialogue) as info:
        prepare_dialogue([{"completion": {"message": {"tool_call": [{"result": b"bytes"}]}}}])
    assert info.value.type_name == "TypeError"
    assert "step 0.completion.message.tool_call[0].result" in info.value.message
    with pytest.raises(InvalidDialogue):
        prepare_dialogue([{(1, 2): "tuple key"}])


def test_deep_nesting_is_refused():
    deep = {}
    node = deep
    for _ in range(200):
        node["n"] = {}
        node = node["n"]
    with pytest.raises(InvalidDialogue) as info:
        prepare_dialogue([deep])
    assert "nested deeper" in info.value.message


def test_lone_surrogates_are_repaired():
    steps, warnings = prepare_dialogue([{"s": "a\ud800b"}])
    json.dumps(steps, ensure_ascii=False).encode("utf-8")
    assert any("surrogate" in w for w in warnings)


def test_truncation_marker_and_total_size_bound():
    assert truncate_text("abcdef", 3) == "abc...[truncated 3 chars]"
    assert truncate_text("abc", 3) == "abc"
    many = [{"s": "z" * 50_000} for _ in range(10)]
    steps, warnings = prepare_dialogue(many, max_total_bytes=100_000)
    assert len(json.dumps(steps)) <= 100_000
    assert steps[0]["s"].startswith("z" * 100) and "truncated" in steps[0]["s"]
    assert warnings
    with pytest.raises(InvalidDialogue) as info:
        prepare_dialogue([{"k": list(range(100_000))}], max_total_bytes=10_000)
    assert info.value.type_name == "OutputTooLarge"
