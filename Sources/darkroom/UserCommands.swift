import Accounts
import ArgumentParser
import Foundation
import Web

/// People who sign in to the dashboard.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "users", abstract: "Create dashboard users.",
                                                    subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user with a personal team, in --team as well (created with them as owner if it does not exist).")
        @Argument(help: "Their email (the sign-in name).") var email: String
        @Option(help: "A team to join or create.") var team: String?
        @Option(help: "Their role in an existing --team: owner or member.") var role: String = "member"
        @Flag(help: "Read the password from standard input (one line), so it appears in no command line or history.")
        var passwordStdin = false
        @OptionGroup var state: StateOptions

        func run() async throws {
            guard passwordStdin else { throw ValidationError("give the password on standard input with --password-stdin") }
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("no password on standard input")
            }
            let user = try await state.withStore { store in
                try await WebStore(accounts: store).createUser(email: email, password: password, team: team, role: role)
            }
            print("user \(user.email) created\(team.map { " and in team \($0)" } ?? ""), with a personal team; sign in at /signin")
        }
    }
}
