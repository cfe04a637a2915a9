public import Foundation

/// Where a delegation stands on a track.
public enum ParticipationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Nothing sent yet.
    case notInvited = "not-invited"
    /// The invitation went out.
    case invited
    /// At least one reminder went out.
    case reminded
    /// Will attend.
    case confirmed
    /// Will not attend.
    case declined
    /// Will attend through someone else.
    case substituted
    /// Has a seat in the plan.
    case seated
    /// Waits for a seat.
    case waitListed = "wait-listed"
}

/// The answer a reply gives.
public enum ReplyAnswer: String, Sendable, Hashable, Codable, CaseIterable {
    /// Will attend.
    case confirm
    /// Will not attend.
    case decline
    /// Sends someone else.
    case substitute
}

/// A delegation's reply on one track, with where it came from.
public struct Reply: Sendable, Hashable, Codable {
    /// Ledger sequence number; later replies have larger ones.
    public var sequence: Int64
    /// The track it answers for.
    public var track: String
    /// The answer.
    public var answer: ReplyAnswer
    /// Whether speaking time is requested.
    public var speakingRequested: Bool
    /// When the reply was received.
    public var receivedAt: Date
    /// Where it came from: `web`, `csv-import`, `staff`.
    public var source: String
    /// The person who attends in the principal's place, for `substitute`.
    public var substitute: Principal?
    /// How many persons accompany the one who attends, where the track allows it (see
    /// ``TrackInfo/accompanying``); 0 by default.
    public var accompanying: Int = 0
    /// When speaking time was asked for, for a reply that asks for it: the time of the request
    /// that this reply keeps. A later reply that still asks for speaking time keeps the first
    /// request's time, so that changing, say, the number of accompanying persons does not cost
    /// a delegation its place on the speakers' list. `nil` when no speaking time is requested.
    public var speakingRequestedAt: Date? = nil

    /// Creates a reply.
    public init(
        sequence: Int64, track: String, answer: ReplyAnswer, speakingRequested: Bool = false,
        receivedAt: Date, source: String, substitute: Principal? = nil
    ) {
        self.sequence = sequence
        self.track = track
        self.answer = answer
        self.speakingRequested = speakingRequested
        self.receivedAt = receivedAt
        self.source = source
        self.substitute = substitute
    }
}

/// A delegation's state on one track, as the ledger holds it.
///
/// The reply and the placement are held out of line, so that the state itself stays small: a
/// step that takes every invitee at once (a seating plan) gets tens of thousands of them.
public struct TrackState: Sendable, Hashable {
    /// Where it stands.
    public var status: ParticipationStatus
    /// The latest reply, if any.
    public var reply: Reply? {
        get { storedReply?.value }
        set { storedReply = newValue.map(Stored.init) }
    }
    /// How many reminders went out on this track.
    public var remindersSent: Int
    /// The delegation's seat and speaking turn, once a seating step has placed it.
    public var placement: Placement? {
        get { storedPlacement?.value }
        set { storedPlacement = newValue.map(Stored.init) }
    }

    private var storedReply: Stored<Reply>?
    private var storedPlacement: Stored<Placement>?

    /// Creates a state.
    public init(status: ParticipationStatus = .notInvited, reply: Reply? = nil, remindersSent: Int = 0) {
        self.status = status
        self.remindersSent = remindersSent
        self.reply = reply
    }

    /// Creates a state with a placement.
    public init(status: ParticipationStatus, reply: Reply?, remindersSent: Int, placement: Placement?) {
        self.status = status
        self.remindersSent = remindersSent
        self.reply = reply
        self.placement = placement
    }

    public static func == (a: TrackState, b: TrackState) -> Bool {
        a.status == b.status && a.remindersSent == b.remindersSent && a.reply == b.reply && a.placement == b.placement
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(remindersSent)
        hasher.combine(reply)
        hasher.combine(placement)
    }

    /// Whether any reply was received.
    public var hasReplied: Bool { reply != nil }
}

/// An immutable value held by reference, shared by the copies of the value that holds it.
private final class Stored<Value: Sendable>: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
