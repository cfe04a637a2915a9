// swift-tools-version: 6.2
import PackageDescription

// ConveneKitTesting, what a step plugin's tests link: sample events, tracks, delegations and
// batches, a step configured as the host would configure it, the effects sorted out, and snapshot
// comparison. A package of its own rather than a second product of ConveneKit's: SwiftPM links a
// target's same-package dependencies statically, and a test holding its own copy of ConveneKit
// beside the plugin's dynamic one would have two of every SDK type.
let package = Package(
    name: "ConveneKitTesting",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ConveneKitTesting", targets: ["ConveneKitTesting"]),
    ],
    dependencies: [
        .package(path: "../ConveneKit"),
    ],
    targets: [
        .target(
            name: "ConveneKitTesting",
            dependencies: [.product(name: "ConveneKit", package: "ConveneKit")],
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
    ]
)
