"""ShopArena reward functions for training code (TRL GRPO and the like). Standard library only.

The reward scores a completion with the rules of ShopArena's outcome scorer (`Sources/Scoring`) and its
default lexical title similarity, so a trained model is rewarded exactly as the arena will score it::

    from shoparena_rl import reward, score

    # TRL: GRPOTrainer(reward_funcs=[reward], ...) with dataset columns `reward_spec` and `products`
    rewards = reward(completions, reward_spec=specs, products=docs)   # one float per completion
    detail = score(completion, reward_spec=spec, products=docs)       # {"score", "success", "components", ...}

* ``completions``: text in ORO's `<think>/<tool_call>/<response>` dialect, lists of OpenAI chat messages
  (assistant `tool_calls`, `reasoning_content`), or ORO dialogue steps.
* ``reward_spec``: the problem record (as in a suite JSON or the `problems.metadata` column; JSON text is
  read too), one per completion (a single one is used for all).
* ``products``: `{product_id: product document}` (catalog JSONL objects or bare products), one mapping per
  completion or one for all; ids missing there are looked up in the catalog JSONL given as ``catalog=`` or
  by the environment variable ``SHOPARENA_CATALOG``.
* ``profile``: "oro" (default) or "shoppingbench". ``value``: what the reward returns — "score" (1.0 for
  a successful problem, else 0.0; default), a component name ("rule", "gt", "format", …) or a callable
  taking the score dict.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from .dialogue import completion_steps
from .problem import Problem, Product, RewardSpecError, parse_product, parse_reward_spec
from .scorer import COMPONENT_NAMES, PROFILES, Profile, score_problem
from .similarity import similarity as title_similarity

__all__ = [
    "COMPONENT_NAMES",
    "Catalog",
    "PROFILES",
    "RewardSpecError",
    "make_reward",
    "parse_reward_spec",
    "reward",
    "score",
    "title_similarity",
]


class Catalog:
    """A catalog JSONL file (`{id, contents, product}` lines or bare products), indexed by product id once
    (byte offsets only, so a large catalog costs little memory); documents are read when asked for."""

    _cache: Dict[Tuple[str, int, int], "Catalog"] = {}
    _lock = threading.Lock()

    def __init__(self, path: str):
        self.path = path
        self.offsets: Dict[str, int] = {}
        with open(path, "rb") as f:
            offset = 0
            for line in f:
                if line.strip():
                    try:
                        doc = json.loads(line)
                    except ValueError:
                        doc = None
                    inner = doc.get("product") if isinstance(doc, dict) and isinstance(doc.get("product"), dict) else doc
                    if isinstance(inner, dict) and isinstance(inner.get("product_id"), (str, int)):
                        self.offsets[str(inner["product_id"])] = offset  # the last line of an id wins
                offset += len(line)
        self._parsed: Dict[str, Optional[Product]] = {}

    @classmethod
    def open(cls, path: str) -> "Catalog":
        """The catalog at `path`, indexed once per file version and shared."""
        st = os.stat(path)
        key = (os.path.abspath(path), st.st_mtime_ns, st.st_size)
        with cls._lock:
            if key not in cls._cache:
                cls._cache[key] = cls(path)
            return cls._cache[key]

    def product(self, product_id: str) -> Optional[Product]:
        if product_id in self._parsed:
            return self._parsed[product_id]
        found: Optional[Product] = None
        offset = self.offsets.get(product_id)
        if offset is not None:
            with open(self.path, "rb") as f:
                f.seek(offset)
                try:
                    found = parse_product(json.loads(f.readline()))
                except ValueError:
                    found = None
        self._parsed[product_id] = found
        return found


def _lookup(products: Optional[Mapping[str, Any]], catalog: Optional[Union[str, Catalog]]) -> Callable[[str], Optional[Product]]:
    if isinstance(products, (str, bytes)):
        products = json.loads(products)
    if catalog is None:
        catalog = os.environ.get("SHOPARENA_CATALOG") or None
    cat = Catalog.open(catalog) if isinstance(catalog, str) else catalog
    parsed: Dict[str, Optional[Product]] = {}

    def find(pid: str) -> Optional[Product]:
        if pid in parsed:
            return parsed[pid]
        p: Optional[Product] = None
        doc = products.get(pid) if isinstance(products, Mapping) else None
        if doc is not None:
            try:
                p = parse_product(doc)
            except ValueError:
                p = None
        if p is None and cat is not None:
            p = cat.product(pid)
        parsed[pid] = p
        return p

    return find


def _profile(profile: Union[str, Profile]) -> Profile:
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile.lower()]
    except KeyError:
        raise ValueError(f"unknown profile '{profile}' (expected oro or shoppingbench)") from None


def score(
    completion: Any,
    reward_spec: Any,
    products: Optional[Mapping[str, Any]] = None,
    *,
    catalog: Optional[Union[str, Catalog]] = None,
    profile: Union[str, Profile] = "oro",
) -> Dict[str, Any]:
    """Scores one completion against one problem. Returns the scorer's per-problem dict: `status`
    ("SUCCESS"/"FAILED"), `score` (1.0/0.0), `success`, `components` (`length, format, product, gt, rule,
    title, price, service, "sku & attrs"` plus `shop`, `budget` or `kw`), `recommended`, `slots`, `issues`.

    Raises RewardSpecError when `reward_spec` cannot be read (a data problem, not a model problem)."""
    problem = parse_reward_spec(reward_spec)
    return score_problem(problem, completion, _lookup(products, catalog), _profile(profile))


def _per_completion(value: Any, n: int, name: str) -> List[Any]:
    """`value` as one item per completion: a list of `n` is taken as such, anything else is shared. A list of
    bare reward items (dicts with `product_id`) is one shop/voucher reward, shared."""
    if isinstance(value, (list, tuple)):
        bare_reward = name == "reward_spec" and bool(value) and all(
            isinstance(v, dict) and "product_id" in v and "reward" not in v for v in value
        )
        if bare_reward:
            return [list(value)] * n
        if len(value) == n:
            return list(value)
        raise ValueError(f"'{name}' must be one value or one per completion ({n}), found a list of {len(value)}")
    return [value] * n


def reward(
    completions: Sequence[Any],
    reward_spec: Any = None,
    products: Any = None,
    *,
    catalog: Optional[str] = None,
    profile: Union[str, Profile] = "oro",
    value: Union[str, Callable[[Dict[str, Any]], float]] = "score",
    **kwargs: Any,
) -> List[float]:
    """One reward per completion (TRL GRPO reward-function signature; other dataset columns TRL passes,
    such as `prompts`, `problem_id` or `trainer_state`, are ignored)."""
    if reward_spec is None:
        raise RewardSpecError("reward needs the problems' 'reward_spec' (a dataset column or a keyword argument)")
    n = len(completions)
    specs = _per_completion(reward_spec, n, "reward_spec")
    docs = _per_completion(products, n, "products")
    prof = _profile(profile)
    out: List[float] = []
    categories = _per_completion(kwargs.get("category"), n, "category")
    for completion, spec, product_docs, category in zip(completions, specs, docs, categories):
        s = score_problem(parse_reward_spec(spec, category), completion, _lookup(product_docs, catalog), prof)
        if callable(value):
            out.append(float(value(s)))
        elif value == "score":
            out.append(s["score"])
        elif value in s["components"]:
            out.append(float(s["components"][value]))
        elif value in COMPONENT_NAMES or value in ("shop", "budget", "kw"):
            out.append(0.0)
        else:
            raise ValueError(f"unknown reward value '{value}' (expected score, a component name or a callable)")
    return out


def make_reward(
    *, profile: Union[str, Profile] = "oro", value: Union[str, Callable[[Dict[str, Any]], float]] = "score",
    catalog: Optional[str] = None, name: Optional[str] = None,
) -> Callable[..., List[float]]:
    """A reward function with fixed options, named for TRL's logs (`shoparena_<value>` by default)."""

    def fn(completions: Sequence[Any], reward_spec: Any = None, products: Any = None, **kwargs: Any) -> List[float]:
        kwargs.pop("catalog", None)
        return reward(completions, reward_spec, products, catalog=catalog, profile=profile, value=value, **kwargs)

    fn.__name__ = name or f"shoparena_{value if isinstance(value, str) else 'custom'}".replace(" & ", "_")
    return fn
