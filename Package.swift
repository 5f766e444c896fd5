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
    ],
    targets: [
        // libvips through pkg-config; the shim wraps its variadic calls, which Swift cannot make.
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        .target(name: "CVipsShim", dependencies: ["CVips"]),
        .target(name: "Imaging", dependencies: ["CVips", "CVipsShim"]),
        .target(name: "ONNXRuntime"),
        .target(name: "Vision", dependencies: ["Imaging", "ONNXRuntime"]),
        .target(name: "Editing", dependencies: ["Imaging", "Vision"]),
        .executableTarget(
            name: "darkroom",
            dependencies: [
                "Imaging", "Vision", "Editing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport"]),
        .testTarget(name: "ONNXRuntimeTests", dependencies: ["ONNXRuntime", "TestSupport"]),
        .testTarget(name: "VisionTests", dependencies: ["Vision", "Imaging", "TestSupport"]),
        .testTarget(name: "EditingTests", dependencies: ["Editing", "Vision", "Imaging", "TestSupport"]),
        .testTarget(name: "DarkroomCLITests", dependencies: ["Imaging", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
