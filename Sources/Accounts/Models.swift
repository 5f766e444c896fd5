import Foundation

/// Credits in hundredths, so that a preview cut-out (0.25 credit) is exact.
public struct Credits: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var hundredths: Int64
    public init(hundredths: Int64) { self.hundredths = hundredths }
    public init(_ credits: Double) { hundredths = Int64((credits * 100).rounded()) }
    public var value: Double { Double(hundredths) / 100 }
    public static func < (a: Credits, b: Credits) -> Bool { a.hundredths < b.hundredths }
    public var description: String {
        hundredths % 100 == 0 ? String(hundredths / 100) : String(format: "%.2f", value)
    }
    public static let zero = Credits(hundredths: 0)
}

public struct Plan: Sendable, Equatable {
    public var name: String
    /// Credits granted at the start of every billing period.
    public var monthlyAllowance: Credits

    public init(name: String, monthlyAllowance: Credits) { self.name = name; self.monthlyAllowance = monthlyAllowance }

    public static let basic = Plan(name: "basic", monthlyAllowance: Credits(100))
    public static let plus = Plan(name: "plus", monthlyAllowance: Credits(1000))

    public static func named(_ name: String, allowance: Credits? = nil) -> Plan? {
        switch name {
        case "basic": return allowance.map { Plan(name: "basic", monthlyAllowance: $0) } ?? .basic
        case "plus": return allowance.map { Plan(name: "plus", monthlyAllowance: $0) } ?? .plus
        default:
            // A custom plan needs its own allowance.
            guard let allowance, Self.validName(name) else { return nil }
            return Plan(name: name, monthlyAllowance: allowance)
        }
    }

    static func validName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 40 && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }
}

public struct Team: Sendable, Equatable {
    public var id: String
    public var name: String
    public var plan: Plan
    public var periodStart: Date

    public init(id: String, name: String, plan: Plan, periodStart: Date) {
        self.id = id; self.name = name; self.plan = plan; self.periodStart = periodStart
    }
}

public struct APIKeyRecord: Sendable, Equatable {
    public var id: String
    public var teamID: String
    public var label: String
    /// The key's last characters, to tell keys apart in listings.
    public var hint: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
}

/// Who is calling: the key's team, and whether the call is in sandbox mode (`sandbox_` prefix).
public struct Caller: Sendable, Equatable {
    public var team: Team
    public var keyID: String
    public var sandbox: Bool

    public init(team: Team, keyID: String, sandbox: Bool) { self.team = team; self.keyID = keyID; self.sandbox = sandbox }
}

/// A call refused at the door: no key, a wrong key, a rate limit, a sandbox quota.
public struct Refusal: Sendable, Equatable {
    public var at: Date
    public var route: String
    public var status: Int
    /// The error's type, e.g. `invalid_api_key`, `rate_limited`, `sandbox_quota`.
    public var reason: String
    /// The client's address.
    public var client: String
    public var teamID: String?
    public var keyID: String?

    public init(at: Date = Date(), route: String, status: Int, reason: String, client: String, teamID: String? = nil, keyID: String? = nil) {
        self.at = at; self.route = route; self.status = status; self.reason = reason; self.client = client
        self.teamID = teamID; self.keyID = keyID
    }
}

public struct UsageRecord: Sendable, Equatable {
    public var at: Date
    public var keyID: String
    public var route: String
    public var status: Int
    public var credits: Credits
    public var sandbox: Bool
    public var durationMilliseconds: Int64
    public var bytesIn: Int64
    public var bytesOut: Int64

    public init(at: Date = Date(), keyID: String, route: String, status: Int, credits: Credits, sandbox: Bool,
                durationMilliseconds: Int64, bytesIn: Int64, bytesOut: Int64) {
        self.at = at; self.keyID = keyID; self.route = route; self.status = status; self.credits = credits
        self.sandbox = sandbox; self.durationMilliseconds = durationMilliseconds; self.bytesIn = bytesIn; self.bytesOut = bytesOut
    }
}

public enum AccountError: Error, Equatable, CustomStringConvertible {
    case insufficientCredits(available: Credits, needed: Credits)
    case unknownTeam(String)
    case teamExists(String)
    case unknownKey(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .insufficientCredits(let available, let needed): return "not enough credits: \(available) available, \(needed) needed"
        case .unknownTeam(let name): return "no team named '\(name)'"
        case .teamExists(let name): return "a team named '\(name)' already exists"
        case .unknownKey(let id): return "no API key '\(id)'"
        case .invalid(let message): return message
        }
    }
}
