import ArgumentParser

@main
struct Darkroom: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "darkroom",
        abstract: "Self-hosted, Photoroom-compatible image editing.",
        subcommands: [CutoutCommand.self, BenchCommand.self, TruthSetCommand.self]
    )
}
