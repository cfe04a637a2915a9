// swift-tools-version: 6.2
import PackageDescription

// A third-party step plugin, outside Convene's own targets: it depends on the ConveneKit SDK
// package and ships as a shared library that `convene` loads with --plugins.
let package = Package(
    name: "GreetPlugin",
    products: [
        .library(name: "Greet", type: .dynamic, targets: ["Greet"]),
    ],
    dependencies: [
        .package(path: "../../../../Sources/ConveneKit"),
    ],
    targets: [
        .target(
            name: "Greet",
            dependencies: [.product(name: "ConveneKit", package: "ConveneKit")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
