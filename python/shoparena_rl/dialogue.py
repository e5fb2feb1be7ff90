"""What the scorer reads from a dialogue (`Sources/Scoring/DialogueAnalysis.swift`, `FormatRule.swift`,
`MalformedDialogue.swift`, `Recommendation.swift`), and the conversion of training completions to dialogues.

A completion is one of:

* text in ORO's dialect, `<think>…</think>\\n<tool_call>[{"name": …, "parameters": {…}}]</tool_call>\\n<response>…</response>`
  (one step; every `<tool_call>` block is read, in order);
* a list of OpenAI chat messages: each assistant message is one step, `reasoning_content` its think text,
  `tool_calls` (`function.arguments` JSON text) its calls, `content` its response (content written in ORO's
  dialect is read as such);
* ORO dialogue steps (`{"completion": {"message": …}, "extra_info": …}`), as an agent returns them, or an
  envelope object with `dialogue` and `status`.

Text and chat completions carry no timestamps: their steps are not given ORO's missing-timestamp penalty.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

__all__ = ["Analysis", "Issue", "analyse", "completion_steps", "split_ids"]

TAGS = ["<think>", "</think>", "<tool_call>", "</tool_call>", "<response>", "</response>"]
_TAG_NAMES = ["think", "tool_call", "response"]

#: Python's str.isspace() code points, as ShopArena's PythonText.isSpace lists them.
_SPACE = set(range(0x09, 0x0E)) | set(range(0x1C, 0x21)) | {0x85, 0xA0, 0x1680} | set(range(0x2000, 0x200B)) | {
    0x2028,
    0x2029,
    0x202F,
    0x205F,
    0x3000,
}


@dataclass
class Issue:
    code: str
    message: str
    step: Optional[int] = None

    def as_dict(self) -> Dict[str, Any]:
        return {"code": self.code, "message": self.message, "step": self.step}


def _truthy(v: Any) -> bool:
    return bool(v) if v is not None else False


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return type(v).__name__


def _get(v: Any, key: str) -> Any:
    return v.get(key) if isinstance(v, dict) else None


def _strip(s: str) -> str:
    i, j = 0, len(s)
    while i < j and ord(s[i]) in _SPACE:
        i += 1
    while j > i and ord(s[j - 1]) in _SPACE:
        j -= 1
    return s[i:j]


def split_ids(text: str, profile_splitting: str) -> List[str]:
    """Splits a `product_ids` string: "trimmed" (ORO: strip, drop empty, drop repeats) or "plain"."""
    pieces = text.split(",")
    if profile_splitting == "plain":
        return pieces
    seen = set()
    out = []
    for piece in pieces:
        pid = _strip(piece)
        if pid and pid not in seen:
            seen.add(pid)
            out.append(pid)
    return out


# MARK: - Format rule


def _first_tag(s: str, opening_only: bool) -> Optional[str]:
    i = s.find("<")
    while i != -1:
        j = i + 1
        closing = s.startswith("/", j)
        if closing:
            j += 1
        if not (closing and opening_only):
            for name in _TAG_NAMES:
                if s.startswith(name + ">", j):
                    return ("</" if closing else "<") + name + ">"
        i = s.find("<", i + 1)
    return None


def _first_opening_tag_in_strings(v: Any) -> Optional[str]:
    if isinstance(v, str):
        return _first_tag(v, True)
    if isinstance(v, list):
        for item in v:
            t = _first_opening_tag_in_strings(item)
            if t:
                return t
    if isinstance(v, dict):
        for k, item in v.items():
            t = _first_tag(k, True) or _first_opening_tag_in_strings(item)
            if t:
                return t
    return None


def _well_formed_call(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("parameters"), dict)


def format_failure(raw: Any) -> Optional[str]:
    """The first reason a step fails ORO's format rule (checked on the message parts), or None."""
    if not isinstance(raw, dict):
        return "step_not_object"
    completion = raw.get("completion")
    if not isinstance(completion, dict):
        return "missing_completion"
    message = completion.get("message")
    if not isinstance(message, dict):
        return "missing_message"
    think, tool_call, response = message.get("think"), message.get("tool_call"), message.get("response")
    for name, part in (("think", think), ("response", response)):
        if _truthy(part) and not isinstance(part, str):
            return f"{name}_not_string"
    if not _truthy(think):
        return "missing_think"
    has_tool, has_response = _truthy(tool_call), _truthy(response)
    if not (has_tool or has_response):
        return "missing_tool_call_and_response"
    if isinstance(think, str) and _first_tag(think, False):
        return "tag_inside_think"
    if has_tool and _first_opening_tag_in_strings(tool_call):
        return "tag_inside_tool_call"
    if has_response and isinstance(response, str) and _first_tag(response, False):
        return "tag_inside_response"
    if has_tool:
        if not isinstance(tool_call, list):
            return "tool_call_not_list"
        for i, item in enumerate(tool_call):
            if not _well_formed_call(item):
                return f"tool_call_item_{i}_malformed"
    return None


def text_format_failure(text: str) -> Optional[str]:
    """ORO's format rule on a tagged text: `<think>` present; `<tool_call>` or `<response>` present; every
    tag that occurs opens and closes exactly once, open before close; no tag inside another's span; the
    tool-call body is a JSON list of `{name: str, parameters: object}`."""
    if "<think>" not in text:
        return "missing_think"
    if "<tool_call>" not in text and "<response>" not in text:
        return "missing_tool_call_and_response"
    spans = []
    for name in _TAG_NAMES:
        o, c = "<" + name + ">", "</" + name + ">"
        no, nc = text.count(o), text.count(c)
        if no == 0 and nc == 0:
            continue
        if no != 1 or nc != 1:
            return f"tag_{name}_count"
        start, end = text.index(o), text.index(c)
        if start > end:
            return f"tag_{name}_order"
        spans.append((start, end + len(c), name))
    spans.sort()
    for (s1, e1, _), (s2, _e2, n2) in zip(spans, spans[1:]):
        if s2 < e1:
            return f"tag_{n2}_nested"
    if "<tool_call>" in text:
        body = text[text.index("<tool_call>") + len("<tool_call>") : text.index("</tool_call>")]
        try:
            calls = json.loads(body)
        except ValueError:
            return "tool_call_not_json"
        if not isinstance(calls, list):
            return "tool_call_not_list"
        for i, item in enumerate(calls):
            if not _well_formed_call(item):
                return f"tool_call_item_{i}_malformed"
    return None


@dataclass
class StepFormat:
    score: float
    failure: Optional[str]
    timestamp_missing: bool


def step_format(raw: Any, missing_timestamp_factor: float, extra_info_must_be_object: bool) -> StepFormat:
    """ORO's format score of one raw step (1, 0.5 without a timestamp under ORO, or 0)."""
    extra = _get(raw, "extra_info")
    ts = _get(extra, "timestamp") if isinstance(extra, dict) else None
    if ts is True:
        present = True  # Python's isinstance(True, int)
    elif isinstance(ts, bool) or not isinstance(ts, (int, float)):
        present = False
    else:
        present = ts > 0 and math.isfinite(ts)
    failure = format_failure(raw)
    if failure is None and extra_info_must_be_object and isinstance(raw, dict) and "extra_info" in raw:
        if not isinstance(raw["extra_info"], dict):
            failure = "extra_info_not_object"
    score = 0.0 if failure else 1.0
    if not present:
        score *= missing_timestamp_factor
    return StepFormat(score, failure, not present)


# MARK: - Malformed dialogues (ORO's scorer raises on these; ShopArena fails them)


def malformation(dialogue: Any) -> Optional[Issue]:
    if not isinstance(dialogue, list):
        return Issue("malformed_not_list", "the dialogue is not a list of steps")
    if not dialogue:
        return None
    index = len(dialogue) - 1
    last = dialogue[-1]
    if not isinstance(last, dict):
        return Issue("malformed_last_step", "the last step is not an object", index)
    completion = last.get("completion")
    if not isinstance(completion, dict):
        return Issue("malformed_last_step_completion", "the last step's 'completion' is not an object", index)
    if "message" not in completion:
        return Issue("malformed_last_step_message", "the last step has no 'completion.message'", index)
    message = completion["message"]
    if _truthy(message):
        bad = None
        if isinstance(message, dict):
            pass
        elif isinstance(message, str):
            bad = "tool_call" in message
        elif isinstance(message, list):
            bad = any(isinstance(x, str) and x == "tool_call" for x in message)
        else:
            bad = True
        if bad:
            return Issue("malformed_last_message", "the last step's message is not an object", index)
        if isinstance(message, dict):
            tool_call = message.get("tool_call")
            if _truthy(tool_call):
                if not isinstance(tool_call, list):
                    return Issue("malformed_tool_call", "'tool_call' is not a list", index)
                for i, call in enumerate(tool_call):
                    if not isinstance(call, dict):
                        return Issue("malformed_tool_call_item", f"tool call {i} is not an object", index)
                    if "name" not in call:
                        return Issue("malformed_last_call_name", f"tool call {i} of the last step has no 'name'", index)
    for index, step in enumerate(dialogue):
        message = _get(_get(step, "completion"), "message")
        if not isinstance(message, dict):
            continue
        for part in ("user", "think", "response"):
            if part in message and not isinstance(message[part], str):
                return Issue("malformed_message_part", f"'{part}' is not a string", index)
        if "tool_call" in message:
            calls = message["tool_call"]
            if not isinstance(calls, list):
                return Issue("malformed_tool_call", "'tool_call' is not a list", index)
            if any(not isinstance(c, dict) for c in calls):
                return Issue("malformed_tool_call_item", "a tool call is not an object", index)
        if "obs" in message:
            obs = message["obs"]
            if not isinstance(obs, list) or any(not isinstance(o, dict) for o in obs):
                return Issue("malformed_obs", "'obs' is not a list of objects", index)
    return None


# MARK: - Analysis


@dataclass
class Analysis:
    step_count: int = 0
    step_formats: List[StepFormat] = field(default_factory=list)
    format: float = 0.0
    length: float = 0.0
    #: (ids, raw product_ids text, step) of the last recommend_product call read.
    recommendation: Optional[Tuple[List[str], str, int]] = None
    issues: List[Issue] = field(default_factory=list)
    malformation: Optional[Issue] = None


def _named(v: Any, tool: str) -> bool:
    return isinstance(v, str) and v == tool


def analyse(
    dialogue: Any,
    id_splitting: str,
    missing_timestamp_factor: float,
    extra_info_must_be_object: bool,
    text_formats: Optional[List[Optional[str]]] = None,
) -> Analysis:
    """One pass over the dialogue, as ShopArena's DialogueAnalysis. `text_formats` (one per step) replaces the
    parts rule by the text rule's verdict for steps that came from tagged text (None: use the parts rule)."""
    a = Analysis()
    a.malformation = malformation(dialogue)
    if not isinstance(dialogue, list):
        a.issues.append(Issue("dialogue_not_list", f"the dialogue is a {_kind(dialogue)}"))
        return a
    a.step_count = len(dialogue)
    if not dialogue:
        a.issues.append(Issue("dialogue_empty", "the dialogue has no steps"))
        return a
    product_ids: Optional[Tuple[int, Any]] = None
    total = 0.0
    for index, raw in enumerate(dialogue):
        f = step_format(raw, missing_timestamp_factor, extra_info_must_be_object)
        if text_formats is not None and index < len(text_formats) and text_formats[index] != "":
            verdict = text_formats[index]
            f = StepFormat((0.0 if verdict else 1.0) * (missing_timestamp_factor if f.timestamp_missing else 1.0),
                           verdict, f.timestamp_missing)
        a.step_formats.append(f)
        total += f.score
        if not isinstance(raw, dict):
            a.issues.append(Issue("step_not_object", "the step is not an object", index))
            continue
        if not isinstance(raw.get("completion"), dict):
            a.issues.append(Issue("missing_completion", "no 'completion' object", index))
            continue
        message = raw["completion"].get("message")
        if not isinstance(message, dict):
            a.issues.append(Issue("missing_message", "no 'completion.message' object", index))
            continue
        tool_call = message.get("tool_call")
        if not _truthy(tool_call):
            continue
        if not isinstance(tool_call, list):
            a.issues.append(Issue("tool_call_not_list", "'tool_call' is not a list", index))
            continue
        for i, call in enumerate(tool_call):
            if not isinstance(call, dict) or "name" not in call:
                a.issues.append(Issue("tool_call_item_malformed", f"tool call {i} is malformed; the rest is not read", index))
                break
            if not _named(call["name"], "recommend_product"):
                continue
            parameters = call.get("parameters")
            if not isinstance(parameters, dict):
                a.issues.append(Issue("product_ids_not_string", "recommend_product has no parameters object", index))
                break
            product_ids = (index, parameters.get("product_ids", ""))
    a.format = total / len(dialogue)
    last_calls = _get(_get(_get(dialogue[-1], "completion"), "message"), "tool_call")
    if isinstance(last_calls, list) and any(_named(_get(c, "name"), "terminate") for c in last_calls):
        a.length = 1 / len(dialogue)
    if product_ids is not None:
        step, value = product_ids
        if isinstance(value, str):
            a.recommendation = (split_ids(value, id_splitting), value, step)
        else:
            a.issues.append(Issue("product_ids_not_string", f"product_ids is a {_kind(value)}", step))
    return a


# MARK: - Completions -> dialogues


def _tag_body(text: str, name: str) -> Optional[str]:
    o, c = "<" + name + ">", "</" + name + ">"
    start = text.find(o)
    if start == -1:
        return None
    end = text.find(c, start + len(o))
    return text[start + len(o) :] if end == -1 else text[start + len(o) : end]


def _tool_call_blocks(text: str) -> List[str]:
    out = []
    pos = 0
    while True:
        start = text.find("<tool_call>", pos)
        if start == -1:
            return out
        end = text.find("</tool_call>", start)
        if end == -1:
            out.append(text[start + len("<tool_call>") :])
            return out
        out.append(text[start + len("<tool_call>") : end])
        pos = end + len("</tool_call>")


def _hermes_call(parsed: Any) -> Optional[Dict[str, Any]]:
    """A Qwen/Hermes tool call `{"name": …, "arguments": {…}}` (one per `<tool_call>` block) as an ORO call."""
    if isinstance(parsed, dict) and "name" in parsed and ("arguments" in parsed or "parameters" in parsed):
        return _chat_call(parsed)
    return None


def _text_message(text: str, think: Optional[str] = None) -> Tuple[Dict[str, Any], bool]:
    """The message parts of a tagged text, and whether its tool calls are in the Qwen/Hermes style (one
    `{"name", "arguments"}` object per block, as Qwen3's chat template writes them).

    ORO style: every `<tool_call>` block that is JSON is read; a list adds its items, anything else is kept as
    written (and then fails the format rule and the extraction). Hermes style: each block is one call, and
    the text outside the tags is the response."""
    message: Dict[str, Any] = {}
    t = _tag_body(text, "think")
    if t is None:
        t = think
    if t:
        message["think"] = t.strip() if think is None else t
    blocks = _tool_call_blocks(text)
    parsed_blocks: List[Any] = []
    unreadable: Optional[Any] = None
    for body in blocks:
        try:
            parsed_blocks.append(json.loads(body))
        except ValueError:
            unreadable = body
    hermes = bool(parsed_blocks) and all(_hermes_call(b) is not None for b in parsed_blocks)
    calls: List[Any] = []
    if hermes:
        calls = [_hermes_call(b) for b in parsed_blocks]
    else:
        for parsed in parsed_blocks:
            if isinstance(parsed, list):
                calls.extend(parsed)
            else:
                unreadable = parsed
    if calls:
        message["tool_call"] = calls
    elif unreadable is not None and (not isinstance(unreadable, str) or unreadable.strip()):
        message["tool_call"] = unreadable
    if hermes:
        rest = text
        for name in ("think", "tool_call"):
            while True:
                start = rest.find("<" + name + ">")
                if start == -1:
                    break
                end = rest.find("</" + name + ">", start)
                rest = rest[:start] + ("" if end == -1 else rest[end + len(name) + 3 :])
        r = rest.strip()
    else:
        r = _tag_body(text, "response")
    if r:
        message["response"] = r
    return message, hermes


def _step(message: Dict[str, Any], index: int) -> Dict[str, Any]:
    # Synthesised steps carry a timestamp so that ORO's missing-timestamp penalty does not apply to them.
    return {"completion": {"message": message}, "extra_info": {"step": index + 1, "timestamp": 1}}


def _has_tags(text: Any) -> bool:
    return isinstance(text, str) and any(tag in text for tag in ("<think>", "<tool_call>", "<response>"))


def _chat_call(call: Any) -> Any:
    """An OpenAI tool call as an ORO call `{name, parameters}`; unreadable arguments stay as written."""
    if not isinstance(call, dict):
        return call
    fn = call.get("function") if isinstance(call.get("function"), dict) else call
    name = fn.get("name")
    args = fn.get("arguments", fn.get("parameters", {}))
    if isinstance(args, str):
        try:
            args = json.loads(args) if args.strip() else {}
        except ValueError:
            pass
    return {"name": name, "parameters": args}


def completion_steps(completion: Any) -> Tuple[Any, Optional[str], Optional[List[Optional[str]]]]:
    """(dialogue steps, envelope status or None, per-step text-rule verdicts or None) of a completion.

    A verdict is "" when the step's format comes from the parts rule, None when its text passed, else the
    reason it failed."""
    if isinstance(completion, str):
        message, hermes = _text_message(completion)
        return [_step(message, 0)], None, ["" if hermes else text_format_failure(completion)]
    if isinstance(completion, dict):
        if "dialogue" in completion:
            status = completion.get("status")
            return completion.get("dialogue"), status if isinstance(status, str) else None, None
        if "role" in completion or "content" in completion:
            completion = [completion]
        else:
            return completion, None, None
    if isinstance(completion, list):
        if completion and all(isinstance(m, dict) and "role" in m for m in completion):
            steps: List[Any] = []
            verdicts: List[Optional[str]] = []
            for m in completion:
                if m.get("role") != "assistant":
                    continue
                content = m.get("content")
                if isinstance(content, list):  # content parts
                    content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
                reasoning = m.get("reasoning_content") or m.get("reasoning") or m.get("thinking")
                tool_calls = m.get("tool_calls")
                if _has_tags(content) and not tool_calls:
                    message, hermes = _text_message(content, reasoning if isinstance(reasoning, str) else None)
                    steps.append(_step(message, len(steps)))
                    text = content if "<think>" in content or not reasoning else f"<think>{reasoning}</think>\n{content}"
                    verdicts.append("" if hermes else text_format_failure(text))
                    continue
                message: Dict[str, Any] = {}
                if _truthy(reasoning):
                    message["think"] = reasoning
                if _truthy(tool_calls):
                    message["tool_call"] = [_chat_call(c) for c in tool_calls] if isinstance(tool_calls, list) else tool_calls
                if _truthy(content):
                    message["response"] = content
                steps.append(_step(message, len(steps)))
                verdicts.append("")
            return steps, None, verdicts
        return completion, None, None
    return completion, None, None
