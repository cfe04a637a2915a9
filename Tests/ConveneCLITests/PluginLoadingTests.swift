import Foundation
import Testing

@Suite("plugin loading")
struct PluginLoadingTests {
    /// Compiles a C fixture into a shared library.
    func compile(_ source: String, to library: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-shared", "-fPIC", "-o", library.path, CLI.fixture("bad-plugins-src/\(source)").path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "cc failed for \(source)")
    }

    @Test("a library built for another API version and a library that is not a plugin are refused, naming the file")
    func badLibrariesRefused() throws {
        let dir = try CLI.temporaryDirectory()
        try compile("wrong_api.c", to: dir.appendingPathComponent("libwrongapi.so"))
        try compile("not_a_plugin.c", to: dir.appendingPathComponent("libnotaplugin.so"))
        let r = try CLI.run(["plugins", "--plugins", dir.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("refused: \(dir.path)/libwrongapi.so: was built for plugin API version 999; this convene speaks version 3"), "\(r.stdout)")
        #expect(r.stdout.contains("refused: \(dir.path)/libnotaplugin.so: is not a Convene plugin"), "\(r.stdout)")
        // The built-in plugins are still listed.
        #expect(r.stdout.contains("invite"))
    }

    @Test("a plugin that compiled its own copy of ConveneKit is refused: its types are not the host's")
    func staticSDKRefused() throws {
        let products = try CLI.buildFixturePackage("StaticSDKPlugin")
        let library = products.appendingPathComponent("libGreetStatic.so")
        try #require(FileManager.default.fileExists(atPath: library.path))
        let r = try CLI.run(["plugins", "--plugins", library.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("refused: \(library.path): its types do not match this convene's ConveneKit"), "\(r.stdout)\(r.stderr)")
    }

    @Test("a plugin built outside the package, against the SDK package, loads through the same loader and runs")
    func externalPluginRuns() throws {
        let products = try CLI.buildFixturePackage("ExternalPlugin")
        let library = products.appendingPathComponent("libGreet.so")
        try #require(FileManager.default.fileExists(atPath: library.path))

        var r = try CLI.run(["plugins", "--json", "--plugins", library.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("\"greet\""))
        #expect(r.stdout.contains("1.2.0"))

        let workspace = try CLI.temporaryDirectory("external-workspace")
        let fixtures = try CLI.copy(CLI.fixture("external-workflow"), into: workspace)
        _ = try CLI.copy(CLI.fixture("mini"), into: workspace)
        // Also found through CONVENE_PLUGIN_PATH.
        r = try CLI.run(["run", fixtures.path, "--now", "2024-01-02T00:00"], environment: ["CONVENE_PLUGIN_PATH": products.path])
        #expect(r.status == 0, "\(r.stderr)")
        let outbox = fixtures.appendingPathComponent(".convene/outbox")
        let files = try FileManager.default.contentsOfDirectory(atPath: outbox.path).sorted()
        #expect(files == ["greet-at-ECU.eml", "greet-at-EGY.eml", "greet-at-FRA.eml", "greet-at-GBR.eml"])
        let french = try String(contentsOf: outbox.appendingPathComponent("greet-at-FRA.eml"), encoding: .utf8)
        #expect(french.contains("Subject: Bonjour"))

        // Without the plugin on the path, the workflow names an unknown plugin.
        r = try CLI.run(["validate", fixtures.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("unknown plugin 'greet'"))
    }
}
