#!/usr/bin/env python3
"""Peers for `shoparena bench search`, on the same catalog and the same queries, in one run:

* Lucene 8.7 in process through Benchmarks/parity/LuceneOracle.java (Debian liblucene8-java, OpenJDK 17):
  search(q, 100000) sorted by score then id — ShoppingBench's find_product call — and search(q, 50);
* tantivy (PyPI `tantivy`, Rust; its own en_stem analysis and BM25 k1 1.2, b 0.75) top 50;
* bm25s (PyPI `bm25s`, numpy; method "lucene", k1 0.9, b 0.4, English stop words, no stemmer) top 50.

Python engines are timed from Python (the call overhead is part of their cost as a Python user sees it).
Top-10 overlap is against Lucene's top 10. The ShopArena numbers come from `--swift-report` (the JSON that
`shoparena bench search --query-file Q --golden LUCENE.json` printed); ratios are peer p50 / ShopArena p50,
against the whole find_product call (ranking + decoding the page's 10 stored products) and, `_ranking`,
against the ranked top 50 alone, which is what the peers' timings cover.

    python3 Benchmarks/bench_search_peers.py --catalog C.jsonl --queries Q.jsonl --lucene-out L.json \\
        [--swift-report S.json] [--repeats 3] [--skip-lucene] [--skip-python]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CP = "/usr/share/java/lucene-core-8.7.0.jar:/usr/share/java/lucene-analyzers-common-8.7.0.jar"
SPECIALS = re.compile(r'[+\-&|!(){}\[\]^"~*?:\\/]')


def pct(values, p):
    s = sorted(values)
    if not s:
        return 0.0
    i = max(0, min(len(s) - 1, int(-(-len(s) * p // 1)) - 1))
    return s[i]


def summary(values):
    return {"p50": pct(values, 0.5), "p99": pct(values, 0.99), "mean": statistics.fmean(values) if values else 0.0}


def overlap(top10, ours):
    total, n = 0.0, 0
    for q, theirs in top10.items():
        mine = ours.get(q, [])
        if not theirs and not mine:
            total += 1
        else:
            total += len(set(theirs) & set(mine)) / max(len(theirs), len(mine))
        n += 1
    return total / n if n else 0.0


def read_catalog(path):
    ids, texts = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                ids.append(str(d["id"]))
                texts.append(d["contents"])
    return ids, texts


def bench_tantivy(ids, texts, queries, repeats):
    import tantivy
    schema_builder = tantivy.SchemaBuilder()
    schema_builder.add_text_field("contents", stored=False, tokenizer_name="en_stem")
    schema_builder.add_text_field("id", stored=True, tokenizer_name="raw")
    schema = schema_builder.build()
    index = tantivy.Index(schema)
    t0 = time.perf_counter()
    writer = index.writer(heap_size=512_000_000, num_threads=1)
    for i, t in zip(ids, texts):
        writer.add_document(tantivy.Document(id=i, contents=t))
    writer.commit()
    writer.wait_merging_threads()
    build = time.perf_counter() - t0
    index.reload()
    searcher = index.searcher()

    def run(q, k):
        cleaned = SPECIALS.sub(" ", q).strip()
        if not cleaned:
            return []
        query = index.parse_query(cleaned.replace("'", " "), ["contents"])
        return [searcher.doc(addr)["id"][0] for _, addr in searcher.search(query, k).hits]

    for q in queries:
        run(q, 50)
    lat = []
    for _ in range(repeats):
        for q in queries:
            s = time.perf_counter()
            run(q, 50)
            lat.append((time.perf_counter() - s) * 1000)
    return build, lat, {q: run(q, 10) for q in queries}


def bench_bm25s(ids, texts, queries, repeats):
    import bm25s
    t0 = time.perf_counter()
    corpus_tokens = bm25s.tokenize(texts, stopwords="en", show_progress=False)
    retriever = bm25s.BM25(method="lucene", k1=0.9, b=0.4)
    retriever.index(corpus_tokens, show_progress=False)
    build = time.perf_counter() - t0
    vocab = corpus_tokens.vocab

    def run(q, k):
        qt = bm25s.tokenize([q], stopwords="en", show_progress=False, return_ids=False)[0]
        if not any(t in vocab for t in qt):
            return []
        docs, _ = retriever.retrieve([qt], k=min(k, len(ids)), show_progress=False)
        return [ids[d] for d in docs[0]]

    for q in queries:
        run(q, 50)
    lat = []
    for _ in range(repeats):
        for q in queries:
            s = time.perf_counter()
            run(q, 50)
            lat.append((time.perf_counter() - s) * 1000)
    return build, lat, {q: run(q, 10) for q in queries}


def make_queries(catalog, n, out_path):
    import random
    with open(catalog, encoding="utf-8") as f:
        total = sum(1 for line in f if line.strip())
    step = max(1, total // n)
    rng = random.Random(5)
    out = []
    with open(catalog, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % step or len(out) >= n:
                continue
            words = json.loads(line)["product"]["title"].split()
            if not words:
                continue
            k = rng.randint(1, min(4, len(words)))
            start = rng.randint(0, len(words) - k)
            out.append(" ".join(words[start:start + k]))
    with open(out_path, "w", encoding="utf-8") as f:
        for q in out:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--catalog", required=True)
    ap.add_argument("--queries", required=True, help="one JSON string per line")
    ap.add_argument("--lucene-out", required=True)
    ap.add_argument("--swift-report")
    ap.add_argument("--swift-build-report",
                    help="a `bench search` report of the run that built the index (build time, size, HTTP throughput)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--skip-lucene", action="store_true")
    ap.add_argument("--skip-python", action="store_true")
    ap.add_argument("--java-heap", default="6g")
    ap.add_argument("--lucene-ks", default="100000,50",
                    help="Lucene top-k sizes to time (100000 is ShoppingBench's call and takes minutes at 1M)")
    ap.add_argument("--make-queries", type=int, default=0,
                    help="first write N queries (1-4 consecutive title words of evenly spaced products) to --queries")
    args = ap.parse_args()
    if args.make_queries:
        make_queries(args.catalog, args.make_queries, args.queries)

    queries = [json.loads(l) for l in open(args.queries, encoding="utf-8") if l.strip()]
    if not args.skip_lucene:
        subprocess.run(["java", f"-Xmx{args.java_heap}", "-cp", CP, os.path.join(HERE, "parity", "LuceneOracle.java"),
                        "bench", args.catalog, args.queries, args.lucene_ks, str(args.repeats), args.lucene_out], check=True)
    lucene = json.load(open(args.lucene_out, encoding="utf-8"))
    report = {"queries": len(queries), "repeats": args.repeats, "engines": {}}
    for k, latencies in lucene["latencies_ms"].items():
        name = "lucene-8.7 k=100000 (ShoppingBench find_product)" if k == "100000" else f"lucene-8.7 k={k}"
        report["engines"][name] = {"build_seconds": lucene["build_seconds"], "latency_ms": summary(latencies),
                                   "top10_overlap": 1.0}
    if not args.skip_python:
        ids, texts = read_catalog(args.catalog)
        for name, fn in (("tantivy (python)", bench_tantivy), ("bm25s (python)", bench_bm25s)):
            try:
                build, lat, top10 = fn(ids, texts, queries, args.repeats)
                report["engines"][name] = {"build_seconds": build, "latency_ms": summary(lat),
                                           "top10_overlap": overlap(lucene["top10"], top10)}
            except Exception as e:  # a peer that cannot run is reported, not fatal
                report["engines"][name] = {"error": repr(e)}
    if args.swift_report:
        swift = json.load(open(args.swift_report, encoding="utf-8"))
        p50 = swift["find_product_ms"]["p50"]
        p99 = swift["find_product_ms"]["p99"]
        ranking = swift.get("ranking_ms")
        report["shoparena"] = {"latency_ms": swift["find_product_ms"], "ranking_latency_ms": ranking,
                               "filtered_latency_ms": swift["find_product_filtered_ms"],
                               "exhaustive_latency_ms": swift["exhaustive_ms"],
                               "pruned_vs_exhaustive_mismatches": swift["pruned_vs_exhaustive_mismatches"],
                               "build_seconds": swift["build_seconds"],
                               "top10_overlap": (swift.get("lucene_overlap") or {}).get("mean_top10_overlap"),
                               "identical_top10_lists": (swift.get("lucene_overlap") or {}).get("identical_top10_lists"),
                               "rss_mb_after_open": swift["rss_mb_after_open"],
                               "rss_mb_after_queries": swift["rss_mb_after_queries"],
                               "throughput_qps": swift.get("throughput_qps"),
                               "concurrency": swift.get("concurrency")}
        if args.swift_build_report:
            built = json.load(open(args.swift_build_report, encoding="utf-8"))
            for key in ("documents", "terms", "postings", "generate_seconds", "build_seconds", "index_bytes",
                        "open_seconds", "peak_rss_mb", "http"):
                report["shoparena"][key] = built.get(key)
        for e in report["engines"].values():
            if "latency_ms" in e and p50 > 0:
                e["p50_ratio_vs_shoparena"] = e["latency_ms"]["p50"] / p50
                e["p99_ratio_vs_shoparena"] = e["latency_ms"]["p99"] / p99
                if ranking and ranking["p50"] > 0:
                    e["p50_ratio_vs_shoparena_ranking"] = e["latency_ms"]["p50"] / ranking["p50"]
                    e["p99_ratio_vs_shoparena_ranking"] = e["latency_ms"]["p99"] / ranking["p99"]
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
