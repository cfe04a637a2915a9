import Foundation
import Testing

/// The badges step, the example plugin of `Plugins/Examples/Badges`, as the reference workflow
/// uses it: built as a package of its own and loaded from its library.
@Suite("the badges example plugin")
struct BadgesExampleTests {
    @Test("its package passes its own tests, and convene lists it from CONVENE_PLUGIN_PATH as a library")
    func ownTestsAndListing() throws {
        let package = try CLI.badgesPlugin()
        let test = try CLI.swiftPM(["test"], package)
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect((test.stdout + test.stderr).contains("tests in 1 suite passed"), "\(test.stdout)\(test.stderr)")

        let r = try CLI.run(["plugins", "--json"], environment: try CLI.referenceEnvironment())
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let badges = try #require((listing["plugins"] as? [[String: Any]])?.first { $0["id"] as? String == "badges" }, "\(r.stdout)")
        #expect(badges["kind"] as? String == "library")
        #expect(badges["version"] as? String == "1.0.0")
        #expect(badges["file"] as? String == package.products.appendingPathComponent("libBadges.so").path)
    }

    @Test("the reference workflow's badges step: a mistyped key gets the nearest, a colour that is not one is refused, and without the library the plugin is unknown")
    func validation() throws {
        let w = try CLI.copy(CLI.packageRoot.appendingPathComponent("workflows/wsis20-2024"), into: try CLI.temporaryDirectory())
        let file = w.appendingPathComponent("workflow.yaml")
        let yaml = try String(contentsOf: file, encoding: .utf8)
        let step = "    uses: badges@1\n    at: logistics\n    when: state.status in [\"confirmed\", \"substituted\", \"seated\"]\n    with:\n"
        try #require(yaml.contains(step + "      language: fr\n"))
        // The line of the badges step's with: settings, the last of the file.
        let line = yaml.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        func validate(with settings: String) throws -> CLI.Result {
            try yaml.replacingOccurrences(of: step + "      language: fr\n", with: step + settings + "\n").write(to: file, atomically: true, encoding: .utf8)
            return try CLI.run(["validate", w.path], environment: try CLI.referenceEnvironment())
        }
        var r = try validate(with: "      colors: {press: \"#000000\"}")
        #expect(r.status == 1)
        #expect(r.stderr.contains("workflow.yaml:\(line):7: error: unknown key 'colors' in with (did you mean 'colours'?)"), "\(r.stderr)")
        r = try validate(with: "      colours: {press: green}")
        #expect(r.status == 1)
        #expect(r.stderr.contains("workflow.yaml:\(line):7: error: step 'badges': badges@1 refuses its configuration: colours.press: 'green' is not a colour such as #2E6B30"), "\(r.stderr)")

        r = try CLI.run(["validate", CLI.packageRoot.appendingPathComponent("workflows/wsis20-2024").path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: unknown plugin 'badges': none was found beside convene, in CONVENE_PLUGIN_PATH or in --plugins"), "\(r.stderr)")
    }
}
