internal import Foundation
internal import GRDB
internal import GRDBSQLite

/// A statement the ledger runs once per row of a batch, bound and stepped through SQLite's C
/// interface.
///
/// GRDB prepares and caches it; binding the values directly skips building a
/// `StatementArguments` (an array of boxed values) for every row, which cost more than
/// SQLite's own work on the ledger's hot path. The ledger registers no transaction observers,
/// so nothing in GRDB needs to see these statements run.
struct BoundStatement {
    private let statement: Statement
    private let database: Database

    /// Prepares (or takes from GRDB's cache) a statement.
    init(_ db: Database, _ sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        database = db
    }

    private var handle: OpaquePointer { statement.sqliteStatement }

    /// Binds the parameters in order (1, 2, …), runs the statement to completion and resets it.
    /// - Throws: GRDB's `DatabaseError` with SQLite's message and the statement's SQL.
    func run(_ values: BindableValue...) throws {
        try run(values)
    }

    /// Binds the parameters in order (1, 2, …), runs the statement to completion and resets it.
    func run(_ values: [BindableValue]) throws {
        try bind(values)
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw failure(code) }
    }

    /// Binds the parameters, then calls `body` with each row the statement returns.
    func forEachRow(_ values: BindableValue..., body: (ResultRow) throws -> Void) throws {
        try forEachRow(values, body: body)
    }

    /// Binds the parameters, then calls `body` with each row the statement returns.
    func forEachRow(_ values: [BindableValue], body: (ResultRow) throws -> Void) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        let row = ResultRow(handle: handle)
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(code) }
            try body(row)
        }
    }

    private func bind(_ values: [BindableValue]) throws {
        let handle = handle
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
            guard code == SQLITE_OK else { throw failure(code) }
        }
    }

    /// Rows the last run inserted, updated or deleted.
    var changes: Int { Int(sqlite3_changes(database.sqliteConnection)) }

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: String(cString: sqlite3_errmsg(database.sqliteConnection)),
            sql: statement.sql)
    }
}

/// Inserts rows several at a time: one `INSERT … VALUES (…), (…), …` statement per
/// `rowsPerStatement` rows, so that SQLite prepares, binds and steps once per group rather than
/// once per row. Rows are inserted in the order added; call ``flush()`` after the last.
struct MultiRowInsert {
    private let database: Database
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
    init(_ db: Database, _ head: String, row: String, columns: Int, tail: String = "", rowsPerStatement: Int = 32) {
        database = db
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
        precondition(values.count == columns)
        pending += values
        if pending.count == columns * rowsPerStatement { try flush() }
    }

    /// Inserts the rows added since the last group.
    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        let rows = pending.count / columns
        let sql = rows == rowsPerStatement ? wholeGroup : Self.sql(head, row, tail, rows: rows)
        let statement = try BoundStatement(database, sql)
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
    fileprivate let handle: OpaquePointer

    /// A column as text; a NULL is empty.
    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// A column as text, or `nil` for NULL.
    func optionalText(_ column: Int32) -> String? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : text(column)
    }

    /// Whether a column is NULL.
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// A column as an integer.
    func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// A column as a floating-point number.
    func real(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
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
