import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers

/// Limits of keys, credits and the sandbox, each with a default and a `DARKROOM_` variable.
public struct AccountPolicy: Sendable {
    /// Requests per key per minute (`DARKROOM_RATE_LIMIT`); counted per node.
    public var requestsPerMinute = 500
    /// Sandbox calls per team per UTC day and calendar month (`DARKROOM_SANDBOX_DAILY`, `DARKROOM_SANDBOX_MONTHLY`).
    public var sandboxDaily = 100
    public var sandboxMonthly = 1000
    /// Failed authentications per client address per minute before that address is refused outright
    /// (`DARKROOM_AUTH_FAILURE_LIMIT`); counted per node.
    public var failedAuthenticationsPerMinute = 30
    /// How long a billed request may take — its downloads (`downloadBudget` each), then the queue and the work
    /// (`workBudget`) — before its reservation may be released as dead. `darkroom serve` derives both from the
    /// fetch and request timeouts.
    public var downloadBudget: TimeInterval = 20
    public var workBudget: TimeInterval = 2 * 60
    /// What each route costs: Photoroom's exchange rate, one edit = five cut-outs.
    public static let segmentCost = Credits(1)
    public static let previewCost = Credits(0.25)
    public static let editCost = Credits(5)

    public init() {}

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AccountPolicy {
        var policy = AccountPolicy()
        func int(_ key: String) throws -> Int? {
            guard let text = environment[key] else { return nil }
            guard let value = Int(text), value >= 0 else { throw ConfigurationError("\(key) must be a whole number ≥ 0, got '\(text)'") }
            return value
        }
        policy.requestsPerMinute = try int("DARKROOM_RATE_LIMIT") ?? policy.requestsPerMinute
        policy.sandboxDaily = try int("DARKROOM_SANDBOX_DAILY") ?? policy.sandboxDaily
        policy.sandboxMonthly = try int("DARKROOM_SANDBOX_MONTHLY") ?? policy.sandboxMonthly
        policy.failedAuthenticationsPerMinute = try int("DARKROOM_AUTH_FAILURE_LIMIT") ?? policy.failedAuthenticationsPerMinute
        return policy
    }
}

/// Authentication, rate limits, the sandbox quota and billing for the API routes.
public final class AccountGate: Sendable {
    public let store: AccountStore
    public let policy: AccountPolicy
    let limiter: RateLimiter
    /// Failed authentications per client address: a guesser is stopped before each guess costs a lookup.
    let failures: RateLimiter

    public init(store: AccountStore, policy: AccountPolicy = AccountPolicy()) {
        self.store = store
        self.policy = policy
        limiter = RateLimiter(limit: policy.requestsPerMinute)
        failures = RateLimiter(limit: policy.failedAuthenticationsPerMinute)
    }

    static let keyHeader = HTTPField.Name("x-api-key")!
    static let maxKeyLength = 256

    /// The caller of `request`, or an error in the route's shape: 400 without a key, 403 for a wrong one,
    /// 429 over the rate limit, the sandbox quota or the failed-authentication limit of `client`. Every refusal
    /// is written to the refusals log.
    func authenticate(_ request: Request, client: String, route: String) async throws -> (Caller, HTTPFields) {
        do {
            return try await admit(request, client: client)
        } catch let error as Refused {
            if error.failedAuthentication { failures.record(key: client) }
            try? await store.recordRefusal(Refusal(route: route, status: Int(error.error.status.code), reason: error.error.type,
                                                   client: client, teamID: error.caller?.team.id, keyID: error.caller?.keyID))
            throw error.error
        }
    }

    /// A refusal on its way out, with what is known of the caller.
    struct Refused: Error {
        var error: APIError
        var caller: Caller?
        var failedAuthentication = false
    }

    /// A caller the web dashboard has already authenticated by its session (the playground's sandbox
    /// preview): no key is read, the rest — rate limit, sandbox quota, usage log — applies as to a key.
    @TaskLocal static var sessionCaller: Caller?

    private func admit(_ request: Request, client: String) async throws -> (Caller, HTTPFields) {
        if let caller = Self.sessionCaller { return try rateLimited(caller) }
        if failures.isOver(key: client) {
            var headers = HTTPFields()
            headers[.retryAfter] = "60"
            throw Refused(error: APIError(.tooManyRequests, "Too many failed authentications from this address: at most \(policy.failedAuthenticationsPerMinute) a minute",
                                          type: "authentication_rate_limited", headers: headers))
        }
        var presented = request.headers[Self.keyHeader]
        if presented == nil, request.method == .get {
            presented = request.uri.queryParameters["apiKey"].map(String.init)
        }
        guard let key = presented?.trimmingCharacters(in: .whitespaces), !key.isEmpty else {
            throw Refused(error: APIError(.badRequest, "apiKey: Required", type: "missing_api_key"))
        }
        guard key.count <= Self.maxKeyLength else {
            throw Refused(error: APIError(.badRequest, "x-api-key: longer than \(Self.maxKeyLength) characters, not an API key", type: "malformed_api_key"),
                          failedAuthentication: true)
        }
        guard let caller = try await store.authenticate(key) else {
            throw Refused(error: APIError(.forbidden, "Invalid API key: it is unknown or has been revoked", type: "invalid_api_key"),
                          failedAuthentication: true)
        }
        return try rateLimited(caller)
    }

    private func rateLimited(_ caller: Caller) throws -> (Caller, HTTPFields) {
        let window = limiter.admit(key: caller.keyID)
        var headers = HTTPFields()
        headers[.init("x-ratelimit-limit")!] = String(policy.requestsPerMinute)
        headers[.init("x-ratelimit-remaining")!] = String(window.remaining)
        headers[.init("x-ratelimit-reset")!] = String(window.resetSeconds)
        guard window.admitted else {
            headers[.retryAfter] = String(window.resetSeconds)
            throw Refused(error: APIError(.tooManyRequests, "Rate limit exceeded: \(policy.requestsPerMinute) requests per minute per API key",
                                          type: "rate_limited", headers: headers), caller: caller)
        }
        return (caller, headers)
    }

    /// One sandbox call out of the team's daily and monthly quotas, atomically; 429 naming the quota when full.
    func claimSandboxCall(_ caller: Caller, headers: HTTPFields, client: String, route: String) async throws -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let now = Date()
        let day = calendar.startOfDay(for: now)
        let month = calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
        let error: APIError
        switch try await store.claimSandboxCall(teamID: caller.team.id, daily: policy.sandboxDaily, monthly: policy.sandboxMonthly,
                                                dayStart: day, monthStart: month) {
        case .claimed(let claim): return claim
        case .dailyFull:
            error = APIError(.tooManyRequests, "Sandbox quota reached: \(policy.sandboxDaily) calls per day per team", type: "sandbox_quota", headers: headers)
        case .monthlyFull:
            error = APIError(.tooManyRequests, "Sandbox quota reached: \(policy.sandboxMonthly) calls per month per team", type: "sandbox_quota", headers: headers)
        }
        try? await store.recordRefusal(Refusal(route: route, status: 429, reason: error.type, client: client, teamID: caller.team.id, keyID: caller.keyID))
        throw error
    }
}

/// One billed request: reserve before the work, then charge on success or release on failure.
public final class Billing: Sendable {
    let gate: AccountGate
    public let caller: Caller
    private let state = NIOLockedValueBox<(reservation: String?, cost: Credits)>((nil, .zero))

    /// The sandbox quota slot this call holds until its usage row is written.
    let sandboxClaim: String?

    init(gate: AccountGate, caller: Caller, sandboxClaim: String? = nil) {
        self.gate = gate
        self.caller = caller
        self.sandboxClaim = sandboxClaim
    }

    /// Sets the request's price aside; 402 when the team cannot pay. Sandbox calls cost nothing. `downloads`:
    /// how many images the request may still fetch by URL, which its lifetime must allow for.
    public func reserve(_ cost: Credits, downloads: Int = 0) async throws {
        guard !caller.sandbox else { return }
        do {
            let lifetime = gate.policy.workBudget + Double(downloads) * gate.policy.downloadBudget
            let reservation = try await gate.store.reserve(teamID: caller.team.id, cost: cost, lifetime: lifetime)
            state.withLockedValue { $0 = (reservation, cost) }
        } catch AccountError.insufficientCredits {
            throw APIError(.paymentRequiredStatus,
                           "API credits exhausted. Contact your Darkroom administrator to get more credits", type: "insufficient_credits")
        }
    }

    var reservation: String? { state.withLockedValue { $0.reservation } }
    var cost: Credits { state.withLockedValue { $0.cost } }

    /// Settles the reservation for a response with `status`; returns the credit headers for a success.
    func settle(status: HTTPResponse.Status) async -> HTTPFields {
        var headers = HTTPFields()
        if let reservation {
            let teamID = caller.team.id
            if (200..<300).contains(Int(status.code)) {
                if let settlement = try? await gate.store.charge(teamID: teamID, reservation: reservation) {
                    // Not settled here means a reaper released it first: the image was free, and says so.
                    headers[.init("x-credits-charged")!] = settlement.settled ? cost.description : "0"
                    headers[.init("x-credits-remaining")!] = settlement.balance.description
                }
            } else {
                _ = try? await gate.store.release(teamID: teamID, reservation: reservation)
            }
        } else if caller.sandbox, (200..<300).contains(Int(status.code)) {
            headers[.init("x-credits-charged")!] = "0"
        }
        return headers
    }
}

extension HTTPResponse.Status {
    static let paymentRequiredStatus = HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
    /// nginx's convention for a request whose client closed the connection before the answer.
    static let clientClosedRequest = HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")
}

/// Requests per key in a sliding one-minute window, in this process.
final class RateLimiter: Sendable {
    let limit: Int
    private let windows = NIOLockedValueBox<[String: [ContinuousClock.Instant]]>([:])

    init(limit: Int) { self.limit = limit }

    /// Whether `key` has used up its window (without counting this look).
    func isOver(key: String) -> Bool {
        let now = ContinuousClock.now
        return windows.withLockedValue { all in
            let recent = (all[key] ?? []).filter { now - $0 < .seconds(60) }
            all[key] = recent.isEmpty ? nil : recent
            return recent.count >= limit
        }
    }

    /// Counts one event for `key`.
    func record(key: String) {
        let now = ContinuousClock.now
        windows.withLockedValue { all in all[key] = (all[key] ?? []).filter { now - $0 < .seconds(60) } + [now] }
    }

    func admit(key: String) -> (admitted: Bool, remaining: Int, resetSeconds: Int) {
        let now = ContinuousClock.now
        return windows.withLockedValue { all in
            var recent = (all[key] ?? []).filter { now - $0 < .seconds(60) }
            let admitted = recent.count < limit
            if admitted { recent.append(now) }
            all[key] = recent
            let reset = recent.first.map { max(1, Int(60 - (now - $0).components.seconds)) } ?? 60
            return (admitted, max(0, limit - recent.count), reset)
        }
    }
}
