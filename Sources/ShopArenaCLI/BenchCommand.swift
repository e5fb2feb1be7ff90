import ArgumentParser

/// `shoparena bench …`: reproducible performance runs that print JSON (never timed test assertions).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure performance; every subcommand prints one JSON object.",
        discussion: "Build with -c release for meaningful numbers: swift build -c release --product shoparena",
        subcommands: [BenchSearchCommand.self, BenchScoreCommand.self, BenchIdentityCommand.self, BenchSandboxCommand.self,
                      BenchE2ECommand.self, BenchBackendCommand.self, BenchClustersCommand.self,
                      BenchCorpusCommand.self, BenchFaultsCommand.self])
}
