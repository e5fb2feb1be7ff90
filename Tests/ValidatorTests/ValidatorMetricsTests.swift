import Prometheus
import TestSupport
import Testing
@testable import Validator

/// The validator's exporter on swift-metrics + swift-prometheus: the series it has always shown, exact bucket
/// counts, and memory that does not grow with the number of problems run.
@Suite("Validator metrics")
struct ValidatorMetricsTests {
    @Test func everySeriesOfTheExporterIsShownFromTheStart() throws {
        let samples = try PrometheusSamples(ValidatorMetrics(registry: PrometheusCollectorRegistry()).prometheusText())
        #expect(samples["validator_active_runs"] == 0)
        for result in ["success", "empty", "error", "at_capacity"] {
            #expect(samples["validator_claim_work_total", ["result": result]] == 0)
        }
        for result in ["success", "failure"] {
            #expect(samples["validator_heartbeat_total", ["result": result]] == 0)
        }
        #expect(samples["validator_judge_calls_total"] == 0)
        #expect(samples["validator_judge_failures_total"] == 0)
        #expect(samples["validator_sandbox_duration_seconds_count"] == 0)
        #expect(samples.types["validator_sandbox_duration_seconds"] == "histogram")
        #expect(samples.types["validator_claim_work_total"] == "counter")
        #expect(samples.types["validator_active_runs"] == "gauge")
        let bounds = samples.series.filter { $0.name == "validator_sandbox_duration_seconds_bucket" }.compactMap { $0.labels["le"] }
        #expect(bounds == ["1", "5", "30", "60", "120", "180", "300", "600", "1200", "1800", "3600", "+Inf"])
    }

    @Test func eventsCountUnderTheirLabels() throws {
        let metrics = ValidatorMetrics(registry: PrometheusCollectorRegistry())
        metrics.setActiveRuns(1)
        metrics.claim("at_capacity")
        metrics.heartbeat("success")
        metrics.heartbeat("success")
        metrics.judge(calls: 7, failures: 2)
        metrics.judge(calls: 3, failures: 0)
        metrics.problem(status: "SUCCESS", seconds: 0.5)
        metrics.problem(status: "TIMED_OUT", seconds: 600)
        metrics.problem(status: "SUCCESS", seconds: 4000)
        let samples = try PrometheusSamples(metrics.prometheusText())
        #expect(samples["validator_active_runs"] == 1)
        #expect(samples["validator_claim_work_total", ["result": "at_capacity"]] == 1)
        #expect(samples["validator_heartbeat_total", ["result": "success"]] == 2)
        #expect(samples["validator_judge_calls_total"] == 10)
        #expect(samples["validator_judge_failures_total"] == 2)
        #expect(samples["validator_problems_total", ["status": "SUCCESS"]] == 2)
        #expect(samples["validator_problems_total", ["status": "TIMED_OUT"]] == 1)
        #expect(samples["validator_sandbox_duration_seconds_bucket", ["le": "1"]] == 1)
        #expect(samples["validator_sandbox_duration_seconds_bucket", ["le": "300"]] == 1)
        #expect(samples["validator_sandbox_duration_seconds_bucket", ["le": "600"]] == 2)  // le is inclusive
        #expect(samples["validator_sandbox_duration_seconds_bucket", ["le": "3600"]] == 2)
        #expect(samples["validator_sandbox_duration_seconds_bucket", ["le": "+Inf"]] == 3)
        #expect(samples["validator_sandbox_duration_seconds_sum"] == 4600.5)
        #expect(samples["validator_sandbox_duration_seconds_count"] == 3)
    }

    /// The hand-written exporter kept every duration in an array; now 100,000 problems leave the exposition
    /// exactly as many lines (and series) as one problem does, with exact counts per bucket.
    @Test func recordingOneHundredThousandDurationsKeepsTheSameSeries() throws {
        let metrics = ValidatorMetrics(registry: PrometheusCollectorRegistry())
        // Durations land in swift-prometheus' histogram: a count, a sum and one counter per bucket, no samples.
        #expect(metrics.sandboxDurationHandler is ValueHistogram)
        metrics.problem(status: "SUCCESS", seconds: 2)
        let first = metrics.prometheusText()
        var expected = [Double: Int]()
        var sum = 2.0
        for bound in ValidatorMetrics.durationBuckets { expected[bound] = bound >= 2 ? 1 : 0 }
        for i in 1..<100_000 {
            let seconds = Double((i * 7919) % 4000) + 0.25  // 0.25 … 3999.25, spread over every bucket
            metrics.problem(status: "SUCCESS", seconds: seconds)
            sum += seconds
            for bound in ValidatorMetrics.durationBuckets where seconds <= bound { expected[bound, default: 0] += 1 }
        }
        let last = metrics.prometheusText()
        let before = try PrometheusSamples(first)
        let after = try PrometheusSamples(last)
        #expect(first.split(separator: "\n").count == last.split(separator: "\n").count)
        func keys(_ samples: PrometheusSamples) -> Set<String> {
            Set(samples.series.map { $0.name + $0.labels.sorted { $0.key < $1.key }.description })
        }
        #expect(before.series.count == after.series.count)
        #expect(keys(before) == keys(after))
        #expect(after["validator_sandbox_duration_seconds_count"] == 100_000)
        #expect(after["validator_problems_total", ["status": "SUCCESS"]] == 100_000)
        #expect(after["validator_sandbox_duration_seconds_sum"] == sum)
        for bound in ValidatorMetrics.durationBuckets {
            let label = String(Int(bound))
            #expect(after["validator_sandbox_duration_seconds_bucket", ["le": label]] == Double(expected[bound] ?? -1), "le=\(label)")
        }
        // Each scrape renders the same bounded text: the second is no longer than the first plus digits.
        #expect(last.utf8.count < first.utf8.count + 200)
    }

    @Test func integralBucketBoundsKeepTheirOldSpelling() {
        #expect(ValidatorMetrics.integralBucketBounds("a_bucket{le=\"30.0\"} 1\na_bucket{le=\"0.5\"} 0\n")
                == "a_bucket{le=\"30\"} 1\na_bucket{le=\"0.5\"} 0\n")
        #expect(ValidatorMetrics.integralBucketBounds("x{le=\"+Inf\"} 2\ny{a=\"1.0\"} 3\n") == "x{le=\"+Inf\"} 2\ny{a=\"1.0\"} 3\n")
    }
}
