import Foundation
import Testing

/// The Python plugins of `Fixtures/python-plugins`: `greet`, the ExternalPlugin's step in
/// Python, and `faulty`, which misbehaves on request.
private let pythonPlugins = CLI.fixture("python-plugins")

/// The same `greet` step, built two ways.
enum GreetPlugin: String, CaseIterable, CustomTestStringConvertible, Sendable {
    /// `Fixtures/ExternalPlugin`, a Swift shared library loaded into `convene`.
    case swiftLibrary
    /// `Fixtures/python-plugins/convene-step-greet.py`, run in a process of its own.
    case pythonExecutable

    var testDescription: String { self == .swiftLibrary ? "Swift library" : "Python executable" }

    var kind: String { self == .swiftLibrary ? "library" : "executable" }

    func file() throws -> URL {
        switch self {
        case .swiftLibrary: try CLI.buildFixturePackage("ExternalPlugin").appendingPathComponent("libGreet.so")
        case .pythonExecutable: pythonPlugins.appendingPathComponent("convene-step-greet.py")
        }
    }
}

/// A copy of a fixture workflow beside a copy of the mini roster, with some text replaced.
private func workspace(_ fixture: String, replacing: [(String, String)] = [], name: String = #function) throws -> URL {
    let folder = try CLI.temporaryDirectory(name)
    let workflow = try CLI.copy(CLI.fixture(fixture), into: folder)
    _ = try CLI.copy(CLI.fixture("mini"), into: folder)
    try edit(workflow.appendingPathComponent("workflow.yaml"), replacing: replacing)
    return workflow
}

/// Replaces text in a file, requiring each text to be there.
private func edit(_ file: URL, replacing: [(String, String)]) throws {
    var text = try String(contentsOf: file, encoding: .utf8)
    for (old, new) in replacing {
        try #require(text.contains(old), "\(file.lastPathComponent) has no '\(old)'")
        text = text.replacingOccurrences(of: old, with: new)
    }
    try text.write(to: file, atomically: true, encoding: .utf8)
}

/// The letters in a workflow's outbox, by file name.
private func letters(_ workflow: URL) throws -> [String: Data] {
    let outbox = workflow.appendingPathComponent(".convene/outbox")
    guard FileManager.default.fileExists(atPath: outbox.path) else { return [:] }
    var result: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: outbox.path) where name.hasSuffix(".eml") {
        result[name] = try Data(contentsOf: outbox.appendingPathComponent(name))
    }
    return result
}

/// What the ledger and the outbox hold, as `convene status` and `convene outbox` print them,
/// with the files of the outbox and the artifacts.
private func ledgerSnapshot(_ workflow: URL, plugins: [String]) throws -> String {
    var snapshot = ""
    for command in ["status", "outbox"] {
        let r = try CLI.run([command, workflow.path, "--json"] + plugins)
        try #require(r.status == 0, "\(command): \(r.stderr)")
        snapshot += r.stdout
    }
    for folder in [".convene/outbox", ".convene/artifacts"] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: workflow.appendingPathComponent(folder).path)) ?? []
        snapshot += "\(folder): \(files.sorted())\n"
    }
    return snapshot
}

/// The JSON object `convene plugins --json` prints for a plugin id.
private func listed(_ id: String, in output: String) throws -> [String: Any]? {
    let root = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    let plugins = try #require(root["plugins"] as? [[String: Any]])
    return plugins.first { $0["id"] as? String == id }
}

@Suite("out-of-process plugins")
struct ProcessPluginTests {
    @Test("the greet step is listed, checked and run alike as a Swift library and as a Python executable", arguments: GreetPlugin.allCases)
    func greetBehavesAlike(_ plugin: GreetPlugin) throws {
        let file = try plugin.file()
        let plugins = ["--plugins", file.path]
        var r = try CLI.run(["plugins", "--json"] + plugins)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let greet = try #require(try listed("greet", in: r.stdout))
        #expect(greet["version"] as? String == "1.2.0")
        #expect(greet["summary"] as? String == "Sends a one-line greeting.")
        #expect(greet["kind"] as? String == plugin.kind)
        #expect(greet["file"] as? String == file.path)

        let workflow = try workspace("external-workflow", name: "greet-\(plugin.rawValue)")
        r = try CLI.run(["validate", workflow.path] + plugins)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ok — 4 delegations, 1 tracks, 1 steps"), "\(r.stdout)")

        r = try CLI.run(["run", workflow.path, "--now", "2024-01-02T00:00"] + plugins)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("greet (at): 4 delegations, 4 messages queued"), "\(r.stdout)")
        let sent = try letters(workflow)
        #expect(sent.keys.sorted() == ["greet-at-ECU.eml", "greet-at-EGY.eml", "greet-at-FRA.eml", "greet-at-GBR.eml"])
        let french = String(decoding: try #require(sent["greet-at-FRA.eml"]), as: UTF8.self)
        #expect(french.contains("Subject: Bonjour"))
        #expect(french.contains("Bonjour, France."))
        r = try CLI.run(["status", workflow.path, "--json"] + plugins)
        #expect(r.stdout.contains("\"invited\" : 4"), "\(r.stdout)")

        // Run again: nothing is due twice.
        r = try CLI.run(["run", workflow.path, "--now", "2024-01-03T00:00"] + plugins)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("0 messages delivered"), "\(r.stdout)")
        #expect(try letters(workflow) == sent)
    }

    @Test("the Swift and Python greet steps write the same letters and report the same configuration errors")
    func greetOutputsIdentical() throws {
        let variants: [(String, [(String, String)])] = [
            ("good", []),
            // Checked by convene against the declared schema.
            ("not-a-mapping", [("greeting: {en: Hello, fr: Bonjour}", "greeting: Hello")]),
            ("unknown-key", [("greeting: {en: Hello, fr: Bonjour}", "greeting: {en: Hello}\n      greting: 3")]),
            ("missing", [("with:\n      greeting: {en: Hello, fr: Bonjour}", "with: {}")]),
            // Checked by the step itself.
            ("empty", [("greeting: {en: Hello, fr: Bonjour}", "greeting: {}")]),
        ]
        for (name, replacing) in variants {
            var outputs: [GreetPlugin: (validate: CLI.Result, run: CLI.Result, letters: [String: Data])] = [:]
            for plugin in GreetPlugin.allCases {
                let file = try plugin.file()
                let workflow = try workspace("external-workflow", replacing: replacing, name: "same-\(name)-\(plugin.rawValue)")
                let validate = try CLI.run(["validate", workflow.path, "--plugins", file.path])
                let run = try CLI.run(["run", workflow.path, "--now", "2024-01-02T00:00", "--plugins", file.path])
                // The workflow's own folder differs; the rest must not.
                func same(_ r: CLI.Result) -> CLI.Result {
                    CLI.Result(
                        status: r.status, stdout: r.stdout.replacingOccurrences(of: workflow.path, with: "WORKFLOW"),
                        stderr: r.stderr.replacingOccurrences(of: workflow.path, with: "WORKFLOW"))
                }
                outputs[plugin] = (same(validate), same(run), try letters(workflow))
            }
            let swift = try #require(outputs[.swiftLibrary]), python = try #require(outputs[.pythonExecutable])
            #expect(swift.validate.status == python.validate.status, "\(name)")
            #expect(swift.letters == python.letters, "\(name)")
            if name == "good" {
                #expect(python.letters.count == 4)
            } else {
                #expect(python.validate.status == 1, "\(name)")
                #expect(python.letters.isEmpty, "\(name)")
            }
            if name == "empty" {
                // The step refuses its configuration; the message is the step's own.
                #expect(swift.validate.stderr.contains("greet@1 refuses its configuration: greeting: give at least one language"), "\(swift.validate.stderr)")
                #expect(python.validate.stderr.contains("greet@1 refuses its configuration: convene-step-greet.py refused: greeting: give at least one language"), "\(python.validate.stderr)")
            } else {
                #expect(swift.validate.stdout == python.validate.stdout, "\(name)")
                #expect(swift.validate.stderr == python.validate.stderr, "\(name)")
            }
        }
    }

    @Test("one process serves a whole run, its run and its follow-ups, with the state the run left; its standard error is shown prefixed with its name")
    func oneProcessPerRun() throws {
        let workflow = try workspace("faulty-workflow")
        let r = try CLI.run(["run", workflow.path, "--now", "2024-01-02T00:00", "--plugins", pythonPlugins.path])
        #expect(r.status == 0, "\(r.stderr)")
        let logged = r.stderr.split(separator: "\n").filter { $0.hasPrefix("[convene-step-faulty.py] faulty[") }
        let requests = logged.map { $0.split(separator: ": ", maxSplits: 1).last.map(String.init) ?? "" }
        #expect(requests == ["configure", "configure", "run with 4 invitees", "follow-up with 2 invitees", "follow-up with 2 invitees"], "\(r.stderr)")
        let pids = Set(logged.map { $0.split(separator: "[").last?.split(separator: "]").first ?? "" })
        #expect(pids.count == 1, "\(logged)")

        let sent = try letters(workflow)
        #expect(sent.count == 4)
        let french = String(decoding: try #require(sent["note-at-FRA.eml"]), as: UTF8.self)
        #expect(french.contains("main: invited, side: invited"), "\(french)")
        let artifact = workflow.appendingPathComponent(".convene/artifacts/faulty-invitees.txt")
        #expect(try String(contentsOf: artifact, encoding: .utf8) == "France\nEgypt\nEcuador\nUnited Kingdom\n")
    }

    /// How a misbehaving plugin's step fails: with the fault, what the error says.
    static let faults: [(fault: String, error: String)] = [
        ("crash", "convene-step-faulty.py exited with status 1 while running a batch; its last line on standard error: ZeroDivisionError: division by zero"),
        ("exit", "convene-step-faulty.py exited with status 3 while running a batch"),
        ("signal", "convene-step-faulty.py was killed by signal 11 (Segmentation fault) while running a batch"),
        ("hang", "convene-step-faulty.py did not answer within 2 s while running a batch, and was stopped"),
        ("garbage", "convene-step-faulty.py wrote text to its standard output where a frame was expected, while running a batch: 'Processing the batch... '"),
        ("bad-json", "convene-step-faulty.py broke the protocol while running a batch: its answer is not JSON ('{not json')"),
        ("wrong-answer", "convene-step-faulty.py broke the protocol while running a batch: type is 'ok' where 'effects' (or 'error') was expected"),
        ("oversized", "convene-step-faulty.py sent a frame of 2147483632 bytes while running a batch, more than the limit of 67108864 bytes"),
        ("bad-effect", "convene-step-faulty.py broke the protocol while running a batch: effects[0].to must be a list, not a string"),
        ("unknown-delegation", "set the status of 'XXX' on 'main', which is not in its batch"),
        ("no-recipient", "produced a message to 'FRA' without recipients"),
        ("unknown-track", "set the status of 'FRA' on 'no-such-track', which is not in its batch"),
        ("refuse", "convene-step-faulty.py refused: cannot run today"),
    ]

    @Test(
        "a plugin that crashes, hangs, writes garbage or breaks the rules fails its step, naming the plugin, and leaves the ledger as it was",
        arguments: faults)
    func faultFailsStep(_ fault: String, _ error: String) throws {
        let workflow = try workspace("faulty-workflow", replacing: [("fault: none", "fault: \(fault)")], name: "fault-\(fault)")
        let plugins = ["--plugins", pythonPlugins.path, "--plugin-timeout", "2"]
        // A tick before the step is due: the roster is in the ledger, nothing else.
        var r = try CLI.run(["run", workflow.path, "--now", "2023-12-01T00:00"] + plugins)
        try #require(r.status == 0, "\(r.stderr)")
        let before = try ledgerSnapshot(workflow, plugins: plugins)

        let started = ContinuousClock.now
        r = try CLI.run(["run", workflow.path, "--now", "2024-01-02T00:00"] + plugins)
        #expect(ContinuousClock.now - started < .seconds(15))
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        let file = pythonPlugins.appendingPathComponent("convene-step-faulty.py").path
        #expect(r.stderr.contains("error: step 'note' (faulty@1, \(file))"), "\(r.stderr)")
        #expect(r.stderr.contains(error), "\(r.stderr)")
        #expect(try ledgerSnapshot(workflow, plugins: plugins) == before)
        if fault == "crash" {
            #expect(r.stderr.contains("[convene-step-faulty.py] Traceback (most recent call last):"), "\(r.stderr)")
        }
    }

    @Test(
        "a plugin that fails its handshake is refused with the reason, and the others are still listed",
        arguments: [
            ("garbage", "wrote text to its standard output where a frame was expected, while shaking hands: 'faulty plugin starting up '"),
            ("hang", "did not answer within 1 s while shaking hands, and was stopped"),
            ("exit", "exited with status 2 while shaking hands; its last line on standard error: faulty: cannot start"),
            ("protocol", "speaks plugin protocol version 2; this convene speaks version 1"),
            ("bad-manifest", "answered the handshake with a manifest that is not one: manifest.version must be a version such as 1.0.0, not 'one'"),
        ])
    func handshakeFailures(_ fault: String, _ reason: String) throws {
        let r = try CLI.run(
            ["plugins", "--plugins", pythonPlugins.path, "--plugin-timeout", "1"], environment: ["FAULTY_HANDSHAKE": fault])
        #expect(r.status == 1)
        #expect(r.stdout.contains("refused: \(pythonPlugins.path)/convene-step-faulty.py: \(reason)"), "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("greet"), "\(r.stdout)")
    }

    @Test("the timeout comes from --plugin-timeout, else CONVENE_PLUGIN_TIMEOUT; a value that is not a number of seconds is refused")
    func timeoutSettings() throws {
        var r = try CLI.run(["plugins", "--plugins", pythonPlugins.path], environment: ["FAULTY_HANDSHAKE": "hang", "CONVENE_PLUGIN_TIMEOUT": "0.5"])
        #expect(r.stdout.contains("convene-step-faulty.py: did not answer within 0.5 s while shaking hands, and was stopped"), "\(r.stdout)")
        r = try CLI.run(["plugins"], environment: ["CONVENE_PLUGIN_TIMEOUT": "soon"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: CONVENE_PLUGIN_TIMEOUT: 'soon' is not a number of seconds greater than 0, such as 30 or 2.5"), "\(r.stderr)")
        r = try CLI.run(["plugins", "--plugin-timeout=-1"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--plugin-timeout: '-1' is not a number of seconds greater than 0"), "\(r.stderr)")
    }

    @Test("executables named convene-step-… are plugins: listed with their manifest, refused when they may not be executed")
    func discovery() throws {
        let folder = try CLI.temporaryDirectory()
        for name in ["convene-step-greet.py", "convene-step-faulty.py"] {
            try FileManager.default.copyItem(at: pythonPlugins.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        // Not a plugin: another name. Refused: the right name, but not executable.
        try FileManager.default.copyItem(at: pythonPlugins.appendingPathComponent("convene-step-greet.py"), to: folder.appendingPathComponent("greet.py"))
        try "#!/bin/sh\n".write(to: folder.appendingPathComponent("convene-step-notes"), atomically: true, encoding: .utf8)
        var r = try CLI.run(["plugins", "--json", "--plugins", folder.path])
        #expect(r.status == 1)
        let faulty = try #require(try listed("faulty", in: r.stdout))
        #expect(faulty["kind"] as? String == "executable")
        #expect(faulty["protocol"] as? Int == 1)
        #expect(faulty["version"] as? String == "1.0.0")
        #expect(try listed("greet", in: r.stdout)?["file"] as? String == folder.appendingPathComponent("convene-step-greet.py").path)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let refused = try #require(root["refused"] as? [[String: String]])
        #expect(refused == [[
            "file": folder.appendingPathComponent("convene-step-notes").path,
            "reason": "is named like an out-of-process plugin but may not be executed (chmod +x)",
        ]])
        let files = (root["plugins"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String }
        #expect(!files.contains(folder.appendingPathComponent("greet.py").path), "\(files)")

        // Also found through CONVENE_PLUGIN_PATH; a plain listing shows each plugin's kind.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("convene-step-notes"))
        r = try CLI.run(["plugins"], environment: ["CONVENE_PLUGIN_PATH": folder.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("faulty"), "\(r.stdout)")
        #expect(r.stdout.contains("executable"), "\(r.stdout)")
        #expect(r.stdout.contains("library"), "\(r.stdout)")
    }

    @Test("after a faulty version of a plugin failed a run, the ledger is unchanged, and the fixed plugin's run sends every letter once")
    func retryAfterFix() throws {
        let workflow = try workspace("external-workflow")
        let folder = try CLI.temporaryDirectory("retry-plugins")
        let plugin = folder.appendingPathComponent("convene-step-greet.py")
        let fixed = try String(contentsOf: pythonPlugins.appendingPathComponent("convene-step-greet.py"), encoding: .utf8)
        let plugins = ["--plugins", folder.path, "--plugin-timeout", "5"]
        func install(_ text: String) throws {
            try text.write(to: plugin, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: plugin.path)
        }
        try install(fixed)
        var r = try CLI.run(["run", workflow.path, "--now", "2023-12-01T00:00"] + plugins)
        try #require(r.status == 0, "\(r.stderr)")
        let before = try ledgerSnapshot(workflow, plugins: plugins)

        // Two bugs in turn: a message without a recipient for the last delegation, after the
        // others' were good; then a crash.
        let bugs = [
            ("\"to\": [{\"name\"", "\"to\": [] if delegation[\"id\"] == \"GBR\" else [{\"name\""),
            ("    texts = greetings(configuration)\n", "    texts = greetings(configuration)\n    texts = texts[\"no such language\"]\n"),
        ]
        for (old, new) in bugs {
            try #require(fixed.contains(old))
            try install(fixed.replacingOccurrences(of: old, with: new))
            r = try CLI.run(["run", workflow.path, "--now", "2024-01-02T00:00"] + plugins)
            #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
            #expect(r.stderr.contains("(greet@1, \(plugin.path))"), "\(r.stderr)")
            #expect(try ledgerSnapshot(workflow, plugins: plugins) == before)
        }

        try install(fixed)
        r = try CLI.run(["run", workflow.path, "--now", "2024-01-02T00:00"] + plugins)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("4 messages delivered"), "\(r.stdout)")
        #expect(try letters(workflow).count == 4)
        r = try CLI.run(["run", workflow.path, "--now", "2024-01-02T00:00"] + plugins)
        #expect(r.stdout.contains("0 messages delivered"), "\(r.stdout)")
    }
}
