import Foundation
import Vision

/// Everything `darkroom serve` can be told. Each setting has a default that works out of the box and a
/// `DARKROOM_` environment variable; command-line flags override both.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Largest upload per image: 30 MB on /v2/edit (and for fetched URLs), 50 MB on /v1/segment.
    public var maxImageBytesV2 = 30 * 1024 * 1024
    public var maxImageBytesV1 = 50 * 1024 * 1024
    /// Largest width × height accepted, read from the header before decoding.
    public var maxPixels = 36_000_000
    /// Requests processed at once, and how many more may wait; beyond that: 429.
    public var workers = ServerConfiguration.recommendedWorkers()
    public var queueLength = 8
    /// Open client connections at once; past that the server stops accepting (new ones wait in the kernel's
    /// backlog) instead of spending a socket, buffers and a task on each.
    public var maxConnections = 512
    /// Per-request deadline, checked between pipeline steps.
    public var requestTimeout: Duration = .seconds(60)
    /// URL fetching.
    public var fetchConnectTimeout: Duration = .seconds(5)
    public var fetchTotalTimeout: Duration = .seconds(20)
    public var maxRedirects = 5
    /// Let imageUrl point at loopback and private networks (tests, trusted intranets).
    public var allowPrivateURLs = false
    /// Deprecated host names: `Deprecation`/`Sunset` headers until the sunset date, 410 after it.
    public var legacyHosts: [LegacyHost] = []
    /// An operator's own generator for `background.prompt` (see `RemoteBackgroundGenerator`); nil draws
    /// backgrounds with Darkroom's procedural scene generator.
    public var backgroundGeneratorURL: String?

    public init() {}

    /// One more image job than the model has sessions (half as many more on big machines): while the sessions
    /// infer, the extra jobs decode, refine and encode, so the CPU never waits on one request's serial parts.
    public static func recommendedWorkers(inferenceSessions: Int = InferenceLayout.recommended().sessions) -> Int {
        inferenceSessions + max(1, inferenceSessions / 2)
    }

    public struct LegacyHost: Sendable, Equatable {
        public var host: String
        public var sunset: Date
        public var successor: String
        public init(host: String, sunset: Date, successor: String) {
            self.host = host.lowercased(); self.sunset = sunset; self.successor = successor
        }

        /// `old.example.com=2026-12-31=https://new.example.com`
        public init?(parsing text: String) {
            let parts = text.split(separator: "=", maxSplits: 2).map(String.init)
            guard parts.count == 3, let date = ISO8601DateFormatter.dateOnly.date(from: parts[1]) else { return nil }
            self.init(host: parts[0], sunset: date, successor: parts[2])
        }
    }

    /// Reads `DARKROOM_HOST`, `DARKROOM_PORT`, `DARKROOM_MAX_PIXELS`, `DARKROOM_WORKERS`, `DARKROOM_QUEUE_LENGTH`,
    /// `DARKROOM_MAX_CONNECTIONS`, `DARKROOM_REQUEST_TIMEOUT` (seconds), `DARKROOM_ALLOW_PRIVATE_URLS` (true/false) and
    /// `DARKROOM_LEGACY_HOSTS` (comma-separated `host=YYYY-MM-DD=https://new.base`) and
    /// `DARKROOM_BACKGROUND_GENERATOR_URL`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerConfiguration {
        var config = ServerConfiguration()
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = environment[key] else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw ConfigurationError("\(key) must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
            }
            return value
        }
        if let host = environment["DARKROOM_HOST"] { config.host = host }
        config.port = try int("DARKROOM_PORT", Ranges.port) ?? config.port
        config.maxPixels = try int("DARKROOM_MAX_PIXELS", Ranges.maxPixels) ?? config.maxPixels
        config.workers = try int("DARKROOM_WORKERS", Ranges.workers) ?? config.workers
        config.queueLength = try int("DARKROOM_QUEUE_LENGTH", Ranges.queueLength) ?? config.queueLength
        config.maxConnections = try int("DARKROOM_MAX_CONNECTIONS", Ranges.maxConnections) ?? config.maxConnections
        if let seconds = try int("DARKROOM_REQUEST_TIMEOUT", Ranges.requestTimeout) { config.requestTimeout = .seconds(seconds) }
        if let text = environment["DARKROOM_ALLOW_PRIVATE_URLS"] {
            guard let value = Bool(text.lowercased()) else { throw ConfigurationError("DARKROOM_ALLOW_PRIVATE_URLS must be true or false") }
            config.allowPrivateURLs = value
        }
        if let text = environment["DARKROOM_LEGACY_HOSTS"], !text.isEmpty {
            config.legacyHosts = try text.split(separator: ",").map {
                guard let host = LegacyHost(parsing: String($0)) else {
                    throw ConfigurationError("DARKROOM_LEGACY_HOSTS entries look like old.example.com=2026-12-31=https://new.example.com, got '\($0)'")
                }
                return host
            }
        }
        if let text = environment["DARKROOM_BACKGROUND_GENERATOR_URL"], !text.isEmpty {
            config.backgroundGeneratorURL = try backgroundGenerator(text, setting: "DARKROOM_BACKGROUND_GENERATOR_URL")
        }
        return config
    }

    /// Checks a generator URL once, at start-up, so a typo fails loudly instead of on every request.
    public static func backgroundGenerator(_ text: String, setting: String) throws -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw ConfigurationError("\(setting) must be an http:// or https:// URL, got '\(text)'")
        }
        return text
    }
}

extension ServerConfiguration {
    /// What each numeric setting accepts, for its flag and its variable alike. More workers than 64 only queue
    /// on the cores' memory.
    public enum Ranges {
        public static let port = 0...65535
        public static let maxPixels = 1...400_000_000
        public static let workers = 1...64
        public static let queueLength = 0...10_000
        public static let maxConnections = 1...65_536
        public static let requestTimeout = 1...3600
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let dateOnly: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter
    }()
}
