// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Darkroom",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "darkroom", targets: ["darkroom"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.0"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.0.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        // libvips through pkg-config; the shim wraps its variadic calls, which Swift cannot make.
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        // zlib compresses PNG image data in stripes (png_stripes.c); libvips-dev already depends on zlib1g-dev.
        .target(name: "CVipsShim", dependencies: ["CVips"], linkerSettings: [.linkedLibrary("z")]),
        .target(name: "Imaging", dependencies: ["CVips", "CVipsShim"]),
        .target(name: "ONNXRuntime"),
        .target(name: "Vision", dependencies: ["Imaging", "ONNXRuntime"], resources: [.copy("Resources/models.json")]),
        .target(name: "Editing", dependencies: ["Imaging", "Vision"]),
        .target(
            name: "Accounts",
            dependencies: [
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The web pages (home, docs, changelog, playground, dashboard): templates and scripts are resources.
        .target(
            name: "Web",
            dependencies: [
                "Accounts", "Editing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "Server",
            dependencies: [
                "Editing", "Imaging", "Vision", "Accounts", "Web",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]
        ),
        .executableTarget(
            name: "darkroom",
            dependencies: [
                "Imaging", "Vision", "Editing", "Server", "Accounts", "Web",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport"]),
        .testTarget(name: "ONNXRuntimeTests", dependencies: ["ONNXRuntime", "TestSupport"]),
        .testTarget(name: "VisionTests", dependencies: ["Vision", "Imaging", "TestSupport"]),
        .testTarget(name: "EditingTests", dependencies: ["Editing", "Vision", "Imaging", "TestSupport"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Editing", "Imaging", "Accounts", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "Server", "Editing", "Accounts", "Vision", "ONNXRuntime", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        .testTarget(name: "AccountsTests", dependencies: ["Accounts", "TestSupport"]),
        .testTarget(name: "DarkroomCLITests", dependencies: ["Imaging", "Accounts", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
