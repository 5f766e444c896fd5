import Accounts
import Foundation
import Hummingbird
import NIOCore

/// `GET /v1/account` (credits) and `GET /v2/account` (images, where one image is one edit = five credits,
/// and the plan). A sandbox key reads its team's real balance.
struct AccountRoutes {
    let services: Services

    func register(on router: Router<DarkroomContext>) {
        guard let accounts = services.accounts else { return }
        router.get("v1/account") { request, context in
            await respond(request, context: context, route: "/v1/account") { caller in
                let available = try await accounts.store.balance(teamID: caller.team.id)
                return ["credits": ["available": available.value, "subscription": caller.team.plan.monthlyAllowance.value]]
            }
        }
        router.get("v2/account") { request, context in
            await respond(request, context: context, route: "/v2/account") { caller in
                let available = try await accounts.store.balance(teamID: caller.team.id)
                // In hundredths of an image, rounded down: 5.75 credits are 1.15 images.
                func images(_ credits: Credits) -> Double { Double(credits.hundredths * 100 / AccountPolicy.editCost.hundredths) / 100 }
                return ["images": ["available": images(available), "subscription": images(caller.team.plan.monthlyAllowance)],
                        "plan": caller.team.plan.name]
            }
        }
    }

    func respond(_ request: Request, context: DarkroomContext, route: String,
                 _ body: @escaping (Caller) async throws -> [String: Any]) async -> Response {
        guard let accounts = services.accounts else { return Response(status: .notFound) }
        do {
            let client = context.channel.remoteAddress?.ipAddress ?? "unknown"
            let (caller, headers) = try await accounts.authenticate(request, client: client, route: route)
            let data = try JSONSerialization.data(withJSONObject: try await body(caller), options: [.sortedKeys])
            var fields = headers
            fields[.contentType] = "application/json"
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            return APIError.from(error).response(shape: .nested)
        }
    }
}
