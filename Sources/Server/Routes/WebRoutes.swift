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
        if services.accounts != nil {
            preview = { @Sendable (request: Request, context: DarkroomContext, team: Team, user: WebStore.User) async -> Response in
                let caller = Caller(team: team, keyID: "playground:" + user.id, sandbox: true)
                return await AccountGate.$sessionCaller.withValue(caller) { () async -> Response in
                    await edit.post(request, context: context)
                }
            }
        }
        WebApp<DarkroomContext>(store: services.web, configuration: services.webConfiguration,
                                openAPI: { OpenAPIDocument.make() }, preview: preview).register(on: router)
    }
}
