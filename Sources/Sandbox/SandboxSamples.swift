import ArenaModel
import Foundation

/// One finished run of a sampled batch: which sample of its problem it was, and its envelope.
public struct SampledEnvelope: Sendable {
    /// 0-based sample index.
    public var sample: Int
    public var envelope: Envelope

    public init(sample: Int, envelope: Envelope) {
        self.sample = sample
        self.envelope = envelope
    }
}

extension SandboxRunner {
    /// Runs every problem `samples` times, each run in a fresh sandbox with its own proxy session (pass@k,
    /// `shoparena eval --samples`), at most `workers` at once; runs start sample by sample (all problems of
    /// sample 0 first), so a cut-short evaluation still holds whole samples. `proxy(i)` gives the provider of
    /// sample `i` (e.g. one proxy log directory per sample). Returns the envelopes of each sample, in
    /// completion order; like ``runBatch(agentFile:problems:limits:workers:proxy:onEnvelope:)`` nothing is
    /// dropped, so every sample has one envelope per problem.
    public func runSamples(
        agentFile: URL, problems: [Problem], samples: Int, limits: SandboxLimits = .standard, workers: Int? = nil,
        proxy: @escaping @Sendable (Int) -> (any SandboxProxyProvider)? = { _ in nil },
        onEnvelope: @escaping @Sendable (SampledEnvelope) async -> Void = { _ in }
    ) async -> [[Envelope]] {
        let width = max(1, workers ?? ProcessInfo.processInfo.activeProcessorCount)
        let sampleCount = max(1, samples)
        let jobs = (0..<sampleCount).flatMap { sample in problems.map { (sample, $0) } }
        return await withTaskGroup(of: SampledEnvelope.self) { group in
            var results = Array(repeating: [Envelope](), count: sampleCount)
            var next = 0
            func startNext() {
                guard next < jobs.count else { return }
                let (sample, problem) = jobs[next]
                next += 1
                let provider = proxy(sample)
                group.addTask {
                    SampledEnvelope(
                        sample: sample,
                        envelope: await self.runOne(agentFile: agentFile, problem: problem, limits: limits, proxy: provider))
                }
            }
            for _ in 0..<min(width, jobs.count) { startNext() }
            while let finished = await group.next() {
                results[finished.sample].append(finished.envelope)
                await onEnvelope(finished)
                startNext()
            }
            return results
        }
    }
}
