"""agent_interface: tool registry, tool_call_id, dialogue steps; src.agent shims."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from shoparena_runtime import agent_interface as ai

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _manual_urlsafe_b64(data: bytes) -> str:
    """Independent base64url: 6-bit groups over the big-endian bit string, '=' padding to a multiple of 4."""
    bits = "".join(f"{byte:08b}" for byte in data)
    bits += "0" * (-len(bits) % 6)
    text = "".join(_ALPHABET[int(bits[i:i + 6], 2)] for i in range(0, len(bits), 6))
    return text + "=" * (-len(text) % 4)


def _expected_id(text: str) -> str:
    encoded = _manual_urlsafe_b64(hashlib.md5(text.encode("utf-8")).digest())
    for ch in "=+/":
        encoded = encoded.replace(ch, "")
    return encoded[:8]


@pytest.mark.parametrize(
    "name, params, hashed_text",
    [
        # The hashed text is written out by hand: name, newline, Python repr of the dict (insertion order).
        ("find_product", {"q": "red shoes", "page": 1}, "find_product\n{'q': 'red shoes', 'page': 1}"),
        ("view_product_information", {"product_ids": "123,456"}, "view_product_information\n{'product_ids': '123,456'}"),
        ("recommend_product", {"product_ids": "5035687794"}, "recommend_product\n{'product_ids': '5035687794'}"),
        ("terminate", {"status": "success"}, "terminate\n{'status': 'success'}"),
        ("find_product", {"page": 1, "q": "red shoes"}, "find_product\n{'page': 1, 'q': 'red shoes'}"),
        ("x", {}, "x\n{}"),
        ("find_product", {"q": "café", "price": None}, "find_product\n{'q': 'café', 'price': None}"),
    ],
)
def test_tool_call_id_matches_independent_computation(name, params, hashed_text):
    got = ai.tool_call_id(name, params)
    assert got == _expected_id(hashed_text)
    assert len(got) == 8 and all(c in _ALPHABET for c in got)


def test_tool_call_id_depends_on_key_order_and_values():
    a = ai.tool_call_id("find_product", {"q": "a", "page": 1})
    b = ai.tool_call_id("find_product", {"page": 1, "q": "a"})
    c = ai.tool_call_id("find_product", {"q": "a", "page": 2})
    assert len({a, b, c}) == 3


def test_manual_base64_helper_agrees_with_rfc4648_vectors():
    # RFC 4648 section 10 test vectors, to make sure the independent encoder itself is right.
    vectors = {b"": "", b"f": "Zg==", b"fo": "Zm8=", b"foo": "Zm9v", b"foob": "Zm9vYg==", b"fooba": "Zm9vYmE=",
               b"foobar": "Zm9vYmFy"}
    for raw, encoded in vectors.items():
        assert _manual_urlsafe_b64(raw) == encoded


def test_tool_decorator_forms_and_execute_tool_call():
    @ai.Tool
    def _sa_test_bare(x: int) -> int:
        return x + 1

    @ai.Tool("_sa_test_named")
    def _whatever(x: int) -> int:
        return x * 2

    @ai.Tool(name="_sa_test_kw")
    def _other() -> str:
        return "kw"

    assert ai.get_tool("_sa_test_bare") is _sa_test_bare
    out = ai.execute_tool_call("_sa_test_named", {"x": 4})
    assert out == {"name": "_sa_test_named", "parameters": {"x": 4},
                   "tool_call_id": _expected_id("_sa_test_named\n{'x': 4}"), "result": 8}
    assert ai.execute_tool_call("_sa_test_kw")["result"] == "kw"
    with pytest.raises(ValueError) as info:
        ai.get_tool("_sa_missing_tool")
    assert "_sa_test_bare" in str(info.value)


def test_builtin_recommend_and_terminate_results():
    rec = ai.execute_tool_call("recommend_product", {"product_ids": "1,2"})
    assert rec["result"] == "Having recommended the products to the user: 1,2."
    end = ai.execute_tool_call("terminate", {"status": "failure"})
    assert end["result"] == "The interaction has been completed with status: failure"


def test_create_dialogue_step_shape():
    call = ai.execute_tool_call("recommend_product", {"product_ids": "9"})
    before = int(time.time() * 1000)
    step = ai.create_dialogue_step("thinking", [call], "answer", "the query", 3)
    after = int(time.time() * 1000)
    completion = step["completion"]
    assert completion["reasoning_content"] == ""
    assert completion["content"] == (
        "<think>thinking</think>\n"
        '<tool_call>[{"name":"recommend_product","parameters":{"product_ids":"9"}}]</tool_call>\n'
        "<response>answer</response>"
    )
    assert completion["message"] == {"think": "thinking", "tool_call": [call], "response": "answer"}
    assert step["extra_info"]["step"] == 3 and step["extra_info"]["query"] == "the query"
    assert before <= step["extra_info"]["timestamp"] <= after
    json.dumps(step)


def test_create_dialogue_step_keeps_only_non_empty_parts():
    step = ai.create_dialogue_step("", [], "only a response", "q", 1, timestamp=5)
    assert step["completion"]["content"] == "<response>only a response</response>"
    assert step["completion"]["message"] == {"response": "only a response"}
    assert step["extra_info"]["timestamp"] == 5


def test_src_agent_shims_are_the_same_modules():
    import shoparena_runtime.proxy_client as pc
    import src.agent.agent_interface as shim_ai
    import src.agent.proxy_client as shim_pc
    from src.agent.agent_interface import TOOL_REGISTRY, create_dialogue_step

    assert shim_ai is ai and shim_pc is pc
    assert TOOL_REGISTRY is ai.TOOL_REGISTRY
    assert create_dialogue_step is ai.create_dialogue_step
