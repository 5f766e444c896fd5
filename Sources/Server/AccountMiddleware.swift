import Accounts
import Foundation
import HTTPTypes
import Hummingbird

/// Authentication, the rate limit, the sandbox quota and billing of one API route group, as Hummingbird
/// middleware: the caller and its billed call go into `DarkroomContext`, so a route only reads them.
///
/// On a billed group the call is settled here from the final status — charged on a 2xx, released otherwise,
/// nothing for a client that hung up — and logged to the usage log. A route that answers 2xx without having
/// reserved its price is a bug; it is answered 500 rather than given away.
struct AccountMiddleware: RouterMiddleware {
    typealias Context = DarkroomContext

    enum Mode: Sendable {
        /// Image routes: a sandbox call claims its quota slot, the route reserves its price, usage is logged.
        case billed
        /// Account routes: the caller is checked and rate-limited, nothing is claimed or charged.
        case readOnly
    }

    let gate: AccountGate
    /// The route's name in the usage and refusal logs.
    let route: String
    /// The JSON shape of the route's errors: a refusal here must look like one from the route.
    let shape: APIError.Shape
    let mode: Mode

    func handle(_ request: Request, context: DarkroomContext,
                next: (Request, DarkroomContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let client = context.channel.remoteAddress?.ipAddress ?? "unknown"
        var context = context
        let gateHeaders: HTTPFields
        do {
            let (caller, headers) = try await gate.authenticate(request, client: client, route: route)
            gateHeaders = headers
            context.caller = caller
            if mode == .billed {
                let claim = caller.sandbox ? try await gate.claimSandboxCall(caller, headers: headers, client: client, route: route) : nil
                context.billing = Billing(gate: gate, caller: caller, sandboxClaim: claim)
            }
        } catch {
            return APIError.from(error).response(shape: shape)
        }

        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = APIError.from(error).response(shape: shape)
        }
        var extraHeaders = gateHeaders
        if let billing = context.billing {
            if (200..<300).contains(Int(response.status.code)) {
                if await ClientConnection.isGone(context.channel) {
                    // The client hung up while its image was being made: it gets nothing, so it pays nothing.
                    response = Response(status: .clientClosedRequest)
                } else if billing.reservation == nil && !billing.caller.sandbox {
                    response = APIError(.internalServerError, "An unexpected error occurred. Please try again later or contact support.",
                                        type: "internal_error").response(shape: shape)
                    context.logger.error("\(route) answered 2xx without reserving its price; the result was withheld")
                }
            }
            extraHeaders.append(contentsOf: await billing.settle(status: response.status))
            let record = UsageRecord(
                keyID: billing.caller.keyID, route: route, status: Int(response.status.code),
                credits: (200..<300).contains(Int(response.status.code)) && !billing.caller.sandbox ? billing.cost : .zero,
                sandbox: billing.caller.sandbox,
                durationMilliseconds: Int64((ContinuousClock.now - start).inSeconds * 1000),
                bytesIn: Int64(request.headers[.contentLength].flatMap(Int.init) ?? 0),
                bytesOut: Int64(response.body.contentLength ?? 0))
            try? await gate.store.recordUsage(teamID: billing.caller.team.id, record, sandboxClaim: billing.sandboxClaim)
        }
        for field in extraHeaders where response.headers[field.name] == nil { response.headers.append(field) }
        return response
    }
}

extension RouterMethods where Context == DarkroomContext {
    /// A group for one API route path, behind `AccountMiddleware` when the server has accounts.
    func apiGroup(_ path: RouterPath, services: Services, route: String, shape: APIError.Shape,
                  mode: AccountMiddleware.Mode = .billed) -> RouterGroup<DarkroomContext> {
        let group = self.group(path)
        if let accounts = services.accounts {
            group.add(middleware: AccountMiddleware(gate: accounts, route: route, shape: shape, mode: mode))
        }
        return group
    }
}
