"""Submission attacks beyond the plain rules (issue 19): every way around them is refused with its rule and
line, ordinary agents are not, and pathological 1 MB files end in a clean refusal within the time budget."""

from __future__ import annotations

import textwrap
import time

import pytest
from conftest import EXAMPLES_DIR, PYTHON_DIR

from shoparena_runtime.analyze import MAX_FILE_BYTES, TIME_BUDGET_SECONDS, analyze_isolated, analyze_source


def found(body: str, *, header: str = ""):
    """(rule, severity, line) of every violation of an agent whose ``agent_main`` runs ``body`` (line 3 on)."""
    source = header + "\ndef agent_main(p, b=None, m=None):\n" + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ") \
        + "\n    return []\n"
    result = analyze_source(source.encode("utf-8"))
    assert result["file_error"] is None, result["file_error"]
    return [(v["rule"], v["severity"], v["line"]) for v in result["violations"]], result


def body_line(header: str = "") -> int:
    """The line of the first statement of ``body`` (the header starts at line 1)."""
    return header.count("\n") + 3


# -- encoded payloads ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "b'\\\\x65\\\\x78\\\\x65\\\\x63'.decode('unicode_escape')",
        "b'\\\\x65'.decode(encoding='raw-unicode-escape')",
        "b'xn--exec-'.decode('punycode')",
        "b'+AGUAeABlAGM-'.decode('UTF-7')",
        "'rkrp'.encode('rot13')",
        "b'ZXhlYw=='.decode('base64')",
        "b'65786563'.decode('hex_codec')",
        "bytes([101, 120, 101, 99, 40, 39, 120, 39, 41])",
        "bytearray((1, 2, 3, 4, 5, 6, 7, 8))",
        "bytes(c ^ 7 for c in [98, 127, 98, 100, 47, 32, 46, 47])",
        "''.join(map(chr, [101, 120, 101, 99]))",
        "''.join(chr(c) for c in [101, 120, 101, 99])",
        "chr(101) + chr(120) + chr(101) + chr(99)",
        "bytes.fromhex('6578656300')",
    ],
)
def test_decoding_literals_at_run_time_is_an_encoded_payload(body):
    violations, result = found(body)
    assert ("encoded_payload", "integrity", 3) in violations
    assert result["severity"] == "integrity"


@pytest.mark.parametrize("body", ["(0x6f73).to_bytes(2, 'big').decode()", "int.to_bytes(28531, 2, 'big').decode()",
                                  "(0x7265717565737473).to_bytes(8, 'big')"])
def test_text_kept_as_a_number_and_turned_into_bytes_is_an_encoded_payload(body):
    violations, _ = found(body)
    assert ("encoded_payload", "integrity", 3) in violations


def test_to_bytes_of_a_computed_or_small_number_is_fine():
    violations, _ = found("n = len(p)\nx = n.to_bytes(2, 'big') + (1).to_bytes(1, 'big')")
    assert violations == []


def test_data_hidden_as_numbers_is_an_encoded_payload():
    table = ", ".join(str(i % 256) for i in range(80))
    violations, _ = found("return []", header=f"TABLE = [{table}]\nBIG = {2 ** 300}")
    assert ("encoded_payload", "integrity", 1) in violations
    assert ("encoded_payload", "integrity", 2) in violations


@pytest.mark.parametrize("line", ["import encodings", "from encodings import base64_codec", "import quopri", "import uu",
                                  "import _codecs", "import zlib", "import codecs", "import marshal"])
def test_every_decoding_module_is_refused(line):
    violations, _ = found("return []", header=line)
    assert any(rule in ("encoding_module", "banned_import") and ln == 1 for rule, _, ln in violations), violations


def test_a_decoding_module_reached_through_another_module_is_refused():
    violations, _ = found("json.codecs.decode('rkrp', 'rot13')", header="import json")
    assert ("encoding_module", "integrity", 3) in violations


# -- exec / eval / compile of built strings -----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "exec('im' + 'port o' + 's')",
        "eval(''.join(['_', '_imp', 'ort__']))",
        "exec(compile(m, '<x>', 'exec'))",
        "compile(m, '<x>', 'eval')",
        "f = compile",
        "getattr(b, 'exec')(m)",
        "getattr(b, 'ev' 'al')(m)",
        "setattr(b, 'compile', None)",
        "breakpoint()",
    ],
)
def test_running_text_as_code_is_refused(body):
    violations, result = found(body)
    assert ("banned_call", "security", 3) in violations
    assert result["ok"] is False


def test_the_names_re_compile_and_a_bound_compile_are_fine():
    violations, _ = found("R = re.compile(r'\\d+')\nreturn [R]", header="import re")
    assert violations == []
    violations, _ = found("return [compile(r'\\d+')]", header="from re import compile")
    assert violations == []


# -- __import__ and importlib -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, rule",
    [
        ("__import__('o' + 's')", "banned_call"),
        ("m.__import__('os')", "banned_call"),
        ("getattr(b, '__import__')('os')", "banned_call"),
        ("b.__dict__['__import__']('os')", "introspection_escape"),
    ],
)
def test_dunder_import_in_every_spelling_is_refused(body, rule):
    violations, _ = found(body)
    assert (rule, "security", 3) in violations


@pytest.mark.parametrize(
    "line",
    [
        "import importlib", "import importlib.util", "import importlib.machinery", "import importlib.util as u",
        "from importlib import import_module", "from importlib import util", "from importlib.util import spec_from_file_location",
        "from importlib.machinery import SourceFileLoader", "import pkgutil", "import runpy", "import imp", "import zipimport",
        "import posix", "from posix import system", "import _posixsubprocess", "import pty", "import multiprocessing",
        "import code", "import _socket",
    ],
)
def test_import_machinery_and_other_doors_are_refused(line):
    violations, _ = found("return []", header=line)
    assert ("banned_import", "security", 1) in violations


def test_sys_modules_and_frames_are_refused():
    violations, _ = found(
        """
        sys.modules['os'].system('id')
        sys._getframe(0).f_globals
        getattr(sys, 'modules')
        """,
        header="import sys",
    )
    assert ("introspection_escape", "security", 3) in violations
    assert ("introspection_escape", "security", 4) in violations
    assert ("introspection_escape", "security", 5) in violations
    violations, _ = found("return [modules]", header="from sys import modules")
    assert ("introspection_escape", "security", 1) in violations


@pytest.mark.parametrize("body", ["__loader__.get_data('/etc/hostname')", "__loader__.load_module('os')",
                                  "__spec__.loader.get_data('/etc/hostname')", "m = __spec__"])
def test_the_modules_own_loader_and_spec_are_refused(body):
    # Every module has these globals; through them the import machinery reads any file and loads any module.
    violations, _ = found(body)
    assert ("introspection_escape", "security", 3) in violations


def test_a_parameter_named_like_a_module_internal_is_only_a_name():
    source = b"def agent_main(__spec__):\n    return [__spec__]\n"
    assert analyze_source(source)["violations"] == []


@pytest.mark.parametrize("line", ["import shelve", "from shelve import open as shelf", "import pickle", "from pickle import loads",
                                  "from marshal import loads", "import _pickle"])
def test_pickle_and_its_doors_are_refused(line):
    # shelve.open unpickles whatever file it is given: the same door as pickle.loads.
    violations, _ = found("return []", header=line)
    assert ("banned_import", "security", 1) in violations


@pytest.mark.parametrize("body", ["'{0.__init__.__globals__}'.format(agent_main)", "'{f.__globals__[x]}'.format(f=agent_main)",
                                  "'{0.__self__}'.format_map({'0': print})"])
def test_format_fields_that_read_internals_are_refused(body):
    violations, _ = found(body)
    assert ("introspection_escape", "security", 3) in violations


def test_ordinary_format_strings_pass():
    violations, _ = found("x = '{0} {name.title} {p[query]:>10}'.format(p, name=p)")
    assert violations == []


# -- getattr(__builtins__, …) style lookups ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "getattr(__builtins__, 'ex' + 'ec')(m)",
        "__builtins__.__dict__['ev' + 'al'](m)",
        "globals()['__builtins__']",
        "globals()['__buil' + 'tins__']",
        "globals().get('__buil' + 'tins__')",
        "vars()[m]",
        "print.__self__",
        "len.__self__.exec",
        "().__class__.__base__.__subclasses__()",
        "object.__subclasses__()",
        "type(m).__mro__",
        "agent_main.__globals__",
        "agent_main.__code__.replace(co_code=m)",
        "type(agent_main.__code__)(*m)",
        "m.gi_frame.f_back",
        "m.__traceback__.tb_frame.f_globals",
        "getattr(m, '__globals__')",
    ],
)
def test_lookups_that_lead_to_the_builtins_are_refused(body):
    violations, result = found(body)
    assert any(line == 3 and severity == "security" for _, severity, line in violations), violations
    assert result["ok"] is False


@pytest.mark.parametrize(
    "header, body, rule",
    [
        ("import logging", "logging.os.system('id')", "banned_import"),
        ("import inspect", "inspect._os.system('id')", "banned_import"),
        ("import os.path", "os.system('id')", "banned_import"),
        ("import urllib.parse", "urllib.request.urlopen('http://x')", "banned_import"),
        ("import logging", "vars(logging)['os']", "introspection_escape"),
        ("import logging", "logging.__dict__['os']", "introspection_escape"),
        ("import src.agent.proxy_client as pc", "getattr(pc, 'o' + 's')", "introspection_escape"),
        ("import src.agent.proxy_client as pc", "getattr(pc, 'os')", "banned_import"),
        ("import src.agent.proxy_client as pc", "vars(pc)", "introspection_escape"),
    ],
)
def test_banned_modules_reached_through_allowed_ones_are_refused(header, body, rule):
    violations, _ = found(body, header=header)
    assert (rule, "security", body_line(header)) in violations, violations


def test_allowed_parts_of_partly_allowed_packages_stay_allowed():
    violations, _ = found(
        "return [os.path.join('a', 'b'), os.getenv('X'), urllib.parse.quote_plus('a b'), getattr(logging, m or 'INFO')]",
        header="import os.path\nimport urllib.parse\nimport logging",
    )
    assert violations == []


# -- unicode homoglyphs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, body, line",
    [
        ("", "ехес = print", 3),  # Cyrillic e, x, e, c
        ("", "return еval", 3),  # Cyrillic e + Latin 'val'
        ("import оs", "return []", 1),  # Cyrillic o
        ("", "x = m.ѕystem", 3),  # Cyrillic dze in an attribute
        ("def ехес(x):\n    return x", "return []", 1),
        ("", "return [Ο for Ο in m]", 3),  # Greek capital omicron
        ("", "return dict(рrice=1)", 3),  # keyword argument
    ],
)
def test_homoglyph_identifiers_are_refused(header, body, line):
    violations, _ = found(body, header=header)
    assert ("homoglyph_identifier", "security", line) in violations, violations


def test_homoglyph_message_names_the_letters_and_what_they_spell():
    result = analyze_source("def agent_main(p):\n    ехес = 1\n    return []\n".encode())
    message = result["violations"][0]["message"]
    assert "reads as 'exec'" in message and "U+0435 CYRILLIC SMALL LETTER IE" in message


def test_full_width_names_are_normalised_like_python_does():
    # NFKC folds ｅｘｅｃ to exec before Python runs it: it is refused as the real thing.
    violations, _ = found("ｅｘｅｃ(m)\nｇｅｔａｔｔｒ(b, 'ｅｖａｌ')")
    assert ("banned_call", "security", 3) in violations
    assert ("banned_call", "security", 4) in violations
    violations, _ = found("return []", header="import ｏｓ")
    assert ("banned_import", "security", 1) in violations


def test_identifiers_in_one_non_latin_script_are_fine():
    violations, _ = found("价格 = 1\ncafé = 2\nλ = 3\nreturn [价格, café, λ]")
    assert violations == []


# -- false positives -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(EXAMPLES_DIR.glob("*.py")) + [PYTHON_DIR / "tests" / "fixtures" / "oro_names_agent.py"],
                         ids=lambda p: p.name)
def test_example_and_oro_style_agents_pass(path):
    result = analyze_source(path.read_bytes())
    assert result["ok"] is True, result["violations"]


def test_ordinary_agent_idioms_pass():
    violations, _ = found(
        """
        import json as _json
        opts = [chr(65 + i) for i in range(4)]
        codes = [200, 201, 204]
        text = b'abc'.decode('utf-8') + 'x'.encode('ascii').decode() + b'y'.decode(encoding='latin-1')
        name = self_name = type(m).__name__
        tool = TOOLS.get(m) or getattr(m, 'name', None)
        registry = {f.__name__: f.__code__.co_varnames for f in (agent_main,)}
        if hasattr(m, 'keys'):
            pass
        role = 'system'
        return [opts, codes, text, name, tool, registry, role, MAX, m.__class__.__name__, vars(m)]
        """,
        header="import logging\nimport re\nTOOLS = {}\nMAX = 2 ** 62",
    )
    assert violations == []


# -- a 1 MB file of nested brackets (and other deep shapes) --------------------------------------------------


def _megabyte(prefix: bytes, unit: bytes, suffix: bytes = b"") -> bytes:
    count = (MAX_FILE_BYTES - len(prefix) - len(suffix)) // len(unit)
    data = prefix + unit * count + suffix
    assert MAX_FILE_BYTES - len(unit) < len(data) <= MAX_FILE_BYTES
    return data


@pytest.mark.parametrize(
    "data",
    [
        _megabyte(b"x = ", b"["),
        _megabyte(b"x = ", b"("),
        _megabyte(b"x = ", b"{"),
        _megabyte(b"x = ", b"[({"),
        _megabyte(b"def agent_main(p):\n    return ", b"[", b"\n"),
        _megabyte(b"x = ", b"[]" * 1, b"\n"),
    ],
    ids=["square", "round", "curly", "mixed", "in-agent_main", "flat-pairs"],
)
def test_a_megabyte_of_nested_brackets_is_refused_quickly_and_cleanly(data):
    started = time.monotonic()
    result = analyze_isolated(data)
    elapsed = time.monotonic() - started
    assert elapsed < TIME_BUDGET_SECONDS
    assert result["size"] == len(data) and result["ok"] is False
    assert result["file_error"]["code"] == "INVALID_FILE"


@pytest.mark.parametrize(
    "data",
    [
        _megabyte(b"x = ", b"-", b"1\n"),
        _megabyte(b"x = ", b"not ", b"1\n"),
        _megabyte(b"x = a", b".a", b"\n"),
        _megabyte(b"x = f", b"()", b"\n"),
        _megabyte(b"x = a", b"[0]", b"\n"),
        _megabyte(b"x = 1", b"+1", b"\n"),
        _megabyte(b"x = ", b"lambda:", b"1\n"),
    ],
    ids=["unary-minus", "not", "attribute-chain", "call-chain", "subscript-chain", "sum", "lambdas"],
)
def test_a_megabyte_of_deep_expressions_never_hangs_or_crashes(data):
    # The parser raises RecursionError / MemoryError (or, on some versions, crashes) on these: the isolated
    # analysis turns every outcome into a refusal within the analyzer's time budget.
    started = time.monotonic()
    result = analyze_isolated(data)
    elapsed = time.monotonic() - started
    assert elapsed < TIME_BUDGET_SECONDS + 5  # the child is killed at the budget; +5 s for starting and killing it
    assert result["size"] == len(data) and result["ok"] is False
    assert result["file_error"]["code"] in ("INVALID_FILE", "ANALYSIS_FAILED")
