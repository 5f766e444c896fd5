import Hummingbird
import Logging

/// Builds the HTTP application: middleware, then every route.
public enum DarkroomServer {
    public static func router(_ services: Services) -> Router<DarkroomContext> {
        let router = Router(context: DarkroomContext.self)
        router.add(middleware: MetricsMiddleware(metrics: services.metrics))
        router.add(middleware: MethodNotAllowedMiddleware())
        if !services.configuration.legacyHosts.isEmpty {
            router.add(middleware: LegacyHostMiddleware(hosts: services.configuration.legacyHosts))
        }
        SegmentRoute(services: services).register(on: router)
        EditRoute(services: services).register(on: router)
        AccountRoutes(services: services).register(on: router)
        SystemRoutes(services: services).register(on: router)
        WebRoutes(services: services).register(on: router)
        return router
    }

    public static func application(_ services: Services) -> some ApplicationProtocol {
        var logger = Logger(label: "darkroom")
        logger.logLevel = .info
        return Application(
            router: router(services),
            // Past the connection cap the server stops accepting; further clients wait in the listen backlog.
            configuration: .init(address: .hostname(services.configuration.host, port: services.configuration.port), serverName: "Darkroom",
                                 availableConnectionsDelegate: .maximum(services.configuration.maxConnections, logger: logger)),
            logger: logger
        )
    }
}
