import Accounts
import ArgumentParser
import Editing
import Foundation
import Hummingbird
import Server
import Web

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the Photoroom-compatible API (/v1/segment, /v2/edit) and /health, /openapi.json, /metrics."
    )

    @Option(help: "Address to listen on (env DARKROOM_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port (env DARKROOM_PORT, default 8080).")
    var port: Int?

    @Option(help: "Images processed at once (env DARKROOM_WORKERS, default: the inference sessions and half as many again, so decoding and encoding overlap inference).")
    var workers: Int?

    @Option(help: "Requests that may wait for a worker before 429 (env DARKROOM_QUEUE_LENGTH, default 8).")
    var queueLength: Int?

    @Option(help: "Client connections open at once; more wait to be accepted (env DARKROOM_MAX_CONNECTIONS, default 512).")
    var maxConnections: Int?

    @Option(help: "Largest width × height accepted (env DARKROOM_MAX_PIXELS, default 36000000).")
    var maxPixels: Int?

    @Option(help: "Seconds a request may take (env DARKROOM_REQUEST_TIMEOUT, default 60).")
    var requestTimeout: Int?

    @Flag(help: "Let imageUrl reach loopback and private networks (env DARKROOM_ALLOW_PRIVATE_URLS).")
    var allowPrivateUrls = false

    @Option(help: "A deprecated host name: HOST=YYYY-MM-DD=https://new.base (repeatable; env DARKROOM_LEGACY_HOSTS, comma-separated).")
    var legacyHost: [String] = []

    @Option(help: "Send background.prompt to this image generator instead of drawing it (env DARKROOM_BACKGROUND_GENERATOR_URL; contract in the README).")
    var backgroundGeneratorUrl: String?

    @Flag(help: "Serve without API keys, credits or sandbox (a trusted network only).")
    var noAccounts = false

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var state: StateOptions

    func validate() throws {
        func check(_ value: Int?, _ flag: String, _ range: ClosedRange<Int>) throws {
            guard let value, !range.contains(value) else { return }
            throw ValidationError("--\(flag) must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        try check(port, "port", ServerConfiguration.Ranges.port)
        try check(workers, "workers", ServerConfiguration.Ranges.workers)
        try check(queueLength, "queue-length", ServerConfiguration.Ranges.queueLength)
        try check(maxPixels, "max-pixels", ServerConfiguration.Ranges.maxPixels)
        try check(maxConnections, "max-connections", ServerConfiguration.Ranges.maxConnections)
        try check(requestTimeout, "request-timeout", ServerConfiguration.Ranges.requestTimeout)
    }

    func run() async throws {
        var config: ServerConfiguration
        do { config = try ServerConfiguration.fromEnvironment() } catch { throw ValidationError(String(describing: error)) }
        if let host { config.host = host }
        if let port { config.port = port }
        if let workers { config.workers = max(1, workers) }
        if let queueLength { config.queueLength = max(0, queueLength) }
        if let maxPixels { config.maxPixels = maxPixels }
        if let maxConnections { config.maxConnections = maxConnections }
        if let requestTimeout { config.requestTimeout = .seconds(requestTimeout) }
        if allowPrivateUrls { config.allowPrivateURLs = true }
        if let backgroundGeneratorUrl {
            do {
                config.backgroundGeneratorURL = try ServerConfiguration.backgroundGenerator(backgroundGeneratorUrl, setting: "--background-generator-url")
            } catch { throw ValidationError(String(describing: error)) }
        }
        for text in legacyHost {
            guard let legacy = ServerConfiguration.LegacyHost(parsing: text) else {
                throw ValidationError("--legacy-host looks like old.example.com=2026-12-31=https://new.example.com, got '\(text)'")
            }
            config.legacyHosts.append(legacy)
        }
        let pipeline = try modelOptions.makePipeline()
        var gate: AccountGate?
        if !noAccounts {
            var policy: AccountPolicy
            do { policy = try AccountPolicy.fromEnvironment() } catch { throw ValidationError(String(describing: error)) }
            // A request may spend its downloads' time before its deadline starts, then the deadline, then finish
            // the step in flight: only past all of that is its reservation dead.
            policy.downloadBudget = config.fetchTotalTimeout.inSeconds
            policy.workBudget = 2 * config.requestTimeout.inSeconds
            let store = try await AccountStore.open(state.location)
            try await Self.firstRun(store)
            // Reservations of requests that died with their process: nothing lives longer than the timeout.
            let staleAfter = TimeInterval(config.requestTimeout.components.seconds * 2)
            try await store.releaseStaleReservations(olderThan: staleAfter)
            Task.detached {
                while true {
                    try? await Task.sleep(for: .seconds(max(5, staleAfter)))
                    _ = try? await store.releaseStaleReservations(olderThan: staleAfter)
                }
            }
            gate = AccountGate(store: store, policy: policy)
        }
        var services = Services(configuration: config, pipeline: pipeline, accounts: gate)
        if let gate {
            services.web = try await WebStore(accounts: gate.store)
            services.webConfiguration = WebConfiguration.fromEnvironment()
        }
        print("Darkroom listening on http://\(config.host):\(config.port) (\(config.workers) workers, queue \(config.queueLength))")
        fflush(nil)  // flush stdout now: a log file or a pipe should see these lines at once
        try await DarkroomServer.application(services).runService()
    }
}

extension ServeCommand {
    /// On the very first start (no team yet) a default team and one key are created and printed, so that a new
    /// user can call the API at once.
    static func firstRun(_ store: AccountStore) async throws {
        guard try await store.teams().isEmpty else { return }
        try await store.createTeam(name: "default", plan: .basic)
        let (key, _) = try await store.createKey(team: "default", label: "first key")
        print("""
            First start: created team "default" (basic plan, 100 credits a month) and an API key.
              x-api-key: \(key)
              sandbox:   \(KeyGenerator.sandboxPrefix)\(key)   (free, watermarked)
            Store it now: it is kept only as a hash and cannot be shown again.
            """)
    }
}
