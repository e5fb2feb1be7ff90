// Lucene 8.7 oracle for ShopArena's search engine (parity goldens and the peer benchmark).
//
// Run with the single-file source launcher (Debian liblucene8-java + OpenJDK 17):
//   java -cp /usr/share/java/lucene-core-8.7.0.jar:/usr/share/java/lucene-analyzers-common-8.7.0.jar \
//        Benchmarks/parity/LuceneOracle.java MODE ...
//
// Modes
//   analyze  IN OUT                 IN: one JSON string per line. OUT: JSONL {"text":…, "tokens":[…]}.
//   search   CATALOG QUERIES N OUT  CATALOG: JSONL {id, contents, …}. QUERIES: one JSON string per line.
//                                   OUT: JSONL {"q":…, "hits":[[id, scoreBits, "score"], …]} (top N by
//                                   score desc, then id string asc; scoreBits = Float.floatToIntBits).
//   bench    CATALOG QUERIES K[,K…] REPEAT OUT
//                                   Times search(q, K) sorted by score then id, in process, after a warm-up,
//                                   for each K (100000 is ShoppingBench's find_product call); writes JSON
//                                   {build_seconds, latencies_ms:{K:[…]}, top10:{q:[ids]}} for the peer report.
//
// The engine configuration is what Pyserini/Anserini uses for ShoppingBench: EnglishAnalyzer
// (StandardTokenizer, possessive, lower case, 33 stop words, Porter), BM25Similarity(0.9, 0.4),
// one SHOULD TermQuery per distinct analysed token boosted by its count, ties broken by the id string.

import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.search.*;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;

public class LuceneOracle {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "analyze" -> analyze(args[1], args[2]);
            case "search" -> search(args[1], args[2], Integer.parseInt(args[3]), args[4]);
            case "bench" -> bench(args[1], args[2], args[3], Integer.parseInt(args[4]), args[5]);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    static List<String> tokens(Analyzer analyzer, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream("contents", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) out.add(term.toString());
            ts.end();
        }
        return out;
    }

    static void analyze(String in, String out) throws IOException {
        Analyzer analyzer = new EnglishAnalyzer();
        try (BufferedWriter w = Files.newBufferedWriter(Path.of(out), StandardCharsets.UTF_8)) {
            for (String line : Files.readAllLines(Path.of(in), StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                String text = (String) new Json(line).value();
                StringBuilder sb = new StringBuilder("{\"text\":").append(Json.quote(text)).append(",\"tokens\":[");
                List<String> toks = tokens(analyzer, text);
                for (int i = 0; i < toks.size(); i++) sb.append(i == 0 ? "" : ",").append(Json.quote(toks.get(i)));
                w.write(sb.append("]}\n").toString());
            }
        }
    }

    static IndexSearcher buildIndex(String catalog) throws IOException {
        Analyzer analyzer = new EnglishAnalyzer();
        Directory dir = new ByteBuffersDirectory();
        IndexWriterConfig cfg = new IndexWriterConfig(analyzer);
        cfg.setSimilarity(new BM25Similarity(0.9f, 0.4f));
        cfg.setRAMBufferSizeMB(512);
        try (IndexWriter writer = new IndexWriter(dir, cfg);
             BufferedReader r = Files.newBufferedReader(Path.of(catalog), StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                @SuppressWarnings("unchecked")
                Map<String, Object> obj = (Map<String, Object>) new Json(line).value();
                String id = String.valueOf(obj.get("id"));
                Document doc = new Document();
                doc.add(new StringField("id", id, Field.Store.YES));
                doc.add(new SortedDocValuesField("id", new BytesRef(id)));
                doc.add(new TextField("contents", (String) obj.get("contents"), Field.Store.NO));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
        }
        IndexSearcher searcher = new IndexSearcher(DirectoryReader.open(dir));
        searcher.setSimilarity(new BM25Similarity(0.9f, 0.4f));
        return searcher;
    }

    /// Anserini's bag-of-words query: one SHOULD clause per distinct token, boosted by its count.
    static Query query(Analyzer analyzer, String q) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String t : tokens(analyzer, q)) counts.merge(t, 1, Integer::sum);
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            Query tq = new TermQuery(new Term("contents", e.getKey()));
            if (e.getValue() > 1) tq = new BoostQuery(tq, e.getValue());
            b.add(tq, BooleanClause.Occur.SHOULD);
        }
        return b.build();
    }

    static final Sort BY_SCORE_THEN_ID = new Sort(SortField.FIELD_SCORE, new SortField("id", SortField.Type.STRING));

    static TopDocs run(IndexSearcher searcher, Query query, int k) throws IOException {
        return searcher.search(query, k, BY_SCORE_THEN_ID, true);
    }

    static List<String> readQueries(String path) throws IOException {
        List<String> qs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(path), StandardCharsets.UTF_8))
            if (!line.isBlank()) qs.add((String) new Json(line).value());
        return qs;
    }

    static void search(String catalog, String queries, int n, String out) throws IOException {
        IndexSearcher searcher = buildIndex(catalog);
        Analyzer analyzer = new EnglishAnalyzer();
        try (BufferedWriter w = Files.newBufferedWriter(Path.of(out), StandardCharsets.UTF_8)) {
            for (String q : readQueries(queries)) {
                TopDocs top = run(searcher, query(analyzer, q), n);
                StringBuilder sb = new StringBuilder("{\"q\":").append(Json.quote(q)).append(",\"hits\":[");
                for (int i = 0; i < top.scoreDocs.length; i++) {
                    ScoreDoc sd = top.scoreDocs[i];
                    String id = searcher.doc(sd.doc).get("id");
                    sb.append(i == 0 ? "" : ",").append("[").append(Json.quote(id)).append(",")
                      .append(Float.floatToIntBits(sd.score)).append(",\"").append(sd.score).append("\"]");
                }
                w.write(sb.append("]}\n").toString());
            }
        }
    }

    static void bench(String catalog, String queries, String ks, int repeat, String out) throws IOException {
        long t0 = System.nanoTime();
        IndexSearcher searcher = buildIndex(catalog);
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        Analyzer analyzer = new EnglishAnalyzer();
        List<String> qs = readQueries(queries);
        StringBuilder sb = new StringBuilder("{\"engine\":\"lucene-8.7\",\"documents\":").append(searcher.getIndexReader().numDocs())
            .append(",\"build_seconds\":").append(buildSeconds).append(",\"latencies_ms\":{");
        String[] kList = ks.split(",");
        for (int ki = 0; ki < kList.length; ki++) {
            int k = Integer.parseInt(kList[ki]);
            for (String q : qs) run(searcher, query(analyzer, q), k); // warm-up (JIT)
            List<Double> lat = new ArrayList<>();
            for (int rep = 0; rep < repeat; rep++) {
                for (String q : qs) {
                    long s = System.nanoTime();
                    TopDocs top = run(searcher, query(analyzer, q), k);
                    if (top.scoreDocs.length < 0) throw new IllegalStateException();
                    lat.add((System.nanoTime() - s) / 1e6);
                }
            }
            sb.append(ki == 0 ? "" : ",").append("\"").append(k).append("\":[");
            for (int i = 0; i < lat.size(); i++) sb.append(i == 0 ? "" : ",").append(lat.get(i));
            sb.append("]");
        }
        sb.append("},\"top10\":{");
        boolean first = true;
        for (String q : qs) {
            TopDocs top = run(searcher, query(analyzer, q), 10);
            sb.append(first ? "" : ",").append(Json.quote(q)).append(":[");
            first = false;
            for (int i = 0; i < top.scoreDocs.length; i++)
                sb.append(i == 0 ? "" : ",").append(Json.quote(searcher.doc(top.scoreDocs[i].doc).get("id")));
            sb.append("]");
        }
        sb.append("}}\n");
        Files.writeString(Path.of(out), sb.toString(), StandardCharsets.UTF_8);
    }

    /// A minimal JSON reader (objects, arrays, strings, numbers, literals) for the oracle's inputs.
    static final class Json {
        private final String s;
        private int i;
        Json(String s) { this.s = s; }

        Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++; ws();
                if (s.charAt(i) == '}') { i++; return m; }
                while (true) {
                    ws(); String k = str(); ws(); i++; // ':'
                    m.put(k, value()); ws();
                    if (s.charAt(i++) == '}') return m;
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++; ws();
                if (s.charAt(i) == ']') { i++; return l; }
                while (true) {
                    l.add(value()); ws();
                    if (s.charAt(i++) == ']') return l;
                }
            }
            if (c == '"') return str();
            int start = i;
            while (i < s.length() && ",]} \t\r\n".indexOf(s.charAt(i)) < 0) i++;
            String lit = s.substring(start, i);
            return switch (lit) { case "true" -> true; case "false" -> false; case "null" -> null; default -> lit; };
        }

        private void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        private String str() {
            StringBuilder b = new StringBuilder();
            i++; // opening quote
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n'); case 't' -> b.append('\t'); case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b'); case 'f' -> b.append('\f');
                    case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                    default -> b.append(e);
                }
            }
        }

        static String quote(String v) {
            StringBuilder b = new StringBuilder("\"");
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                switch (c) {
                    case '"' -> b.append("\\\""); case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n"); case '\r' -> b.append("\\r"); case '\t' -> b.append("\\t");
                    default -> { if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c); }
                }
            }
            return b.append('"').toString();
        }
    }
}
