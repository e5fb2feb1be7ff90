"""agent_interface: tool registry, tool_call_id, dialogue steps; src.agent shims."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import time

import pytest
from conftest import PYTHON_DIR

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


# -- ORO's public names (issue 13) ----------------------------------------------------------------------

#: Every public name of ORO's ``src/agent/agent_interface.py`` (main, 2026-05), written out by hand.
ORO_AGENT_INTERFACE_NAMES = [
    "ToolCallResult", "_TOOL_REGISTRY", "register_tool", "Tool", "get_tool", "generate_tool_call_id",
    "format_content", "create_dialogue_step", "execute_tool_call",
    # older ORO versions also had these
    "list_tools", "AgentOutput", "ToolResult",
]


def _stdlib_id(text: str, length: int) -> str:
    encoded = base64.urlsafe_b64encode(hashlib.md5(text.encode("utf-8")).digest()).decode("ascii")
    return encoded.replace("=", "").replace("+", "").replace("/", "")[:length]


def test_every_oro_name_is_importable_from_both_paths():
    import src.agent.agent_interface as shim

    for name in ORO_AGENT_INTERFACE_NAMES:
        assert hasattr(shim, name), name
        assert getattr(shim, name) is getattr(ai, name)
    assert ai._TOOL_REGISTRY is ai.TOOL_REGISTRY


@pytest.mark.parametrize("length", [1, 8, 12, 22, 40])
@pytest.mark.parametrize(
    "name, params, hashed_text",
    [
        ("find_product", {"q": "red shoes", "page": 1}, "find_product\n{'q': 'red shoes', 'page': 1}"),
        ("calculate_voucher", {"prices": [1.5, 2], "cap": None}, "calculate_voucher\n{'prices': [1.5, 2], 'cap': None}"),
        ("x", {}, "x\n{}"),
        ("über", {"q": "✓"}, "über\n{'q': '✓'}"),
    ],
)
def test_generate_tool_call_id_matches_stdlib_and_manual_base64(name, params, hashed_text, length):
    got = ai.generate_tool_call_id(name, params, length)
    assert got == _stdlib_id(hashed_text, length)
    # The independent base64 of this file agrees for the default length.
    assert ai.generate_tool_call_id(name, params) == _expected_id(hashed_text) == ai.tool_call_id(name, params)
    assert len(got) == min(length, len(_stdlib_id(hashed_text, 100)))
    assert all(c in _ALPHABET and c not in "=+/" for c in got)


def test_generate_tool_call_id_keeps_only_what_is_left_after_removing_plus_slash_and_padding():
    # A digest whose base64 has '-' or '_' where standard base64 has '+' or '/': URL-safe keeps them.
    for i in range(2000):
        text = f"t\n{{'i': {i}}}"
        standard = base64.b64encode(hashlib.md5(text.encode()).digest()).decode()
        if "+" in standard[:8] or "/" in standard[:8]:
            break
    else:  # pragma: no cover
        pytest.fail("no sample with '+' or '/' in the first 8 base64 characters")
    got = ai.generate_tool_call_id("t", {"i": i})
    assert got == _stdlib_id(text, 8)
    assert "-" in got or "_" in got


def test_format_content_is_oro_text_with_default_json_spacing():
    calls = [{"name": "find_product", "parameters": {"q": "bag", "page": 1}, "tool_call_id": "abc", "result": [1]},
             {"name": "terminate", "parameters": {}}]
    assert ai.format_content("hmm", calls, "ok") == (
        "<think>hmm</think>\n"
        '<tool_call>[{"name": "find_product", "parameters": {"q": "bag", "page": 1}}, '
        '{"name": "terminate", "parameters": {}}]</tool_call>\n'
        "<response>ok</response>"
    )
    assert ai.format_content("", [], "") == ""
    assert ai.format_content("", calls[1:], "") == '<tool_call>[{"name": "terminate", "parameters": {}}]</tool_call>'
    assert ai.format_content("a", [], "b") == "<think>a</think>\n<response>b</response>"


def test_register_tool_list_tools_and_registry_order():
    before = list(ai._TOOL_REGISTRY)

    def first():
        return 1

    def second():
        return 2

    ai.register_tool("_sa_order_b", first)
    ai.register_tool("_sa_order_a", second)
    assert ai.list_tools()[len(before):] == ["_sa_order_b", "_sa_order_a"]
    assert ai.get_tool("_sa_order_b") is first
    ai.register_tool("_sa_order_b", second)  # replaces, keeps its place
    assert ai.get_tool("_sa_order_b") is second
    assert ai.list_tools()[len(before):] == ["_sa_order_b", "_sa_order_a"]
    assert ai.execute_tool_call(tool_name="_sa_order_a", parameters={})["result"] == 2


def test_get_tool_error_names_the_available_tools():
    ai.register_tool("_sa_listed", lambda: None)
    with pytest.raises(ValueError) as info:
        ai.get_tool("_sa_nope")
    message = str(info.value)
    assert message.startswith("Tool '_sa_nope' is not registered. Available tools: ")
    assert "_sa_listed" in message and "recommend_product" in message


def test_tool_call_result_is_a_typed_dict_with_oros_fields():
    assert ai.ToolCallResult.__annotations__.keys() == {"name", "parameters", "tool_call_id", "result"}
    value = ai.ToolCallResult(name="n", parameters={}, tool_call_id="i", result=None)
    assert value == {"name": "n", "parameters": {}, "tool_call_id": "i", "result": None}


def test_registry_starts_empty_and_builtins_yield_to_registered_tools():
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from src.agent.agent_interface import _TOOL_REGISTRY, list_tools, execute_tool_call, register_tool;"
        "assert _TOOL_REGISTRY == {} and list_tools() == [], _TOOL_REGISTRY;"
        "r = execute_tool_call('recommend_product', {'product_ids': '1'});"
        "assert r['result'] == 'Having recommended the products to the user: 1.', r;"
        "assert _TOOL_REGISTRY == {};"
        "register_tool('terminate', lambda status='success': 'mine ' + status);"
        "assert execute_tool_call('terminate', {'status': 'x'})['result'] == 'mine x';"
        "assert list_tools() == ['terminate'];"
        "print('ok')"
    )
    proc = subprocess.run([sys.executable, "-I", "-B", "-c", code, str(PYTHON_DIR)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_execute_tool_call_hashes_the_parameters_it_was_given():
    @ai.Tool("_sa_echo")
    def _echo(**kwargs):
        return sorted(kwargs)

    params = {"b": 1, "a": [1, 2]}
    out = ai.execute_tool_call("_sa_echo", params)
    assert out["tool_call_id"] == _stdlib_id("_sa_echo\n{'b': 1, 'a': [1, 2]}", 8)
    assert out["parameters"] == params and out["result"] == ["a", "b"]
