internal import Foundation

/// The ledger's tables, written once for both backends (``SQLDialect`` supplies the types they
/// name differently), and the migrations that bring a ledger of an earlier version up to date.
///
/// Each migration runs in one transaction and is recorded in `ledger_migration`; a ledger
/// records the ones it has, so that a newer Convene upgrades it in place and an older one
/// refuses a ledger with migrations it does not know.
enum LedgerSchema {
    /// The migrations, in order. Never edit one that has shipped: add another.
    static let migrations: [(id: String, sql: @Sendable (SQLDialect) -> String)] = [
        ("v1", version1),
        ("v2", version2),
    ]

    static func version1(_ d: SQLDialect) -> String {
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE delegation (
            id TEXT PRIMARY KEY, position \(d.integer) NOT NULL, record TEXT NOT NULL, updated_at \(d.real) NOT NULL);
        CREATE TABLE track_state (
            delegation_id TEXT NOT NULL, track_id TEXT NOT NULL, status TEXT NOT NULL,
            reminders \(d.integer) NOT NULL DEFAULT 0, updated_at \(d.real) NOT NULL,
            -- Where a seating step placed the delegation: its seat, its place on the
            -- wait-list, its turn on the speakers' list and the turn's times (NULL when
            -- the track's time does not reach it). `placed` is 1 once it has been placed.
            placed \(d.integer) NOT NULL DEFAULT 0, seat \(d.integer), wait_list \(d.integer),
            turn \(d.integer), turn_start \(d.real), turn_end \(d.real),
            PRIMARY KEY (delegation_id, track_id)) \(d.withoutRowID);
        CREATE TABLE reply (
            seq \(d.serialNeverReused), delegation_id TEXT NOT NULL, track_id TEXT NOT NULL,
            answer TEXT NOT NULL, speaking \(d.integer) NOT NULL, speaking_at \(d.real), substitute TEXT,
            accompanying \(d.integer) NOT NULL DEFAULT 0,
            received_at \(d.real) NOT NULL, source TEXT NOT NULL, entered_by TEXT, document TEXT,
            recorded_at \(d.real) NOT NULL);
        CREATE INDEX reply_by_delegation ON reply (delegation_id, track_id, seq);
        CREATE TABLE message (
            seq \(d.serial), key TEXT NOT NULL UNIQUE, message_id TEXT NOT NULL,
            delegation_id TEXT NOT NULL, step_id TEXT NOT NULL, occurrence TEXT NOT NULL,
            file_name TEXT NOT NULL, subject TEXT NOT NULL, created_at \(d.real) NOT NULL,
            state TEXT NOT NULL, attempts \(d.integer) NOT NULL DEFAULT 0, delivered_at \(d.real), last_error TEXT,
            -- The envelope's recipients, one per line; the mail server's last reply; when a
            -- deferred message is tried again.
            recipients TEXT NOT NULL DEFAULT '', server_reply TEXT, next_attempt_at \(d.real),
            -- For a message delivered to the outbox folder: the batch folder in the
            -- outbox's .staging its file was moved from (see FileOutbox.recover).
            staged_as TEXT);
        CREATE INDEX message_queued ON message (seq) WHERE state = 'queued';
        CREATE INDEX message_unsent ON message (seq) WHERE state IN ('queued', 'sending', 'deferred');
        -- The bytes apart from the delivery state, which changes: SQLite rewrites a
        -- whole row on update, overflow pages included.
        CREATE TABLE message_content (seq \(d.integer) PRIMARY KEY REFERENCES message (seq), content \(d.blob) NOT NULL);
        CREATE TABLE artifact (
            seq \(d.serial), key TEXT NOT NULL UNIQUE, step_id TEXT NOT NULL, occurrence TEXT NOT NULL, name TEXT NOT NULL,
            media_type TEXT NOT NULL, content TEXT NOT NULL, created_at \(d.real) NOT NULL);
        CREATE TABLE step_progress (
            run_key TEXT NOT NULL, delegation_id TEXT NOT NULL, done_at \(d.real) NOT NULL,
            PRIMARY KEY (run_key, delegation_id)) \(d.withoutRowID);
        CREATE TABLE occurrence_done (run_key TEXT PRIMARY KEY, done_at \(d.real) NOT NULL, invitees \(d.integer) NOT NULL);
        CREATE TABLE audit (
            seq \(d.serial), at \(d.real) NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            delegation_id TEXT, track_id TEXT, detail TEXT NOT NULL);
        """
    }

    /// Several runners on one ledger: their claims on parts of a step occurrence.
    static func version2(_ d: SQLDialect) -> String {
        """
        -- A part of a step occurrence's work (`block`: the delegations at roster positions
        -- block × size ..< (block + 1) × size; -1: the whole occurrence) that a runner holds
        -- until `expires_at` (seconds since 1970, by the runners' clocks). A runner that
        -- finishes releases it: `expires_at` 0 and `completed_at` set.
        CREATE TABLE claim (
            run_key TEXT NOT NULL, block \(d.integer) NOT NULL, runner TEXT, expires_at \(d.real) NOT NULL DEFAULT 0,
            completed_at \(d.real), PRIMARY KEY (run_key, block));
        CREATE INDEX delegation_by_position ON delegation (position);
        """
    }

    /// The tables, in an order that copying rows from one ledger to another can follow.
    static let tables = [
        "meta", "delegation", "track_state", "reply", "message", "message_content", "artifact", "step_progress", "occurrence_done", "audit", "claim",
    ]

    /// Brings a ledger's schema up to date, in one transaction per migration.
    /// - Throws: ``LedgerError`` for a ledger with a migration this version does not know.
    static func migrate(_ database: LedgerDatabase) throws {
        try database.write { c in
            if c.dialect == .postgres {
                // Runners that start together migrate one after the other.
                try c.execute(script: "SELECT pg_advisory_xact_lock(2024052700)")
            }
            try c.execute(script: "CREATE TABLE IF NOT EXISTS ledger_migration (id TEXT PRIMARY KEY, applied_at \(c.dialect.real) NOT NULL)")
            var applied: [String] = []
            try c.forEachRow("SELECT id FROM ledger_migration") { applied.append($0.text(0)) }
            if applied.isEmpty, c.dialect == .sqlite, try c.tableExists("grdb_migrations") {
                try adoptEarlierSQLiteLedger(c)
                applied = ["v1"]
            }
            let known = Set(migrations.map(\.id))
            if let unknown = applied.first(where: { !known.contains($0) }) {
                throw LedgerError(
                    "\(database.location) was written by a newer version of Convene (it has migration '\(unknown)'); upgrade convene to use it")
            }
            for migration in migrations where !applied.contains(migration.id) {
                try c.execute(script: migration.sql(c.dialect))
                try c.execute(
                    "INSERT INTO ledger_migration (id, applied_at) VALUES (?, ?)", .text(migration.id), .real(Date().timeIntervalSince1970))
            }
        }
    }

    /// A SQLite ledger made before `ledger_migration` (its version 1 schema recorded by GRDB's
    /// migrator, with artifacts numbered by rowid) takes the numbering as a column and is
    /// recorded as at version 1.
    private static func adoptEarlierSQLiteLedger(_ c: LedgerConnection) throws {
        var hasSeq = false
        try c.forEachRow("SELECT name FROM pragma_table_info('artifact')") { if $0.text(0) == "seq" { hasSeq = true } }
        if !hasSeq {
            try c.execute(script: """
                CREATE TABLE artifact_numbered (
                    seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, step_id TEXT NOT NULL, occurrence TEXT NOT NULL, name TEXT NOT NULL,
                    media_type TEXT NOT NULL, content TEXT NOT NULL, created_at REAL NOT NULL);
                INSERT INTO artifact_numbered SELECT rowid, key, step_id, occurrence, name, media_type, content, created_at FROM artifact ORDER BY rowid;
                DROP TABLE artifact;
                ALTER TABLE artifact_numbered RENAME TO artifact;
                """)
        }
        try c.execute("INSERT INTO ledger_migration (id, applied_at) VALUES ('v1', ?)", .real(Date().timeIntervalSince1970))
    }
}
