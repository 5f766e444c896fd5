import Hummingbird
import NIOCore

/// The request context of every route. Uploads are collected by the routes themselves with the limit of
/// their own route, so the framework's generic cap is only a backstop above the largest of them.
public struct DarkroomContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's connection: billing checks it is still open before charging for a result.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    public var maxUploadSize: Int { 64 * 1024 * 1024 }
}
