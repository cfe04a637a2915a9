import Foundation
import Testing

/// Runs the built `convene` executable and lays out scratch workspaces for it.
enum CLI {
    /// The package's root folder.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder the test binary was built into, which also holds `convene` and the plugins.
    static let buildDirectory: URL = {
        var url = Bundle.main.bundleURL
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("convene").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static var executable: URL { buildDirectory.appendingPathComponent("convene") }

    static func fixture(_ path: String) -> URL {
        packageRoot.appendingPathComponent("Tests/ConveneCLITests/Fixtures").appendingPathComponent(path)
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `convene` with arguments, in a folder, and waits for it.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        try run(executable, arguments, in: directory, environment: environment)
    }

    /// Starts `convene` with arguments in the background, its output discarded (for runs a test
    /// kills).
    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs an executable with arguments, in a folder, and waits for it.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["CONVENE_PLUGIN_PATH"] = nil
        // Reply-link keys go to the tests' own folder, never to the home of whoever runs them.
        env["CONVENE_KEYS"] = keys.path
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
        let errData = LockedData()
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1000) }
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    /// Where the `convene` processes the tests start keep their signing keys.
    static let keys = FileManager.default.temporaryDirectory.appendingPathComponent("convene-test-keys-\(getpid())", isDirectory: true)

    /// A fresh temporary folder.
    static func temporaryDirectory(_ name: String = #function) throws -> URL {
        let safe = String(name.map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(40))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("convene-\(safe)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Copies a fixture folder (or the reference workflow) into a scratch folder.
    static func copy(_ source: URL, into directory: URL) throws -> URL {
        let target = directory.appendingPathComponent(source.lastPathComponent)
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }
}

extension CLI {
    /// Packages built so far, by name: each is built once per test run, whichever test asks
    /// first, and one SwiftPM command runs at a time, since two would share two cores.
    private static let builds = PackageBuilds()

    /// A Swift package built in a scratch folder of its own.
    struct BuiltPackage {
        /// The package's folder.
        var folder: URL
        /// Its scratch folder (`--scratch-path`).
        var scratch: URL
        /// The folder holding its products.
        var products: URL { scratch.appendingPathComponent("debug") }
    }

    /// Builds a fixture package with SwiftPM in a scratch folder, once per test run.
    /// - Returns: the folder holding its products.
    static func buildFixturePackage(_ name: String) throws -> URL {
        try buildPackage(fixture(name), named: name).products
    }

    /// The badges step, the example plugin outside the built-ins that the reference workflow
    /// uses, built from `Plugins/Examples/Badges` once per test run.
    static func badgesPlugin() throws -> BuiltPackage {
        try buildPackage(packageRoot.appendingPathComponent("Plugins/Examples/Badges"), named: "Badges")
    }

    /// The environment a command that loads the reference workflow needs: the badges plugin on
    /// the plugin search path, as the README's quick start puts it there.
    static func referenceEnvironment() throws -> [String: String] {
        ["CONVENE_PLUGIN_PATH": try badgesPlugin().products.path]
    }

    /// Builds a package with SwiftPM in a scratch folder, once per test run and name.
    static func buildPackage(_ folder: URL, named name: String) throws -> BuiltPackage {
        try builds.package(name) {
            // Without its own manifest, SwiftPM would search upwards and build Convene itself.
            try #require(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path))
            let package = BuiltPackage(folder: folder, scratch: try temporaryDirectory(name).appendingPathComponent("build"))
            let build = try swiftPM(["build"], package)
            try #require(build.status == 0, "the package \(name) did not build:\n\(build.stdout)\(build.stderr)")
            return package
        }
    }

    /// Runs a SwiftPM command (`build`, `test`) on a package in its scratch folder, while no
    /// other SwiftPM command of the tests runs.
    static func swiftPM(_ arguments: [String], _ package: BuiltPackage) throws -> Result {
        try builds.exclusively {
            try run(
                URL(fileURLWithPath: "/usr/bin/env"),
                ["swift"] + arguments + ["--package-path", package.folder.path, "--scratch-path", package.scratch.path])
        }
    }
}

/// The packages built, each at most once, and the lock that keeps SwiftPM commands one at a time.
private final class PackageBuilds: @unchecked Sendable {
    private let lock = NSRecursiveLock()
    private var built: [String: CLI.BuiltPackage] = [:]

    func package(_ name: String, build: () throws -> CLI.BuiltPackage) throws -> CLI.BuiltPackage {
        try lock.withLock {
            if let package = built[name] { return package }
            let package = try build()
            built[name] = package
            return package
        }
    }

    func exclusively<T>(_ body: () throws -> T) rethrows -> T {
        try lock.withLock { try body() }
    }
}

/// A data buffer one thread fills and another reads.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ d: Data) { lock.withLock { data = d } }
    func get() -> Data { lock.withLock { data ?? Data() } }
    var isSet: Bool { lock.withLock { data != nil } }
}
