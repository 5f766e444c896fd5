/// How long each stage of one cut-out took.
public struct StageTimings: Sendable {
    /// Segmentation is timed in its parts; every other pipeline step under its own name.
    public static let stages = ["decode", "textRemoval", "preprocess", "inference", "postprocess", "refine", "layout",
                                "subject", "background", "relight", "shadow", "outline", "composite", "watermark", "encode"]
    public private(set) var seconds: [String: Double] = [:]

    public init() {}

    public var total: Double { seconds.values.reduce(0, +) }

    public mutating func add(_ stage: String, _ duration: Duration) {
        seconds[stage, default: 0] += duration.inSeconds
    }

    /// Runs `body`, adding its duration to `stage`.
    public mutating func measure<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        defer { add(stage, clock.now - start) }
        return try body()
    }
}

extension Duration {
    /// The duration as a number of seconds.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
