// swift-tools-version: 6.2
import PackageDescription

// The badges step: an example of a plugin outside Convene's built-in steps, in a package of its
// own that depends on the SDK by path, as a third party's would (with the SDK's path from its
// checkout of Convene). `swift build` makes .build/debug/libBadges.so, which `convene` loads from
// --plugins or CONVENE_PLUGIN_PATH; `swift test` runs its tests.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "BadgesPlugin",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Badges", type: .dynamic, targets: ["Badges"]),
    ],
    dependencies: [
        .package(path: "../../../Sources/ConveneKit"),
        .package(path: "../../../Sources/ConveneKitTesting"),
    ],
    targets: [
        .target(
            name: "Badges",
            dependencies: [.product(name: "ConveneKit", package: "ConveneKit")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BadgesTests",
            dependencies: ["Badges", .product(name: "ConveneKitTesting", package: "ConveneKitTesting")],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ]
)
