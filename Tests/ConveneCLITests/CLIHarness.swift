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
    /// Fixture packages built so far, by name: each is built once per test run, whichever test
    /// asks first, and one at a time, since two SwiftPM builds would share two cores.
    private static let builds = FixtureBuilds()

    /// Builds a fixture package with SwiftPM in a scratch folder, once per test run.
    /// - Returns: the folder holding its products.
    static func buildFixturePackage(_ name: String) throws -> URL {
        try builds.products(name) {
            // Without its own manifest, SwiftPM would search upwards and build Convene itself.
            try #require(FileManager.default.fileExists(atPath: fixture("\(name)/Package.swift").path))
            let scratch = try temporaryDirectory(name)
            let build = Process()
            build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            build.arguments = ["swift", "build", "--package-path", fixture(name).path, "--scratch-path", scratch.appendingPathComponent("build").path]
            build.standardOutput = FileHandle.nullDevice
            try build.run()
            build.waitUntilExit()
            try #require(build.terminationStatus == 0, "the fixture package \(name) did not build")
            return scratch.appendingPathComponent("build/debug")
        }
    }
}

/// The products of fixture packages, built at most once each.
private final class FixtureBuilds: @unchecked Sendable {
    private let lock = NSLock()
    private var built: [String: URL] = [:]

    func products(_ name: String, build: () throws -> URL) throws -> URL {
        try lock.withLock {
            if let url = built[name] { return url }
            let url = try build()
            built[name] = url
            return url
        }
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
