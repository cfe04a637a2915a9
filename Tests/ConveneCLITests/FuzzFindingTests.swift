import Foundation
import Testing

/// Workflows the workflow fuzz target (Fuzz/, see the README's "Fuzzing" section) found, each
/// refused as it should be, with its place, where it had hung or crashed.
@Suite("Fuzz findings: convene validate")
struct FuzzFindingTests {
    /// The mini workflow, edited, in a scratch folder beside its roster.
    func validate(editing edit: (String) -> String) throws -> CLI.Result {
        let w = try CLI.copy(CLI.fixture("mini"), into: try CLI.temporaryDirectory())
        let file = w.appendingPathComponent("workflow.yaml")
        try edit(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
        return try CLI.run(["validate", w.path])
    }

    @Test("a track over a thousand years (a mistyped year) is refused at its start, not cut into a session a day")
    func trackOverCenturies() throws {
        // Found as a hang: the default sessions, one a day, for 370,000 days.
        let r = try validate { $0.replacingOccurrences(of: "start: 2024-05-28T09:00", with: "start: 1012-05-28T09:00") }
        #expect(r.status == 1)
        #expect(
            r.stderr.contains(
                "workflow.yaml:26:12: error: track 'round-table' lasts 369620 days, from 1012-05-28 09:00 to 2024-05-28 12:00; a track lasts at most 366 days (is a year mistyped?)"),
            "\(r.stderr)")
    }

    @Test("a track of a year is accepted, with a session a day")
    func trackOfAYear() throws {
        let r = try validate { $0.replacingOccurrences(of: "end: 2024-05-28T12:00", with: "end: 2025-05-28T12:00") }
        #expect(r.status == 0, "\(r.stderr)")
    }
}
