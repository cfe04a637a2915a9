public import Foundation

/// What a step asks the runtime to do. The runtime applies a batch's effects in one transaction.
public enum Effect: Sendable, Hashable {
    /// Queue a message in the outbox.
    case send(OutgoingMessage)
    /// Move a delegation to a status on a track.
    case setStatus(delegation: String, track: String, status: ParticipationStatus)
    /// Store a document: a seating plan, a speakers' list.
    case publish(Artifact)
    /// Record where a delegation sits and when it speaks on a track; replaces an earlier
    /// placement on that track.
    case place(delegation: String, track: String, placement: Placement)
}

/// A message for one delegation.
public struct OutgoingMessage: Sendable, Hashable {
    /// The delegation it is for; part of its idempotency key.
    public var delegation: String
    /// Distinguishes several messages to one delegation in one occurrence; usually empty.
    public var discriminator: String
    /// Primary recipients.
    public var to: [Mailbox]
    /// Copies.
    public var cc: [Mailbox]
    /// Where replies go.
    public var replyTo: Mailbox?
    /// Subject line.
    public var subject: String
    /// Language code of the text, for `Content-Language`.
    public var language: String
    /// Plain-text body.
    public var text: String
    /// HTML alternative, if any.
    public var html: String?
    /// Calendar entries to attach as one iCalendar part.
    public var calendar: [CalendarEntry]

    /// Creates a message.
    public init(
        delegation: String, discriminator: String = "", to: [Mailbox], cc: [Mailbox] = [],
        replyTo: Mailbox? = nil, subject: String, language: String, text: String, html: String? = nil,
        calendar: [CalendarEntry] = []
    ) {
        self.delegation = delegation
        self.discriminator = discriminator
        self.to = to
        self.cc = cc
        self.replyTo = replyTo
        self.subject = subject
        self.language = language
        self.text = text
        self.html = html
        self.calendar = calendar
    }
}

/// An event in an iCalendar part (RFC 5545 `VEVENT`).
public struct CalendarEntry: Sendable, Hashable, Codable {
    /// Stable identifier (`UID`).
    public var uid: String
    /// Title (`SUMMARY`).
    public var summary: String
    /// Start.
    public var start: Date
    /// End.
    public var end: Date
    /// Place (`LOCATION`).
    public var location: String
    /// The time zone the event's local times are in (`TZID`).
    public var timeZone: String

    /// Creates an entry.
    public init(uid: String, summary: String, start: Date, end: Date, location: String, timeZone: String) {
        self.uid = uid
        self.summary = summary
        self.start = start
        self.end = end
        self.location = location
        self.timeZone = timeZone
    }
}

/// A document a step produces for the organisers.
public struct Artifact: Sendable, Hashable {
    /// File name, unique per step and occurrence (`seating-round-table.csv`).
    public var name: String
    /// Media type (`text/csv`, `text/markdown`).
    public var mediaType: String
    /// The document.
    public var content: String

    /// Creates an artifact.
    public init(name: String, mediaType: String, content: String) {
        self.name = name
        self.mediaType = mediaType
        self.content = content
    }
}
