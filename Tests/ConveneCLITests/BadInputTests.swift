import Foundation
import Testing

/// A workflow or roster that replaces the mini workflow's own: a file of the corpus under
/// `Fixtures/bad-inputs/`, or one made at run time (those too big to keep in the repository).
struct BadInput: Sendable, CustomTestStringConvertible {
    enum Target: Sendable {
        case workflow, roster
        var file: String { self == .workflow ? "workflow.yaml" : "roster.csv" }
    }

    var name: String
    var target: Target
    /// Whether it is good input after all (a byte order mark, CRLF line ends).
    var accepted = false
    /// Text stderr must hold, with the file and its place.
    var expected: [String] = []
    var contents: @Sendable () throws -> Data

    var testDescription: String { name }

    /// A file of the corpus.
    static func fixture(_ file: String, as target: Target, accepted: Bool = false, _ expected: String...) -> BadInput {
        BadInput(name: file, target: target, accepted: accepted, expected: expected) {
            try Data(contentsOf: CLI.fixture("bad-inputs/\(file)"))
        }
    }

    /// The mini workflow with a change made at run time.
    static func workflow(_ name: String, _ expected: String..., edit: @escaping @Sendable (String) -> String) -> BadInput {
        BadInput(name: name, target: .workflow, expected: expected) {
            Data(edit(try String(contentsOf: CLI.fixture("mini/workflow.yaml"), encoding: .utf8)).utf8)
        }
    }

    static let all: [BadInput] = [
        fixture("roster-bom-crlf.csv", as: .roster, accepted: true),
        fixture("workflow-bom-crlf.yaml", as: .workflow, accepted: true),
        fixture(
            "roster-crlf-error.csv", as: .roster,
            "roster.csv:3:99: error: row 2, column 'email': 'not-an-address' is not an e-mail address",
            "3 | EGY,Egypt,Égypte,Arab States,ar,"),
        fixture(
            "workflow-crlf-error.yaml", as: .workflow,
            "workflow.yaml:39:5: error: unknown key 'whne' in a step (did you mean 'when'?)",
            "39 |     whne: not state.replied\n   |     ^"),
        fixture("roster-latin1.csv", as: .roster, "roster.csv:2:69: error: the roster file is not UTF-8 text: byte 0xE9"),
        fixture("roster-utf16.csv", as: .roster, "roster.csv:1:1: error: the roster file is UTF-16 text, not UTF-8"),
        fixture("workflow-utf16.yaml", as: .workflow, "workflow.yaml:1:1: error: the workflow file is UTF-16 text, not UTF-8"),
        fixture("workflow-nul.yaml", as: .workflow, "workflow.yaml:6:13: error: the workflow file holds a NUL byte", "6 |   venue: Gen␀eva"),
        fixture("roster-nul.csv", as: .roster, "roster.csv:3:7: error: the roster file holds a NUL byte"),
        fixture(
            "roster-duplicate-ids.csv", as: .roster,
            "roster.csv:6:1: error: row 5, column 'id': the id 'FRA' is already used on line 2"),
        fixture(
            "roster-bad-language.csv", as: .roster,
            "roster.csv:3:", "row 2, column 'language': 'Arabic' is not a language code such as 'fr' or 'en'"),
        fixture(
            "workflow-bad-language.yaml", as: .workflow,
            "workflow.yaml:8:19: error: 'French' is not a language code such as 'fr' or 'en'"),
        fixture("roster-unclosed-quote.csv", as: .roster, "roster.csv:3:5: error: this quoted field is never closed"),
        fixture("roster-too-many-fields.csv", as: .roster, "roster.csv:4:", "row 3 has 13 fields, the header has 12"),
        fixture("empty.yaml", as: .workflow, "workflow.yaml:1:1: error: the workflow file is empty"),
        fixture("empty.csv", as: .roster, "roster.csv:1:1: error: the roster has no header row"),
        fixture("workflow-list.yaml", as: .workflow, "workflow.yaml:1:1: error: the workflow must be a mapping"),
        fixture("binary.bin", as: .workflow, "workflow.yaml:1:1: error: the workflow file holds the control character U+007F"),
        fixture("binary.bin", as: .roster, "roster.csv:1:1: error: the roster file holds the control character U+007F"),
        workflow("5,000 nested flow sequences", "workflow.yaml:6:", "collections nest more than 512 levels deep") {
            $0.replacingOccurrences(
                of: "  venue: Geneva\n",
                with: "  venue: " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "\n")
        },
        workflow("5,000 nested block sequences", "workflow.yaml:7:", "collections nest more than 512 levels deep") {
            $0.replacingOccurrences(
                of: "  venue: Geneva\n", with: "  venue:\n    " + String(repeating: "- ", count: 5_000) + "Geneva\n")
        },
        workflow("a 20 MB workflow", "workflow.yaml:1:1: error: the workflow file is 20 MB, more than a workflow's 4 MB at most") {
            $0 + String(repeating: "# " + String(repeating: "x", count: 97) + "\n", count: 200_000)
        },
        workflow("a 1 MB line", "workflow.yaml:") {
            $0 + String(repeating: "x", count: 1_000_000) + "\n"
        },
        BadInput(name: "a roster row of 1 MB", target: .roster, expected: ["roster.csv:3:", "row 2 has 1000001 fields, the header has 12"]) {
            let roster = try String(contentsOf: CLI.fixture("mini/roster.csv"), encoding: .utf8)
            var lines = roster.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines[2] = String(repeating: ",", count: 1_000_000)
            return Data(lines.joined(separator: "\n").utf8)
        },
    ]
}

@Suite("bad inputs: a clear error with its place and exit status 1, never a crash nor a partial ledger")
struct BadInputTests {
    /// The mini workflow in a scratch folder, with one of its files replaced.
    private func workspace(_ input: BadInput) throws -> (folder: URL, file: URL, bad: Data) {
        let folder = try CLI.copy(CLI.fixture("mini"), into: try CLI.temporaryDirectory("bad-input"))
        return (folder, folder.appendingPathComponent(input.target.file), try input.contents())
    }

    /// Runs convene and checks what every run on bad input must give.
    @discardableResult
    private func check(_ input: BadInput, _ arguments: [String]) throws -> CLI.Result {
        let clock = ContinuousClock()
        var result: CLI.Result?
        let elapsed = try clock.measure { result = try CLI.run(arguments) }
        let r = try #require(result)
        let command = arguments[0]
        #expect(elapsed < .seconds(10), "\(command) took \(elapsed) on \(input.name)")
        for crash in ["Fatal error", "Segmentation fault", "Illegal instruction", "Stack dump", "Backtrace"] {
            #expect(!r.stderr.contains(crash), "\(command) crashed on \(input.name):\n\(r.stderr.prefix(2_000))")
        }
        if input.accepted {
            #expect(r.status == 0, "\(command) refused \(input.name):\n\(r.stderr.prefix(2_000))")
            return r
        }
        #expect(r.status == 1, "\(command) on \(input.name) ended with \(r.status):\n\(r.stderr.prefix(2_000))")
        #expect(
            r.stderr.contains(try Regex(#"(workflow\.yaml|roster\.csv):\d+:\d+: error: "#)),
            "\(command) on \(input.name) gave no error with a place:\n\(r.stderr.prefix(2_000))")
        for text in input.expected {
            #expect(r.stderr.contains(text), "\(command) on \(input.name): missing \(text)\n--- stderr:\n\(r.stderr.prefix(2_000))")
        }
        // An error shows its line around the caret, never a megabyte of it.
        #expect(r.stderr.utf8.count < 10_000, "\(command) on \(input.name) wrote \(r.stderr.utf8.count) bytes to stderr")
        return r
    }

    @Test("convene validate refuses each bad input with its place, and takes a BOM and CRLF", arguments: BadInput.all)
    func validate(_ input: BadInput) throws {
        let (folder, file, bad) = try workspace(input)
        try bad.write(to: file)
        let r = try check(input, ["validate", folder.path])
        if input.accepted { #expect(r.stdout.contains("ok"), "\(r.stdout)") }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".convene").path), "validate must not write")
    }

    @Test("convene run on a bad input neither creates a ledger nor changes one", arguments: BadInput.all)
    func run(_ input: BadInput) throws {
        let (folder, file, bad) = try workspace(input)
        let good = try Data(contentsOf: file)
        let state = folder.appendingPathComponent(".convene")

        // On a fresh folder: nothing is created.
        try bad.write(to: file)
        try check(input, ["run", folder.path, "--now", "2024-02-02T10:00"])
        if input.accepted {
            #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("outbox").path))
            return
        }
        #expect(!FileManager.default.fileExists(atPath: state.path), "run on \(input.name) left \(state.path)")

        // On a campaign under way: the ledger and outbox keep every byte.
        try good.write(to: file)
        let first = try CLI.run(["run", folder.path, "--now", "2024-02-02T10:00"])
        try #require(first.status == 0, "\(first.stderr)")
        let before = try snapshot(state)
        try bad.write(to: file)
        try check(input, ["run", folder.path, "--now", "2024-02-16T10:00"])
        #expect(try snapshot(state) == before, "run on \(input.name) changed the ledger or the outbox")
    }

    /// Every file under a folder, by relative path, with its bytes.
    private func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]))
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            files[String(url.path.dropFirst(folder.path.count))] = try Data(contentsOf: url)
        }
        return files
    }
}
