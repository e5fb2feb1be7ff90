#!/usr/bin/env python3
"""Analyzer test inputs for the Lucene oracle: tokenizer edge cases, the fixture catalog's contents and
queries, and English words (for the Porter stemmer) gathered from the Python standard library's sources,
50 per line. Deterministic; standard library only.

    make_analyzer_inputs.py CATALOG QUERIES OUT
"""
import glob
import json
import os
import re
import sys
import sysconfig

EDGE_CASES = [
    "Women's Jeans", "6/8/10/12 Inches", "eu:30", "eu:36-44", "USB-C", "3.5mm", "1,000pcs", "U.S.A.", "u.s.a",
    "don't", "hello_world", "Hello_World", "_a_", "a_", "__init__", "x-large", "2-in-1", "20,000mAh", "1.5L",
    "10x20cm", "g1/2", "iPhone15", "H&M", "SPF50+ PA++++", "Kids' Shoes", "KIDS'S", "Levi’s", "Levi＇s",
    "women’s", "L'Oréal", "Café crème brûlée", "Ñandú año 2024", "İstanbul", "ΣΊΣΥΦΟΣ", "Straße", "ǅemal",
    "中文 商品", "日本語のテキスト", "ひらがな カタカナ ｶﾀｶﾅ", "한국어 텍스트abc", "ภาษาไทย ok", "ລາວ", "עברית ו\"ד א'",
    "❤️NoBrand", "👍🏽ok", "👨‍👩‍👧 family", "🇵🇭🇺🇸x", "1️⃣ #️⃣ *️⃣", "©2020 ®™", "★☆ ✔️done", "😀‍😀", "🏽🏽",
    "a\u0301b", "x\u200dy", "1\u200d1", "\u00ad soft\u00adhyphen", "ｆｕｌｌｗｉｄｔｈ １２３", "①②③ Ⅻ", "٣٤٥ ۱۲۳",
    "1..2", "a..b", "1.a", "b.1", "3,5", "3,,5", "1;2", "1:2", "a:b", "a;b", "1'2", "a'b'c", "o'neill's",
    "$19.99", "50%", "#hashtag", "@mention", "e-mail support@example.com www.example.com http://x.y/z?q=1",
    "x" * 300, "1" * 260, "ab" * 140, "a.b" * 100,
    "running runs runner ran", "generalization oscillators happily", "agreed feed bled sing", "conditional rational",
    "hopeful goodness electrical formality", "adjustable dependent adoption", "controll roll", "sky skies dying",
    "the and of to in a is it for", "The Best of the Philippines and a Gift for You", "TO BE OR NOT TO BE",
]


def words():
    root = sysconfig.get_paths()["stdlib"]
    seen, out = set(), []
    for path in sorted(glob.glob(os.path.join(root, "*.py"))):
        with open(path, encoding="utf-8", errors="ignore") as f:
            for w in re.findall(r"[A-Za-z]{3,}", f.read()):
                w = w.lower()
                if w not in seen:
                    seen.add(w)
                    out.append(w)
    return sorted(out)[:12000]


def main():
    catalog, queries, out_path = sys.argv[1:4]
    lines = list(EDGE_CASES)
    with open(catalog, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 10 == 0:
                lines.append(json.loads(line)["contents"])
    with open(queries, encoding="utf-8") as f:
        lines += [json.loads(l) for l in f if l.strip()]
    ws = words()
    lines += [" ".join(ws[i:i + 50]) for i in range(0, len(ws), 50)]
    with open(out_path, "w", encoding="utf-8") as out:
        for l in lines:
            out.write(json.dumps(l, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
