import ConveneKit
import Foundation

/// A small WSIS+20-like event, its tracks and delegations, for building batches by hand.
enum Fixture {
    static let zurich = TimeZone(identifier: "Europe/Zurich")!

    /// A local time in Geneva.
    static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zurich
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    static let event = EventInfo(
        id: "wsis20-2024", reference: "CL-24/2",
        names: ["en": "WSIS+20 High-Level Event", "fr": "Événement de haut niveau du SMSI+20"],
        venue: "CICG, Geneva", timeZone: zurich, languages: ["ar", "en", "es", "fr", "ru", "zh"],
        fallbackLanguage: "fr", contact: Mailbox(name: "WSIS Secretariat", email: "wsis-info@itu.int"),
        signatories: [
            Signatory(
                name: "Doreen Bogdan-Martin",
                titles: ["en": "Secretary-General, ITU", "fr": "Secrétaire générale de l'UIT"]),
            Signatory(
                name: "Albert Rösti",
                titles: ["en": "Federal Councillor, Switzerland", "fr": "Conseiller fédéral, Suisse"]),
        ],
        dates: ["deadlines.reply": date(2024, 2, 29, 23, 59)])

    static let dialogues = TrackInfo(
        id: "dialogues", names: ["en": "High-Level Dialogues", "fr": "Dialogues de haut niveau"],
        start: date(2024, 5, 27, 9), end: date(2024, 5, 28, 18), access: .invitation, capacity: nil)
    static let roundTable = TrackInfo(
        id: "round-table", names: ["en": "Ministerial Round Table", "fr": "Table ronde ministérielle"],
        start: date(2024, 5, 28, 9), end: date(2024, 5, 28, 13), access: .invitation, capacity: nil)
    static let summit = TrackInfo(
        id: "summit", names: ["en": "AI for Good Global Summit", "fr": "Sommet mondial AI for Good"],
        start: date(2024, 5, 30, 9), end: date(2024, 5, 31, 18), access: .public, capacity: nil)

    /// A delegation with a principal, a focal point and a mission.
    static func delegation(
        _ id: String, language: String = "fr", gender: Gender = .female, name: String? = nil,
        addresses roles: [Address.Role] = Address.Role.allCases
    ) -> Delegation {
        let lower = id.lowercased()
        return Delegation(
            id: id, names: ["en": name ?? id, "fr": name ?? id], language: language,
            principal: Principal(name: "Principal of \(id)", title: "Minister", gender: gender, rank: "minister"),
            addresses: roles.map { role in
                Address(role: role, mailbox: Mailbox(email: "\(role.rawValue)@\(lower).example"))
            })
    }

    /// An invitee on the given tracks, each with a status.
    static func invitee(_ delegation: Delegation, _ states: [String: ParticipationStatus]) -> Invitee {
        Invitee(delegation: delegation, states: states.mapValues { TrackState(status: $0) })
    }

    static func batch(_ invitees: [Invitee], tracks: [TrackInfo] = [dialogues, roundTable], event: EventInfo = event)
        -> StepBatch
    {
        StepBatch(
            event: event, tracks: tracks, occurrence: Occurrence(id: "at", dueAt: date(2024, 2, 2)),
            now: date(2024, 2, 2, 9), invitees: invitees)
    }

    /// The messages among effects.
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
