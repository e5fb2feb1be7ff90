import ArgumentParser

/// The `shoparena` command: one subcommand per job.
@main
struct ShopArena: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shoparena",
        abstract: "An open arena for LLM shopping agents.",
        subcommands: [
            DemoCommand.self,
            CatalogCommand.self,
            SuiteCommand.self,
            ProblemsCommand.self,
            IndexCommand.self,
            SearchCommand.self,
            EvalCommand.self,
            ScoreCommand.self,
            KeysCommand.self,
            BenchCommand.self,
            LLMCommand.self,
            JudgeAgreementCommand.self,
            WeightsCommand.self,
            ValidatorCommand.self,
            ServeCommand.self,
            AdminCommand.self,
            CorpusCommand.self,
        ])
}
