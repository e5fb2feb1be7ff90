import ArgumentParser

/// The `shoparena` command: one subcommand per job.
@main
struct ShopArena: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shoparena",
        abstract: "An open arena for LLM shopping agents.",
        subcommands: [ScoreCommand.self])
}
