"""Submission-time rules against ways around the analyzer's simple rules (used by ``analyze``).

A rule such as "no ``import os``, no ``exec``" is only worth something if the same things cannot be reached
another way. This module refuses the other ways, each with its line and a message saying what to do instead:

security
  ``banned_call``          the builtin ``compile`` (text to code at run time, like ``exec``) unless the file
                           binds the name itself (``from re import compile``); ``getattr``/``setattr``/
                           ``hasattr``/``delattr`` with a literal name that is a banned call or module
  ``banned_import``        a banned module reached as an attribute of an imported module (``logging.os``,
                           ``json.codecs``, ``inspect._os``), and ``os.<name>`` / ``urllib.<name>`` after
                           ``import os.path`` / ``import urllib.parse`` (which bind the whole package)
  ``introspection_escape`` interpreter internals that lead to any module or builtin: ``__globals__``,
                           ``__subclasses__``, ``__mro__``, ``__bases__``, ``__self__`` (``print.__self__`` is
                           the builtins module), ``__code__``, frame attributes (``f_globals``, ``tb_frame`` …),
                           ``sys.modules`` / ``sys._getframe``, the same names as string literals or inside a
                           ``str.format`` field (``'{0.__globals__}'``), the module's own ``__loader__`` and
                           ``__spec__`` (the import machinery: ``__loader__.get_data(path)``, ``load_module``), and
                           ``globals()`` / ``vars()`` / ``locals()`` looked up with a computed key
  ``homoglyph_identifier`` an identifier written with letters that look like Latin ones (Cyrillic ``е``,
                           Greek ``ο`` …) or mixing Latin with such a script. Python NFKC-normalises
                           identifiers, so full-width ``ｅｘｅｃ`` already *is* ``exec`` for the other rules;
                           look-alikes are not folded by NFKC and would mislead a reader (and any check that
                           compares names)
integrity
  ``encoded_payload``      decoding at run time of data kept in the file: ``.decode()`` / ``.encode()`` with a
                           codec that hides text (``unicode_escape``, ``punycode``, ``utf-7``, ``rot13``,
                           ``base64`` …), ``bytes`` / ``bytearray`` of a literal list of integers, strings
                           spelled with ``chr()`` codes (``chr(101) + …``, ``map(chr, [...])``, ``chr(c) for c in
                           [...]``), literal lists of 64+ byte values, integer literals too large to be
                           anything but data, and ``<int literal>.to_bytes(…)`` (text kept as a number)

Everything here is a walk over the tree already built (no recursion, no import of the agent's modules).
"""

from __future__ import annotations

import ast
import re
import unicodedata
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple

__all__ = ["check_evasions"]

#: ``module_name -> (rule, severity)`` for a module agents may not import, else None (the analyzer's rules).
BannedModule = Callable[[str], Optional[Tuple[str, str]]]

#: Attributes that lead from any object to globals, builtins, other modules or raw code.
INTERNAL_ATTRIBUTES = frozenset({
    "__globals__", "__builtins__", "__subclasses__", "__bases__", "__base__", "__mro__", "__self__",
    "__loader__", "__spec__", "__import__", "f_globals", "f_locals", "f_builtins", "f_back", "f_code", "gi_frame",
    "gi_code", "cr_frame", "cr_code", "ag_frame", "tb_frame", "func_globals", "co_code", "CodeType",
})
#: Keyword arguments that put new bytecode into a code object (``code.replace(co_code=…)``). Reading
#: ``__code__`` (``f.__code__.co_varnames`` for a tool schema) is harmless and stays allowed.
CODE_FIELDS = frozenset({"co_code", "co_consts", "co_names"})
#: Module globals every file has that hand out the import machinery (``__loader__.get_data``, ``.load_module``).
MODULE_INTERNALS = frozenset({"__loader__", "__spec__"})
#: Attribute names inside a ``str.format`` replacement field (``{0.__init__.__globals__}``).
_FORMAT_FIELD = re.compile(r"\{[^{}]*\}")
_FORMAT_ATTRIBUTE = re.compile(r"\.\s*([A-Za-z_]\w*)")
#: ``sys`` attributes that hand out modules or frames.
SYS_ATTRIBUTES = frozenset({"modules", "_getframe", "_current_frames", "meta_path", "path_hooks", "path_importer_cache"})
#: Builtins that run or build code, or import, by name.
CODE_BUILTINS = frozenset({"eval", "exec", "compile", "__import__", "execfile", "breakpoint"})
#: Codecs that turn innocent-looking text or bytes into other text (normalised: lower case, ``-`` → ``_``).
HIDING_CODECS = frozenset({
    "unicode_escape", "raw_unicode_escape", "punycode", "idna", "utf_7", "utf7", "u7", "unicode_1_1_utf_7",
    "rot13", "rot_13", "base64", "base_64", "base64_codec", "hex", "hex_codec", "zlib", "zip", "zlib_codec", "bz2",
    "bz2_codec", "quopri", "quotedprintable", "quoted_printable", "quopri_codec", "uu", "uu_codec",
})
#: Packages that ``import pkg.sub`` binds whole although only ``pkg.<allowed>`` may be used.
PARTLY_ALLOWED = {"os": frozenset({"path", "getenv"}), "urllib": frozenset({"parse"})}
MIN_INT_LIST = 8
MIN_CHR_CODES = 4
MIN_BYTE_TABLE = 64
MAX_INT_BITS = 256

#: Letters of other scripts that look like Latin letters (lower and upper case), and the Latin letter.
_LOOKALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m", "н": "h",
    "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ɡ": "g",
    "А": "A", "В": "B", "Е": "E", "Ѕ": "S", "І": "I", "Ј": "J", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "Ү": "Y", "Ԛ": "Q", "Ԝ": "W",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ι": "i", "ν": "v", "κ": "k", "τ": "t", "υ": "u", "χ": "x", "ε": "e",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P",
    "Τ": "T", "Υ": "Y", "Χ": "X",
    # Armenian, Latin extensions that look like ASCII
    "օ": "o", "ս": "u", "ո": "n", "հ": "h", "զ": "q", "ı": "i", "ȷ": "j", "ſ": "f",
}
_CONFUSABLE_SCRIPTS = frozenset({"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"})


def _violation(rule: str, severity: str, message: str, node: ast.AST) -> Dict[str, Any]:
    return {"rule": rule, "severity": severity, "message": message, "line": getattr(node, "lineno", None)}


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _const_str(node: Optional[ast.AST]) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _nfkc(node.value)
    return None


def _int_list(node: ast.AST) -> Optional[int]:
    """The length of a literal list/tuple/set made only of integers, else None."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)) and node.elts:
        if all(isinstance(e, ast.Constant) and type(e.value) is int for e in node.elts):
            return len(node.elts)
    return None


def _root_name(node: ast.AST) -> Optional[str]:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _is_call_to(node: ast.AST, names: Iterable[str]) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names


# -- homoglyphs ----------------------------------------------------------------------------------------------


def _script(char: str) -> str:
    if char.isascii():
        return "LATIN"
    try:
        return unicodedata.name(char).split(" ")[0]
    except ValueError:
        return "UNKNOWN"


def _homoglyph_problem(identifier: str) -> Optional[str]:
    """Why ``identifier`` is deceptive, or None."""
    if identifier.isascii():
        return None
    lookalikes = [c for c in identifier if c in _LOOKALIKES]
    skeleton = "".join(_LOOKALIKES.get(c, c) for c in identifier)
    if lookalikes and skeleton.isascii():
        described = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in dict.fromkeys(lookalikes))
        return (f"identifier '{identifier}' reads as '{skeleton}' but is spelled with look-alike letters ({described}); "
                "write identifiers in plain ASCII")
    scripts = {_script(c) for c in identifier if c.isalpha()}
    if "LATIN" in scripts and scripts & _CONFUSABLE_SCRIPTS:
        others = ", ".join(sorted(scripts & _CONFUSABLE_SCRIPTS))
        return f"identifier '{identifier}' mixes Latin letters with {others} letters; write identifiers in one script"
    return None


def _identifiers(node: ast.AST) -> Iterable[str]:
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.Attribute):
        yield node.attr
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, ast.arg):
        yield node.arg
    elif isinstance(node, ast.keyword) and node.arg:
        yield node.arg
    elif isinstance(node, ast.alias):
        yield from node.name.split(".")
        if node.asname:
            yield node.asname
    elif isinstance(node, ast.ImportFrom) and node.module:
        yield from node.module.split(".")
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        yield from node.names
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name
    else:
        for field in ("name", "rest"):  # match patterns (MatchAs, MatchStar, MatchMapping)
            value = getattr(node, field, None)
            if type(node).__name__.startswith("Match") and isinstance(value, str):
                yield value


# -- the walk ------------------------------------------------------------------------------------------------


class _Context:
    """What the whole file tells about names: how each imported name was bound, and which names it binds."""

    def __init__(self, nodes: List[ast.AST]) -> None:
        self.imported: Dict[str, str] = {}  # bound name -> dotted module (or module.name) it came from
        self.whole_package: Dict[str, str] = {}  # `import os.path` binds `os` -> "os.path"
        self.bound: Set[str] = set()  # names the file binds other than by `import x`
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.imported[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.imported[top] = top
                        if "." in alias.name:
                            self.whole_package[top] = alias.name
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name != "*":
                        name = alias.asname or alias.name
                        self.imported[name] = f"{node.module or ''}.{alias.name}"
                        self.bound.add(name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                self.bound.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.bound.add(node.name)
            elif isinstance(node, ast.arg):
                self.bound.add(node.arg)

    def module_of(self, name: Optional[str]) -> Optional[str]:
        """The module an imported name stands for (``import x`` / ``import x as y``), else None."""
        if name is None or name not in self.imported or name in self.bound:
            return None
        return self.imported[name]


def _is_runtime(dotted: str) -> bool:
    return dotted.split(".")[0] in ("src", "shoparena_runtime")


def check_evasions(nodes: List[ast.AST], banned: BannedModule) -> List[Dict[str, Any]]:
    """Violations ``{rule, severity, message, line}`` for the ways around the plain rules (see the module doc).

    ``nodes`` is every node of the tree (``list(ast.walk(tree))``); ``banned(module)`` gives ``(rule, severity)``
    for a module agents may not import.
    """
    context = _Context(nodes)
    out: List[Dict[str, Any]] = []
    parents: Dict[int, ast.AST] = {}
    for node in nodes:
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node

    def statement_of(node: ast.AST) -> ast.AST:
        while not isinstance(node, ast.stmt) and id(node) in parents:
            node = parents[id(node)]
        return node

    chr_codes: Dict[int, Tuple[ast.AST, int]] = {}
    for node in nodes:
        for identifier in _identifiers(node):
            problem = _homoglyph_problem(identifier)
            if problem:
                out.append(_violation("homoglyph_identifier", "security", problem, node))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id == "compile" and "compile" not in context.bound and "compile" not in context.imported:
                out.append(_violation("banned_call", "security",
                                      "'compile' turns text into code at run time and is not allowed (re.compile is fine)",
                                      node))
            elif node.id == "breakpoint":
                out.append(_violation("banned_call", "security", "'breakpoint' starts a debugger and is not allowed", node))
            elif node.id in MODULE_INTERNALS and node.id not in context.bound:
                out.append(_violation("introspection_escape", "security",
                                      f"'{node.id}' is the import machinery (it reads files and loads modules); it is not allowed",
                                      node))
        elif isinstance(node, ast.Attribute):
            _check_attribute(node, context, banned, out)
        elif isinstance(node, ast.ImportFrom) and node.module == "sys":
            for alias in node.names:
                if alias.name in SYS_ATTRIBUTES:
                    out.append(_violation("introspection_escape", "security",
                                          f"'from sys import {alias.name}' hands out any module or frame; it is not allowed",
                                          node))
        elif isinstance(node, ast.Call):
            _check_call(node, context, out)
            if isinstance(node.func, ast.Name) and node.func.id == "chr" and node.args \
                    and isinstance(node.args[0], ast.Constant) and type(node.args[0].value) is int:
                statement = statement_of(node)
                first, count = chr_codes.get(id(statement), (node, 0))
                chr_codes[id(statement)] = (first, count + 1)
        elif isinstance(node, ast.comprehension):
            count = _int_list(node.iter)
            owner = parents.get(id(node))
            if count is not None and count >= MIN_CHR_CODES and owner is not None and any(
                    _is_call_to(n, ("chr",)) for n in ast.walk(owner)):
                out.append(_violation("encoded_payload", "integrity",
                                      f"text built with chr() from {count} literal codes hides what it says; write the string",
                                      node.iter))
        elif isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) >= MIN_BYTE_TABLE:
            if all(isinstance(e, ast.Constant) and type(e.value) is int and 0 <= e.value <= 255 for e in node.elts):
                out.append(_violation("encoded_payload", "integrity",
                                      f"literal list of {len(node.elts)} byte values: data hidden as numbers", node))
        elif isinstance(node, ast.Subscript):
            if _is_call_to(node.value, ("globals", "vars", "locals")) and _const_str(node.slice) is None:
                out.append(_violation("introspection_escape", "security",
                                      f"{node.value.func.id}() looked up with a computed key can reach any global or "  # type: ignore[attr-defined]
                                      "builtin; use a dict of your own", node))
        elif isinstance(node, ast.Constant):
            text = _const_str(node)
            if text is not None and (text in INTERNAL_ATTRIBUTES or text == "__builtins__"):
                out.append(_violation("introspection_escape", "security",
                                      f"the string '{text}' names an interpreter internal; it is not allowed", node))
            elif text is not None and "{" in text and (internal := _format_internal(text)) is not None:
                out.append(_violation("introspection_escape", "security",
                                      f"the format field '{internal[0]}' reaches '.{internal[1]}', an interpreter internal; "
                                      "it is not allowed", node))
            elif type(node.value) is int and node.value.bit_length() > MAX_INT_BITS:
                out.append(_violation("encoded_payload", "integrity",
                                      f"integer literal of {node.value.bit_length()} bits: data encoded as a number", node))
    for first, count in chr_codes.values():
        if count >= MIN_CHR_CODES:
            out.append(_violation("encoded_payload", "integrity",
                                  f"text spelled with {count} chr() codes hides what it says; write the string", first))
    return out


def _check_attribute(node: ast.Attribute, context: _Context, banned: BannedModule, out: List[Dict[str, Any]]) -> None:
    attr = node.attr
    if attr in INTERNAL_ATTRIBUTES:
        out.append(_violation("introspection_escape", "security",
                              f"'.{attr}' reaches interpreter internals (globals, builtins, other modules); it is not allowed",
                              node))
        return
    value = node.value
    if not isinstance(value, ast.Name):
        module = None
    else:
        module = context.module_of(value.id)
    if module is None:
        return
    if attr == "__dict__":
        out.append(_violation("introspection_escape", "security",
                              f"'{value.id}.__dict__' exposes everything module {module} imported; use its attributes",
                              node))
        return
    if module == "sys" and attr in SYS_ATTRIBUTES:
        out.append(_violation("introspection_escape", "security",
                              f"'sys.{attr}' hands out any module or frame; it is not allowed", node))
        return
    if _is_runtime(module):
        return  # importcheck resolves runtime modules for real and reports what they re-export
    partly = PARTLY_ALLOWED.get(module)
    if partly is not None and value.id in context.whole_package and attr not in partly:
        allowed = ", ".join(f"{module}.{a}" for a in sorted(partly))
        out.append(_violation("banned_import", "security",
                              f"'{module}.{attr}' is not allowed ('import {context.whole_package[value.id]}' binds all of "
                              f"{module}; only {allowed} may be used)", node))
        return
    target = attr.lstrip("_")
    verdict = banned(target) if target else None
    if verdict is not None and banned(module) is None:
        out.append(_violation(verdict[0], verdict[1],
                              f"'{target}' reached through {module}.{attr} is not allowed (importing it is not either)",
                              node))


def _format_internal(text: str) -> Optional[Tuple[str, str]]:
    """The first ``str.format`` replacement field of ``text`` reading an internal attribute, and that attribute."""
    for field in _FORMAT_FIELD.findall(text):
        for attribute in _FORMAT_ATTRIBUTE.findall(field):
            if attribute in INTERNAL_ATTRIBUTES or attribute == "__builtins__":
                return field, attribute
    return None


def _codec_argument(call: ast.Call) -> Optional[str]:
    for kw in call.keywords:
        if kw.arg == "encoding":
            return _const_str(kw.value)
    return _const_str(call.args[0]) if call.args else None


def _check_call(node: ast.Call, context: _Context, out: List[Dict[str, Any]]) -> None:
    func = node.func
    if _is_call_to(func, ("type",)) and func.args and isinstance(func.args[0], ast.Attribute) \
            and func.args[0].attr == "__code__":  # type: ignore[attr-defined]
        out.append(_violation("introspection_escape", "security",
                              "type(….__code__)(…) builds a code object from raw bytecode; it is not allowed", node))
    for kw in node.keywords:
        if kw.arg in CODE_FIELDS:
            out.append(_violation("introspection_escape", "security",
                                  f"'{kw.arg}=' puts new bytecode into a code object; it is not allowed", node))
    if isinstance(func, ast.Attribute) and func.attr == "get" and _is_call_to(func.value, ("globals", "vars", "locals")):
        if node.args and _const_str(node.args[0]) is None:
            out.append(_violation("introspection_escape", "security",
                                  f"{func.value.func.id}().get() with a computed key can reach any global or builtin; "  # type: ignore[attr-defined]
                                  "use a dict of your own", node))
        return
    if isinstance(func, ast.Attribute) and func.attr == "to_bytes":
        receiver = node.args[0] if isinstance(func.value, ast.Name) and func.value.id == "int" and node.args else func.value
        if isinstance(receiver, ast.Constant) and type(receiver.value) is int and receiver.value.bit_length() > 8:
            out.append(_violation("encoded_payload", "integrity",
                                   f"{receiver.value}.to_bytes(…) turns a number kept in the file into bytes (text hidden as a "
                                   "number); write it in plain text", node))
        return
    if isinstance(func, ast.Attribute) and func.attr in ("decode", "encode"):
        codec = _codec_argument(node)
        if codec is not None and codec.strip().lower().replace("-", "_").replace(" ", "_") in HIDING_CODECS:
            out.append(_violation("encoded_payload", "integrity",
                                  f".{func.attr}('{codec}') decodes text hidden in the file; write it in plain text", node))
        return
    if not isinstance(func, ast.Name):
        return
    name = func.id
    if name in ("bytes", "bytearray") and node.args:
        arg = node.args[0]
        count = _int_list(arg.generators[0].iter) if isinstance(arg, (ast.GeneratorExp, ast.ListComp)) else _int_list(arg)
        if count is not None and count >= MIN_INT_LIST:
            out.append(_violation("encoded_payload", "integrity",
                                  f"{name}() of a literal list of {count} integers: data hidden as numbers", node))
    elif name == "map" and len(node.args) >= 2 and isinstance(node.args[0], ast.Name) and node.args[0].id == "chr":
        count = _int_list(node.args[1])
        if count is not None and count >= MIN_CHR_CODES:
            out.append(_violation("encoded_payload", "integrity",
                                  f"map(chr, …) over {count} literal codes hides what the text says; write the string",
                                  node))
    elif name in ("getattr", "setattr", "delattr", "hasattr") and len(node.args) >= 2:
        attr = _const_str(node.args[1])
        if attr is None:
            return
        if attr in CODE_BUILTINS:
            out.append(_violation("banned_call", "security", f"{name}(…, '{attr}') reaches '{attr}', which is not allowed", node))
        elif attr in SYS_ATTRIBUTES and context.module_of(_root_name(node.args[0])) == "sys":
            out.append(_violation("introspection_escape", "security",
                                  f"{name}(sys, '{attr}') hands out any module or frame; it is not allowed", node))
    elif name == "vars" and node.args and isinstance(node.args[0], ast.Name) and context.module_of(node.args[0].id):
        out.append(_violation("introspection_escape", "security",
                              f"vars() of module '{node.args[0].id}' exposes everything it imported; use its attributes",
                              node))
