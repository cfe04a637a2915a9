import Foundation
import Testing

@Suite("convene plugin new")
struct PluginNewTests {
    /// A workflow on the mini roster that runs the new step on its start date.
    static func workflow(_ with: String) -> String {
        """
        id: notes
        event:
          name: {en: Notes}
          time-zone: UTC
          languages: [en, fr]
          contact: contact@example.org
          sender: noreply@example.org
        roster: ../mini/roster.csv
        dates: {start: 2024-01-01}
        tracks:
          main: {name: Main, start: 2024-06-01, end: 2024-06-02, access: public}
        steps:
          - id: note
            uses: press-notes@1
            at: start
            with:
        \(with)
        """
    }

    @Test("a new plugin's package builds, passes its own swift test, is listed from --plugins, validated against and run")
    func newPlugin() throws {
        let workspace = try CLI.temporaryDirectory()
        let folder = workspace.appendingPathComponent("press-notes")
        var r = try CLI.run(["plugin", "new", "press-notes", "--out", folder.path])
        #expect(r.status == 0, "\(r.stderr)")
        for file in ["Package.swift", "Sources/PressNotes/PressNotesStep.swift", "Sources/PressNotes/Entry.swift", "Tests/PressNotesTests/PressNotesStepTests.swift", "README.md"] {
            #expect(r.stdout.contains("  \(file)\n"), "\(file): \(r.stdout)")
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
        }
        // It depends on the ConveneKit this convene was built from, by its absolute path.
        let manifest = try String(contentsOf: folder.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(manifest.contains(".package(path: \"\(CLI.packageRoot.appendingPathComponent("Sources/ConveneKit").standardizedFileURL.path)\")"), "\(manifest)")

        let package = try CLI.buildPackage(folder, named: "PressNotes")
        #expect(FileManager.default.fileExists(atPath: package.products.appendingPathComponent("libPressNotes.so").path))
        let test = try CLI.swiftPM(["test"], package)
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect((test.stdout + test.stderr).contains("Test run with 2 tests in 1 suite passed"), "\(test.stdout)\(test.stderr)")

        r = try CLI.run(["plugins", "--json", "--plugins", package.products.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let plugins = try #require(listing["plugins"] as? [[String: Any]])
        let found = try #require(plugins.first { $0["id"] as? String == "press-notes" }, "\(r.stdout)")
        #expect(found["kind"] as? String == "library")
        #expect(found["version"] as? String == "1.0.0")
        #expect(found["file"] as? String == package.products.appendingPathComponent("libPressNotes.so").path)

        _ = try CLI.copy(CLI.fixture("mini"), into: workspace)
        let notes = workspace.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        let file = notes.appendingPathComponent("workflow.yaml")
        // Its configuration schema is checked, with the nearest key suggested.
        try Self.workflow("      subjet: {en: A note}").write(to: file, atomically: true, encoding: .utf8)
        r = try CLI.run(["validate", notes.path, "--plugins", package.products.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("workflow.yaml:17:7: error: unknown key 'subjet' in with (did you mean 'subject'?)"), "\(r.stderr)")
        #expect(r.stderr.contains("with is missing the key 'subject'"), "\(r.stderr)")

        try Self.workflow("      subject: {en: A note, fr: Une note}\n      copy-mission: true").write(to: file, atomically: true, encoding: .utf8)
        r = try CLI.run(["run", notes.path, "--now", "2024-01-02T00:00", "--plugins", package.products.path])
        #expect(r.status == 0, "\(r.stderr)")
        let outbox = notes.appendingPathComponent(".convene/outbox")
        let france = try String(contentsOf: outbox.appendingPathComponent("note-at-FRA.eml"), encoding: .utf8)
        #expect(france.contains("Subject: Une note"), "\(france)")
        #expect(france.contains("Cc: mission@fra.example.org"), "\(france)")
        #expect(france.contains("Madame la Ministre,"), "\(france)")
    }

    @Test("plugin new refuses a name that is not an id, a folder that holds files, a folder that is not ConveneKit and an id already found")
    func refusals() throws {
        let workspace = try CLI.temporaryDirectory()
        var r = try CLI.run(["plugin", "new", "Press_Notes", "--out", workspace.appendingPathComponent("a").path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: 'Press_Notes' cannot be a plugin id: use lowercase letters and digits, words joined by hyphens"), "\(r.stderr)")

        try "x".write(to: workspace.appendingPathComponent("taken.txt"), atomically: true, encoding: .utf8)
        r = try CLI.run(["plugin", "new", "press-notes", "--out", workspace.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: \(workspace.path) already holds files; give --out a new or empty folder"), "\(r.stderr)")

        r = try CLI.run(["plugin", "new", "press-notes", "--out", workspace.appendingPathComponent("b").path, "--kit", workspace.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: \(workspace.path)/Package.swift is not the ConveneKit package's manifest: give --kit the folder Sources/ConveneKit"), "\(r.stderr)")
        // CONVENE_KIT is read when --kit is not given.
        r = try CLI.run(["plugin", "new", "press-notes", "--out", workspace.appendingPathComponent("b").path], environment: ["CONVENE_KIT": workspace.path])
        #expect(r.stderr.contains("\(workspace.path)/Package.swift is not the ConveneKit package's manifest"), "\(r.stderr)")

        r = try CLI.run(["plugin", "new", "seat", "--out", workspace.appendingPathComponent("c").path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: a plugin 'seat' is already on the search path"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.appendingPathComponent("c").path), "nothing written")
    }
}
