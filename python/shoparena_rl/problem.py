"""Reward specifications and product documents, read as ShopArena reads them (`Sources/ArenaModel`).

A reward specification is a problem record as in an ORO suite JSON array or a ShoppingBench JSONL line (the
`problems.metadata` column holds the same object): `query`, `category`, `reward` (one object, or a list for
shop and voucher problems), `voucher`, `Knowledge_Attribute`. A bare reward (an object with `product_id`, or
a list of them) is accepted too; its category is then inferred as ShoppingBench files imply it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

__all__ = [
    "Problem",
    "Product",
    "RewardItem",
    "RewardSpecError",
    "Voucher",
    "parse_product",
    "parse_reward_spec",
]

KeyValue = Tuple[str, str]


class RewardSpecError(ValueError):
    """The reward specification cannot be read; the message says which field and what was expected."""


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def python_float(d: float) -> str:
    """`repr(float)` as ShopArena writes floats (JSON spelling for non-finite values)."""
    if math.isnan(d):
        return "NaN"
    if math.isinf(d):
        return "Infinity" if d > 0 else "-Infinity"
    return repr(float(d))


def scalar_text(v: Any) -> Optional[str]:
    """A scalar written as text the way ShopArena's decoder does (numbers as Python writes them,
    booleans as JSON does); None for null, lists and objects."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return python_float(v)
    return None


@dataclass
class Product:
    """The parts of a catalog product document the scorer reads."""

    product_id: str
    shop_id: str
    title: str
    description: str
    price: float
    sku_options: List[List[KeyValue]]
    attributes: List[Tuple[str, List[str]]]
    service: List[str]

    @property
    def attribute_pairs(self) -> List[KeyValue]:
        return [(k, v) for k, values in self.attributes for v in values]


def _text(doc: Dict[str, Any], key: str, required: bool = False) -> str:
    v = doc.get(key)
    if v is None:
        if required:
            raise ValueError(f"product field '{key}' is missing")
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    raise ValueError(f"product field '{key}' must be a string")


def parse_product(doc: Any) -> Product:
    """Reads a product: a catalog JSONL line's object (`{id, contents, product}`) or a bare product document.
    Raises ValueError when a field has the wrong type (the scorer then treats the id as unknown)."""
    if isinstance(doc, str):
        doc = json.loads(doc)
    if isinstance(doc, dict) and isinstance(doc.get("product"), dict):
        doc = doc["product"]
    if not isinstance(doc, dict):
        raise ValueError("a product must be a JSON object")
    price_value = doc.get("price")
    if "price" not in doc:
        raise ValueError("product field 'price' is missing")
    if isinstance(price_value, bool):
        raise ValueError("product field 'price' must be a number")
    if isinstance(price_value, int):
        price = float(price_value)
    elif isinstance(price_value, float) and math.isfinite(price_value):
        price = price_value
    elif isinstance(price_value, str):
        try:
            price = float(price_value)
        except ValueError:
            raise ValueError("product field 'price' must be a number") from None
        if price_value != price_value.strip() or not math.isfinite(price):
            raise ValueError("product field 'price' must be a number")
    else:
        raise ValueError("product field 'price' must be a finite number")

    skus_value = doc.get("sku_options")
    variants_raw: List[Any] = []
    if skus_value is None:
        pass
    elif isinstance(skus_value, dict):
        indexed = []
        for offset, (k, v) in enumerate(skus_value.items()):
            try:
                n = int(k)
            except ValueError:
                n = 1 << 62
            indexed.append((n, offset, v))
        variants_raw = [v for _, _, v in sorted(indexed, key=lambda t: (t[0], t[1]))]
    elif isinstance(skus_value, list):
        variants_raw = skus_value
    else:
        raise ValueError("product field 'sku_options' must be an object of variants")
    sku_options: List[List[KeyValue]] = []
    for variant in variants_raw:
        if not isinstance(variant, dict):
            raise ValueError("product 'sku_options' variants must be objects")
        pairs: List[KeyValue] = []
        for k, v in variant.items():
            t = scalar_text(v)
            if t is None:
                raise ValueError("product 'sku_options' values must be strings")
            pairs.append((k, t))
        sku_options.append(pairs)

    attrs_value = doc.get("attributes")
    attributes: List[Tuple[str, List[str]]] = []
    if attrs_value is not None:
        if not isinstance(attrs_value, dict):
            raise ValueError("product field 'attributes' must be an object of lists")
        for k, raw in attrs_value.items():
            if isinstance(raw, list):
                values = []
                for item in raw:
                    t = scalar_text(item)
                    if t is None:
                        raise ValueError("product 'attributes' values must be strings")
                    values.append(t)
                attributes.append((k, values))
            else:
                t = scalar_text(raw)
                if t is None:
                    raise ValueError("product 'attributes' values must be strings")
                attributes.append((k, [t]))

    service_value = doc.get("service")
    service: List[str] = []
    if service_value is not None:
        if not isinstance(service_value, list) or not all(isinstance(s, str) for s in service_value):
            raise ValueError("product field 'service' must be a list of strings")
        service = list(service_value)

    sold = doc.get("sold_count")
    if sold is not None and not (_is_number(sold) and (isinstance(sold, int) or math.isfinite(sold))):
        raise ValueError("product field 'sold_count' must be an integer")

    return Product(
        product_id=_text(doc, "product_id", required=True),
        shop_id=_text(doc, "shop_id"),
        title=_text(doc, "title", required=True),
        description=_text(doc, "description"),
        price=price,
        sku_options=sku_options,
        attributes=attributes,
        service=service,
    )


@dataclass
class PriceConstraint:
    """`{"between"|"greater than"|"less than": [lo, hi]}`: inclusive bounds, a None bound is open; `greater
    than` reads only the lower bound, `less than` only the upper one."""

    mode: str
    lower: Optional[float]
    upper: Optional[float]

    def contains(self, price: float) -> bool:
        lo = self.lower if self.mode in ("between", "greater than") else None
        hi = self.upper if self.mode in ("between", "less than") else None
        if lo is not None and price < lo:
            return False
        if hi is not None and price > hi:
            return False
        return True


@dataclass
class RewardItem:
    """What one recommended product is judged against."""

    product_id: str
    titles: List[str]
    sku_options: List[List[KeyValue]] = field(default_factory=list)
    attributes: List[Tuple[str, List[str]]] = field(default_factory=list)
    service: List[str] = field(default_factory=list)
    price: List[PriceConstraint] = field(default_factory=list)
    full_product: Optional[Product] = None

    @property
    def required_pairs(self) -> List[KeyValue]:
        return [p for variant in self.sku_options for p in variant] + [
            (k, v) for k, values in self.attributes for v in values
        ]


@dataclass
class Voucher:
    scope: str  # "platform" or "shop"
    threshold: float
    discount_type: str  # "fixed" or "percentage"
    face_value: float
    rate: float
    cap: float
    budget: float

    def discounted(self, total: float) -> float:
        if self.discount_type == "fixed":
            return total - self.face_value
        return max(total * (1 - self.rate), total - self.cap)


@dataclass
class Problem:
    id: str
    query: str
    category: str  # "Product", "Shop", "Voucher" or "Web"
    rewards: List[RewardItem]
    voucher: Optional[Voucher] = None
    knowledge_attribute: Optional[str] = None


_CATEGORIES = {
    "product": "Product",
    "shop": "Shop",
    "voucher": "Voucher",
    "web": "Web",
    "knowledge": "Web",
    "simpleqa": "Web",
}


def _reward_item(json_item: Any, web_document: bool) -> RewardItem:
    if not isinstance(json_item, dict):
        raise RewardSpecError("a reward item must be an object")
    if web_document:
        try:
            product = parse_product(json_item)
        except ValueError as e:
            raise RewardSpecError(f"web reward: {e}") from None
        return RewardItem(product_id=product.product_id, titles=[product.title], full_product=product)
    pid = scalar_text(json_item["product_id"]) if "product_id" in json_item else None
    if not pid:
        raise RewardSpecError("reward item has no 'product_id'")
    titles_value = json_item.get("title")
    titles: List[str] = []
    if isinstance(titles_value, str):
        titles = [titles_value]
    elif isinstance(titles_value, list):
        if not all(isinstance(t, str) for t in titles_value):
            raise RewardSpecError("reward 'title' must be a list of strings")
        titles = list(titles_value)
    elif titles_value is not None:
        raise RewardSpecError("reward 'title' must be a list of strings")

    skus: List[List[KeyValue]] = []
    value = json_item.get("sku_options")
    if value is not None:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise RewardSpecError("reward 'sku_options' must be a list of objects")
        for variant in value:
            pairs = []
            for k, v in variant.items():
                t = scalar_text(v)
                if t is None:
                    raise RewardSpecError(f"reward sku option '{k}' must be a string")
                pairs.append((k, t))
            skus.append(pairs)

    attributes: List[Tuple[str, List[str]]] = []
    value = json_item.get("attributes")
    if value is not None:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise RewardSpecError("reward 'attributes' must be a list of objects")
        for entry in value:
            for k, v in entry.items():
                items = v if isinstance(v, list) else [v]
                texts = [scalar_text(x) for x in items]
                if any(t is None for t in texts):
                    raise RewardSpecError(f"reward attribute '{k}' must list strings")
                attributes.append((k, texts))  # type: ignore[arg-type]

    services: List[str] = []
    value = json_item.get("service")
    if value is not None:
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            raise RewardSpecError("reward 'service' must be a list of strings")
        services = list(value)

    prices: List[PriceConstraint] = []
    value = json_item.get("price")
    if value is not None:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise RewardSpecError("reward 'price' must be a list of objects")
        for entry in value:
            for mode, bounds in entry.items():
                if mode not in ("between", "greater than", "less than"):
                    raise RewardSpecError(f"unknown price mode '{mode}' (expected between, greater than, less than)")
                if not isinstance(bounds, list) or len(bounds) != 2:
                    raise RewardSpecError(f"price '{mode}' must be [low, high]")
                parsed = []
                for b in bounds:
                    if b is None:
                        parsed.append(None)
                    elif _is_number(b):
                        parsed.append(float(b))
                    else:
                        raise RewardSpecError("price bounds must be numbers or null")
                prices.append(PriceConstraint(mode, parsed[0], parsed[1]))
    return RewardItem(pid, titles, skus, attributes, services, prices)


def _voucher(v: Any) -> Voucher:
    if not isinstance(v, dict):
        raise RewardSpecError("'voucher' must be an object")

    def number(key: str) -> float:
        x = v.get(key)
        if not _is_number(x):
            raise RewardSpecError(f"voucher '{key}' must be a number")
        return float(x)

    scope = v.get("voucher_type")
    if scope not in ("platform", "shop"):
        raise RewardSpecError("voucher 'voucher_type' must be 'platform' or 'shop'")
    kind = v.get("discount_type")
    face = rate = cap = 0.0
    if kind == "fixed":
        face = number("face_value")
    elif kind == "percentage":
        rate = number("discount")
        if not (0 <= rate < 1):
            raise RewardSpecError("voucher 'discount' must be a fraction in [0, 1)")
        cap = number("cap")
    else:
        raise RewardSpecError("voucher 'discount_type' must be 'fixed' or 'percentage'")
    threshold = number("threshold")
    number("price_after_voucher")
    return Voucher(scope, threshold, kind, face, rate, cap, number("budget"))


def parse_reward_spec(spec: Any, category: Optional[str] = None) -> Problem:
    """Reads a reward specification (a problem record, its JSON text, or a bare reward) into a Problem.

    Raises RewardSpecError naming what is wrong."""
    if isinstance(spec, Problem):
        return spec
    if isinstance(spec, (str, bytes)):
        try:
            spec = json.loads(spec)
        except ValueError as e:
            raise RewardSpecError(f"reward_spec is text but not JSON: {e}") from None
    if isinstance(spec, list) or (isinstance(spec, dict) and "reward" not in spec and "product_id" in spec):
        spec = {"query": "(reward only)", "reward": spec, **({"category": category} if category else {})}
    if not isinstance(spec, dict):
        raise RewardSpecError(f"reward_spec must be a problem object, found {type(spec).__name__}")
    query = spec.get("query")
    if query is None and "reward" in spec:
        # The rl export's `reward_spec` column is `{"reward", "voucher"}`: the query is its own column.
        spec = {**spec, "query": "(reward only)"}
        if category and "category" not in spec:
            spec["category"] = category
        query = spec["query"]
    if not isinstance(query, str) or not query.strip():
        raise RewardSpecError("the problem has no non-empty string 'query'")
    reward_value = spec.get("reward")
    if reward_value is None:
        raise RewardSpecError("the problem has no 'reward'")
    knowledge = spec.get("Knowledge_Attribute")
    knowledge_text = scalar_text(knowledge) if knowledge is not None else None

    text = spec.get("category") if isinstance(spec.get("category"), str) else category
    if text is not None:
        cat = _CATEGORIES.get(text.lower())
        if cat is None:
            raise RewardSpecError(f"unknown category '{text}' (expected Product, Shop, Voucher or Web)")
    elif knowledge_text is not None:
        cat = "Web"
    elif spec.get("voucher") is not None:
        cat = "Voucher"
    elif isinstance(reward_value, list):
        cat = "Shop"
    else:
        cat = "Product"

    if isinstance(reward_value, list):
        if not reward_value:
            raise RewardSpecError("'reward' is an empty list")
        rewards = []
        for i, item in enumerate(reward_value):
            try:
                rewards.append(_reward_item(item, web_document=False))
            except RewardSpecError as e:
                raise RewardSpecError(f"reward[{i}]: {e}") from None
    elif isinstance(reward_value, dict):
        rewards = [_reward_item(reward_value, web_document=cat == "Web")]
    else:
        raise RewardSpecError("'reward' must be an object or a list")
    if cat in ("Product", "Web") and len(rewards) != 1:
        raise RewardSpecError(f"a {cat} problem has exactly one reward item, found {len(rewards)}")
    voucher = _voucher(spec["voucher"]) if spec.get("voucher") is not None else None
    if cat == "Voucher" and voucher is None:
        raise RewardSpecError("a Voucher problem needs a 'voucher' object")
    pid = spec.get("problem_id")
    if isinstance(pid, bool) or not isinstance(pid, (str, int)) or pid == "":
        pid = ""
    return Problem(str(pid), query, cat, rewards, voucher, knowledge_text)
