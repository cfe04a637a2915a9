// swift-tools-version: 6.2
import PackageDescription

/// Settings every target of ours shares: Swift 6 mode with the upcoming features Hummingbird uses.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let kit = Target.Dependency.product(name: "ConveneKit", package: "ConveneKit")

/// A built-in step: a module with the step's logic, and an `…Entry` module that exports the C
/// entry points and is built as the shared library the runtime `dlopen`s, exactly as it would a
/// third party's plugin. The split lets tests link a step's logic without its exported symbols,
/// which every plugin names alike.
func stepPlugin(_ name: String) -> [Target] {
    [
        .target(
            name: name,
            dependencies: [kit, "ConveneLetters"],
            path: "Plugins/\(name)",
            exclude: ["Entry"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "\(name)Entry",
            dependencies: [.target(name: name), kit],
            path: "Plugins/\(name)/Entry",
            swiftSettings: swiftSettings
        ),
    ]
}

/// The unit tests of a built-in step, linked against the step's logic (not its entry points).
func stepPluginTests(_ name: String, resources: [Resource]? = nil) -> Target {
    .testTarget(
        name: "\(name)Tests",
        dependencies: [.target(name: name), "ConveneTestSupport"],
        resources: resources,
        swiftSettings: swiftSettings
    )
}

let package = Package(
    name: "Convene",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "convene", targets: ["convene"]),
        .library(name: "ConveneCore", targets: ["ConveneCore"]),
        // For the fuzz targets in Fuzz/, which fuzz the YAML layer on its own.
        .library(name: "ConveneYAML", targets: ["ConveneYAML"]),
        .library(name: "ConveneInvite", type: .dynamic, targets: ["InviteEntry"]),
        .library(name: "ConveneRemind", type: .dynamic, targets: ["RemindEntry"]),
        .library(name: "ConveneConfirm", type: .dynamic, targets: ["ConfirmEntry"]),
        .library(name: "ConveneSeat", type: .dynamic, targets: ["SeatEntry"]),
        .executable(name: "convene-benchmark", targets: ["ConveneBenchmark"]),
    ],
    dependencies: [
        // The plugin SDK is a dynamic library of its own package, so that the host and every
        // plugin `.so` share one copy of its types (SwiftPM links same-package modules statically).
        .package(path: "Sources/ConveneKit"),
        // The SDK's test helpers, which plugin packages' tests use too.
        .package(path: "Sources/ConveneKitTesting"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/pointfreeco/swift-parsing", from: "0.15.2", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: stepPlugin("Invite") + stepPlugin("Remind") + stepPlugin("Confirm") + stepPlugin("Seat") + [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // libpq, for the PostgreSQL ledger (through its C interface: postgres-nio takes a quarter
        // of an hour to build).
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // libcurl, for the SMTP channel: typed C wrappers around its variadic calls.
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl")]
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
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Parsing", package: "swift-parsing"),
                "CCurl",
                "CLibPQ",
            ],
            swiftSettings: swiftSettings
        ),
        // The reply page and the organisers' view that `convene serve` serves.
        .target(
            name: "ConveneWeb",
            dependencies: [
                "ConveneCore",
                "ConveneLetters",
                .product(name: "ConveneKit", package: "ConveneKit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "convene",
            dependencies: [
                "ConveneCore",
                "ConveneWeb",
                "ConveneYAML",
                .product(name: "Hummingbird", package: "hummingbird"),
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
        // Letter plumbing the invite, remind and confirm steps share, linked into each of them.
        .target(
            name: "ConveneLetters",
            dependencies: [kit],
            swiftSettings: swiftSettings
        ),
        // What the plugins' test targets share: ConveneKitTesting, the SDK's test helpers (snapshots
        // among them), as any plugin's tests use them; and PostgresServer, a throwaway PostgreSQL
        // server for the tests of the PostgreSQL ledger.
        .target(
            name: "ConveneTestSupport",
            dependencies: [.product(name: "ConveneKitTesting", package: "ConveneKitTesting")],
            path: "Tests/ConveneTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConveneYAMLTests",
            dependencies: ["ConveneYAML"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConveneCoreTests",
            // ConveneTestSupport: the throwaway PostgreSQL server the PostgreSQL ledger is tested on.
            dependencies: ["ConveneCore", "ConveneTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConveneKitTests",
            dependencies: [
                .product(name: "ConveneKit", package: "ConveneKit"),
                .product(name: "ConveneKitTesting", package: "ConveneKitTesting"),
            ],
            swiftSettings: swiftSettings
        ),
        // One test target per plugin: every plugin exports the same C entry points, so a test
        // binary may link only one of them.
        stepPluginTests("Invite", resources: [.copy("Fixtures")]),
        stepPluginTests("Remind", resources: [.copy("Fixtures")]),
        stepPluginTests("Confirm", resources: [.copy("Fixtures")]),
        stepPluginTests("Seat", resources: [.copy("Fixtures")]),
        // End-to-end: runs the built `convene` binary on the workflows under Fixtures/, and
        // compares the letters it writes with the reviewed snapshots there.
        .testTarget(
            name: "ConveneWebTests",
            dependencies: [
                "ConveneWeb", "ConveneCore", .product(name: "ConveneKit", package: "ConveneKit"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConveneCLITests",
            dependencies: ["ConveneCore", .product(name: "ConveneKit", package: "ConveneKit"), "ConveneTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ]
)
