"""Trains a tiny, randomly initialised Qwen3 model on ShopArena's training exports with TRL, to prove the
exports are what TRL reads. Run through scripts/check-trl (which makes the venv); nothing is downloaded from
a model hub: the tokenizer is trained here on the exports themselves.

Steps: load the rows -> train a byte-level BPE tokenizer on their text -> a Qwen3-style chat template
(tools, tool_calls, reasoning_content, {% generation %} markers) -> Qwen3Config(hidden 64, 2 layers) ->
SFTTrainer(assistant_only_loss=True) on the sft rows -> DPOTrainer on the dpo rows -> optionally one
GRPOTrainer step whose reward is shoparena_rl.reward on the rl rows. Prints a summary with the losses.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))

# A Qwen3-style template: system + tools block, <think> reasoning, <tool_call> JSON, tool responses as user
# turns; everything the assistant writes sits inside {% generation %} so assistant_only_loss can mask the rest.
CHAT_TEMPLATE = r"""
{%- if tools %}
{{- '<|im_start|>system\n' }}
{%- if messages[0].role == 'system' %}{{- (messages[0].content or '') + '\n\n' }}{%- endif %}
{{- '# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>' }}
{%- for tool in tools %}{{- '\n' }}{{- tool | tojson }}{%- endfor %}
{{- '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n' }}
{%- elif messages[0].role == 'system' %}
{{- '<|im_start|>system\n' + (messages[0].content or '') + '<|im_end|>\n' }}
{%- endif %}
{%- for message in messages %}
{%- if message.role == 'system' %}
{%- if not loop.first %}{{- '<|im_start|>system\n' + (message.content or '') + '<|im_end|>\n' }}{%- endif %}
{%- elif message.role == 'user' %}
{{- '<|im_start|>user\n' + (message.content or '') + '<|im_end|>\n' }}
{%- elif message.role == 'assistant' %}
{{- '<|im_start|>assistant\n' }}
{%- generation %}
{%- if message.reasoning_content %}{{- '<think>\n' + message.reasoning_content + '\n</think>\n\n' }}{%- endif %}
{%- if message.content %}{{- message.content }}{%- endif %}
{%- if message.tool_calls %}
{%- for tool_call in message.tool_calls %}
{%- set fn = tool_call.function if tool_call.function else tool_call %}
{%- if not loop.first or message.content %}{{- '\n' }}{%- endif %}
{{- '<tool_call>\n{"name": "' + fn.name + '", "arguments": ' }}
{%- if fn.arguments is string %}{{- fn.arguments }}{%- else %}{{- fn.arguments | tojson }}{%- endif %}
{{- '}\n</tool_call>' }}
{%- endfor %}
{%- endif %}
{{- '<|im_end|>' }}
{%- endgeneration %}
{{- '\n' }}
{%- elif message.role == 'tool' %}
{%- if loop.first or messages[loop.index0 - 1].role != 'tool' %}{{- '<|im_start|>user' }}{%- endif %}
{{- '\n<tool_response>\n' + (message.content or '') + '\n</tool_response>' }}
{%- if loop.last or messages[loop.index0 + 1].role != 'tool' %}{{- '<|im_end|>\n' }}{%- endif %}
{%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}{{- '<|im_start|>assistant\n' }}{%- endif %}
""".strip()

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>", "<tool_call>", "</tool_call>",
                  "<tool_response>", "</tool_response>"]


def log(msg: str) -> None:
    print(f"[check-trl] {msg}", flush=True)


def read_jsonl(path: Optional[str]) -> List[Dict[str, Any]]:
    if not path:
        return []
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except ValueError as e:
                    raise SystemExit(f"error: {path}:{n} is not JSON: {e}")
    return rows


# MARK: - built-in fixtures (the export formats, until/unless a real export is given)

TOOLS = [
    {"type": "function", "function": {"name": "find_product", "description": "Search the catalog.", "parameters": {
        "type": "object", "properties": {"q": {"type": "string"}, "page": {"type": "integer"},
                                         "price": {"type": "string"}, "service": {"type": "string"}},
        "required": ["q"]}}},
    {"type": "function", "function": {"name": "view_product_information", "description": "Product details.",
                                      "parameters": {"type": "object", "properties": {
                                          "product_ids": {"type": "string"}}, "required": ["product_ids"]}}},
    {"type": "function", "function": {"name": "recommend_product", "description": "Recommend products.",
                                      "parameters": {"type": "object", "properties": {
                                          "product_ids": {"type": "string"}}, "required": ["product_ids"]}}},
    {"type": "function", "function": {"name": "terminate", "description": "End the session.", "parameters": {
        "type": "object", "properties": {"status": {"type": "string"}}, "required": ["status"]}}},
]

ITEMS = [("waist bag", "hosport", 180, 505), ("phone case", "spigen", 90, 400), ("rice cooker", "hanabishi", 900, 2500),
         ("running shoes", "kito", 300, 1200), ("face towel", "cotton house", 20, 150), ("desk lamp", "omni", 150, 800),
         ("water bottle", "aquaflask", 400, 1600), ("hair brush", "tangle", 60, 300)]
SYSTEM = "You are a shopping assistant. Use the tools to find products that satisfy the user's request."


def _call(i: int, name: str, args: Dict[str, Any]) -> Dict[str, Any]:
    return {"id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}


def fixture_rows(seed: int = 7) -> Dict[str, List[Dict[str, Any]]]:
    """Rows in the export formats (sft, dpo, kto, rl) for synthetic problems made here."""
    rng = random.Random(seed)
    sft, dpo, kto, rl = [], [], [], []
    for n in range(24):
        item, brand, lo, hi = ITEMS[n % len(ITEMS)]
        gt = str(3_000_000_000 + n * 7919)
        wrong = str(4_000_000_000 + n * 104729)
        price = rng.randint(lo, hi)
        title = f"{brand.title()} {item.title()} Original {rng.choice(['Black', 'Blue', 'Red'])}"
        query = f"Looking for a {brand} brand {item}, priced from {lo} to {hi} PHP."
        results = json.dumps([{"product_id": gt, "shop_id": f"s{n}", "title": title, "price": float(price),
                               "service": ["COD"], "sold_count": rng.randint(0, 900)},
                              {"product_id": wrong, "shop_id": f"t{n}", "title": f"Generic {item}", "price": float(hi * 2),
                               "service": [], "sold_count": 3}])
        prompt = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": query}]

        def trajectory(pick: str) -> List[Dict[str, Any]]:
            return [
                {"role": "assistant", "content": "", "reasoning_content": f"I should search for a {brand} {item}.",
                 "tool_calls": [_call(0, "find_product", {"q": f"{brand} {item}"})]},
                {"role": "tool", "tool_call_id": "call_0", "name": "find_product", "content": results},
                {"role": "assistant", "content": "", "reasoning_content": f"Product {pick} matches the brand and price.",
                 "tool_calls": [_call(1, "recommend_product", {"product_ids": pick})]},
                {"role": "tool", "tool_call_id": "call_1", "name": "recommend_product",
                 "content": f"Having recommended the products to the user: {pick}."},
                {"role": "assistant", "content": f"I recommend product {pick}.", "reasoning_content": "Done.",
                 "tool_calls": [_call(2, "terminate", {"status": "success"})]},
            ]

        good, bad = trajectory(gt), trajectory(wrong)
        sft.append({"messages": prompt + good, "tools": TOOLS, "trajectory_id": f"fixture-{n}", "category": "Product",
                    "judge_score": 0.9, "verdict": "pass"})
        dpo.append({"prompt": prompt, "chosen": good, "rejected": bad, "tools": TOOLS})
        kto.append({"prompt": prompt, "completion": good, "label": True})
        kto.append({"prompt": prompt, "completion": bad, "label": False})
        spec = {"problem_id": f"fixture-{n}", "query": query, "category": "Product",
                "reward": {"product_id": gt, "title": [title], "attributes": [{"brand": [brand]}],
                           "price": [{"between": [lo, hi]}]}}
        products = {gt: {"product_id": gt, "shop_id": f"s{n}", "title": title, "price": float(price),
                         "attributes": {"brand": [brand]}, "service": ["COD"]},
                    wrong: {"product_id": wrong, "shop_id": f"t{n}", "title": f"Generic {item}", "price": float(hi * 2)}}
        rl.append({"prompt": prompt, "tools": TOOLS, "problem_id": spec["problem_id"], "category": "Product",
                   "query": query, "reward_spec": spec, "products": products, "trajectory_id": f"fixture-{n}"})
    return {"sft": sft, "dpo": dpo, "kto": kto, "rl": rl}


# MARK: - tokenizer and model


def texts_of(rows: Iterable[Any]) -> Iterable[str]:
    """Every string in the rows (contents, reasoning, tool arguments, tool schemas)."""
    for row in rows:
        stack = [row]
        while stack:
            v = stack.pop()
            if isinstance(v, str):
                yield v
            elif isinstance(v, dict):
                stack.extend(v.values())
                yield from (k for k in v.keys())
            elif isinstance(v, list):
                stack.extend(v)


def build_tokenizer(rows: List[Any], vocab_size: int, out_dir: Path):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    # the template's own text too, so rendered conversations tokenise compactly
    corpus = list(texts_of(rows)) + [CHAT_TEMPLATE]
    tok.train_from_iterator(corpus, trainer=trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   bos_token=None, unk_token=None, additional_special_tokens=SPECIAL_TOKENS[3:])
    fast.chat_template = CHAT_TEMPLATE
    fast.model_max_length = 4096
    fast.save_pretrained(str(out_dir))
    return fast


def build_model(tokenizer, seed: int):
    import torch
    from transformers import Qwen3Config, Qwen3ForCausalLM

    torch.manual_seed(seed)
    config = Qwen3Config(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, head_dim=16, max_position_embeddings=4096,
                         tie_word_embeddings=True, pad_token_id=tokenizer.pad_token_id,
                         eos_token_id=tokenizer.eos_token_id, bos_token_id=None)
    return Qwen3ForCausalLM(config)


def losses(trainer) -> List[float]:
    return [round(e["loss"], 4) for e in trainer.state.log_history if "loss" in e]


def to_dataset(rows: List[Dict[str, Any]], keep: List[str]):
    from datasets import Dataset

    return Dataset.from_list([{k: r[k] for k in keep if k in r} for r in rows])


def common_args(out: Path, steps: int, lr: float) -> Dict[str, Any]:
    return dict(output_dir=str(out), max_steps=steps, per_device_train_batch_size=2, learning_rate=lr, logging_steps=1,
                report_to=[], save_strategy="no", use_cpu=True, bf16=False, fp16=False, seed=0,
                dataloader_num_workers=0, disable_tqdm=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sft", help="sft export (JSONL: messages, tools, ...)")
    ap.add_argument("--dpo", help="preference export, DPO rows (JSONL: prompt, chosen, rejected)")
    ap.add_argument("--kto", help="preference export, KTO rows (JSONL: prompt, completion, label); optional")
    ap.add_argument("--rl", help="rl export (JSONL: prompt, reward_spec, products, ...); enables the GRPO step")
    ap.add_argument("--fixtures", action="store_true", help="use built-in fixture rows for what is not given")
    ap.add_argument("--steps", type=int, default=4, help="optimizer steps per trainer")
    ap.add_argument("--no-grpo", action="store_true", help="skip the GRPO step")
    ap.add_argument("--vocab", type=int, default=3000)
    ap.add_argument("--max-length", type=int, default=1024)
    ap.add_argument("--work", help="working directory (default: a temporary one)")
    ap.add_argument("--write-fixtures", metavar="DIR", help="write the fixture rows as sft/dpo/kto/rl.jsonl and stop")
    args = ap.parse_args()

    if args.write_fixtures:
        out = Path(args.write_fixtures)
        out.mkdir(parents=True, exist_ok=True)
        for name, rows in fixture_rows().items():
            with open(out / f"{name}.jsonl", "w", encoding="utf-8") as f:
                f.writelines(json.dumps(r) + "\n" for r in rows)
        log(f"wrote {', '.join(str(out / n) + '.jsonl' for n in ('sft', 'dpo', 'kto', 'rl'))}")
        return 0

    fixtures = fixture_rows() if args.fixtures else {}
    sft = read_jsonl(args.sft) or fixtures.get("sft", [])
    dpo = read_jsonl(args.dpo) or fixtures.get("dpo", [])
    kto = read_jsonl(args.kto) or fixtures.get("kto", [])
    rl = read_jsonl(args.rl) or fixtures.get("rl", [])
    if not sft or not dpo:
        raise SystemExit("error: give --sft FILE and --dpo FILE (non-empty exports), or --fixtures")
    source = {"sft": args.sft or "fixtures", "dpo": args.dpo or "fixtures", "kto": args.kto or ("fixtures" if kto else "-"),
              "rl": args.rl or ("fixtures" if rl else "-")}
    log(f"rows: sft {len(sft)}, dpo {len(dpo)}, kto {len(kto)}, rl {len(rl)} ({source})")

    import torch
    import transformers
    import trl

    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    work = Path(args.work or tempfile.mkdtemp(prefix="check-trl-"))
    work.mkdir(parents=True, exist_ok=True)
    summary: Dict[str, Any] = {"versions": {"trl": trl.__version__, "transformers": transformers.__version__,
                                            "torch": torch.__version__}, "rows": {"sft": len(sft), "dpo": len(dpo),
                                                                                  "kto": len(kto), "rl": len(rl)}}
    t0 = time.time()
    tokenizer = build_tokenizer(sft + dpo + kto + rl, args.vocab, work / "tokenizer")
    log(f"tokenizer: {len(tokenizer)} tokens, trained on the rows")

    # The template must mark the assistant's tokens, and only those.
    first = sft[0]
    rendered = tokenizer.apply_chat_template(first["messages"], tools=first.get("tools"), tokenize=True,
                                             return_dict=True, return_assistant_tokens_mask=True)
    mask = rendered["assistant_masks"]
    ids = rendered["input_ids"]
    masked_text = tokenizer.decode([t for t, m in zip(ids, mask) if m])
    assert 0 < sum(mask) < len(mask), "the chat template marks no (or every) token as the assistant's"
    assert "<tool_call>" in masked_text and "<|im_start|>user" not in masked_text, masked_text[:400]
    summary["assistant_mask"] = f"{sum(mask)}/{len(mask)} tokens of the first sft row"
    log(f"assistant mask: {summary['assistant_mask']}")

    from trl import DPOConfig, DPOTrainer, SFTConfig, SFTTrainer

    # SFT, loss on the assistant's tokens only
    model = build_model(tokenizer, seed=1)
    summary["parameters"] = sum(p.numel() for p in model.parameters())
    sft_cfg = SFTConfig(**common_args(work / "sft", args.steps, 1e-3), assistant_only_loss=True,
                        max_length=args.max_length)
    trainer = SFTTrainer(model=model, args=sft_cfg, train_dataset=to_dataset(sft, ["messages", "tools"]),
                         processing_class=tokenizer)
    trainer.train()
    summary["sft"] = {"steps": trainer.state.global_step, "loss": losses(trainer)}
    log(f"sft: {summary['sft']}")
    # the next trainers load the SFT model from disk (their reference model is loaded from the same path)
    sft_model = work / "sft-model"
    trainer.save_model(str(sft_model))
    tokenizer.save_pretrained(str(sft_model))

    # DPO on chosen/rejected conversations, starting from the SFT model
    dpo_cfg = DPOConfig(**common_args(work / "dpo", args.steps, 1e-3), max_length=args.max_length)
    trainer = DPOTrainer(model=str(sft_model), args=dpo_cfg, train_dataset=to_dataset(dpo, ["prompt", "chosen", "rejected", "tools"]),
                         processing_class=tokenizer)
    trainer.train()
    summary["dpo"] = {"steps": trainer.state.global_step, "loss": losses(trainer)}
    log(f"dpo: {summary['dpo']}")

    # KTO when the rows are there and this TRL has the trainer (it moved to trl.experimental in 1.x)
    if kto:
        try:
            try:
                from trl import KTOConfig, KTOTrainer
            except ImportError:
                from trl.experimental.kto import KTOConfig, KTOTrainer  # type: ignore
            kto_cfg = KTOConfig(**common_args(work / "kto", args.steps, 1e-3), max_length=args.max_length)
            trainer = KTOTrainer(model=str(sft_model), args=kto_cfg,
                                 train_dataset=to_dataset(kto, ["prompt", "completion", "label"]),
                                 processing_class=tokenizer)
            trainer.train()
            summary["kto"] = {"steps": trainer.state.global_step, "loss": losses(trainer)}
        except Exception as e:  # optional: report, do not fail the check
            summary["kto"] = {"skipped": f"{type(e).__name__}: {str(e)[:300]}"}
        log(f"kto: {summary['kto']}")

    # One GRPO step rewarded by shoparena_rl (the arena's outcome rules)
    if rl and not args.no_grpo:
        import shoparena_rl
        from trl import GRPOConfig, GRPOTrainer

        rows = [{"prompt": r["prompt"], "reward_spec": json.dumps(r["reward_spec"]),
                 "products": json.dumps(r.get("products") or {})} for r in rl]
        seen: List[float] = []

        def shoparena_score(completions, reward_spec, products, **kw):
            out = shoparena_rl.reward(completions, reward_spec=reward_spec, products=products)
            seen.extend(out)
            return out

        try:
            grpo_cfg = GRPOConfig(**{**common_args(work / "grpo", 1, 1e-3), "per_device_train_batch_size": 4},
                                  num_generations=4, max_completion_length=48, temperature=1.0)
            trainer = GRPOTrainer(model=str(sft_model), reward_funcs=[shoparena_score], args=grpo_cfg,
                                  train_dataset=to_dataset(rows, ["prompt", "reward_spec", "products"]),
                                  processing_class=tokenizer)
            trainer.train()
            # the random model writes no valid recommendation: check the reward on real answers too
            answers = [[{"role": "assistant", "content": "", "reasoning_content": "r", "tool_calls": [_call(0, "recommend_product", {"product_ids": r["reward_spec"]["reward"]["product_id"] if isinstance(r["reward_spec"].get("reward"), dict) else ",".join(x["product_id"] for x in r["reward_spec"]["reward"])})]}] for r in rl]
            gt_rewards = shoparena_rl.reward(answers, reward_spec=[r["reward_spec"] for r in rl],
                                             products=[r.get("products") or {} for r in rl])
            summary["grpo"] = {"steps": trainer.state.global_step, "loss": losses(trainer),
                               "rewards_of_generations": seen[:16],
                               "ground_truth_answer_reward_mean": round(sum(gt_rewards) / len(gt_rewards), 4)}
        except Exception as e:
            summary["grpo"] = {"failed": f"{type(e).__name__}: {str(e)[:500]}"}
        log(f"grpo: {summary['grpo']}")

    summary["seconds"] = round(time.time() - t0, 1)
    print("\n=== check-trl summary ===")
    for key, value in summary.items():
        print(f"{key:>15}: {json.dumps(value)}")
    ok = all(summary[k]["steps"] == args.steps and all(math.isfinite(x) for x in summary[k]["loss"]) and summary[k]["loss"]
             for k in ("sft", "dpo"))
    print("RESULT:", "OK" if ok else "FAILED", f"(sft and dpo ran {args.steps} steps each with finite losses)"
          if ok else "")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
