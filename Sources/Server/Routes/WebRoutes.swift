import Accounts
import Hummingbird
import Web

extension DarkroomContext: WebRequestContext {
    public var clientAddress: String { channel.remoteAddress?.ipAddress ?? "unknown" }
}

/// The web pages (`Web`), on the API's own port. A signed-in playground preview is a `POST /v2/edit` run for
/// the user's team in sandbox mode: free, watermarked, counted in the team's sandbox quota and usage log.
struct WebRoutes {
    let services: Services

    func register(on router: Router<DarkroomContext>) {
        let edit = EditRoute(services: services)
        var preview: WebApp<DarkroomContext>.Preview?
        if let accounts = services.accounts {
            // The same middleware as the API route, which takes the session's caller instead of a key.
            let billing = AccountMiddleware(gate: accounts, route: "/v2/edit", shape: .nested, mode: .billed)
            preview = { @Sendable (request: Request, context: DarkroomContext, team: Team, user: WebStore.User) async -> Response in
                let caller = Caller(team: team, keyID: "playground:" + user.id, sandbox: true)
                return await AccountGate.$sessionCaller.withValue(caller) { () async -> Response in
                    do {
                        return try await billing.handle(request, context: context) { request, context in await edit.post(request, context: context) }
                    } catch {
                        return APIError.from(error).response(shape: .nested)
                    }
                }
            }
        }
        WebApp<DarkroomContext>(store: services.web, configuration: services.webConfiguration,
                                openAPI: { OpenAPIDocument.make() }, preview: preview).register(on: router)
    }
}
