public import ConveneKit
public import Foundation

/// The durable state of a campaign, in a SQLite file: delegations, per (delegation, track)
/// status, replies with provenance, messages with idempotency keys and delivery state,
/// artifacts, the progress of every step occurrence, and an audit trail.
///
/// Every side effect of a step is applied through ``apply(_:)`` in one transaction, so that a
/// crash at any point leaves either all of a batch or none of it.
public final class Ledger: Sendable {
    /// Where the ledger is.
    public let location: LedgerLocation
    let database: LedgerDatabase

    /// The SQLite file, for a ledger in one; for a PostgreSQL ledger, a URL of its location
    /// that names no file.
    public var url: URL {
        location.fileURL ?? URL(string: PostgresConnection.redacted(location.description)) ?? URL(fileURLWithPath: "/")
    }

    /// Opens (creating if needed) a SQLite ledger and brings its schema up to date.
    /// - Parameter url: the SQLite file; its folder is created if missing.
    /// - Throws: when the file cannot be opened or migrated.
    public convenience init(url: URL) throws {
        try self.init(.sqlite(url))
    }

    /// Opens (creating its tables if needed) a ledger in a SQLite file or a PostgreSQL database
    /// and brings its schema up to date.
    /// - Throws: ``LedgerError`` when it cannot be reached, opened or migrated.
    public init(_ location: LedgerLocation) throws(LedgerError) {
        self.location = location
        do {
            database = try LedgerDatabase(location)
            try LedgerSchema.migrate(database)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError("cannot open the ledger \(location): \(error)")
        }
    }

    // MARK: workflow and roster

    /// Binds the ledger to a workflow id on first use; refuses another workflow's ledger.
    public func bind(workflowID: String) throws(LedgerError) {
        try wrap {
            try database.write { db in
                if let bound = try db.first("SELECT value FROM meta WHERE key = 'workflow'", read: { $0.text(0) }) {
                    guard bound == workflowID else {
                        throw LedgerError("\(self.location) is the ledger of workflow '\(bound)', not '\(workflowID)'")
                    }
                } else {
                    try db.execute("INSERT INTO meta (key, value) VALUES ('workflow', ?)", .text(workflowID))
                }
            }
        }
    }

    /// Stores the roster: new delegations are added, changed ones updated (and audited); the
    /// roster's order is kept.
    /// - Parameters:
    ///   - delegations: the roster.
    ///   - digest: a digest of the roster file; when the ledger last synced a file with the same
    ///     digest, nothing is compared (every tick would otherwise re-read every row).
    ///   - now: the clock's time, for the audit trail.
    /// - Returns: how many delegations were added and how many changed.
    @discardableResult
    public func syncRoster(_ delegations: [Delegation], digest: String? = nil, at now: Date) throws(LedgerError) -> (added: Int, changed: Int) {
        try wrap {
            try database.write { db in
                if let digest, !digest.isEmpty,
                    try db.first("SELECT value FROM meta WHERE key = 'roster-digest'", read: { $0.text(0) }) == digest
                {
                    return (0, 0)
                }

                var known: [String: (Int, String)] = [:]
                try db.forEachRow("SELECT id, position, record FROM delegation") { row in known[row.text(0)] = (Int(row.integer(1)), row.text(2)) }
                var insert = MultiRowInsert(
                    db, "INSERT INTO delegation (id, position, record, updated_at) VALUES", row: "(?, ?, ?, ?)", columns: 4,
                    tail: "ON CONFLICT (id) DO UPDATE SET position = excluded.position, record = excluded.record, updated_at = excluded.updated_at")
                let audit = try BoundStatement(db, "INSERT INTO audit (at, actor, action, delegation_id, detail) VALUES (?, 'roster', ?, ?, '')")
                var added = 0, changed = 0
                for (position, delegation) in delegations.enumerated() {
                    let record = Self.encode(delegation)
                    if let (oldPosition, oldRecord) = known[delegation.id] {
                        if oldRecord == record, oldPosition == position { continue }
                        if oldRecord != record {
                            changed += 1
                            try audit.run(.real(now.timeIntervalSince1970), .text("roster-changed"), .text(delegation.id))
                        }
                    } else {
                        added += 1
                    }
                    try insert.add(.text(delegation.id), .integer(Int64(position)), .text(record), .real(now.timeIntervalSince1970))
                }
                try insert.flush()
                if added > 0 {
                    try db.execute(
                        "INSERT INTO audit (at, actor, action, detail) VALUES (?, 'roster', 'roster-loaded', ?)",
                        .real(now.timeIntervalSince1970), .text("\(added) added, \(changed) changed"))
                }
                if let digest {
                    try db.execute(
                        "INSERT INTO meta (key, value) VALUES ('roster-digest', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", .text(digest))
                }
                return (added, changed)
            }
        }
    }

    /// A delegation's ledger record: its roster fields as a JSON object with sorted keys, so
    /// that equal rows compare equal. Written by hand: it runs for every delegation on every
    /// tick, and Foundation's JSONSerialization costs ~40 µs a row.
    static func encode(_ delegation: Delegation) -> String {
        // Roster columns, then the modelled ones, then the names: for a column in more than
        // one (a test's hand-made delegation may have that), the later wins.
        var pairs: [(key: String, rank: Int, value: String)] = []
        pairs.reserveCapacity(delegation.fields.count + delegation.names.count + RosterLoader.modelledColumns.count)
        for (key, value) in delegation.fields { pairs.append((key, 0, value)) }
        for name in RosterLoader.modelledColumns {
            if let value = RosterLoader.column(name, of: delegation) { pairs.append((name, 1, value)) }
        }
        for (language, name) in delegation.names { pairs.append(("name_" + language, 2, name)) }
        pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.rank < $1.rank }
        var out: [UInt8] = [0x7B]
        out.reserveCapacity(256)
        for (i, pair) in pairs.enumerated() where i + 1 == pairs.count || pairs[i + 1].key != pair.key {
            if out.count > 1 { out.append(0x2C) }
            appendJSONString(pair.key, to: &out)
            out.append(0x3A)
            appendJSONString(pair.value, to: &out)
        }
        out.append(0x7D)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends a JSON string literal (RFC 8259 escaping).
    static func appendJSONString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in s.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    // MARK: reading state

    /// Every delegation's state on the given tracks, or only one delegation's, with its latest reply.
    /// - Parameters:
    ///   - tracks: the tracks.
    ///   - delegation: only this delegation (a page it opens), read through the indexes.
    /// - Returns: state by delegation id, then by track id; pairs the ledger has not seen are absent.
    public func states(tracks: [String], of delegation: String? = nil) throws(LedgerError) -> [String: [String: TrackState]] {
        try wrap {
            try database.read { db in
                var result: [String: [String: TrackState]] = [:]
                let wanted = Set(tracks)
                let only = delegation.map { [BindableValue.text($0)] } ?? []
                let filter = delegation == nil ? "" : " WHERE delegation_id = ?"
                try BoundStatement(db, "SELECT delegation_id, track_id, status, reminders, \(Self.placementColumns) FROM track_state" + filter).forEachRow(only) { row in
                    let track = row.text(1)
                    guard wanted.contains(track) else { return }
                    let status = ParticipationStatus(rawValue: row.text(2)) ?? .notInvited
                    result[row.text(0), default: [:]][track] = TrackState(
                        status: status, reply: nil, remindersSent: Int(row.integer(3)), placement: Self.placement(row, from: 4))
                }
                try BoundStatement(db, "SELECT \(Self.replyColumns), delegation_id FROM reply" + filter + " ORDER BY seq").forEachRow(only) { row in
                    let reply = try Self.reply(row)
                    guard wanted.contains(reply.track) else { return }
                    result[row.text(9), default: [:]][reply.track, default: TrackState()].reply = reply
                }
                return result
            }
        }
    }

    /// Fills a tick's state table: every pair's status and reminder count, and its latest reply;
    /// or, given roster positions, only those delegations' (a block another runner may have
    /// changed since the tick read the rest).
    func loadStates(into table: inout StateTable, positions: Range<Int>? = nil) throws(LedgerError) {
        try wrap {
            try database.read { db in
                var states = "SELECT delegation_id, track_id, status, reminders, \(Self.placementColumns) FROM track_state"
                var replies = "SELECT \(Self.replyColumns), delegation_id FROM reply"
                var range: [BindableValue] = []
                if let positions {
                    let within = " WHERE delegation_id IN (SELECT id FROM delegation WHERE position >= ? AND position < ?)"
                    states += within
                    replies += within
                    range = [.integer(Int64(positions.lowerBound)), .integer(Int64(positions.upperBound))]
                }
                try BoundStatement(db, states).forEachRow(range) { row in
                    let status = ParticipationStatus(rawValue: row.text(2)) ?? .notInvited
                    table.set(row.text(0), row.text(1), status: status, reminders: Int(row.integer(3)))
                    if let placement = Self.placement(row, from: 4) { table.setPlacement(row.text(0), row.text(1), placement) }
                }
                try BoundStatement(db, replies + " ORDER BY seq").forEachRow(range) { row in
                    table.setReply(row.text(9), try Self.reply(row))
                }
            }
        }
    }

    /// The columns ``placement(_:from:)`` reads, in its order.
    static let placementColumns = "placed, seat, wait_list, turn, turn_start, turn_end"

    /// The placement in the ``placementColumns`` of a row from `column` on, if there is one.
    static func placement(_ row: ResultRow, from column: Int32) -> Placement? {
        guard row.integer(column) != 0 else { return nil }
        func int(_ offset: Int32) -> Int? { row.isNull(column + offset) ? nil : Int(row.integer(column + offset)) }
        func date(_ offset: Int32) -> Date? { row.isNull(column + offset) ? nil : Date(timeIntervalSince1970: row.real(column + offset)) }
        return Placement(
            seat: int(1), waitList: int(2), turn: int(3).map { SpeakingTurn(number: $0, start: date(4), end: date(5)) })
    }

    /// A placement in the audit trail's words: `seat 12; speaker 4, 2024-05-28T12:09:00Z to 2024-05-28T12:12:00Z`.
    static func describe(_ placement: Placement) -> String {
        var parts: [String] = []
        if let seat = placement.seat { parts.append("seat \(seat)") }
        if let position = placement.waitList { parts.append("wait-list \(position)") }
        if let turn = placement.turn {
            if let start = turn.start, let end = turn.end {
                parts.append("speaker \(turn.number), \(start.formatted(.iso8601)) to \(end.formatted(.iso8601))")
            } else {
                parts.append("speaker \(turn.number), not reached")
            }
        }
        return parts.isEmpty ? "no seat" : parts.joined(separator: "; ")
    }

    /// The columns ``reply(_:)`` reads, in its order.
    static let replyColumns = "seq, track_id, answer, speaking, received_at, source, substitute, accompanying, speaking_at"

    /// A reply from a row of ``replyColumns``.
    static func reply(_ row: ResultRow) throws -> Reply {
        var substitute: Principal?
        if let json = row.optionalText(6) {
            substitute = try JSONDecoder().decode(Principal.self, from: Data(json.utf8))
        }
        var reply = Reply(
            sequence: row.integer(0), track: row.text(1), answer: ReplyAnswer(rawValue: row.text(2)) ?? .confirm,
            speakingRequested: row.integer(3) != 0, receivedAt: Date(timeIntervalSince1970: row.real(4)),
            source: row.text(5), substitute: substitute)
        reply.accompanying = Int(row.integer(7))
        if reply.speakingRequested {
            reply.speakingRequestedAt = row.isNull(8) ? reply.receivedAt : Date(timeIntervalSince1970: row.real(8))
        }
        return reply
    }

    /// The delegations an occurrence has already been applied to.
    public func processed(runKey: String) throws(LedgerError) -> Set<String> {
        try wrap {
            try database.read { db in
                var done = Set<String>()
                try db.forEachRow("SELECT delegation_id FROM step_progress WHERE run_key = ?", .text(runKey)) { done.insert($0.text(0)) }
                return done
            }
        }
    }

    /// Whether an occurrence that runs over all its invitees at once has run.
    public func isDone(runKey: String) throws(LedgerError) -> Bool {
        try wrap {
            try database.read { db in
                try db.first("SELECT 1 FROM occurrence_done WHERE run_key = ?", .text(runKey)) { _ in true } ?? false
            }
        }
    }

    /// Replies on some tracks that a reply-triggered step has not yet answered, oldest first.
    /// - Parameter runKeyPrefix: the step's run key without the occurrence; occurrences are `reply-<seq>`.
    public func unansweredReplies(runKeyPrefix: String, tracks: [String]) throws(LedgerError) -> [(delegation: String, reply: Reply)] {
        try wrap {
            guard !tracks.isEmpty else { return [] }
            return try database.read { db in
                let placeholders = tracks.map { _ in "?" }.joined(separator: ",")
                let statement = try BoundStatement(db, """
                    SELECT \(Self.replyColumns), delegation_id FROM reply r WHERE NOT EXISTS (
                        SELECT 1 FROM step_progress p WHERE p.run_key = CAST(? AS TEXT) || r.seq AND p.delegation_id = r.delegation_id)
                    AND r.track_id IN (\(placeholders)) ORDER BY r.seq
                    """)
                var result: [(delegation: String, reply: Reply)] = []
                let arguments = [BindableValue.text(runKeyPrefix + "·reply-")] + tracks.map { .text($0) }
                try statement.forEachRow(arguments) { row in result.append((row.text(9), try Self.reply(row))) }
                return result
            }
        }
    }

    // MARK: applying effects

    /// Applies one batch's effects in one transaction, together with the delivery of messages
    /// an earlier batch queued (``LedgerBatch/delivered``).
    /// - Returns: for each of the batch's messages, its ledger sequence if it was new, or `nil`
    ///   (a message whose key the ledger already holds is left as it was, and must not be
    ///   delivered again).
    @discardableResult
    public func apply(_ batch: LedgerBatch) throws(LedgerError) -> [Int64?] {
        try wrap {
            try database.write { db in
                if let (claim, runner) = batch.claim {
                    try Self.holdClaim(db, claim, runner: runner, release: batch.releasesClaim)
                }
                let at = batch.at.timeIntervalSince1970
                if !batch.delivered.isEmpty {
                    let delivered = try BoundStatement(db, "UPDATE message SET state = 'delivered', attempts = attempts + 1, delivered_at = ? WHERE seq = ? AND state = 'queued'")
                    for seq in batch.delivered { try delivered.run(.real(at), .integer(seq)) }
                }
                // A message staged in the outbox folder is delivered by this commit (its file
                // is moved into place after it, or at the next start after a crash) and its
                // bytes are the file's; a message for the mail server waits here, bytes and all.
                // The rows go in groups; each group returns the keys it took as new.
                var sequences: [String: Int64] = [:]
                sequences.reserveCapacity(batch.messages.count)
                var message = MultiRowInsert(
                    db,
                    "INSERT INTO message (key, message_id, delegation_id, step_id, occurrence, file_name, subject, created_at, recipients, state, attempts, delivered_at, staged_as) VALUES",
                    row: batch.stagedAs != nil ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'delivered', 1, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)",
                    columns: 11, tail: "ON CONFLICT (key) DO NOTHING RETURNING key, seq")
                message.returning = { row in sequences[row.text(0)] = row.integer(1) }
                for m in batch.messages {
                    try message.add(
                        .text(m.key), .text(m.messageID), .text(m.delegation), .text(batch.stepID), .text(m.occurrence),
                        .text(m.fileName), .text(m.subject), .real(at), .text(m.recipients),
                        batch.stagedAs != nil ? .real(at) : .null, batch.stagedAs.map { .text($0) } ?? .null)
                }
                try message.flush()
                // Per message, its sequence if it was new (a key twice in the batch: the first).
                var inserted: [Int64?] = []
                inserted.reserveCapacity(batch.messages.count)
                for m in batch.messages { inserted.append(sequences.removeValue(forKey: m.key)) }
                if batch.stagedAs == nil {
                    let content = try BoundStatement(db, "INSERT INTO message_content (seq, content) VALUES (?, ?)")
                    for (m, seq) in zip(batch.messages, inserted) {
                        if let seq { try content.run(.integer(seq), .blob(m.content)) }
                    }
                }
                // Statuses, audit lines and progress go in groups of rows: a batch has thousands.
                var state = MultiRowInsert(
                    db, "INSERT INTO track_state (delegation_id, track_id, status, reminders, updated_at) VALUES", row: "(?, ?, ?, ?, ?)", columns: 5,
                    tail: """
                        ON CONFLICT (delegation_id, track_id) DO UPDATE SET
                            status = excluded.status, reminders = track_state.reminders + excluded.reminders, updated_at = excluded.updated_at
                        """)
                var audit = MultiRowInsert(
                    db, "INSERT INTO audit (at, actor, action, delegation_id, track_id, detail) VALUES", row: "(?, ?, 'status', ?, ?, ?)", columns: 5)
                for t in batch.transitions {
                    try state.add(.text(t.delegation), .text(t.track), .text(t.to.rawValue), .integer(t.to == .reminded ? 1 : 0), .real(at))
                    try audit.add(.real(at), .text(batch.stepID), .text(t.delegation), .text(t.track), .text("\(t.from.rawValue) → \(t.to.rawValue)"))
                }
                try state.flush()
                try audit.flush()
                if !batch.placements.isEmpty {
                    var place = MultiRowInsert(
                        db, "INSERT INTO track_state (delegation_id, track_id, status, updated_at, placed, seat, wait_list, turn, turn_start, turn_end) VALUES",
                        row: "(?, ?, 'not-invited', ?, 1, ?, ?, ?, ?, ?)", columns: 8,
                        tail: """
                            ON CONFLICT (delegation_id, track_id) DO UPDATE SET
                                updated_at = excluded.updated_at, placed = 1, seat = excluded.seat, wait_list = excluded.wait_list,
                                turn = excluded.turn, turn_start = excluded.turn_start, turn_end = excluded.turn_end
                            """)
                    var placed = MultiRowInsert(
                        db, "INSERT INTO audit (at, actor, action, delegation_id, track_id, detail) VALUES", row: "(?, ?, 'placement', ?, ?, ?)", columns: 5)
                    for p in batch.placements {
                        func int(_ value: Int?) -> BindableValue { value.map { .integer(Int64($0)) } ?? .null }
                        func date(_ value: Date?) -> BindableValue { value.map { .real($0.timeIntervalSince1970) } ?? .null }
                        let turn = p.placement.turn
                        try place.add(
                            .text(p.delegation), .text(p.track), .real(at), int(p.placement.seat), int(p.placement.waitList),
                            int(turn?.number), date(turn?.start), date(turn?.end))
                        try placed.add(.real(at), .text(batch.stepID), .text(p.delegation), .text(p.track), .text(Self.describe(p.placement)))
                    }
                    try place.flush()
                    try placed.flush()
                }
                let artifact = try BoundStatement(db, """
                    INSERT INTO artifact (key, step_id, occurrence, name, media_type, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (key) DO NOTHING
                    """)
                for a in batch.artifacts {
                    try artifact.run(
                        .text(a.key), .text(batch.stepID), .text(a.occurrence), .text(a.artifact.name), .text(a.artifact.mediaType),
                        .text(a.artifact.content), .real(at))
                }
                var progress = MultiRowInsert(
                    db, "INSERT INTO step_progress (run_key, delegation_id, done_at) VALUES", row: "(?, ?, ?)", columns: 3, tail: "ON CONFLICT DO NOTHING")
                for p in batch.processed { try progress.add(.text(p.runKey), .text(p.delegation), .real(at)) }
                try progress.flush()
                if let done = batch.occurrenceDone {
                    try db.execute(
                        "INSERT INTO occurrence_done (run_key, done_at, invitees) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        .text(done), .real(at), .integer(Int64(batch.processed.count)))
                }
                return inserted
            }
        }
    }

    // MARK: replies

    /// Records a reply; steps that run `on: reply` answer it at the next tick.
    /// - Returns: the reply with its sequence number.
    @discardableResult
    public func record(reply: Reply, delegation: String, enteredBy: String?, document: String?, at now: Date) throws(LedgerError) -> Reply {
        try record(replies: [(delegation, reply)], enteredBy: enteredBy, document: document, at: now)[0]
    }

    /// Records replies in one transaction: all of them or, on any error, none.
    /// - Returns: the replies with their sequence numbers, in the order given.
    @discardableResult
    public func record(
        replies: [(delegation: String, reply: Reply)], enteredBy: String?, document: String?, at now: Date
    ) throws(LedgerError) -> [Reply] {
        try record(replies.map { ($0.delegation, $0.reply, document) }, enteredBy: enteredBy, at: now, skippingKnown: false).recorded
    }

    /// Records imported replies in one transaction, each with its own document, and skips those
    /// the ledger already holds: the same delegation, track, answer, time of receipt, speaking
    /// request and substitute, from the same source. Importing a file again, or a later export
    /// that repeats earlier rows, records only what is new.
    /// - Returns: the replies recorded, with their sequence numbers, and how many were skipped.
    public func importReplies(
        _ replies: [(delegation: String, reply: Reply, document: String?)], enteredBy: String?, at now: Date
    ) throws(LedgerError) -> (recorded: [Reply], skipped: Int) {
        try record(replies, enteredBy: enteredBy, at: now, skippingKnown: true)
    }

    private func record(
        _ replies: [(delegation: String, reply: Reply, document: String?)], enteredBy: String?, at now: Date, skippingKnown: Bool
    ) throws(LedgerError) -> (recorded: [Reply], skipped: Int) {
        try wrap {
            try database.write { db in
                let known = try BoundStatement(db, "SELECT 1 FROM delegation WHERE id = ?")
                let same = try BoundStatement(db, """
                    SELECT 1 FROM reply WHERE delegation_id = ? AND track_id = ? AND answer = ? AND received_at = ?
                    AND speaking = ? AND source = ? AND coalesce(substitute, '') = ? AND accompanying = ? LIMIT 1
                    """)
                let insert = try BoundStatement(db, """
                    INSERT INTO reply (delegation_id, track_id, answer, speaking, speaking_at, substitute, accompanying, received_at, source, entered_by, document, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq
                    """)
                let previous = try BoundStatement(db, """
                    SELECT speaking, coalesce(speaking_at, received_at) FROM reply WHERE delegation_id = ? AND track_id = ? ORDER BY seq DESC LIMIT 1
                    """)
                let audit = try BoundStatement(db, "INSERT INTO audit (at, actor, action, delegation_id, track_id, detail) VALUES (?, ?, 'reply', ?, ?, ?)")
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                let recordedAt = now.timeIntervalSince1970
                func text(_ s: String?) -> BindableValue { s.map { .text($0) } ?? .null }
                var stored: [Reply] = []
                stored.reserveCapacity(replies.count)
                var skipped = 0
                for (delegation, reply, document) in replies {
                    var exists = false
                    try known.forEachRow(.text(delegation)) { _ in exists = true }
                    guard exists else {
                        throw LedgerError("no delegation '\(delegation)' in the ledger (run the workflow once first, or check the id)")
                    }
                    let substitute = try reply.substitute.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
                    let speaking = BindableValue.integer(reply.speakingRequested ? 1 : 0)
                    let received = BindableValue.real(reply.receivedAt.timeIntervalSince1970)
                    if skippingKnown {
                        var held = false
                        try same.forEachRow(
                            .text(delegation), .text(reply.track), .text(reply.answer.rawValue), received, speaking,
                            .text(reply.source), .text(substitute ?? ""), .integer(Int64(reply.accompanying))
                        ) { _ in held = true }
                        if held {
                            skipped += 1
                            continue
                        }
                    }
                    // A request for speaking time keeps the time of the request it continues: that of
                    // the previous reply, if it asked too, unless this one says when it was made.
                    var speakingAt: Date?
                    if reply.speakingRequested {
                        speakingAt = reply.speakingRequestedAt ?? reply.receivedAt
                        if reply.speakingRequestedAt == nil {
                            try previous.forEachRow(.text(delegation), .text(reply.track)) { row in
                                if row.integer(0) != 0 { speakingAt = min(speakingAt!, Date(timeIntervalSince1970: row.real(1))) }
                            }
                        }
                    }
                    var r = reply
                    try insert.forEachRow(
                        .text(delegation), .text(reply.track), .text(reply.answer.rawValue), speaking,
                        speakingAt.map { .real($0.timeIntervalSince1970) } ?? .null, text(substitute),
                        .integer(Int64(reply.accompanying)), received, .text(reply.source), text(enteredBy), text(document), .real(recordedAt)
                    ) { row in r.sequence = row.integer(0) }
                    r.speakingRequestedAt = speakingAt
                    try audit.run(
                        .real(recordedAt), .text(enteredBy ?? reply.source), .text(delegation), .text(reply.track),
                        .text("#\(r.sequence) \(reply.answer.rawValue) via \(reply.source)\(document.map { " (\($0))" } ?? "")"))
                    stored.append(r)
                }
                return (stored, skipped)
            }
        }
    }

    // MARK: outbox

    /// The latest artifact of each name whose file `exists` says is missing: a run killed after
    /// committing an artifact and before writing its file gets it written at the next tick.
    func missingArtifacts(exists: (String) -> Bool) throws(LedgerError) -> [(name: String, content: String)] {
        try wrap {
            try database.read { db in
                var latest: [(name: String, seq: Int64)] = []
                try db.forEachRow("SELECT name, max(seq) FROM artifact GROUP BY name ORDER BY name") { latest.append(($0.text(0), $0.integer(1))) }
                var missing: [(name: String, content: String)] = []
                for (name, seq) in latest where !exists(name) {
                    let content = try db.first("SELECT content FROM artifact WHERE seq = ?", .integer(seq)) { $0.text(0) } ?? ""
                    missing.append((name, content))
                }
                return missing
            }
        }
    }

    // MARK: mail server delivery

    /// Messages a mail server channel should send at `now`, oldest first: queued, in flight
    /// when a run was killed, or deferred until no later than `now`; at most `limit` of them,
    /// after the message `after`, so that a large queue is read a part at a time.
    public func messagesToSend(at now: Date, after: Int64 = 0, limit: Int = 256) throws(LedgerError) -> [(sequence: Int64, recipients: [String], content: Data)] {
        try wrap {
            try database.read { db in
                var messages: [(sequence: Int64, recipients: [String], content: Data)] = []
                try db.forEachRow(
                    """
                    SELECT m.seq, m.recipients, c.content FROM message m JOIN message_content c USING (seq)
                    WHERE m.seq > ? AND (m.state IN ('queued', 'sending') OR (m.state = 'deferred' AND m.next_attempt_at <= ?))
                    ORDER BY m.seq LIMIT ?
                    """, .integer(after), .real(now.timeIntervalSince1970), .integer(Int64(limit))
                ) { row in
                    messages.append((row.integer(0), row.text(1).split(separator: "\n").map(String.init), row.blob(2)))
                }
                return messages
            }
        }
    }

    /// Records that a message is being sent, before it is: a run killed now sends it again.
    ///
    /// On PostgreSQL, where several runners may deliver, the runner also takes an advisory lock
    /// on the message for its session, which ``markSent(_:reply:at:)`` and the others release:
    /// a runner that dies mid-send loses its session and the lock with it, so that another can
    /// send the message again at once, and no two runners ever send it together.
    /// - Returns: the attempt this is, from 1; `nil` when the message is no longer to be sent
    ///   (another runner is sending it, or has).
    public func markSending(_ sequence: Int64) throws(LedgerError) -> Int? {
        try wrap {
            try database.write { db in
                if db.dialect == .postgres {
                    let locked = try db.first("SELECT pg_try_advisory_lock(\(Self.sendingLockClass), CAST(? AS INTEGER))", .integer(sequence)) {
                        $0.text(0) == "t"
                    }
                    guard locked == true else { return nil }
                }
                let attempt = try db.first(
                    "UPDATE message SET state = 'sending', attempts = attempts + 1 WHERE seq = ? AND state IN ('queued', 'sending', 'deferred') RETURNING attempts",
                    .integer(sequence)
                ) { Int($0.integer(0)) }
                if attempt == nil { try Self.unlockSending(db, sequence) }
                return attempt
            }
        }
    }

    /// The first key of the advisory locks on messages being sent.
    static let sendingLockClass = 20_240_527

    private static func unlockSending(_ db: LedgerConnection, _ sequence: Int64) throws {
        guard db.dialect == .postgres else { return }
        try db.forEachRow("SELECT pg_advisory_unlock(\(sendingLockClass), CAST(? AS INTEGER))", .integer(sequence)) { _ in }
    }

    /// Records that the server accepted a message, with its reply.
    public func markSent(_ sequence: Int64, reply: String, at now: Date) throws(LedgerError) {
        try setDelivery(sequence, state: "sent", reply: reply, deliveredAt: now, nextAttempt: nil)
    }

    /// Records that the server refused a message for now (4xx): to be sent again at `until`.
    public func markDeferred(_ sequence: Int64, reply: String, until: Date) throws(LedgerError) {
        try setDelivery(sequence, state: "deferred", reply: reply, deliveredAt: nil, nextAttempt: until)
    }

    /// Records that the server refused a message for good (5xx), or it was deferred too often.
    public func markFailed(_ sequence: Int64, reply: String, at now: Date) throws(LedgerError) {
        try setDelivery(sequence, state: "failed", reply: reply, deliveredAt: nil, nextAttempt: nil)
    }

    private func setDelivery(_ sequence: Int64, state: String, reply: String, deliveredAt: Date?, nextAttempt: Date?) throws(LedgerError) {
        try wrap {
            try database.write { db in
                func time(_ date: Date?) -> BindableValue { date.map { .real($0.timeIntervalSince1970) } ?? .null }
                try db.execute(
                    "UPDATE message SET state = ?, server_reply = ?, delivered_at = ?, next_attempt_at = ?, last_error = ? WHERE seq = ?",
                    .text(state), .text(reply), time(deliveredAt), time(nextAttempt), state == "sent" ? .null : .text(reply), .integer(sequence))
                try Self.unlockSending(db, sequence)
            }
        }
    }

    /// Puts failed and deferred messages (or only those of `sequences`) back in the queue.
    /// - Returns: how many.
    public func retry(_ sequences: [Int64]? = nil) throws(LedgerError) -> Int {
        try wrap {
            try database.write { db in
                var sql = "UPDATE message SET state = 'queued', next_attempt_at = NULL WHERE state IN ('failed', 'deferred')"
                if let sequences { sql += " AND seq IN (\(sequences.map(String.init).joined(separator: ",")))" }
                return try db.execute(sql)
            }
        }
    }

    /// Every message with its delivery state, oldest first, for `convene outbox`.
    public func messages() throws(LedgerError) -> [MessageRecord] {
        try wrap {
            try database.read { db in
                var records: [MessageRecord] = []
                try db.forEachRow("""
                    SELECT seq, delegation_id, step_id, file_name, subject, state, attempts, server_reply, next_attempt_at, message_id
                    FROM message ORDER BY seq
                    """) { row in
                    records.append(MessageRecord(
                        sequence: row.integer(0), delegation: row.text(1), step: row.text(2), fileName: row.text(3), subject: row.text(4),
                        state: row.text(5), attempts: Int(row.integer(6)), serverReply: row.optionalText(7),
                        nextAttempt: row.isNull(8) ? nil : Date(timeIntervalSince1970: row.real(8)), messageID: row.text(9)))
                }
                return records
            }
        }
    }

    /// Messages waiting for delivery, oldest first.
    public func queuedMessages(limit: Int) throws(LedgerError) -> [QueuedMessage] {
        try wrap {
            try database.read { db in
                var queued: [QueuedMessage] = []
                try db.forEachRow(
                    "SELECT m.seq, m.file_name, c.content FROM message m JOIN message_content c USING (seq) WHERE m.state = 'queued' ORDER BY m.seq LIMIT ?",
                    .integer(Int64(limit))
                ) { row in queued.append(QueuedMessage(sequence: row.integer(0), fileName: row.text(1), content: row.blob(2))) }
                return queued
            }
        }
    }

    /// Which of these file names, staged in the outbox by a batch, belong to messages that
    /// batch committed (the rest were staged for a batch that never committed, or for
    /// messages an earlier batch had already delivered).
    /// - Parameters:
    ///   - batch: the name of the batch's folder in the outbox's `.staging`.
    ///   - names: the files in it.
    public func stagedMessages(batch: String, among names: [String]) throws(LedgerError) -> Set<String> {
        guard !names.isEmpty else { return [] }
        return try wrap {
            // One pass over the messages (file names have no index: this runs only after a crash).
            let wanted = Set(names)
            return try database.read { db in
                var found = Set<String>()
                try db.forEachRow("SELECT file_name FROM message WHERE staged_as = ?", .text(batch)) { row in
                    let name = row.text(0)
                    if wanted.contains(name) { found.insert(name) }
                }
                return found
            }
        }
    }

    /// Marks messages delivered, by ledger sequence.
    public func markDelivered(_ sequences: [Int64], at now: Date) throws(LedgerError) {
        guard !sequences.isEmpty else { return }
        var batch = LedgerBatch(stepID: "", at: now)
        batch.delivered = sequences
        try apply(batch)
    }

    // MARK: reports

    /// Counts of delegations per track and status; delegations the ledger knows but has no state
    /// for on a track count as not invited.
    public func statusCounts(tracks: [String]) throws(LedgerError) -> [String: [ParticipationStatus: Int]] {
        try wrap {
            try database.read { db in
                let total = try db.first("SELECT COUNT(*) FROM delegation") { Int($0.integer(0)) } ?? 0
                var result: [String: [ParticipationStatus: Int]] = [:]
                for track in tracks { result[track] = [.notInvited: total] }
                try db.forEachRow("SELECT track_id, status, COUNT(*) FROM track_state GROUP BY track_id, status") { row in
                    let track = row.text(0)
                    guard result[track] != nil, let status = ParticipationStatus(rawValue: row.text(1)) else { return }
                    let n = Int(row.integer(2))
                    result[track]![status, default: 0] += n
                    result[track]![.notInvited, default: 0] -= n
                }
                return result
            }
        }
    }

    /// Message counts by delivery state.
    public func messageCounts() throws(LedgerError) -> [String: Int] {
        try wrap {
            try database.read { db in
                var result: [String: Int] = [:]
                try db.forEachRow("SELECT state, COUNT(*) FROM message GROUP BY state") { result[$0.text(0)] = Int($0.integer(1)) }
                return result
            }
        }
    }

    /// Replies received, counted by track.
    public func replyCounts() throws(LedgerError) -> [String: Int] {
        try wrap {
            try database.read { db in
                var result: [String: Int] = [:]
                try db.forEachRow("SELECT track_id, COUNT(*) FROM reply GROUP BY track_id") { result[$0.text(0)] = Int($0.integer(1)) }
                return result
            }
        }
    }

    /// Per track, how many delegations sent at least one reply received after `deadline`.
    public func lateReplies(after deadline: Date) throws(LedgerError) -> [String: Int] {
        try wrap {
            try database.read { db in
                var counts: [String: Int] = [:]
                try BoundStatement(db, "SELECT track_id, count(DISTINCT delegation_id) FROM reply WHERE received_at > ? GROUP BY track_id")
                    .forEachRow(.real(deadline.timeIntervalSince1970)) { row in counts[row.text(0)] = Int(row.integer(1)) }
                return counts
            }
        }
    }

    /// The audit trail, oldest first: of one delegation, or all of it.
    public func auditTrail(delegation: String? = nil) throws(LedgerError) -> [AuditEntry] {
        try wrap {
            try database.read { db in
                var entries: [AuditEntry] = []
                let sql = "SELECT at, actor, action, delegation_id, track_id, detail FROM audit"
                let statement = try BoundStatement(db, sql + (delegation == nil ? " ORDER BY seq" : " WHERE delegation_id = ? ORDER BY seq"))
                try statement.forEachRow(delegation.map { [.text($0)] } ?? []) { row in
                    entries.append(AuditEntry(
                        at: Date(timeIntervalSince1970: row.real(0)), actor: row.text(1), action: row.text(2),
                        delegation: row.optionalText(3), track: row.optionalText(4), detail: row.text(5)))
                }
                return entries
            }
        }
    }

    /// Every message's idempotency key and file name, for checks.
    public func messageKeys() throws(LedgerError) -> [(key: String, fileName: String, state: String)] {
        try wrap {
            try database.read { db in
                var keys: [(key: String, fileName: String, state: String)] = []
                try db.forEachRow("SELECT key, file_name, state FROM message ORDER BY seq") { keys.append(($0.text(0), $0.text(1), $0.text(2))) }
                return keys
            }
        }
    }

    /// Stored artifacts: name and content, in creation order.
    public func artifacts() throws(LedgerError) -> [(stepID: String, name: String, content: String)] {
        try wrap {
            try database.read { db in
                var artifacts: [(stepID: String, name: String, content: String)] = []
                try db.forEachRow("SELECT step_id, name, content FROM artifact ORDER BY seq") { artifacts.append(($0.text(0), $0.text(1), $0.text(2))) }
                return artifacts
            }
        }
    }

    /// Runs a database operation, turning the backend's errors into ``LedgerError``.
    func wrap<T>(_ body: () throws -> T) throws(LedgerError) -> T {
        do {
            return try body()
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError("ledger \(location): \(error)")
        }
    }
}

/// A ledger operation that failed.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    /// Kinds of failure a caller may act on.
    public enum Kind: Sendable {
        /// Any failure.
        case other
        /// A runner's claim ran out and another runner took the work over (see ``Claim``).
        case claimLost
    }

    /// What went wrong.
    public var message: String
    /// What kind of failure it is.
    public var kind: Kind
    init(_ message: String, kind: Kind = .other) {
        self.message = message
        self.kind = kind
    }

    /// Whether a runner lost its claim: its batch was not recorded, and another runner does it.
    public var isClaimLost: Bool { kind == .claimLost }
    public var description: String { message }
}

/// A line of the audit trail.
public struct AuditEntry: Sendable {
    /// When, by the clock of the run or command that wrote it.
    public var at: Date
    /// Who: a step's id, a person who entered a reply, `roster`.
    public var actor: String
    /// What kind: `status`, `reply`, `roster-loaded`, `roster-changed`.
    public var action: String
    /// The delegation concerned, if one.
    public var delegation: String?
    /// The track concerned, if one.
    public var track: String?
    /// What happened.
    public var detail: String
}

/// A queued message, ready for a channel.
/// A message and where its delivery stands.
public struct MessageRecord: Sendable, Codable {
    public var sequence: Int64
    public var delegation: String
    public var step: String
    public var fileName: String
    public var subject: String
    /// `queued`, `delivered` (to the outbox folder), `sending`, `sent`, `deferred` or `failed`.
    public var state: String
    public var attempts: Int
    /// The mail server's last reply.
    public var serverReply: String?
    /// When a deferred message is tried again.
    public var nextAttempt: Date?
    public var messageID: String
}

public struct QueuedMessage: Sendable {
    /// Ledger sequence.
    public var sequence: Int64
    /// The outbox file name.
    public var fileName: String
    /// The RFC 5322 bytes.
    public var content: Data
}

/// Everything one batch of one step occurrence changes, applied atomically.
public struct LedgerBatch: Sendable {
    /// A message ready for the outbox.
    public struct Message: Sendable {
        /// The ledger's sequence, once stored.
        var sequence: Int64 = 0
        var key: String
        var messageID: String
        var delegation: String
        var occurrence: String
        var fileName: String
        var subject: String
        var content: Data
        /// The envelope's recipients, one per line.
        var recipients: String = ""
    }

    /// A status change.
    public struct Transition: Sendable {
        var delegation: String
        var track: String
        var from: ParticipationStatus
        var to: ParticipationStatus
    }

    /// An artifact with its key.
    public struct StoredArtifact: Sendable {
        var key: String
        var occurrence: String
        var artifact: Artifact
    }

    var stepID: String
    var at: Date
    var messages: [Message] = []
    var transitions: [Transition] = []
    var artifacts: [StoredArtifact] = []
    /// Seats and speaking turns.
    var placements: [(delegation: String, track: String, placement: Placement)] = []
    var processed: [(runKey: String, delegation: String)] = []
    var occurrenceDone: String?
    /// Sequences of messages an earlier batch queued and the channel has since delivered.
    var delivered: [Int64] = []
    /// The outbox's staging folder the messages' files were written to, if they were: this
    /// commit then delivers them, and they are stored as delivered, without their bytes.
    var stagedAs: String?
    /// The claim the batch's work is done under, checked and renewed (or, with
    /// `releasesClaim`, released) in the batch's transaction.
    var claim: (claim: Claim, runner: RunnerIdentity)?
    /// Whether the batch is the last of its claim's block.
    var releasesClaim = false
}

