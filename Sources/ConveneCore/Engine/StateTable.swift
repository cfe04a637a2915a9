internal import ConveneKit

/// The state of every (delegation, track) pair during a tick, by roster position and track
/// index: one small cell per pair, and the replies apart.
///
/// A campaign of 100,000 delegations over three tracks holds 300,000 pairs; as nested
/// dictionaries of ``TrackState`` values they took about 70 MB and a hash lookup of two
/// strings per read, where cells take 4 MB and an index.
struct StateTable {
    private struct Cell {
        var status: ParticipationStatus = .notInvited
        var reminders: Int32 = 0
        /// Index into `replies`, or -1.
        var reply: Int32 = -1
        /// Index into `placements`, or -1.
        var placement: Int32 = -1
    }

    /// Track ids, in the order of their indices.
    let trackIDs: [String]
    private let trackIndices: [String: Int]
    private let positions: [String: Int]
    private var cells: [Cell]
    private var replies: [Reply] = []
    private var placements: [Placement] = []

    /// An empty table: every pair not invited, with no reply.
    /// - Parameters:
    ///   - delegations: the roster; a delegation's position is its index.
    ///   - tracks: the workflow's track ids.
    init(delegations: [Delegation], tracks: [String]) {
        trackIDs = tracks
        trackIndices = Dictionary(tracks.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var positions: [String: Int] = [:]
        positions.reserveCapacity(delegations.count)
        for (i, d) in delegations.enumerated() where positions[d.id] == nil { positions[d.id] = i }
        self.positions = positions
        cells = Array(repeating: Cell(), count: delegations.count * tracks.count)
    }

    /// A delegation's position in the roster.
    func position(of delegation: String) -> Int? { positions[delegation] }

    /// A track's index.
    func index(ofTrack track: String) -> Int? { trackIndices[track] }

    /// The state of a pair.
    subscript(position: Int, track: Int) -> TrackState {
        let cell = cells[position * trackIDs.count + track]
        return TrackState(
            status: cell.status, reply: cell.reply >= 0 ? replies[Int(cell.reply)] : nil, remindersSent: Int(cell.reminders),
            placement: cell.placement >= 0 ? placements[Int(cell.placement)] : nil)
    }

    /// The state of a pair by ids; a pair the table does not hold is not invited.
    func state(_ delegation: String, _ track: String) -> TrackState {
        guard let position = positions[delegation], let track = trackIndices[track] else { return TrackState() }
        return self[position, track]
    }

    /// Sets a pair's status and reminder count, as the ledger holds them.
    mutating func set(_ delegation: String, _ track: String, status: ParticipationStatus, reminders: Int) {
        guard let i = cellIndex(delegation, track) else { return }
        cells[i].status = status
        cells[i].reminders = Int32(clamping: reminders)
    }

    /// Makes a reply the pair's latest.
    mutating func setReply(_ delegation: String, _ reply: Reply) {
        guard let i = cellIndex(delegation, reply.track) else { return }
        cells[i].reply = Int32(replies.count)
        replies.append(reply)
    }

    /// Sets a pair's seat and speaking turn, as the ledger holds them or as a step placed them.
    mutating func setPlacement(_ delegation: String, _ track: String, _ placement: Placement) {
        guard let i = cellIndex(delegation, track) else { return }
        cells[i].placement = Int32(placements.count)
        placements.append(placement)
    }

    /// Applies a status change a step made; a change to `reminded` counts a reminder.
    mutating func apply(_ delegation: String, _ track: String, status: ParticipationStatus) {
        guard let i = cellIndex(delegation, track) else { return }
        cells[i].status = status
        if status == .reminded { cells[i].reminders += 1 }
    }

    private func cellIndex(_ delegation: String, _ track: String) -> Int? {
        guard let position = positions[delegation], let track = trackIndices[track] else { return nil }
        return position * trackIDs.count + track
    }
}
