public import ConveneKit
public import Foundation

/// The timeline `convene plan` prints: each firing, when, and how many delegations its condition
/// selects given the state known now.
public enum PlanReport {
    /// One line of the timeline.
    public struct Entry: Sendable, Codable {
        /// When it fires.
        public var dueAt: Date
        /// The step.
        public var step: String
        /// The plugin, `id@major`.
        public var uses: String
        /// The firing's id.
        public var occurrence: String
        /// The tracks.
        public var tracks: [String]
        /// Delegations selected now.
        public var delegations: Int
    }

    /// Builds the timeline.
    /// - Parameters:
    ///   - workflow: the workflow.
    ///   - states: the ledger's state if there is one; empty for a campaign not yet started.
    public static func make(workflow: Workflow, states: [String: [String: TrackState]] = [:]) -> [Entry] {
        let planner = Planner(workflow: workflow)
        return planner.timeline().map { planned in
            let tracks = planned.step.tracks.compactMap { workflow.track($0) }
            let evaluator = ConditionEvaluator(condition: planned.step.condition, tracks: tracks)
            let count = workflow.delegations.reduce(0) { n, d in
                n + (tracks.contains { evaluator.holds(d, states[d.id]?[$0.id] ?? TrackState(), $0) } ? 1 : 0)
            }
            return Entry(
                dueAt: planned.occurrence.dueAt, step: planned.step.id, uses: planned.step.plugin.description,
                occurrence: planned.occurrence.id, tracks: planned.step.tracks, delegations: count)
        }
    }

    /// The timeline as JSON (dates in ISO 8601, UTC).
    public static func json(_ entries: [Entry]) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(entries), as: UTF8.self)
    }

    /// The timeline as aligned text, times in the event's zone; reply-triggered steps noted after.
    public static func table(_ entries: [Entry], workflow: Workflow) -> String {
        let local = LocalTime(timeZone: workflow.event.timeZone)
        var rows: [[String]] = [["when (\(workflow.event.timeZone.identifier))", "step", "occurrence", "tracks", "delegations"]]
        for e in entries {
            rows.append([local.string(from: e.dueAt), "\(e.step) (\(e.uses))", e.occurrence, e.tracks.joined(separator: ","), String(e.delegations)])
        }
        let widths = (0..<5).map { c in rows.map { $0[c].count }.max() ?? 0 }
        var lines = rows.map { row in row.enumerated().map { i, cell in i == 4 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ") }
        for step in workflow.steps {
            if case .onReply = step.schedule {
                lines.append("on each reply: \(step.id) (\(step.plugin)) on \(step.tracks.joined(separator: ","))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
