internal import ConveneKit
public import Foundation

/// What `convene run --now DATE` would do at a moment, step by step and track by track, found
/// without writing anything: `convene plan --on DATE`.
///
/// ``make(workflow:plugins:ledger:signingKeys:at:scratch:)`` copies the ledger (if there is one)
/// into a throwaway folder with SQLite's online backup, runs ``Engine/tick(now:)`` on the copy
/// with an outbox, an artifacts folder and a signing-key store inside that folder, reads what the
/// tick added to the copy, and removes the folder. The real ledger is only read; no outbox,
/// artifact or signing key is written outside the throwaway folder (a workflow's key that
/// already exists is read and used, so reply links come out as a real run would make them).
///
/// What is counted for each step's occurrence, per track:
/// - the status changes the step made there, by new status (`invited 12`, `confirmed 3`);
/// - the placements it made there: seats, wait-list places, places on the speakers' list;
/// - the messages it would send concerning the track. A message answering a reply (a step that
///   runs `on: reply`) concerns the reply's track. Any other message concerns the tracks on
///   which the same step, in the same tick, changed that delegation's status or placement: an
///   invitation to two tracks counts on both, and once in ``StepEffects/messages``. A message
///   that changes nothing (an attendance reminder, `purpose: attendance`) is counted under the
///   track ``allTracks``.
public struct Projection: Sendable, Codable {
    /// The track name under which messages that concern no particular track are counted.
    public static let allTracks = "(all)"

    /// Placements a step made on a track, by kind.
    public struct PlacementCounts: Sendable, Codable, Equatable {
        /// Seats given.
        public var seats = 0
        /// Places on the wait-list.
        public var waitList = 0
        /// Places on the speakers' list, reached or not.
        public var speakers = 0

        /// Whether no placement was made.
        public var isEmpty: Bool { seats == 0 && waitList == 0 && speakers == 0 }
    }

    /// What one step's occurrence would do on one track.
    public struct TrackEffects: Sendable, Codable {
        /// The track's id, or ``Projection/allTracks``.
        public var track: String
        /// Messages concerning the track.
        public var messages = 0
        /// Status changes, by the status set (`invited`, `wait-listed`, …).
        public var statusChanges: [String: Int] = [:]
        /// Seats, wait-list places and speaking turns.
        public var placements = PlacementCounts()
    }

    /// What one step's occurrence would do.
    public struct StepEffects: Sendable, Codable {
        /// The step's id.
        public var step: String
        /// Its plugin, `id@major`.
        public var uses: String
        /// The occurrence that would run (`at`, `before-14d`), or `on-reply`.
        public var occurrence: String
        /// Delegations the step would run for.
        public var delegations = 0
        /// Messages it would send, each counted once.
        public var messages = 0
        /// Per track, in the workflow's order, then ``Projection/allTracks``; only tracks where
        /// something would happen.
        public var tracks: [TrackEffects] = []
        /// Names of the artifacts it would publish.
        public var artifacts: [String] = []
    }

    /// A step occurrence that would be due, but for no delegation.
    public struct IdleStep: Sendable, Codable {
        /// The step's id.
        public var step: String
        /// The occurrence.
        public var occurrence: String
    }

    /// The moment projected.
    public var at: Date
    /// The event's time zone, in which ``at`` is shown.
    public var timeZone: String
    /// Steps that would do something, in the order they would run.
    public var steps: [StepEffects]
    /// Step occurrences that would be due but select no delegation.
    public var idle: [IdleStep]
    /// New messages in all, each counted once.
    public var messages: Int
    /// Messages an earlier run queued but did not deliver, which this run would deliver too.
    public var queuedEarlier: Int

    /// Projects what a run at a moment would do, writing nothing.
    /// - Parameters:
    ///   - workflow: the workflow.
    ///   - plugins: the plugins its steps use.
    ///   - ledger: the workflow's ledger file; read if it exists, never created or changed.
    ///   - signingKeys: where the workflow's reply-link key is kept; read if it holds the key,
    ///     never written.
    ///   - now: the moment.
    ///   - scratch: where the throwaway folder is made; the system's temporary folder by default.
    /// - Returns: what the run would do.
    /// - Throws: ``LedgerError``, ``EngineError`` or ``SigningKeyError``, as the run would, or
    ///   an error from the file system; the throwaway folder is removed in any case.
    public static func make(
        workflow: Workflow, plugins: PluginRegistry, ledger: LedgerLocation, signingKeys: SigningKeyStore = .standard(), at now: Date,
        scratch: URL = FileManager.default.temporaryDirectory
    ) throws -> Projection {
        let files = FileManager.default
        let folder = scratch.appendingPathComponent("convene-plan-\(UUID().uuidString)", isDirectory: true)
        try files.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? files.removeItem(at: folder) }
        return try project(workflow: workflow, plugins: plugins, ledger: ledger, signingKeys: signingKeys, at: now, in: folder)
    }

    /// ``make(workflow:plugins:ledger:signingKeys:at:scratch:)`` in a throwaway folder, whose
    /// ledger copy is closed on return, before the folder is removed.
    private static func project(
        workflow: Workflow, plugins: PluginRegistry, ledger: LedgerLocation, signingKeys: SigningKeyStore, at now: Date, in folder: URL
    ) throws -> Projection {
        let copyURL = folder.appendingPathComponent("ledger.sqlite")
        try Ledger.copy(ledger, to: copyURL)
        let copy = try Ledger(url: copyURL)
        if let bound = try copy.boundWorkflow(), bound != workflow.id {
            throw LedgerError("\(ledger) is the ledger of workflow '\(bound)', not '\(workflow.id)'")
        }
        // A key the workflow already has signs the links as a real run would; without one, the
        // throwaway store makes a throwaway key.
        let keys = SigningKeyStore(directory: folder.appendingPathComponent("keys", isDirectory: true))
        if workflow.replyPage != nil, let key = try signingKeys.keptKey(for: workflow.id, workflowDirectory: workflow.directory) {
            try keys.keep(key, for: workflow.id)
        }
        let marks = try copy.marks()
        // A projection sends nothing: the throwaway outbox folder stands in for any mail server.
        var offline = workflow
        offline.smtp = nil
        let engine = Engine(
            workflow: offline, plugins: plugins, ledger: copy, outbox: FileOutbox(directory: folder.appendingPathComponent("outbox", isDirectory: true)),
            artifactsDirectory: folder.appendingPathComponent("artifacts", isDirectory: true), signingKeys: keys)
        let report = try engine.tick(now: now)
        let changes = try copy.changes(since: marks)
        return Projection(workflow: workflow, at: now, ran: report.steps.map { ($0.step, $0.occurrence, $0.invitees) }, changes: changes, marks: marks)
    }

    /// Sorts what a tick added to the ledger by step and track.
    init(workflow: Workflow, at now: Date, ran: [(step: String, occurrence: String, invitees: Int)], changes: Ledger.TickChanges, marks: Ledger.Marks) {
        at = now
        timeZone = workflow.event.timeZone.identifier
        queuedEarlier = marks.queued
        messages = changes.messages.count

        var order: [String] = []
        var steps: [String: StepEffects] = [:]
        var tracks: [String: [String: TrackEffects]] = [:]
        func touch(_ step: String, occurrence: String?) {
            if steps[step] != nil {
                if steps[step]!.occurrence.isEmpty, let occurrence { steps[step]!.occurrence = occurrence }
                return
            }
            order.append(step)
            let uses = workflow.steps.first { $0.id == step }.map { $0.plugin.description } ?? ""
            steps[step] = StepEffects(step: step, uses: uses, occurrence: occurrence ?? "")
        }
        func add(_ step: String, _ track: String, _ change: (inout TrackEffects) -> Void) {
            change(&tracks[step, default: [:]][track, default: TrackEffects(track: track)])
        }
        for r in ran {
            touch(r.step, occurrence: r.occurrence)
            steps[r.step]!.delegations += r.invitees
        }
        // What each step changed for each delegation, to place its messages on those tracks.
        var changed: [String: [String: [String]]] = [:]
        for c in changes.audit {
            touch(c.step, occurrence: nil)
            if changed[c.step]?[c.delegation]?.contains(c.track) != true {
                changed[c.step, default: [:]][c.delegation, default: []].append(c.track)
            }
            switch c.kind {
            case .status(let status):
                add(c.step, c.track) { $0.statusChanges[status, default: 0] += 1 }
            case .placement(let seat, let waitList, let speaker):
                add(c.step, c.track) {
                    if seat { $0.placements.seats += 1 }
                    if waitList { $0.placements.waitList += 1 }
                    if speaker { $0.placements.speakers += 1 }
                }
            }
        }
        for m in changes.messages {
            let isReply = m.occurrence.hasPrefix("reply-")
            touch(m.step, occurrence: isReply ? "on-reply" : m.occurrence)
            steps[m.step]!.messages += 1
            let concerned = m.replyTrack.map { [$0] } ?? changed[m.step]?[m.delegation] ?? [Self.allTracks]
            for track in concerned { add(m.step, track) { $0.messages += 1 } }
        }
        for a in changes.artifacts {
            touch(a.step, occurrence: a.occurrence)
            steps[a.step]!.artifacts.append(a.name)
        }

        let trackOrder = workflow.tracks.map(\.id) + [Self.allTracks]
        var busy: [StepEffects] = []
        var idle: [IdleStep] = []
        for id in order {
            var step = steps[id]!
            let byTrack = tracks[id] ?? [:]
            step.tracks = trackOrder.compactMap { byTrack[$0] } + byTrack.keys.filter { !trackOrder.contains($0) }.sorted().compactMap { byTrack[$0] }
            if step.delegations == 0, step.messages == 0, step.tracks.isEmpty, step.artifacts.isEmpty {
                idle.append(IdleStep(step: step.step, occurrence: step.occurrence))
            } else {
                busy.append(step)
            }
        }
        self.steps = busy
        self.idle = idle
    }

    /// The projection as JSON with sorted keys, the moment in ISO 8601 (UTC).
    /// - Throws: an encoding error (none is expected).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The projection as an aligned table: a line naming the moment in the event's time zone,
    /// one row per step, occurrence and track, then totals, artifacts and idle steps.
    public func table() -> String {
        let timeZone = TimeZone(identifier: timeZone) ?? .gmt
        let local = LocalTime(timeZone: timeZone).string(from: at)
        var lines = [
            "plan on \(local) \(timeZone.identifier): what `convene run --now \(local.replacingOccurrences(of: " ", with: "T"))` would do; nothing was written"
        ]
        var rows = [["step", "occurrence", "track", "messages", "status changes", "placements"]]
        for step in steps {
            if step.tracks.isEmpty {
                // Due and selecting delegations, but the plugin would do nothing for them (a
                // reminder after the deadline, say).
                let selected = "nothing for \(step.delegations) delegation\(step.delegations == 1 ? "" : "s")"
                rows.append([step.step, step.occurrence, "-", String(step.messages), selected, ""])
            }
            for t in step.tracks {
                rows.append([step.step, step.occurrence, t.track, String(t.messages), Self.describe(t.statusChanges), Self.describe(t.placements)])
            }
        }
        if steps.isEmpty {
            lines.append("nothing would happen")
        } else {
            lines.append(contentsOf: Self.align(rows))
            lines.append("\(messages) new message\(messages == 1 ? "" : "s") in all; a message concerning several tracks counts on each")
            if steps.contains(where: { $0.tracks.contains { $0.track == Self.allTracks } }) {
                lines.append("\(Self.allTracks): messages that change no status or placement, such as attendance reminders")
            }
        }
        for step in steps where !step.artifacts.isEmpty {
            lines.append("\(step.step) (\(step.occurrence)) would publish \(step.artifacts.joined(separator: ", "))")
        }
        if !idle.isEmpty {
            lines.append("due for no delegation: " + idle.map { "\($0.step) (\($0.occurrence))" }.joined(separator: ", "))
        }
        if queuedEarlier > 0 {
            lines.append("\(queuedEarlier) message\(queuedEarlier == 1 ? "" : "s") queued by an earlier run would be delivered too")
        }
        return lines.joined(separator: "\n")
    }

    /// `confirmed 3, declined 1`, in the order of the statuses' life cycle.
    static func describe(_ statuses: [String: Int]) -> String {
        let known = ParticipationStatus.allCases.map(\.rawValue)
        let names = known.filter { statuses[$0] != nil } + statuses.keys.filter { !known.contains($0) }.sorted()
        return names.map { "\($0) \(statuses[$0]!)" }.joined(separator: ", ")
    }

    /// `seats 2, wait-list 1, speakers 1`, leaving out the kinds with none.
    static func describe(_ placements: PlacementCounts) -> String {
        [("seats", placements.seats), ("wait-list", placements.waitList), ("speakers", placements.speakers)]
            .filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }

    /// Left-aligned columns two spaces apart, without trailing blanks.
    static func align(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.first?.count ?? 0)).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            var line = row.enumerated().map { i, cell in cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}

extension Ledger {
    /// Where the ledger stood before a tick: the last audit, message and artifact rows, and the
    /// messages queued but not delivered.
    struct Marks {
        var audit: Int64
        var message: Int64
        var artifact: Int64
        var queued: Int
    }

    /// What a tick added: status changes and placements, messages, artifacts.
    struct TickChanges {
        enum Kind {
            case status(String)
            case placement(seat: Bool, waitList: Bool, speaker: Bool)
        }

        var audit: [(step: String, delegation: String, track: String, kind: Kind)] = []
        /// A message, with the track of the reply it answers, if it answers one.
        var messages: [(step: String, delegation: String, occurrence: String, replyTrack: String?)] = []
        var artifacts: [(step: String, occurrence: String, name: String)] = []
    }

    /// Copies a ledger into a new SQLite file, consistent even while a run writes to it: a
    /// SQLite file by SQLite's online backup (which writes nothing to the source), a PostgreSQL
    /// database row by row in one read transaction.
    /// - Throws: ``LedgerError`` naming the source.
    static func copy(_ source: LedgerLocation, to destination: URL) throws(LedgerError) {
        do {
            switch source {
            case .sqlite(let url):
                guard FileManager.default.fileExists(atPath: url.path) else { return }
                try LedgerDatabase.backup(url, to: destination)
            case .postgres:
                try Ledger(source).copyRows(to: Ledger(.sqlite(destination)))
            }
        } catch {
            throw LedgerError("cannot copy the ledger \(source): \(error)")
        }
    }

    /// Copies every row of every table into an empty ledger, in one transaction on each side.
    func copyRows(to target: Ledger) throws(LedgerError) {
        try wrap {
            try database.read { from in
                try target.database.write { to in
                    for table in LedgerSchema.tables {
                        var insert: MultiRowInsert?
                        try from.forEachRow("SELECT * FROM \(table)") { row in
                            let columns = row.columnCount
                            if insert == nil {
                                let row = "(" + Array(repeating: "?", count: Int(columns)).joined(separator: ", ") + ")"
                                insert = MultiRowInsert(to, "INSERT INTO \(table) VALUES", row: row, columns: Int(columns), tail: "ON CONFLICT DO NOTHING")
                            }
                            try insert!.add((0..<columns).map { row.value($0) })
                        }
                        try insert?.flush()
                    }
                }
            }
        }
    }

    /// The workflow the ledger is bound to, if it is bound.
    func boundWorkflow() throws(LedgerError) -> String? {
        try wrap { try database.read { db in try db.first("SELECT value FROM meta WHERE key = 'workflow'") { $0.text(0) } } }
    }

    /// Where the ledger stands now.
    func marks() throws(LedgerError) -> Marks {
        try wrap {
            try database.read { db in
                func number(_ sql: String) throws -> Int64 { try db.first(sql) { $0.integer(0) } ?? 0 }
                return Marks(
                    audit: try number("SELECT coalesce(max(seq), 0) FROM audit"),
                    message: try number("SELECT coalesce(max(seq), 0) FROM message"),
                    artifact: try number("SELECT coalesce(max(seq), 0) FROM artifact"),
                    queued: Int(try number("SELECT count(*) FROM message WHERE state = 'queued'")))
            }
        }
    }

    /// What was added since some marks, in order.
    func changes(since marks: Marks) throws(LedgerError) -> TickChanges {
        try wrap {
            try database.read { db in
                var changes = TickChanges()
                try db.forEachRow(
                    """
                    SELECT actor, delegation_id, track_id, action, detail FROM audit
                    WHERE seq > ? AND action IN ('status', 'placement') AND delegation_id IS NOT NULL AND track_id IS NOT NULL
                    ORDER BY seq
                    """, .integer(marks.audit)
                ) { row in
                    let detail = row.text(4)
                    let kind: TickChanges.Kind
                    if row.text(3) == "status" {
                        // `from → to`, as ``apply(_:)`` writes it.
                        kind = .status(detail.components(separatedBy: " → ").last ?? detail)
                    } else {
                        // `seat 12; wait-list 3; speaker 4, …`, as ``describe(_:)`` writes it.
                        let parts = detail.components(separatedBy: "; ")
                        kind = .placement(
                            seat: parts.contains { $0.hasPrefix("seat ") }, waitList: parts.contains { $0.hasPrefix("wait-list ") },
                            speaker: parts.contains { $0.hasPrefix("speaker ") })
                    }
                    changes.audit.append((row.text(0), row.text(1), row.text(2), kind))
                }
                try db.forEachRow(
                    """
                    SELECT m.step_id, m.delegation_id, m.occurrence, r.track_id FROM message m
                    LEFT JOIN reply r ON r.delegation_id = m.delegation_id AND m.occurrence = 'reply-' || r.seq
                    WHERE m.seq > ? ORDER BY m.seq
                    """, .integer(marks.message)
                ) { row in changes.messages.append((row.text(0), row.text(1), row.text(2), row.optionalText(3))) }
                try db.forEachRow("SELECT step_id, occurrence, name FROM artifact WHERE seq > ? ORDER BY seq", .integer(marks.artifact)) { row in
                    changes.artifacts.append((row.text(0), row.text(1), row.text(2)))
                }
                return changes
            }
        }
    }
}
