public import ConveneKit
public import Foundation


extension EventInfo {
    /// An event for a step's tests: offered in English and French, English the fallback, in UTC.
    /// - Parameters:
    ///   - id: the workflow's id.
    ///   - names: the event's name per language.
    ///   - languages: the languages letters may be written in.
    ///   - fallbackLanguage: the language of delegations whose own is not offered.
    ///   - timeZone: the event's time zone.
    ///   - dates: named dates (`deadlines.reply`).
    /// - Returns: an event with a contact address and one signatory.
    public static func sample(
        id: String = "sample-event", names: [String: String] = ["en": "Sample event", "fr": "Événement d'essai"],
        languages: [String] = ["en", "fr"], fallbackLanguage: String = "en",
        timeZone: TimeZone = TimeZone(identifier: "UTC")!, dates: [String: Date] = [:]
    ) -> EventInfo {
        EventInfo(
            id: id, reference: "REF-1", names: names, venue: "Geneva", timeZone: timeZone, languages: languages,
            fallbackLanguage: fallbackLanguage, contact: Mailbox(email: "contact@example.org"),
            signatories: [Signatory(name: "Sample Signatory", titles: ["en": "Secretary-General"])], dates: dates)
    }
}

extension TrackInfo {
    /// A track for a step's tests, by invitation, from 1 June 2024 09:00 UTC.
    /// - Parameters:
    ///   - id: the track's id in the workflow.
    ///   - names: its name per language; by default the id.
    ///   - start: its first instant.
    ///   - hours: how long it lasts.
    ///   - access: invitation-only or public.
    ///   - capacity: its seats, if limited.
    /// - Returns: a track without sessions and without accompanying persons.
    public static func sample(
        _ id: String, names: [String: String]? = nil, start: Date = StepBatch.sampleDate, hours: Double = 8,
        access: Access = .invitation, capacity: Int? = nil
    ) -> TrackInfo {
        TrackInfo(
            id: id, names: names ?? ["en": id], start: start, end: start.addingTimeInterval(hours * 3600),
            access: access, capacity: capacity)
    }
}

extension Delegation {
    /// A delegation for a step's tests, led by a minister, with a principal's address at
    /// `principal@ID.example` (lowercased).
    /// - Parameters:
    ///   - id: its stable key.
    ///   - names: its name per language; by default the id in English.
    ///   - language: its working language.
    ///   - principal: who leads it; by default a minister named after the id.
    ///   - fields: the roster's other columns.
    /// - Returns: a delegation with one address.
    public static func sample(
        _ id: String, names: [String: String]? = nil, language: String = "en", principal: Principal? = nil,
        fields: [String: String] = [:]
    ) -> Delegation {
        let principal = principal ?? Principal(name: "Minister of \(id)", title: "Minister", gender: .unspecified, rank: "minister")
        return Delegation(
            id: id, names: names ?? ["en": id], language: language, principal: principal,
            addresses: [Address(role: .principal, mailbox: Mailbox(name: principal.name, email: "principal@\(id.lowercased()).example"))],
            fields: fields)
    }
}

extension Invitee {
    /// An invitee with one status on each of some tracks.
    /// - Parameters:
    ///   - delegation: who.
    ///   - status: its status on every track named.
    ///   - tracks: the tracks of the batch it is in.
    ///   - reply: its latest reply on every track named, for statuses that follow one.
    /// - Returns: an invitee without a trigger or a reply link.
    public static func sample(
        _ delegation: Delegation, _ status: ParticipationStatus = .invited, on tracks: [String], reply: Reply? = nil
    ) -> Invitee {
        Invitee(
            delegation: delegation,
            states: Dictionary(uniqueKeysWithValues: tracks.map { track in
                var reply = reply
                reply?.track = track
                return (track, TrackState(status: status, reply: reply))
            }))
    }
}

extension StepBatch {
    /// 1 June 2024 09:00 UTC: the clock of sample batches and the start of sample tracks.
    public static let sampleDate = Date(timeIntervalSince1970: 1_717_232_400)

    /// A batch for a step's tests: one firing (`at`) of the step at `now`.
    /// - Parameters:
    ///   - invitees: the invitees whose workflow condition holds.
    ///   - tracks: the tracks the step is applied to.
    ///   - event: the event.
    ///   - now: the clock's time, also when the firing was due.
    ///   - occurrence: the firing; by default `at`, due at `now`.
    /// - Returns: a batch to pass to ``Step/run(_:)``.
    public static func sample(
        _ invitees: [Invitee], tracks: [TrackInfo], event: EventInfo = .sample(), now: Date = StepBatch.sampleDate,
        occurrence: Occurrence? = nil
    ) -> StepBatch {
        StepBatch(
            event: event, tracks: tracks, occurrence: occurrence ?? Occurrence(id: "at", dueAt: now), now: now,
            invitees: invitees)
    }
}
