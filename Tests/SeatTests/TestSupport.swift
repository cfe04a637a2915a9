import ConveneKit
import Foundation

/// Delegations named in French and English, and batches of them on tracks.
enum Fixture {
    static let zurich = TimeZone(identifier: "Europe/Zurich")!

    static func date(_ day: Int, _ hour: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zurich
        return calendar.date(from: DateComponents(year: 2024, month: 2, day: day, hour: hour))!
    }

    static let event = EventInfo(
        id: "wsis20-2024", reference: "CL-24/2",
        names: ["en": "WSIS+20 High-Level Event", "fr": "Événement de haut niveau du SMSI+20"],
        venue: "CICG, Geneva", timeZone: zurich, languages: ["fr", "en", "es", "ar", "ru", "zh"], fallbackLanguage: "fr",
        contact: Mailbox(email: "wsis-info@itu.int"), signatories: [], dates: [:])

    static func track(_ id: String, capacity: Int? = nil) -> TrackInfo {
        TrackInfo(
            id: id, names: ["en": "Round table \(id)", "fr": "Table ronde \(id)"], start: date(28, 9),
            end: date(28, 13), access: .invitation, capacity: capacity)
    }

    /// A delegation named `fr` in French and `en` (or the French name) in English.
    static func delegation(_ id: String, fr: String, en: String? = nil) -> Delegation {
        Delegation(
            id: id, names: ["fr": fr, "en": en ?? fr], language: "fr",
            principal: Principal(name: "Principal", title: "Minister", gender: .unspecified), addresses: [])
    }

    /// An invitee confirmed on `tracks`, whose reply came in on 1 February at `repliedAt` hours.
    static func invitee(_ delegation: Delegation, on tracks: [String], repliedAt hour: Int? = nil) -> Invitee {
        Invitee(
            delegation: delegation,
            states: Dictionary(
                uniqueKeysWithValues: tracks.map { track in
                    let reply = hour.map {
                        Reply(
                            sequence: Int64($0), track: track, answer: .confirm, receivedAt: date(1, $0), source: "web")
                    }
                    return (track, TrackState(status: .confirmed, reply: reply))
                }))
    }

    static func batch(_ invitees: [Invitee], tracks: [TrackInfo]) -> StepBatch {
        StepBatch(
            event: event, tracks: tracks, occurrence: Occurrence(id: "at", dueAt: date(20, 9)), now: date(20, 9),
            invitees: invitees)
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

    /// The published artifacts, by name.
    static func artifacts(_ effects: [Effect]) -> [String: String] {
        var artifacts: [String: String] = [:]
        for case .publish(let artifact) in effects { artifacts[artifact.name] = artifact.content }
        return artifacts
    }

    /// What the runtime does with a step that takes every invitee at once: runs it, applies its
    /// statuses and placements to the invitees' states, then runs its follow-up over them in
    /// parts of the manifest's size.
    /// - Returns: the run's effects, then the follow-up's.
    static func runWithFollowUp(_ step: some Step, _ batch: StepBatch) throws -> [Effect] {
        let effects = try step.run(batch)
        var invitees = batch.invitees
        var index: [String: [Int]] = [:]
        for (i, invitee) in invitees.enumerated() { index[invitee.delegation.id, default: []].append(i) }
        for effect in effects {
            switch effect {
            case .setStatus(let delegation, let track, let status):
                for i in index[delegation] ?? [] { invitees[i].states[track]?.status = status }
            case .place(let delegation, let track, let placement):
                for i in index[delegation] ?? [] { invitees[i].states[track]?.placement = placement }
            default:
                break
            }
        }
        var followUp: [Effect] = []
        let size = type(of: step).manifest.followUp ?? invitees.count
        var start = 0
        while start < invitees.count {
            var part = batch
            part.invitees = Array(invitees[start..<min(start + size, invitees.count)])
            followUp += try step.followUp(part)
            start += size
        }
        return effects + followUp
    }
}
