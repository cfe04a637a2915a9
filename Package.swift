// swift-tools-version: 6.2
import PackageDescription

/// Settings every target of ours shares: Swift 6 mode with the upcoming features Hummingbird uses.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// A built-in step: its own module, built as its own shared library that the runtime `dlopen`s
/// exactly as it would a third party's plugin.
func stepPlugin(_ name: String) -> Target {
    .target(
        name: name,
        dependencies: [.product(name: "ConveneKit", package: "ConveneKit")],
        path: "Plugins/\(name)",
        swiftSettings: swiftSettings
    )
}

/// The unit tests of a built-in step, linked against that one plugin module.
func stepPluginTests(_ name: String) -> Target {
    .testTarget(
        name: "\(name)Tests",
        dependencies: [.target(name: name)],
        swiftSettings: swiftSettings
    )
}

let package = Package(
    name: "Convene",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "convene", targets: ["convene"]),
        .library(name: "ConveneCore", targets: ["ConveneCore"]),
        .library(name: "ConveneInvite", type: .dynamic, targets: ["Invite"]),
        .library(name: "ConveneRemind", type: .dynamic, targets: ["Remind"]),
        .library(name: "ConveneConfirm", type: .dynamic, targets: ["Confirm"]),
        .library(name: "ConveneSeat", type: .dynamic, targets: ["Seat"]),
        .executable(name: "convene-benchmark", targets: ["ConveneBenchmark"]),
    ],
    dependencies: [
        // The plugin SDK is a dynamic library of its own package, so that the host and every
        // plugin `.so` share one copy of its types (SwiftPM links same-package modules statically).
        .package(path: "Sources/ConveneKit"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/pointfreeco/swift-parsing", from: "0.15.2", traits: []),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(
            name: "ConveneYAML",
            dependencies: ["CYAML"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ConveneCore",
            dependencies: [
                "ConveneYAML",
                .product(name: "ConveneKit", package: "ConveneKit"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Parsing", package: "swift-parsing"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "convene",
            dependencies: [
                "ConveneCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ConveneBenchmark",
            dependencies: ["ConveneCore"],
            path: "Benchmarks/ConveneBenchmark",
            swiftSettings: swiftSettings
        ),
        stepPlugin("Invite"),
        stepPlugin("Remind"),
        stepPlugin("Confirm"),
        stepPlugin("Seat"),
        .testTarget(
            name: "ConveneYAMLTests",
            dependencies: ["ConveneYAML"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConveneCoreTests",
            dependencies: ["ConveneCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConveneKitTests",
            dependencies: [.product(name: "ConveneKit", package: "ConveneKit")],
            swiftSettings: swiftSettings
        ),
        // One test target per plugin: every plugin exports the same C entry points, so a test
        // binary may link only one of them.
        stepPluginTests("Invite"),
        stepPluginTests("Remind"),
        stepPluginTests("Confirm"),
        stepPluginTests("Seat"),
        // End-to-end: runs the built `convene` binary on the workflows under Fixtures/.
        .testTarget(
            name: "ConveneCLITests",
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)
