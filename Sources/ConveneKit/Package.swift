// swift-tools-version: 6.2
import PackageDescription

// ConveneKit, the plugin SDK. It lives in a package of its own and ships as a *dynamic* library:
// the `convene` host and every plugin `.so` link this one library, so that a `StepPlugin` made in
// a plugin is the very type the host casts to.
let package = Package(
    name: "ConveneKit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ConveneKit", type: .dynamic, targets: ["ConveneKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .target(
            name: "ConveneKit",
            dependencies: [.product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
    ]
)
