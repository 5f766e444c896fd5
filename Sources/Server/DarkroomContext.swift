import Accounts
import Hummingbird
import NIOCore

/// The request context of every route. Uploads are read by the routes themselves with the limits of their
/// own route, so the framework's generic cap is only a backstop above the largest of them.
public struct DarkroomContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's connection: billing checks it is still open before charging for a result.
    public let channel: any Channel
    /// Who is calling, set by `AccountMiddleware` once the key is checked; nil when the server runs without
    /// accounts.
    public var caller: Caller?
    /// The billed call, set by `AccountMiddleware` on the image routes: the route reserves its price through it
    /// once it knows the price, and the middleware settles it from the response status.
    public var billing: Billing?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    public var maxUploadSize: Int { 64 * 1024 * 1024 }

    /// Sandbox results carry the watermark.
    var isSandbox: Bool { caller?.sandbox ?? false }
}
