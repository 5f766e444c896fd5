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
        router.apiGroup("v1/account", services: services, route: "/v1/account", shape: .nested, mode: .readOnly).get { _, context in
            try await Self.json(context) { caller in
                let available = try await accounts.store.balance(teamID: caller.team.id)
                return ["credits": ["available": available.value, "subscription": caller.team.plan.monthlyAllowance.value]]
            }
        }
        router.apiGroup("v2/account", services: services, route: "/v2/account", shape: .nested, mode: .readOnly).get { _, context in
            try await Self.json(context) { caller in
                let available = try await accounts.store.balance(teamID: caller.team.id)
                // In hundredths of an image, rounded down: 5.75 credits are 1.15 images.
                func images(_ credits: Credits) -> Double { Double(credits.hundredths * 100 / AccountPolicy.editCost.hundredths) / 100 }
                return ["images": ["available": images(available), "subscription": images(caller.team.plan.monthlyAllowance)],
                        "plan": caller.team.plan.name]
            }
        }
    }

    /// The account of the caller that `AccountMiddleware` authenticated, as JSON.
    static func json(_ context: DarkroomContext, _ body: (Caller) async throws -> [String: Any]) async throws -> Response {
        guard let caller = context.caller else { throw APIError(.notFound, "no accounts on this server", type: "not_found") }
        let data = try JSONSerialization.data(withJSONObject: try await body(caller), options: [.sortedKeys])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
