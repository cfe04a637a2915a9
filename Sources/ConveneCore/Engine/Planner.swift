public import ConveneKit
public import Foundation

/// One firing of a step's schedule, placed in time.
public struct PlannedOccurrence: Sendable {
    /// The step.
    public var step: WorkflowStep
    /// The firing.
    public var occurrence: Occurrence
    /// `workflow·step·tracks·occurrence`: the idempotency key of everything this firing does, but
    /// for the delegation.
    public var runKey: String
}

/// Places every step's firings in time.
public struct Planner: Sendable {
    /// The workflow planned.
    public var workflow: Workflow

    /// Creates a planner.
    public init(workflow: Workflow) { self.workflow = workflow }

    /// The run key of a step occurrence.
    public func runKey(_ step: WorkflowStep, occurrence: String) -> String {
        "\(workflow.id)·\(step.keyPrefix)·\(occurrence)"
    }

    /// The firings of a step with a time-based schedule, earliest first; none for `on: reply`.
    public func occurrences(of step: WorkflowStep) -> [PlannedOccurrence] {
        let local = LocalTime(timeZone: workflow.event.timeZone)
        switch step.schedule {
        case .at(let date):
            return [PlannedOccurrence(step: step, occurrence: Occurrence(id: "at", dueAt: date), runKey: runKey(step, occurrence: "at"))]
        case .relative(let anchor, let offsets):
            guard let base = workflow.event.dates[anchor] else { return [] }
            return offsets.enumerated().map { i, o in
                let due = o.offset.apply(to: base, sign: o.sign, in: local.calendar)
                return PlannedOccurrence(
                    step: step, occurrence: Occurrence(id: o.id, dueAt: due, index: i, count: offsets.count),
                    runKey: runKey(step, occurrence: o.id))
            }
        case .onReply:
            return []
        }
    }

    /// Every time-based firing of every step, in time order (workflow order for ties).
    public func timeline() -> [PlannedOccurrence] {
        let all = workflow.steps.flatMap { occurrences(of: $0) }
        return all.enumerated().sorted { ($0.element.occurrence.dueAt, $0.offset) < ($1.element.occurrence.dueAt, $1.offset) }.map(\.element)
    }

    /// The firings of a step that are live at `now`: due, and not superseded by a later firing of
    /// the same schedule that is also due (the 14-day reminder is not sent once the 3-day one is due).
    public func live(_ step: WorkflowStep, at now: Date) -> [PlannedOccurrence] {
        let due = occurrences(of: step).filter { $0.occurrence.dueAt <= now }
        return due.last.map { [$0] } ?? []
    }
}
