@testable import ConveneCore
import ConveneKit
import ConveneYAML
import Foundation
import Testing

@Suite("planner")
struct PlannerTests {
    func workflow(schedule: Schedule, deadline: String = "2024-04-02T23:59") throws -> Workflow {
        let zone = try #require(TimeZone(identifier: "Europe/Zurich"))
        let local = LocalTime(timeZone: zone)
        let event = EventInfo(
            id: "w", reference: "", names: ["en": "E"], venue: "", timeZone: zone, languages: ["en"], fallbackLanguage: "en",
            contact: Mailbox(email: "c@example.org"), signatories: [], dates: ["deadlines.reply": try #require(local.date(from: deadline))])
        let step = WorkflowStep(
            id: "remind", plugin: PluginReference(id: "remind", major: 1), tracks: ["t"], schedule: schedule, condition: nil,
            configuration: .object([:]), location: ConveneYAML.SourceLocation(file: "w.yaml", line: 1, column: 1))
        return Workflow(
            id: "w", file: URL(fileURLWithPath: "/tmp/w.yaml"), event: event, sender: Mailbox(email: "s@example.org"),
            rosterFile: URL(fileURLWithPath: "/tmp/r.csv"), delegations: [], rosterDigest: "", rosterColumns: [],
            tracks: [TrackInfo(id: "t", names: [:], start: .distantPast, end: .distantPast, access: .invitation, capacity: nil)],
            steps: [step])
    }

    @Test("offsets before a date keep its wall-clock time across the change to summer time")
    func offsetsAcrossDST() throws {
        let offsets = [Schedule.SignedOffset(sign: -1, offset: CalendarOffset(14, .days)), .init(sign: -1, offset: CalendarOffset(3, .days))]
        let w = try workflow(schedule: .relative(anchor: "deadlines.reply", offsets: offsets))
        let local = LocalTime(timeZone: w.event.timeZone)
        let planned = Planner(workflow: w).occurrences(of: w.steps[0])
        #expect(planned.map { local.string(from: $0.occurrence.dueAt) } == ["2024-03-19 23:59", "2024-03-30 23:59"])
        #expect(planned.map(\.occurrence.id) == ["before-14d", "before-3d"])
        #expect(planned.map(\.occurrence.isLast) == [false, true])
        #expect(planned[0].runKey == "w·remind·t·before-14d")
    }

    @Test("a firing is superseded once the next firing of the same schedule is due")
    func supersession() throws {
        let offsets = [Schedule.SignedOffset(sign: -1, offset: CalendarOffset(14, .days)), .init(sign: -1, offset: CalendarOffset(3, .days))]
        let w = try workflow(schedule: .relative(anchor: "deadlines.reply", offsets: offsets))
        let local = LocalTime(timeZone: w.event.timeZone)
        let planner = Planner(workflow: w)
        func live(_ s: String) -> [String] { planner.live(w.steps[0], at: local.date(from: s)!).map(\.occurrence.id) }
        #expect(live("2024-03-19 23:58") == [])
        #expect(live("2024-03-19 23:59") == ["before-14d"])
        #expect(live("2024-03-29 12:00") == ["before-14d"])
        #expect(live("2024-03-31 09:00") == ["before-3d"])
    }

    @Test("local times are read in the event's zone and impossible dates are refused")
    func localTimes() throws {
        let local = LocalTime(timeZone: try #require(TimeZone(identifier: "Europe/Zurich")))
        #expect(local.date(from: "2024-02-29T23:59")?.timeIntervalSince1970 == 1_709_247_540)
        #expect(local.date(from: "2024-02-29 23:59:30") != nil)
        #expect(local.date(from: "2024-02-02")?.timeIntervalSince1970 == 1_706_828_400)
        for bad in ["2023-02-29", "2024-13-01", "2024-02-02T24:00", "2024-2-2", "tomorrow", "2024-02-02T10"] {
            #expect(local.date(from: bad) == nil, "\(bad)")
        }
    }
}
