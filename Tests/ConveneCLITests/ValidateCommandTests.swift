import ConveneCore
import ConveneKit
import Foundation
import Testing

@Suite("convene validate")
struct ValidateCommandTests {
    @Test("the reference workflow validates, with ITU's 193 Member States")
    func referenceWorkflowValidates() throws {
        let result = try CLI.run(["validate", "workflows/wsis20-2024"], in: CLI.packageRoot, environment: try CLI.referenceEnvironment())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ok"))
        #expect(result.stdout.contains("193 delegations"), "\(result.stdout)")
    }

    @Test("a track's sessions: daily from its start's to its end's clock time by default, or listed, each within the track and apart")
    func sessions() throws {
        let w = try CLI.copy(CLI.fixture("mini"), into: try CLI.temporaryDirectory())
        let file = w.appendingPathComponent("workflow.yaml")
        var yaml = try String(contentsOf: file, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "    end: 2024-05-27T18:00\n", with: "    end: 2024-05-28T18:00\n")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let (workflow, _) = try WorkflowLoader(plugins: PluginRegistry(searchPath: [CLI.executable.deletingLastPathComponent()])).load(file.path)
        let local = LocalTime(timeZone: workflow.event.timeZone)
        let plenary = try #require(workflow.track("plenary"))
        #expect(plenary.sessions.map { "\(local.string(from: $0.start))–\(local.string(from: $0.end))" } == [
            "2024-05-27 09:00–2024-05-27 18:00", "2024-05-28 09:00–2024-05-28 18:00",
        ])
        #expect(try #require(workflow.track("round-table")).sittings.count == 1)

        yaml = yaml.replacingOccurrences(of: "    end: 2024-05-28T18:00\n", with: """
                end: 2024-05-28T18:00
                sessions:
                  - {start: 2024-05-27T09:00, end: 2024-05-27T12:30}
                  - {start: 2024-05-27T12:00, end: 2024-05-27T18:00}
                  - {start: 2024-05-28T15:00, end: 2024-05-28T14:00}
                  - {start: 2024-05-29T09:00, end: 2024-05-29T12:00}

            """)
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["validate", w.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("tracks.plenary.sessions[1] starts before the session before it ends"), "\(r.stderr)")
        #expect(r.stderr.contains("tracks.plenary.sessions[2] ends before it starts"), "\(r.stderr)")
        #expect(r.stderr.contains("tracks.plenary.sessions[3] is not within the track"), "\(r.stderr)")
    }

    @Test("every error of a bad workflow is reported with file:line:column and a caret, exit status 1")
    func badWorkflowReportsEveryError() throws {
        let directory = try CLI.temporaryDirectory()
        let bad = try CLI.copy(CLI.fixture("bad-workflow"), into: directory)
        let result = try CLI.run(["validate", "bad-workflow"], in: directory)
        #expect(result.status == 1)
        let expected = [
            "bad-workflow/workflow.yaml:23:13: error: tracks.workshop.access must be 'invitation' or 'public', not 'private'",
            "bad-workflow/workflow.yaml:26:11: error: unknown plugin 'invit' (did you mean 'invite'?)",
            "bad-workflow/workflow.yaml:30:19: error: before: '3x' is not an offset such as 14d, 36h, 2w or 90m",
            "bad-workflow/workflow.yaml:31:9: error: of: unknown date 'deadlines.rpely' (did you mean 'deadlines.reply'?)",
            "bad-workflow/workflow.yaml:32:5: error: unknown key 'whne' in a step (did you mean 'when'?)",
            "bad-workflow/workflow.yaml:37:11: error: when: unknown field 'state.repled' (did you mean 'state.replied'?)",
            "bad-workflow/workflow.yaml:40:23: error: unknown track 'workshp' (did you mean 'workshop'?)",
            "bad-workflow/workflow.yaml:43:7: error: unknown key 'sed' in with (did you mean 'seed'?)",
            "bad-workflow/roster.csv:3:",
            "row 2, column 'email': 'not-an-address' is not an e-mail address",
            "bad-workflow/roster.csv:4:1: error: row 3, column 'id': the id 'FRA' is already used on line 2",
            "row 4, column 'principal_gender': 'robot' is not female, male or blank",
        ]
        for line in expected {
            #expect(result.stderr.contains(line), "missing: \(line)\n--- stderr:\n\(result.stderr)")
        }
        // Each diagnostic shows its line and a caret.
        #expect(result.stderr.contains("32 |     whne: not state.replied\n   |     ^"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: bad.appendingPathComponent(".convene").path), "validate must not write")
    }

    @Test("a plugin major version that is not installed is an error naming the versions found")
    func unknownMajor() throws {
        let directory = try CLI.temporaryDirectory()
        let w = try CLI.copy(CLI.fixture("mini"), into: directory)
        let file = w.appendingPathComponent("workflow.yaml")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "uses: invite@1", with: "uses: invite@2")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", "mini"], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("mini/workflow.yaml:32:11: error: no plugin 'invite@2': found only invite@1"), "\(result.stderr)")
    }

    @Test("a duplicate key and an undefined alias are YAML errors with their places")
    func yamlStructureErrors() throws {
        let directory = try CLI.temporaryDirectory()
        try "id: x\nid: y\n".write(to: directory.appendingPathComponent("dup.yaml"), atomically: true, encoding: .utf8)
        var result = try CLI.run(["validate", "dup.yaml"], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("dup.yaml:2:1: error:"), "\(result.stderr)")
        try "id: x\nevent: *nowhere\n".write(to: directory.appendingPathComponent("alias.yaml"), atomically: true, encoding: .utf8)
        result = try CLI.run(["validate", "alias.yaml"], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("alias.yaml:2:8: error:"), "\(result.stderr)")
    }

    @Test("a YAML syntax error names its place")
    func yamlSyntaxError() throws {
        let directory = try CLI.temporaryDirectory()
        try "id: x\nevent: [unclosed\n".write(to: directory.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", "w.yaml"], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("w.yaml:"), "\(result.stderr)")
        #expect(result.stderr.contains("error:"))
    }

    @Test("a reply page with an address that is not http(s), an unknown date or a bad grace is refused at each place")
    func badReplyPage() throws {
        let w = try CLI.copy(CLI.fixture("mini"), into: try CLI.temporaryDirectory())
        let file = w.appendingPathComponent("workflow.yaml")
        var yaml = try String(contentsOf: file, encoding: .utf8)
        yaml = yaml.replacingOccurrences(
            of: "tracks:\n", with: "reply-page:\n  url: ftp://convene.example.org/reply\n  until: deadlines.replies\n  grace: soon\n  colour: blue\ntracks:\n")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let first = try #require(lines.firstIndex(of: "reply-page:")) + 1
        let result = try CLI.run(["validate", "workflow.yaml"], in: w)
        #expect(result.status == 1)
        let err = result.stderr
        #expect(err.contains("workflow.yaml:\(first + 1):8: error: reply-page.url: 'ftp://convene.example.org/reply' is not an http or https address"), "\(err)")
        #expect(err.contains("workflow.yaml:\(first + 4):3: error:") && err.contains("colour"), "\(err)")
        // The url is refused first; with a good one, the date and the grace are checked.
        try yaml.replacingOccurrences(of: "ftp://", with: "https://").replacingOccurrences(of: "  colour: blue\n", with: "")
            .write(to: file, atomically: true, encoding: .utf8)
        let again = try CLI.run(["validate", "workflow.yaml"], in: w)
        #expect(again.status == 1)
        #expect(again.stderr.contains("workflow.yaml:\(first + 2):10: error: reply-page.until: 'deadlines.replies' is neither"), "\(again.stderr)")
        #expect(again.stderr.contains("did you mean 'deadlines.reply'"), "\(again.stderr)")
        #expect(again.stderr.contains("workflow.yaml:\(first + 3):10: error: reply-page.grace: 'soon' is not an offset"), "\(again.stderr)")
    }

    @Test("a missing workflow file is a clear error")
    func missingWorkflow() throws {
        let result = try CLI.run(["validate", "/nonexistent/workflow.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot read the workflow file '/nonexistent/workflow.yaml'"))
    }
}
