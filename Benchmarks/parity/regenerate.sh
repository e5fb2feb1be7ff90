#!/usr/bin/env bash
# Regenerates the search parity fixtures under Tests/SearchTests/Fixtures and the tokenizer's word-break
# table with Lucene 8.7 (Debian liblucene8-java) and OpenJDK 17. Deterministic: running it twice gives
# identical files. The Swift tests only read the committed results; they never need Java.
set -euo pipefail
cd "$(dirname "$0")/../.."
CP=/usr/share/java/lucene-core-8.7.0.jar:/usr/share/java/lucene-analyzers-common-8.7.0.jar
F=Tests/SearchTests/Fixtures
P=Benchmarks/parity

python3 $P/make_fixture_catalog.py --products 3000 --seed 7 --out $F/parity_catalog.jsonl \
    --queries 240 --queries-out $F/parity_queries.jsonl
python3 $P/make_analyzer_inputs.py $F/parity_catalog.jsonl $F/parity_queries.jsonl $F/analyzer_inputs.jsonl
java -cp "$CP" $P/LuceneOracle.java analyze $F/analyzer_inputs.jsonl $F/analyzer_golden.jsonl
java -cp "$CP" $P/LuceneOracle.java search $F/parity_catalog.jsonl $F/parity_queries.jsonl 100 $F/parity_golden.jsonl
rm -f $F/analyzer_inputs.jsonl
java -cp "$CP" $P/WordBreakProbe.java Sources/Search/Analysis/WordBreakTable.swift
