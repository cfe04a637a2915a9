public import Foundation

/// Where a delegation sits and when it speaks on a track, once a seating step has placed it.
///
/// A seating step records it with ``Effect/place(delegation:track:placement:)``; the ledger keeps
/// it with the delegation's state on the track (``TrackState/placement``), so that later steps (a
/// reminder a week before the track) can tell each delegation its seat and its turn.
public struct Placement: Sendable, Hashable, Codable {
    /// The seat's number in the plan, from 1; `nil` for a delegation that waits for a seat.
    public var seat: Int?
    /// The place on the wait-list, from 1; `nil` for a seated delegation.
    public var waitList: Int?
    /// The turn on the track's speakers' list, for a delegation that asked for speaking time.
    public var turn: SpeakingTurn?

    /// Creates a placement.
    public init(seat: Int? = nil, waitList: Int? = nil, turn: SpeakingTurn? = nil) {
        self.seat = seat
        self.waitList = waitList
        self.turn = turn
    }
}

/// A delegation's turn on a speakers' list.
public struct SpeakingTurn: Sendable, Hashable, Codable {
    /// The place on the list, from 1, counting those the track's time does not reach.
    public var number: Int
    /// When the turn starts; `nil` when the track's time does not reach it.
    public var start: Date?
    /// When the turn ends; `nil` when the track's time does not reach it.
    public var end: Date?

    /// Creates a turn.
    public init(number: Int, start: Date? = nil, end: Date? = nil) {
        self.number = number
        self.start = start
        self.end = end
    }

    /// Whether the track's time reaches the turn.
    public var isReached: Bool { start != nil }
}
