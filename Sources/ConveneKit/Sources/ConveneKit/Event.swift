public import Foundation

/// The event a workflow runs for, as steps see it.
public struct EventInfo: Sendable, Hashable {
    /// The workflow's id, part of every idempotency key.
    public var id: String
    /// The event's reference (`CL-24/2`).
    public var reference: String
    /// Name per language code.
    public var names: [String: String]
    /// Where it takes place.
    public var venue: String
    /// The event's time zone; local dates and times are in it.
    public var timeZone: TimeZone
    /// Languages letters may be written in, the fallback among them.
    public var languages: [String]
    /// The language used when a delegation's own is not offered.
    public var fallbackLanguage: String
    /// Whom invitees write to.
    public var contact: Mailbox
    /// Who signs the letters, in order.
    public var signatories: [Signatory]
    /// Named dates (`deadlines.reply`), resolved to instants.
    public var dates: [String: Date]

    /// Creates an event.
    public init(
        id: String, reference: String, names: [String: String], venue: String, timeZone: TimeZone,
        languages: [String], fallbackLanguage: String, contact: Mailbox, signatories: [Signatory],
        dates: [String: Date]
    ) {
        self.id = id
        self.reference = reference
        self.names = names
        self.venue = venue
        self.timeZone = timeZone
        self.languages = languages
        self.fallbackLanguage = fallbackLanguage
        self.contact = contact
        self.signatories = signatories
        self.dates = dates
    }

    /// The name in a language, else in the fallback language.
    public func name(in language: String) -> String {
        names[language] ?? names[fallbackLanguage] ?? names.values.sorted().first ?? id
    }

    /// The language to write to a delegation in: its own if the event offers it, else the fallback.
    public func letterLanguage(for delegation: Delegation) -> String {
        languages.contains(delegation.language) ? delegation.language : fallbackLanguage
    }
}

/// Someone who signs the event's letters.
public struct Signatory: Sendable, Hashable {
    /// Full name.
    public var name: String
    /// Title per language code.
    public var titles: [String: String]

    /// Creates a signatory.
    public init(name: String, titles: [String: String]) {
        self.name = name
        self.titles = titles
    }
}

/// A part of the event: a round table, a summit, public sessions.
public struct TrackInfo: Sendable, Hashable {
    /// Whether one must be invited to reply.
    public enum Access: String, Sendable, Hashable, Codable, CaseIterable {
        /// Only invited delegations may take part.
        case invitation
        /// Anyone may register.
        case `public`
    }

    /// The track's id in the workflow.
    public var id: String
    /// Name per language code.
    public var names: [String: String]
    /// First instant of the track.
    public var start: Date
    /// End of the track.
    public var end: Date
    /// Invitation-only or public.
    public var access: Access
    /// Seats, if limited.
    public var capacity: Int?
    /// How many persons a delegation may bring besides the one who attends; `nil` when the
    /// track takes none.
    public var accompanying: Int? = nil
    /// The sittings of the track, in order, within its start and end (a morning and an afternoon
    /// session a day, say); empty when the track sits from its start to its end without a break.
    public var sessions: [DateInterval] = []

    /// The sittings of the track: its ``sessions``, or one from its start to its end.
    public var sittings: [DateInterval] {
        sessions.isEmpty ? [DateInterval(start: start, end: max(start, end))] : sessions
    }

    /// Creates a track.
    public init(id: String, names: [String: String], start: Date, end: Date, access: Access, capacity: Int?) {
        self.id = id
        self.names = names
        self.start = start
        self.end = end
        self.access = access
        self.capacity = capacity
    }

    /// The name in a language, else English, else the id.
    public func name(in language: String) -> String {
        names[language] ?? names["en"] ?? names.values.sorted().first ?? id
    }
}
