public import Foundation

/// A new step plugin's package, as `convene plugin new NAME` writes it: a `Package.swift` that
/// depends on ConveneKit by path and builds a dynamic library, a step with a manifest and a
/// configuration schema, its C entry points, a test on ConveneKitTesting, a README and a
/// `.gitignore`. It builds with `swift build`, passes its own `swift test`, and `convene plugins
/// --plugins .build/debug` lists it.
public struct PluginTemplate: Sendable {
    /// The plugin id a workflow names in `uses:` (`press-notes` in `uses: press-notes@1`).
    public var id: String
    /// The Swift name the id gives: the module and the library (`PressNotes`), the step type
    /// (`PressNotesStep`), the package (`PressNotesPlugin`).
    public var swiftName: String
    /// The ConveneKit package folder the plugin depends on.
    public var kit: URL
    /// The ConveneKitTesting package folder its tests depend on.
    public var kitTesting: URL

    /// Why a plugin package cannot be made.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What is wrong and what to do about it.
        public var description: String
    }

    /// Names the package.
    /// - Parameters:
    ///   - name: the plugin id: lowercase letters and digits in words joined by hyphens, starting
    ///     with a letter (`press-notes`).
    ///   - kit: the ConveneKit package folder (`Sources/ConveneKit` of Convene's sources), with
    ///     ConveneKitTesting beside it.
    /// - Throws: ``Failure`` for a name that cannot be a plugin id or a Swift module, or a kit
    ///   folder that does not hold the two packages.
    public init(name: String, kit: URL) throws(Failure) {
        let words = name.split(separator: "-", omittingEmptySubsequences: false)
        let valid = words.allSatisfy { word in
            !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
        guard valid, let first = name.unicodeScalars.first, ("a"..."z").contains(first) else {
            throw Failure(description: "'\(name)' cannot be a plugin id: use lowercase letters and digits, words joined by hyphens, starting with a letter (such as press-notes)")
        }
        id = name
        swiftName = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        guard !swiftName.hasPrefix("Convene") else {
            throw Failure(description: "'\(name)' would make a module named \(swiftName); names beginning with 'convene' are Convene's own")
        }
        self.kit = kit.standardizedFileURL
        kitTesting = self.kit.deletingLastPathComponent().appendingPathComponent("ConveneKitTesting")
        for (folder, package) in [(self.kit, "ConveneKit"), (kitTesting, "ConveneKitTesting")] {
            let manifest = folder.appendingPathComponent("Package.swift")
            guard let text = try? String(contentsOf: manifest, encoding: .utf8), text.contains("name: \"\(package)\"") else {
                throw Failure(description: "\(manifest.path) is not the \(package) package's manifest: give --kit the folder Sources/ConveneKit of Convene's sources")
            }
        }
    }

    /// Where ConveneKit's package is when `--kit` does not say: `$CONVENE_KIT`, else the
    /// `Sources/ConveneKit` of the Convene sources that hold the running executable (a build
    /// under `.build/`), else of the sources it was built from, if they are still there.
    /// - Parameters:
    ///   - environment: the process's environment.
    ///   - executable: the folder of the executable to start from; by default the running one's.
    /// - Returns: the folder, or `nil` when none of these holds it.
    public static func defaultKit(environment: [String: String], executable: URL? = nil) -> URL? {
        if let path = environment["CONVENE_KIT"], !path.isEmpty { return URL(fileURLWithPath: path, isDirectory: true) }
        let builtFrom = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var folder = (executable ?? PluginRegistry.executableDirectory()).standardizedFileURL
        while true {
            let kit = folder.appendingPathComponent("Sources/ConveneKit")
            if FileManager.default.fileExists(atPath: kit.appendingPathComponent("Package.swift").path) { return kit }
            guard folder.path != "/" else { break }
            folder.deleteLastPathComponent()
        }
        let kit = builtFrom.appendingPathComponent("ConveneKit")
        return FileManager.default.fileExists(atPath: kit.appendingPathComponent("Package.swift").path) ? kit : nil
    }

    /// The package's files, by path relative to its folder.
    public var files: [(path: String, contents: String)] {
        [
            ("Package.swift", packageManifest),
            ("Sources/\(swiftName)/\(swiftName)Step.swift", step),
            ("Sources/\(swiftName)/Entry.swift", entry),
            ("Tests/\(swiftName)Tests/\(swiftName)StepTests.swift", tests),
            ("README.md", readme),
            (".gitignore", ".build/\n.swiftpm/\nPackage.resolved\n"),
        ]
    }

    /// Writes the package into a folder that does not exist or is empty.
    /// - Parameter folder: where the package goes.
    /// - Throws: ``Failure`` when the folder holds anything, or a file cannot be written.
    public func write(to folder: URL) throws(Failure) {
        let manager = FileManager.default
        if let existing = try? manager.contentsOfDirectory(atPath: folder.path), !existing.isEmpty {
            throw Failure(description: "\(folder.path) already holds files; give --out a new or empty folder")
        }
        for file in files {
            let url = folder.appendingPathComponent(file.path)
            do {
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                throw Failure(description: "cannot write \(url.path): \(error.localizedDescription)")
            }
        }
    }

    private var packageManifest: String {
        #"""
        // swift-tools-version: 6.2
        import PackageDescription

        // The \#(id) step, a Convene plugin: a shared library that `convene` loads at run time. It
        // links ConveneKit dynamically, so that it shares one copy of the SDK's types with `convene`;
        // build it with the toolchain `convene` was built with.
        let package = Package(
            name: "\#(swiftName)Plugin",
            platforms: [.macOS(.v14)],
            products: [
                .library(name: "\#(swiftName)", type: .dynamic, targets: ["\#(swiftName)"]),
            ],
            dependencies: [
                // Convene's SDK and its test helpers, from Convene's sources.
                .package(path: "\#(kit.path)"),
                .package(path: "\#(kitTesting.path)"),
            ],
            targets: [
                .target(
                    name: "\#(swiftName)",
                    dependencies: [.product(name: "ConveneKit", package: "ConveneKit")],
                    swiftSettings: [.swiftLanguageMode(.v6)]
                ),
                .testTarget(
                    name: "\#(swiftName)Tests",
                    dependencies: ["\#(swiftName)", .product(name: "ConveneKitTesting", package: "ConveneKitTesting")],
                    swiftSettings: [.swiftLanguageMode(.v6)]
                ),
            ]
        )

        """#
    }

    private var step: String {
        #"""
        import ConveneKit

        /// Sends each invitee a short note in its letter language, addressed to its principal.
        ///
        /// Made by `convene plugin new \#(id)`: change the manifest, the configuration and `run(_:)`
        /// to make the step your own, and the tests beside it to say what it must do.
        struct \#(swiftName)Step: Step {
            static let manifest = StepManifest(
                id: "\#(id)", version: SemanticVersion(1, 0, 0),
                summary: "Sends each invitee a short note in its language.",
                configuration: .object([
                    ConfigField("subject", .perLanguage(.string()), required: true, summary: "The note's subject, per language."),
                    ConfigField(
                        "text", .perLanguage(.template),
                        summary: "The note's text per language: a Mustache template file, with {{salutation}}, {{delegation}} and {{event}}."),
                    ConfigField("copy-mission", .boolean, default: false, summary: "Whether the permanent mission gets a copy."),
                ]))

            /// Texts for the languages the workflow gives none for.
            static let defaultTexts = [
                "en": "{{salutation}}\n\nThis is a note to {{delegation}} about the {{event}}.\n",
                "fr": "{{salutation}}\n\nCeci est une note à l'intention de {{delegation}} au sujet de l'événement « {{event}} ».\n",
            ]

            let subjects: [String: String]
            let texts: [String: LetterTemplate]
            let copyMission: Bool

            init(configuration: ConfigValue) throws {
                subjects = (configuration["subject"].object ?? [:]).compactMapValues(\.string)
                guard !subjects.isEmpty else { throw StepError("subject: give at least one language") }
                var sources = Self.defaultTexts
                for (language, text) in configuration["text"].object ?? [:] { sources[language] = text.string }
                var texts: [String: LetterTemplate] = [:]
                for (language, source) in sources {
                    do {
                        texts[language] = try LetterTemplate(source)
                    } catch {
                        throw StepError("text.\(language): \(error)")
                    }
                }
                self.texts = texts
                copyMission = configuration["copy-mission"].bool ?? false
            }

            func run(_ batch: StepBatch) throws -> [Effect] {
                let event = batch.event
                return batch.invitees.compactMap { invitee in
                    let delegation = invitee.delegation
                    let language = event.letterLanguage(for: delegation)
                    let to = delegation.addresses(.principal).map(\.mailbox)
                    // The runtime refuses a message without recipients.
                    guard !to.isEmpty else { return nil }
                    let text = texts[language] ?? texts[event.fallbackLanguage] ?? texts["en"]!
                    return .send(OutgoingMessage(
                        delegation: delegation.id, to: to,
                        cc: copyMission ? delegation.addresses(.mission).map(\.mailbox) : [],
                        replyTo: event.contact,
                        subject: subjects[language] ?? subjects[event.fallbackLanguage] ?? subjects.values.sorted()[0],
                        language: language,
                        text: text.render([
                            "salutation": Salutation.opening(for: delegation.principal, in: language),
                            "delegation": delegation.name(in: language), "event": event.name(in: language),
                        ])))
                }
            }
        }

        """#
    }

    private var entry: String {
        #"""
        import ConveneKit

        // The two C symbols `convene` looks for in the library: the SDK version it was built against
        // (compiled in from ConveneKit), and the step it provides.

        @_cdecl("convene_plugin_api_version")
        public func pluginAPIVersion() -> Int32 { conveneKitAPIVersion }

        @_cdecl("convene_plugin_entry")
        public func pluginEntry() -> UnsafeMutableRawPointer { StepPlugin.export(\#(swiftName)Step.self) }

        """#
    }

    private var tests: String {
        #"""
        import ConveneKit
        import ConveneKitTesting
        import Testing

        @testable import \#(swiftName)

        @Suite("the \#(id) step")
        struct \#(swiftName)StepTests {
            let france = Delegation.sample(
                "FRA", names: ["en": "France", "fr": "France"], language: "fr",
                principal: Principal(name: "Claire Martin", title: "Ministre", gender: .female, rank: "minister"))
            let japan = Delegation.sample("JPN", names: ["en": "Japan"], language: "ja")

            @Test("each invitee gets a note in its language, or in the event's fallback, to its principal")
            func notes() throws {
                let step = try \#(swiftName)Step.configured(["subject": ["en": "A note", "fr": "Une note"]])
                let batch = StepBatch.sample([.sample(france, on: ["main"]), .sample(japan, on: ["main"])], tracks: [.sample("main")])
                let messages = try step.run(batch).messages
                #expect(messages.map(\.delegation) == ["FRA", "JPN"])
                #expect(messages.map(\.subject) == ["Une note", "A note"])
                #expect(messages.map(\.language) == ["fr", "en"])
                #expect(messages[0].to.map(\.email) == ["principal@fra.example"])
                #expect(messages[0].text.hasPrefix("Madame la Ministre,\n\n"))
                #expect(messages[1].text.contains("to Japan about the Sample event"))
            }

            @Test("a subject is required, and a text that is not a template is refused")
            func configuration() {
                #expect(throws: StepError.self) { try \#(swiftName)Step.configured() }
                #expect(throws: StepError.self) { try \#(swiftName)Step.configured(["subject": ["en": "A"], "text": ["en": "{{#open}}"]]) }
            }
        }

        """#
    }

    private var readme: String {
        #"""
        # \#(id)

        A step plugin for [Convene](\#(kit.deletingLastPathComponent().deletingLastPathComponent().path)): it sends each invitee a short
        note in its language. Made by `convene plugin new \#(id)`; ConveneKit's guide, *Writing a step
        plugin*, says how to make it your own.

        ```sh
        swift build                                 # .build/debug/lib\#(swiftName).so
        swift test                                  # the step's tests
        convene plugins --plugins .build/debug      # convene finds it there
        ```

        In a workflow, run `convene` with `--plugins` naming this package's `.build/debug` (or put that
        folder in `CONVENE_PLUGIN_PATH`):

        ```yaml
        steps:
          - id: note
            uses: \#(id)@1
            at: letter
            with:
              subject: {en: A note, fr: Une note}
              copy-mission: true
        ```

        The library must be rebuilt whenever `convene` is rebuilt with another ConveneKit API version
        (`convene plugins` refuses it and says so). Keep the major version of the manifest (1 here) for
        as long as the workflows that say `\#(id)@1` still work with it; change it when they would not.

        """#
    }
}
