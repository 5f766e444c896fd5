import ArgumentParser

@main
struct Darkroom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "darkroom",
        abstract: "Self-hosted, Photoroom-compatible image editing.",
        subcommands: [ServeCommand.self, TeamsCommand.self, UsersCommand.self, KeysCommand.self, CreditsCommand.self, UsageCommand.self,
                      EditCommand.self, CutoutCommand.self, BenchCommand.self, TruthSetCommand.self,
                      EvalCommand.self]
    )
}
