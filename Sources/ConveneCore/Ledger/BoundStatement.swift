internal import Foundation
internal import GRDB
internal import GRDBSQLite

/// A statement the ledger runs, once or once per row of a batch, on either backend.
///
/// On SQLite, GRDB prepares and caches it, and it is bound and stepped through SQLite's C
/// interface: binding the values directly skips building a `StatementArguments` (an array of
/// boxed values) for every row, which cost more than SQLite's own work on the ledger's hot
/// path. The ledger registers no transaction observers, so nothing in GRDB needs to see these
/// statements run. On PostgreSQL, the connection prepares it once and runs it by name.
struct BoundStatement {
    private enum Backend {
        case sqlite(Statement, Database)
        case postgres(PostgresConnection)
    }

    private let backend: Backend
    private let sql: String
    /// Rows the last run inserted, updated or deleted, on PostgreSQL.
    private let postgresChanges = ChangeCount()

    /// Prepares (or takes from the connection's cache) a statement.
    init(_ connection: LedgerConnection, _ sql: String) throws {
        self.sql = sql
        switch connection.backend {
        case .sqlite(let db): backend = .sqlite(try db.cachedStatement(sql: sql), db)
        case .postgres(let pg): backend = .postgres(pg)
        }
    }

    /// Binds the parameters in order (1, 2, …), runs the statement to completion and resets it.
    /// - Throws: GRDB's `DatabaseError` or a ``PostgresError``, with the message and the SQL.
    func run(_ values: BindableValue...) throws {
        try run(values)
    }

    /// Binds the parameters in order (1, 2, …), runs the statement to completion and resets it.
    func run(_ values: [BindableValue]) throws {
        switch backend {
        case .sqlite(let statement, let db):
            let handle = statement.sqliteStatement
            try bind(values, to: handle, db)
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard code == SQLITE_DONE || code == SQLITE_ROW else { throw failure(code, db) }
        case .postgres(let pg):
            postgresChanges.value = try pg.run(sql, values)
        }
    }

    /// Binds the parameters, then calls `body` with each row the statement returns.
    func forEachRow(_ values: BindableValue..., body: (ResultRow) throws -> Void) throws {
        try forEachRow(values, body: body)
    }

    /// Binds the parameters, then calls `body` with each row the statement returns.
    func forEachRow(_ values: [BindableValue], body: (ResultRow) throws -> Void) throws {
        switch backend {
        case .sqlite(let statement, let db):
            let handle = statement.sqliteStatement
            try bind(values, to: handle, db)
            defer { sqlite3_reset(handle) }
            let row = ResultRow(storage: .sqlite(handle))
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { return }
                guard code == SQLITE_ROW else { throw failure(code, db) }
                try body(row)
            }
        case .postgres(let pg):
            try pg.forEachRow(sql, values, body: body)
        }
    }

    private func bind(_ values: [BindableValue], to handle: OpaquePointer, _ db: Database) throws {
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let code: Int32
            switch value {
            case .text(var s):
                code = s.withUTF8 { sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), transient) }
            case .integer(let n):
                code = sqlite3_bind_int64(handle, index, n)
            case .real(let x):
                code = sqlite3_bind_double(handle, index, x)
            case .blob(let data):
                code = data.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transient) }
            case .null:
                code = sqlite3_bind_null(handle, index)
            }
            guard code == SQLITE_OK else { throw failure(code, db) }
        }
    }

    /// Rows the last run inserted, updated or deleted.
    var changes: Int {
        switch backend {
        case .sqlite(_, let db): Int(sqlite3_changes(db.sqliteConnection))
        case .postgres: postgresChanges.value
        }
    }

    private func failure(_ code: Int32, _ db: Database) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
    }
}

/// The change count of a statement's last run, kept beside a statement value.
private final class ChangeCount {
    var value = 0
}

/// Inserts rows several at a time: one `INSERT … VALUES (…), (…), …` statement per
/// `rowsPerStatement` rows, so that SQLite prepares, binds and steps once per group rather than
/// once per row. Rows are inserted in the order added; call ``flush()`` after the last.
struct MultiRowInsert {
    private let connection: LedgerConnection
    private let head: String
    private let row: String
    private let tail: String
    private let columns: Int
    private let rowsPerStatement: Int
    private var pending: [BindableValue] = []
    /// The statement for a whole group, made once: most groups are whole.
    private let wholeGroup: String

    /// - Parameters:
    ///   - head: the statement up to `VALUES` included.
    ///   - row: one row's tuple of parameters, such as `(?, ?, 'status', ?)`.
    ///   - columns: how many parameters the tuple has.
    ///   - tail: what follows the rows (an `ON CONFLICT` clause, which sees each row as
    ///     `excluded`).
    init(_ connection: LedgerConnection, _ head: String, row: String, columns: Int, tail: String = "", rowsPerStatement: Int = 32) {
        self.connection = connection
        self.head = head
        self.row = row
        self.tail = tail
        self.columns = columns
        self.rowsPerStatement = rowsPerStatement
        wholeGroup = Self.sql(head, row, tail, rows: rowsPerStatement)
        pending.reserveCapacity(columns * rowsPerStatement)
    }

    private static func sql(_ head: String, _ row: String, _ tail: String, rows: Int) -> String {
        head + " " + Array(repeating: row, count: rows).joined(separator: ", ") + " " + tail
    }

    /// Adds a row; runs a statement once a group is complete.
    mutating func add(_ values: BindableValue...) throws {
        try add(values)
    }

    /// Adds a row; runs a statement once a group is complete.
    mutating func add(_ values: [BindableValue]) throws {
        precondition(values.count == columns)
        pending += values
        if pending.count == columns * rowsPerStatement { try flush() }
    }

    /// Inserts the rows added since the last group.
    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        let rows = pending.count / columns
        let sql = rows == rowsPerStatement ? wholeGroup : Self.sql(head, row, tail, rows: rows)
        let statement = try BoundStatement(connection, sql)
        if let returning {
            try statement.forEachRow(pending, body: returning)
        } else {
            try statement.run(pending)
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// For a statement whose `tail` has a `RETURNING` clause: called with each row it returns.
    var returning: ((ResultRow) throws -> Void)?
}

/// The current row of a ``BoundStatement``, valid inside `forEachRow`'s body only. Columns are
/// numbered from 0.
struct ResultRow {
    enum Storage {
        /// A SQLite statement stepped to a row.
        case sqlite(OpaquePointer)
        /// A libpq result and the row's index in it.
        case postgres(OpaquePointer, Int32)
    }

    let storage: Storage

    /// A column as text; a NULL is empty.
    func text(_ column: Int32) -> String {
        switch storage {
        case .sqlite(let handle):
            guard let bytes = sqlite3_column_text(handle, column) else { return "" }
            let count = Int(sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        case .postgres(let result, let row):
            return PostgresValues.text(result, row, column)
        }
    }

    /// A column as text, or `nil` for NULL.
    func optionalText(_ column: Int32) -> String? {
        isNull(column) ? nil : text(column)
    }

    /// Whether a column is NULL.
    func isNull(_ column: Int32) -> Bool {
        switch storage {
        case .sqlite(let handle): sqlite3_column_type(handle, column) == SQLITE_NULL
        case .postgres(let result, let row): PostgresValues.isNull(result, row, column)
        }
    }

    /// A column as an integer.
    func integer(_ column: Int32) -> Int64 {
        switch storage {
        case .sqlite(let handle): sqlite3_column_int64(handle, column)
        case .postgres(let result, let row): PostgresValues.integer(result, row, column)
        }
    }

    /// A column as a floating-point number.
    func real(_ column: Int32) -> Double {
        switch storage {
        case .sqlite(let handle): sqlite3_column_double(handle, column)
        case .postgres(let result, let row): PostgresValues.real(result, row, column)
        }
    }

    /// A column as bytes.
    func blob(_ column: Int32) -> Data {
        switch storage {
        case .sqlite(let handle):
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return Data() }
            return Data(bytes: bytes, count: count)
        case .postgres(let result, let row):
            return PostgresValues.blob(result, row, column)
        }
    }

    /// A column's value as it is stored, to copy it into another ledger.
    func value(_ column: Int32) -> BindableValue {
        switch storage {
        case .sqlite(let handle):
            switch sqlite3_column_type(handle, column) {
            case SQLITE_NULL: .null
            case SQLITE_INTEGER: .integer(integer(column))
            case SQLITE_FLOAT: .real(real(column))
            case SQLITE_BLOB: .blob(blob(column))
            default: .text(text(column))
            }
        case .postgres(let result, let row):
            PostgresValues.value(result, row, column)
        }
    }

    /// How many columns the row has.
    var columnCount: Int32 {
        switch storage {
        case .sqlite(let handle): sqlite3_column_count(handle)
        case .postgres(let result, _): PostgresValues.columnCount(result)
        }
    }
}

/// A value bound to a statement parameter.
enum BindableValue {
    case text(String)
    case integer(Int64)
    case real(Double)
    case blob(Data)
    case null
}

/// `SQLITE_TRANSIENT`: SQLite copies the bytes before the call returns (a C macro Swift does
/// not import).
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
