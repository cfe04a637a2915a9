// swift-tools-version: 6.2
import PackageDescription

// A plugin built the wrong way: it compiles its own copy of ConveneKit (same sources, as a
// static module) instead of linking the shared SDK library. Its StepPlugin is therefore another
// type than the host's, and `convene` must refuse it with a clear error rather than crash.
let package = Package(
    name: "StaticSDKPlugin",
    products: [
        .library(name: "GreetStatic", type: .dynamic, targets: ["Greet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .target(
            name: "ConveneKit",
            dependencies: [.product(name: "Mustache", package: "swift-mustache")],
            exclude: ["Documentation.docc"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .target(
            name: "Greet",
            dependencies: ["ConveneKit"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
