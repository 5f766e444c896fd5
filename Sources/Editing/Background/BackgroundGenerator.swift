import Foundation

/// What an operator's own image generator receives (`DARKROOM_BACKGROUND_GENERATOR_URL`). The server sends
/// it as JSON; see the README's "AI backgrounds" section for the contract.
public struct BackgroundGenerationRequest: Sendable {
    public var prompt: String
    public var negativePrompt: String?
    public var seed: UInt32
    public var width: Int
    public var height: Int
    public var modelVersion: String
    /// The subject's alpha at the canvas size, as a grey PNG (white = subject), so the generator can keep
    /// the subject's place free and light the scene for it.
    public var subjectMaskPNG: [UInt8]
    /// The guidance image as uploaded or fetched, and its strength.
    public var guidanceImage: [UInt8]?
    public var guidanceScale: Double?
}

/// Makes a background image from a prompt somewhere else (a remote model). The pipeline calls it on its
/// worker thread and waits, so an implementation must not need that thread pool to make progress.
public protocol BackgroundGenerator: Sendable {
    /// The encoded image (PNG, JPEG or WebP), any size: it is scaled to cover the canvas.
    /// Throws `EditError.backgroundGeneratorFailed` with a message safe to show the caller.
    func generate(_ request: BackgroundGenerationRequest) throws -> [UInt8]
}
