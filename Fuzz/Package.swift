// swift-tools-version: 6.2
import PackageDescription

/// libFuzzer targets for Convene's readers of untrusted text. A package of its own, so that the
/// main package's `swift build --build-tests` never builds them: they link only with
/// `-sanitize=fuzzer`, whose runtime provides the driver their `main` calls. Build and run them
/// with `Fuzz/run` (see the README's "Fuzzing" section).
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ConveneFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Convene", path: "..")
    ],
    targets: [
        // libFuzzer's `LLVMFuzzerRunDriver`, declared for Swift.
        .systemLibrary(name: "CLibFuzzer"),
        // YAMLParser.parse on any bytes.
        .executableTarget(
            name: "FuzzYAML",
            dependencies: ["CLibFuzzer", .product(name: "ConveneYAML", package: "Convene")],
            swiftSettings: swiftSettings
        ),
        // WorkflowLoader.load, as `convene validate` calls it, on any bytes as workflow.yaml.
        .executableTarget(
            name: "FuzzWorkflow",
            dependencies: [
                "CLibFuzzer", .product(name: "ConveneCore", package: "Convene"),
                .product(name: "ConveneYAML", package: "Convene"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
