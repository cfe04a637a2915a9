import ConveneKit
import Foundation

/// A small event with two tracks, and replies to feed the confirm step.
enum Fixture {
    static let zurich = TimeZone(identifier: "Europe/Zurich")!

    /// A local time in Geneva.
    static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zurich
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour))!
    }

    static let event = EventInfo(
        id: "wsis20-2024", reference: "CL-24/2",
        names: ["en": "WSIS+20 High-Level Event", "fr": "Événement de haut niveau du SMSI+20"],
        venue: "CICG, Geneva", timeZone: zurich, languages: ["ar", "en", "es", "fr", "ru", "zh"],
        fallbackLanguage: "fr", contact: Mailbox(name: "WSIS Secretariat", email: "wsis-info@itu.int"),
        signatories: [], dates: ["deadlines.reply": date(2024, 2, 29, 23)])

    static let dialogues = TrackInfo(
        id: "dialogues", names: ["en": "High-Level Dialogues", "fr": "Dialogues de haut niveau"],
        start: date(2024, 5, 27, 9), end: date(2024, 5, 28, 18), access: .invitation, capacity: nil)
    static let roundTable = TrackInfo(
        id: "round-table", names: ["en": "Ministerial Round Table", "fr": "Table ronde ministérielle"],
        start: date(2024, 5, 28, 9), end: date(2024, 5, 28, 13), access: .invitation, capacity: nil)

    static func delegation(_ id: String, language: String = "fr", gender: Gender = .male) -> Delegation {
        Delegation(
            id: id, names: ["en": id], language: language,
            principal: Principal(name: "Principal of \(id)", title: "Minister", gender: gender, rank: "minister"),
            addresses: Address.Role.allCases.map { role in
                Address(role: role, mailbox: Mailbox(email: "\(role.rawValue)@\(id.lowercased()).example"))
            })
    }

    static func reply(
        _ sequence: Int64, _ answer: ReplyAnswer, track: String = "round-table", speaking: Bool = false,
        substitute: Principal? = nil
    ) -> Reply {
        Reply(
            sequence: sequence, track: track, answer: answer, speakingRequested: speaking,
            receivedAt: date(2024, 2, 12, 10), source: "web", substitute: substitute)
    }

    /// An invitee whose `trigger` is `reply`, with `status` on the reply's track and the reply
    /// recorded as its latest unless `latest` says otherwise.
    static func invitee(
        _ delegation: Delegation, _ reply: Reply, status: ParticipationStatus = .invited, latest: Reply? = nil
    ) -> Invitee {
        Invitee(
            delegation: delegation, states: [reply.track: TrackState(status: status, reply: latest ?? reply)],
            trigger: reply)
    }

    static func batch(_ invitees: [Invitee]) -> StepBatch {
        StepBatch(
            event: event, tracks: [dialogues, roundTable],
            occurrence: Occurrence(id: "reply", dueAt: date(2024, 2, 12, 10)), now: date(2024, 2, 12, 10),
            invitees: invitees)
    }

    static func messages(_ effects: [Effect]) -> [OutgoingMessage] {
        effects.compactMap { if case .send(let message) = $0 { message } else { nil } }
    }

    /// The status changes among effects, as "delegation/track=status".
    static func statuses(_ effects: [Effect]) -> [String] {
        effects.compactMap {
            if case .setStatus(let delegation, let track, let status) = $0 {
                "\(delegation)/\(track)=\(status.rawValue)"
            } else {
                nil
            }
        }
    }
}
