import ConveneKit
import Foundation

/// A small event with two tracks and a reply deadline, for building reminder batches by hand.
enum Fixture {
    static let zurich = TimeZone(identifier: "Europe/Zurich")!

    /// A local time in Geneva.
    static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zurich
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    static let deadline = date(2024, 2, 29, 23, 59)

    static let event = EventInfo(
        id: "wsis20-2024", reference: "CL-24/2",
        names: ["en": "WSIS+20 High-Level Event", "fr": "Événement de haut niveau du SMSI+20"],
        venue: "CICG, Geneva", timeZone: zurich, languages: ["ar", "en", "es", "fr", "ru", "zh"],
        fallbackLanguage: "fr", contact: Mailbox(name: "WSIS Secretariat", email: "wsis-info@itu.int"),
        signatories: [], dates: ["deadlines.reply": deadline])

    static let dialogues = TrackInfo(
        id: "dialogues", names: ["en": "High-Level Dialogues", "fr": "Dialogues de haut niveau"],
        start: date(2024, 5, 27, 9), end: date(2024, 5, 28, 18), access: .invitation, capacity: nil)
    static let roundTable = TrackInfo(
        id: "round-table", names: ["en": "Ministerial Round Table", "fr": "Table ronde ministérielle"],
        start: date(2024, 5, 28, 9), end: date(2024, 5, 28, 13), access: .invitation, capacity: nil)

    static func delegation(_ id: String, language: String = "fr") -> Delegation {
        Delegation(
            id: id, names: ["en": id], language: language,
            principal: Principal(name: "Principal of \(id)", title: "Minister", gender: .female, rank: "minister"),
            addresses: Address.Role.allCases.map { role in
                Address(role: role, mailbox: Mailbox(email: "\(role.rawValue)@\(id.lowercased()).example"))
            })
    }

    static func reply(_ track: String) -> Reply {
        Reply(sequence: 1, track: track, answer: .confirm, receivedAt: date(2024, 2, 10), source: "web")
    }

    /// An invitee with a state per track.
    static func invitee(_ delegation: Delegation, _ states: [String: TrackState]) -> Invitee {
        Invitee(delegation: delegation, states: states)
    }

    /// A batch fired at `now`, as firing `index` of `count`.
    static func batch(_ invitees: [Invitee], now: Date = date(2024, 2, 15, 9), index: Int = 0, count: Int = 2)
        -> StepBatch
    {
        StepBatch(
            event: event, tracks: [dialogues, roundTable],
            occurrence: Occurrence(id: "before-\(index)", dueAt: now, index: index, count: count), now: now,
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
