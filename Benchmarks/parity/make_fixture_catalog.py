#!/usr/bin/env python3
"""Deterministic generator of a product-like catalog (ShoppingBench `documents.jsonl` form) and of
queries derived from it, for search parity goldens and benchmarks. Standard library only.

    make_fixture_catalog.py --products 3000 --seed 7 --out catalog.jsonl --queries 240 --queries-out q.jsonl

Titles share a vocabulary (Zipf-weighted), carry brands, sizes like "6/8/10/12 Inches", "3.5mm",
possessives, numbers with commas, model codes, some unicode and emoji; lengths vary, a few beyond 40
tokens (so Lucene's lossy one-byte length norm matters), and some titles repeat exactly (score ties,
broken by the id string). `contents` = title, distinct SKU values, distinct attribute values (one per line).
"""
import argparse
import itertools
import json
import random

CATEGORIES = {
    "Fashion > Women > Jeans": (["jeans", "denim pants", "skinny jeans", "mom jeans"], ["women's", "ladies", "high waist", "stretch", "ripped", "slim fit"]),
    "Fashion > Men > Shoes": (["running shoes", "sneakers", "loafers", "basketball shoes", "slippers"], ["men's", "breathable", "lightweight", "anti-slip", "leather", "casual"]),
    "Fashion > Kids > Clothing": (["t-shirt", "pajama set", "dress", "hoodie", "shorts"], ["kids'", "boys", "girls", "cotton", "cartoon", "summer"]),
    "Electronics > Audio": (["earphones", "headphones", "bluetooth speaker", "earbuds", "soundbar"], ["wireless", "noise cancelling", "bass", "3.5mm", "type-c", "hi-fi"]),
    "Electronics > Mobile Accessories": (["power bank", "charger", "usb-c cable", "phone case", "screen protector"], ["fast charging", "20,000mAh", "10,000mAh", "2-in-1", "magnetic", "tempered glass"]),
    "Home > Kitchen": (["frying pan", "rice cooker", "knife set", "water bottle", "lunch box"], ["non-stick", "stainless steel", "1.5L", "bpa free", "insulated", "ceramic"]),
    "Home > Furniture": (["office chair", "bookshelf", "study table", "sofa bed", "storage cabinet"], ["ergonomic", "foldable", "wooden", "adjustable", "heavy duty", "modern"]),
    "Beauty > Skincare": (["sunscreen", "facial cleanser", "serum", "moisturizer", "toner"], ["spf50+ pa++++", "whitening", "hyaluronic acid", "vitamin c", "oil control", "l'oréal"]),
    "Toys & Games": (["building blocks", "rubik's cube", "doll house", "rc car", "puzzle"], ["1,000pcs", "educational", "montessori", "for 3+ years", "pokémon", "stem"]),
    "Groceries > Beverages": (["coffee", "green tea", "milk powder", "juice", "energy drink"], ["instant", "3-in-1", "sugar free", "café style", "crème brûlée", "imported"]),
    "Automotive > Accessories": (["car charger", "seat cover", "dash cam", "tire inflator", "wiper blades"], ["12v", "universal", "waterproof", "1080p", "heavy duty", "eu:36-44"]),
    "Sports > Fitness": (["yoga mat", "dumbbell set", "resistance bands", "jump rope", "gym bag"], ["6/8/10/12 inches", "anti-slip", "10x20cm", "g1/2", "u.s.a. standard", "pro"]),
}
BRANDS = ["Nike", "Adidas", "Levi's", "Samsung", "Xiaomi", "Baseus", "Anker", "Tefal", "IKEA", "Nivea",
          "L'Oréal", "Nestlé", "LEGO", "Hasbro", "Bosch", "Decathlon", "Uniqlo", "H&M", "Philips", "JBL",
          "Sony", "Lenovo", "Oppo", "Realme", "Huawei", "Apple", "Deli", "Hanabishi", "Kyowa", "Omron"]
COLORS = ["black", "white", "red", "blue", "green", "pink", "gray", "navy", "beige", "khaki", "purple", "yellow"]
SIZES = ["xs", "s", "m", "l", "xl", "xxl", "free size", "eu:36", "eu:38", "eu:40", "eu:42", "28", "30", "32", "34"]
MATERIALS = ["cotton", "polyester", "leather", "plastic", "stainless steel", "silicone", "wood", "glass", "aluminum"]
EXTRAS = ["[Ready Stock]", "【COD】", "Free Shipping", "LazMall", "Best Seller!!!", "#1 Best Seller", "New Arrival",
          "Original", "Authentic", "❤️ Hot", "Sale 50% OFF", "Limited Edition", "2024 New", "Wholesale Price",
          "High Quality", "Buy 1 Take 1", "Promo", "中文 商品", "Ñandú año", "for Home & Office", "with Gift Box",
          "(Pack of 3)", "12\" x 20\"", "don't miss", "Hello_World", "iPhone15", "USB-C", "Type-C to 3.5mm Adapter"]
FILLER = ["durable", "premium", "comfortable", "portable", "stylish", "classic", "elegant", "soft", "strong",
          "compact", "multi-purpose", "easy to clean", "long lasting", "travel", "outdoor", "indoor", "daily use",
          "gift", "the best of the philippines", "quality guaranteed", "super sale", "flash deal", "trendy", "korean style"]
SERVICES = ["official", "freeShipping", "COD", "flashsale"]


_CUM_WEIGHTS = {}


def zipf_choice(rng, items, s=1.1):
    key = (id(items), len(items), s)
    cum = _CUM_WEIGHTS.get(key)
    if cum is None:
        cum = list(itertools.accumulate(1.0 / (i + 1) ** s for i in range(len(items))))
        _CUM_WEIGHTS[key] = cum
    return rng.choices(items, cum_weights=cum, k=1)[0]


def make_product(rng, index, cats, shops):
    cat = cats[index % len(cats)] if rng.random() < 0.3 else zipf_choice(rng, cats, 0.8)
    nouns, mods = CATEGORIES[cat]
    brand = zipf_choice(rng, BRANDS)
    noun = zipf_choice(rng, nouns)
    words = [brand] if rng.random() < 0.8 else []
    words += rng.sample(mods, k=rng.randint(1, 3))
    words.append(noun)
    if rng.random() < 0.5:
        words.append(rng.choice(COLORS).title())
    if rng.random() < 0.35:
        words.append(rng.choice(EXTRAS))
    if rng.random() < 0.3:
        words.append(f"{rng.choice(['XR', 'A', 'M', 'Pro', 'S'])}-{rng.randint(1, 999)}")
    if rng.random() < 0.2:
        words.append(f"{rng.randint(1, 9)},{rng.randint(0, 999):03d}pcs")
    n_fill = rng.choice([0, 1, 2, 3, 5, 8]) if rng.random() < 0.9 else rng.randint(20, 45)
    words += [zipf_choice(rng, FILLER) for _ in range(n_fill)]
    if rng.random() < 0.5:
        rng.shuffle(words)
    title = " ".join(words)

    skus = []
    n_sku = rng.choice([0, 0, 1, 2, 3, 5, 9])
    for _ in range(n_sku):
        v = {"color_family": rng.choice(COLORS)}
        if rng.random() < 0.6:
            v["size"] = rng.choice(SIZES)
        skus.append(v)
    attrs = {}
    if rng.random() < 0.6:
        attrs["brand"] = [brand.lower()]
    if rng.random() < 0.5:
        attrs["material"] = rng.sample(MATERIALS, k=rng.randint(1, 2))
    if rng.random() < 0.3:
        attrs["model"] = [f"{brand.lower()} {rng.randint(100, 9999)}"]
    if rng.random() < 0.2:
        attrs["units_hb"] = [rng.choice(["1 pc", "2 pcs", "pack of 3", "set", "1,000pcs"])]

    n_services = rng.choices([0, 1, 2, 3], weights=[31, 46, 19, 4])[0]
    price = round(rng.lognormvariate(5.5, 1.0), 2 if rng.random() < 0.25 else 0)
    sold = int(rng.paretovariate(1.2)) - 1
    pid = str(rng.randint(10 ** (rng.randint(5, 9)), 10 ** 10 - 1))
    product = {
        "product_id": pid,
        "shop_id": str(zipf_choice(rng, shops, 0.9)),
        "brand": brand,
        "category": cat,
        "title": title,
        "short_description": "",
        "description": f"{title}. {rng.choice(FILLER)}." if rng.random() < 0.5 else "",
        "specification": f"brand:{brand};material:{rng.choice(MATERIALS)}",
        "price": float(price),
        "sold_count": sold,
        "sku_options": {str(i + 1): v for i, v in enumerate(skus)},
        "attributes": attrs,
        "main_image_url": "",
        "product_url": f"https://example.invalid/p/{pid}",
        "service": sorted(rng.sample(SERVICES, k=n_services), key=SERVICES.index),
    }
    return product


def contents(p):
    sku_vals, seen = [], set()
    for v in p["sku_options"].values():
        for x in v.values():
            if x not in seen:
                seen.add(x)
                sku_vals.append(x)
    attr_vals, seen = [], set()
    for vs in p["attributes"].values():
        for x in vs:
            if x not in seen:
                seen.add(x)
                attr_vals.append(x)
    return p["title"] + "\n" + " ".join(sku_vals) + "\n" + " ".join(attr_vals)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True)
    ap.add_argument("--queries", type=int, default=0)
    ap.add_argument("--queries-out")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    cats = list(CATEGORIES)
    shops = [rng.randint(1000, 9_999_999) for _ in range(max(10, args.products // 9))]
    seen_ids = set()
    titles = []
    attr_values = []
    previous = None
    with open(args.out, "w", encoding="utf-8") as out:
        for i in range(args.products):
            p = make_product(rng, i, cats, shops)
            while p["product_id"] in seen_ids:
                p["product_id"] = str(int(p["product_id"]) + 1)
            if previous is not None and rng.random() < 0.03:
                # An exact duplicate listing from another shop: identical contents, tied scores.
                p["title"], p["sku_options"], p["attributes"] = previous["title"], previous["sku_options"], previous["attributes"]
            seen_ids.add(p["product_id"])
            previous = p
            if len(titles) < 20000:
                titles.append(p["title"])
                for vs in p["attributes"].values():
                    attr_values.extend(vs)
            out.write(json.dumps({"id": p["product_id"], "contents": contents(p), "product": p}, ensure_ascii=False) + "\n")
    if args.queries and args.queries_out:
        qrng = random.Random(args.seed * 1000 + 1)
        with open(args.queries_out, "w", encoding="utf-8") as out:
            for i in range(args.queries):
                kind = i % 6
                if kind == 5 and attr_values:
                    q = qrng.choice(attr_values) + " " + qrng.choice(list(CATEGORIES[qrng.choice(cats)][0]))
                else:
                    words = qrng.choice(titles).split()
                    k = qrng.randint(1, min(6, len(words)))
                    start = qrng.randint(0, len(words) - k)
                    q = " ".join(words[start:start + k])
                    if kind == 4:
                        q = q + " " + q.split()[0]  # a repeated term (boosted by its count)
                    if kind == 3:
                        q = "the best " + q + " for men"
                out.write(json.dumps(q, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
