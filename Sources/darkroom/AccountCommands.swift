import Accounts
import ArgumentParser
import Foundation

struct TeamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "teams", abstract: "Create and list teams.",
                                                    subcommands: [Create.self, List.self, AddMember.self])

    struct AddMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-member", abstract: "Add a person to a team.")
        @Option(help: "The team.") var team: String
        @Argument(help: "Their email.") var email: String
        @Option(help: "owner or member.") var role: String = "member"
        @OptionGroup var state: StateOptions
        func run() async throws {
            try await state.withStore { try await $0.addMember(team: team, email: email, role: role) }
            print("\(email) is now \(role) of \(team)")
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a team with a plan and its first credits.")
        @Argument(help: "Team name: letters, digits, '-' or '_'.") var name: String
        @Option(help: "basic, plus, or a custom name (then --allowance is required).") var plan: String = "basic"
        @Option(help: "Monthly allowance in credits (default: the plan's; basic 100, plus 1000).") var allowance: String?
        @Option(help: "Credits granted now (default: one allowance).") var credits: String?
        @Option(help: "Owner's email.") var owner: String?
        @OptionGroup var state: StateOptions

        func run() async throws {
            guard let plan = Plan.named(plan, allowance: try allowance.map(parseCredits)) else {
                throw ValidationError("--plan must be basic or plus, or a custom name with --allowance")
            }
            let initial = try credits.map(parseCredits)
            let team = try await state.withStore { try await $0.createTeam(name: name, plan: plan, initialCredits: initial, owner: owner) }
            print("team \(team.name): plan \(team.plan.name), \(team.plan.monthlyAllowance) credits a month")
        }
    }

    struct List: AsyncParsableCommand {
        @OptionGroup var state: StateOptions
        func run() async throws {
            try await state.withStore { store in
                for team in try await store.teams() {
                    print("\(team.name)\t\(team.plan.name)\t\(try await store.balance(teamID: team.id)) credits available")
                }
            }
        }
    }
}

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keys", abstract: "Create, list and revoke API keys.",
                                                    subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key; it is printed once and stored only as a hash.")
        @Option(help: "The team the key belongs to.") var team: String
        @Option(help: "A label to recognise the key by.") var label: String = ""
        @OptionGroup var state: StateOptions

        func run() async throws {
            let (key, record) = try await state.withStore { try await $0.createKey(team: team, label: label) }
            print(key)
            print("sandbox form: \(KeyGenerator.sandboxPrefix)\(key)")
            print("id \(record.id) — store the key now: it cannot be shown again")
        }
    }

    struct List: AsyncParsableCommand {
        @Option(help: "The team whose keys to list.") var team: String
        @OptionGroup var state: StateOptions
        func run() async throws {
            let keys = try await state.withStore { try await $0.keys(team: team) }
            for key in keys {
                let status = key.revokedAt.map { "revoked \(iso($0))" } ?? "active"
                print("\(key.id)\t…\(key.hint)\t\(key.label)\tcreated \(iso(key.createdAt))\tlast used \(key.lastUsedAt.map(iso) ?? "never")\t\(status)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        @Argument(help: "Key id, as `keys list` shows it.") var id: String
        @OptionGroup var state: StateOptions
        func run() async throws {
            try await state.withStore { try await $0.revokeKey(id: id) }
            print("revoked \(id)")
        }
    }
}

struct CreditsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "credits", abstract: "Grant credits to a team.",
                                                    subcommands: [Grant.self])

    struct Grant: AsyncParsableCommand {
        @Option(help: "The team.") var team: String
        @Argument(help: "Credits to add (> 0).") var amount: String
        @OptionGroup var state: StateOptions
        func run() async throws {
            let credits = try parseCredits(amount)
            guard credits > .zero else { throw ValidationError("a grant must be more than 0 credits") }
            let balance = try await state.withStore { store -> Credits in
                try await store.grant(team: team, credits)
                return try await store.balance(teamID: try await store.team(named: team).id)
            }
            print("granted \(credits) credits to \(team): \(balance) available")
        }
    }
}

struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "usage", abstract: "A team's calls: time, key, route, status, credits.")
    @Option(help: "The team.") var team: String
    @Option(help: "Only calls since this date (YYYY-MM-DD, UTC).") var since: String?
    @OptionGroup var state: StateOptions

    func run() async throws {
        var start = Date.distantPast
        if let since {
            guard let date = ISO8601DateFormatter.dateOnlyFormatter.date(from: since) else {
                throw ValidationError("--since takes a date like 2026-11-01, got '\(since)'")
            }
            start = date
        }
        let records = try await state.withStore { try await $0.usage(team: team, since: start) }
        var total = Credits.zero
        for r in records {
            total.hundredths += r.credits.hundredths
            print("\(iso(r.at))\t\(r.keyID)\t\(r.route)\t\(r.status)\t\(r.credits)\(r.sandbox ? "\tsandbox" : "")\t\(r.durationMilliseconds) ms\t\(r.bytesIn)→\(r.bytesOut) B")
        }
        print("\(records.count) calls, \(total) credits")
    }
}

func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let dateOnlyFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter
    }()
}
