/// How long each stage of one cut-out took.
public struct StageTimings: Sendable {
    public static let stages = ["decode", "preprocess", "inference", "postprocess", "refine", "composite", "encode"]
    public private(set) var seconds: [String: Double] = [:]

    public init() {}

    public var total: Double { seconds.values.reduce(0, +) }

    /// Runs `body`, adding its duration to `stage`.
    public mutating func measure<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        defer {
            let elapsed = clock.now - start
            seconds[stage, default: 0] += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }
        return try body()
    }
}
