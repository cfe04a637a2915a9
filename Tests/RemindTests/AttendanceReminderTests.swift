import ConveneKit
import ConveneTestSupport
import Foundation
import Testing

@testable import Remind

@Suite("reminders before a track (purpose: attendance)")
struct AttendanceReminderTests {
    func step(_ configuration: [String: ConfigValue] = [:]) throws -> RemindStep {
        try RemindStep(configuration: .object(["purpose": .string("attendance")].merging(configuration, uniquingKeysWith: { $1 })))
    }

    /// Seated on the round table with a speaking turn, confirmed on the dialogues without a seat.
    static func seatedSpeaker(_ id: String, language: String) -> Invitee {
        let turn = SpeakingTurn(number: 4, start: Fixture.date(2024, 5, 28, 9, 9), end: Fixture.date(2024, 5, 28, 9, 12))
        return Fixture.invitee(
            Fixture.delegation(id, language: language),
            [
                "dialogues": TrackState(status: .confirmed, reply: Fixture.reply("dialogues")),
                "round-table": TrackState(
                    status: .seated, reply: Fixture.reply("round-table"), remindersSent: 0,
                    placement: Placement(seat: 12, turn: turn)),
            ])
    }

    let aWeekBefore = Fixture.date(2024, 5, 20, 9)

    @Test("those who attend are reminded of each track with their seat and speaking turn, in their language")
    func remindsWithPlacements() throws {
        let languages = ["ar", "en", "es", "fr", "ru", "zh"]
        let invitees = languages.map { Self.seatedSpeaker("D\($0.uppercased())", language: $0) }
        let effects = try step().run(Fixture.batch(invitees, now: aWeekBefore, index: 0, count: 1))
        // No status changes: an attendance reminder asks nothing.
        #expect(Fixture.statuses(effects).isEmpty)
        let messages = Fixture.messages(effects)
        #expect(messages.count == 6)
        for (language, message) in zip(languages, messages) {
            #expect(message.language == language)
            try expectSnapshot("Subject: \(message.subject)\n\n\(message.text)", named: "attendance-\(language).txt", in: .module)
        }
        let english = messages[1].text
        #expect(english.contains("High-Level Dialogues, 27\u{2009}–\u{2009}28 May 2024, 09:00–18:00\n\nMinisterial Round Table, 28 May 2024, 09:00–13:00\n- Seat: 12\n- Speaking time: 09:09–09:12, 28 May 2024 (number 4 on the speakers' list)"))
        #expect(!messages[1].subject.hasPrefix("["))
    }

    @Test("only delegations that attend, only tracks not yet begun; the wait-listed, the declined and those who did not reply are left out")
    func onlyThoseWhoAttend() throws {
        let waiting = Fixture.invitee(
            Fixture.delegation("WAIT", language: "en"),
            ["round-table": TrackState(status: .waitListed, reply: Fixture.reply("round-table"), remindersSent: 0, placement: Placement(waitList: 2))])
        let declined = Fixture.invitee(
            Fixture.delegation("NO", language: "en"), ["round-table": TrackState(status: .declined, reply: Fixture.reply("round-table"))])
        let silent = Fixture.invitee(Fixture.delegation("SILENT", language: "en"), ["round-table": TrackState(status: .reminded, remindersSent: 2)])
        let substituted = Fixture.invitee(
            Fixture.delegation("SUB", language: "en"), ["dialogues": TrackState(status: .substituted, reply: Fixture.reply("dialogues"))])
        let batch = Fixture.batch([waiting, declined, silent, substituted, Self.seatedSpeaker("SEAT", language: "en")], now: aWeekBefore, index: 0, count: 1)
        #expect(Fixture.messages(try step().run(batch)).map(\.delegation) == ["SUB", "SEAT"])

        // Once the dialogues have begun, only the round table is left to remind of.
        let later = Fixture.batch([Self.seatedSpeaker("SEAT", language: "en")], now: Fixture.date(2024, 5, 27, 12), index: 0, count: 1)
        let text = try #require(Fixture.messages(try step().run(later)).first).text
        #expect(!text.contains("High-Level Dialogues") && text.contains("Ministerial Round Table"))
        // Once every track has begun, nothing.
        #expect(try step().run(Fixture.batch([Self.seatedSpeaker("SEAT", language: "en")], now: Fixture.date(2024, 5, 28, 9), index: 0, count: 1)).isEmpty)
    }

    @Test("purpose is checked: reply and attendance only")
    func purposeSchema() throws {
        guard case .object(let fields) = RemindStep.manifest.configuration,
            let field = fields.first(where: { $0.name == "purpose" })
        else {
            Issue.record("no purpose field")
            return
        }
        #expect(field.defaultValue == .string("reply"))
        // A reply reminder is unchanged by the new purpose.
        let reply = try RemindStep(configuration: .object([:]))
        #expect(reply.attendance == nil)
    }
}
