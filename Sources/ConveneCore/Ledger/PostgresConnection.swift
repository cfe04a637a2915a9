internal import CLibPQ
internal import Foundation

/// One connection to a PostgreSQL server, through libpq.
///
/// Not thread-safe: ``LedgerDatabase`` lets one thread at a time use it, inside a transaction.
/// Statements with parameters are prepared once per connection (named `s1`, `s2`, …) and run
/// with `PQexecPrepared`; parameters go as text, except blobs, which go as binary. Rows come
/// back as text, one at a time (libpq's single-row mode), so that reading a million rows never
/// holds them all.
final class PostgresConnection {
    private let handle: OpaquePointer
    /// Prepared statements by SQL text (in the ledger's `?` dialect).
    private var prepared: [String: String] = [:]
    /// The server and database, without the password, for messages.
    let location: String

    /// Connects.
    /// - Parameter url: a `postgres://` or `postgresql://` URL, or libpq key=value pairs. A
    ///   password missing from it is taken from `PGPASSWORD` or `~/.pgpass`, as by every libpq
    ///   client.
    init(url: String) throws(PostgresError) {
        location = Self.redacted(url)
        guard let connection = PQconnectdb(url) else {
            throw PostgresError(message: "cannot allocate a connection", sqlState: nil, sql: nil)
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(message: "cannot connect: \(message)", sqlState: nil, sql: nil)
        }
        handle = connection
        // Notices ("relation already exists, skipping") are not errors: keep them off stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// A URL with its password replaced by `***`.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }

    /// Reconnects if the server closed the connection (a restart, an idle timeout): called
    /// before each transaction.
    func ensureConnected() throws(PostgresError) {
        guard PQstatus(handle) != CONNECTION_OK else { return }
        PQreset(handle)
        prepared.removeAll()
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(message: "lost the connection to \(location): \(Self.trimmed(PQerrorMessage(handle)))", sqlState: nil, sql: nil)
        }
    }

    /// Runs statements without parameters (a script of several is allowed).
    func execute(script sql: String) throws(PostgresError) {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
    }

    /// Runs a statement with parameters to completion.
    /// - Returns: the rows it inserted, updated or deleted.
    @discardableResult
    func run(_ sql: String, _ values: [BindableValue]) throws(PostgresError) -> Int {
        let name = try statementName(sql)
        let result = try Self.withParameters(values) { count, pointers, lengths, formats in
            PQexecPrepared(handle, name, count, pointers, lengths, formats, 0)
        }
        defer { PQclear(result) }
        try check(result, sql: sql)
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Runs a statement with parameters and calls `body` with each row, as it arrives.
    func forEachRow(_ sql: String, _ values: [BindableValue], body: (ResultRow) throws -> Void) throws {
        let name = try statementName(sql)
        let sent = try Self.withParameters(values) { count, pointers, lengths, formats in
            PQsendQueryPrepared(handle, name, count, pointers, lengths, formats, 0)
        }
        guard sent == 1 else { throw failure(sql: sql) }
        PQsetSingleRowMode(handle)
        // Every result must be taken, even after an error in `body`, or the connection stays busy.
        var firstError: (any Error)?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            guard firstError == nil else { continue }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                do { try body(ResultRow(postgres: result, row: 0)) } catch { firstError = error }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                break
            default:
                firstError = error(result, sql: sql)
            }
        }
        if let firstError { throw firstError }
    }

    private func statementName(_ sql: String) throws(PostgresError) -> String {
        if let name = prepared[sql] { return name }
        let name = "s\(prepared.count + 1)"
        let text = Self.numberedParameters(sql)
        let result = PQprepare(handle, name, text, 0, nil)
        defer { PQclear(result) }
        try check(result, sql: sql)
        prepared[sql] = name
        return name
    }

    /// The ledger's `?` parameters as PostgreSQL's `$1`, `$2`, …; a `?` inside quotes is left alone.
    static func numberedParameters(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 64)
        var n = 0
        var quote: Character?
        for c in sql {
            if let q = quote {
                if c == q { quote = nil }
                out.append(c)
            } else if c == "'" || c == "\"" {
                quote = c
                out.append(c)
            } else if c == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// Lays the parameters out in one buffer, each text NUL-terminated, and passes libpq the
    /// pointers, lengths and formats (1, binary, for blobs; 0, text, for the rest).
    private static func withParameters<R>(
        _ values: [BindableValue],
        _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
    ) throws(PostgresError) -> R {
        var bytes: [UInt8] = []
        var offsets: [Int?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        offsets.reserveCapacity(values.count)
        for value in values {
            let start = bytes.count
            var format: Int32 = 0
            switch value {
            case .null:
                offsets.append(nil)
                lengths.append(0)
                formats.append(0)
                continue
            case .text(let s):
                bytes += s.utf8
            case .integer(let n):
                bytes += String(n).utf8
            case .real(let x):
                bytes += "\(x)".utf8
            case .blob(let data):
                bytes += data
                format = 1
            }
            lengths.append(Int32(bytes.count - start))
            bytes.append(0)
            offsets.append(start)
            formats.append(format)
        }
        return bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { $0.map { base + $0 } }
            return body(Int32(values.count), pointers, lengths, formats)
        }
    }

    private func check(_ result: OpaquePointer?, sql: String) throws(PostgresError) {
        guard let result else { throw failure(sql: sql) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE: return
        default: throw error(result, sql: sql)
        }
    }

    private func error(_ result: OpaquePointer, sql: String) -> PostgresError {
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
        return PostgresError(message: primary ?? Self.trimmed(PQresultErrorMessage(result)), sqlState: state, sql: sql)
    }

    private func failure(sql: String) -> PostgresError {
        PostgresError(message: Self.trimmed(PQerrorMessage(handle)), sqlState: nil, sql: sql)
    }

    private static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        text.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unknown error"
    }
}

/// An error from the PostgreSQL server or libpq.
struct PostgresError: Error, CustomStringConvertible {
    /// The server's primary message, or libpq's.
    var message: String
    /// The SQLSTATE code, when the server sent one (`40001`: serialization failure, `40P01`:
    /// deadlock, `23505`: unique violation).
    var sqlState: String?
    /// The statement, if one was running.
    var sql: String?

    /// Whether running the transaction again may succeed: a serialization failure or a deadlock.
    var isTransient: Bool { sqlState == "40001" || sqlState == "40P01" }

    var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let sql { text += " - while executing `\(sql.count > 300 ? String(sql.prefix(300)) + "…" : sql)`" }
        return text
    }
}

extension ResultRow {
    /// A row of a libpq result, whose values are text.
    init(postgres result: OpaquePointer, row: Int32) {
        self.init(storage: .postgres(result, row))
    }
}

/// Reads a PostgreSQL result's values, all in text format.
enum PostgresValues {
    static func isNull(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> Bool {
        PQgetisnull(result, row, column) == 1
    }

    static func text(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> String {
        guard let value = PQgetvalue(result, row, column) else { return "" }
        let count = Int(PQgetlength(result, row, column))
        return value.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }

    static func integer(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> Int64 {
        guard let value = PQgetvalue(result, row, column) else { return 0 }
        return strtoll(value, nil, 10)
    }

    static func real(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> Double {
        guard let value = PQgetvalue(result, row, column) else { return 0 }
        return strtod(value, nil)
    }

    /// A `bytea` in text format: `\x` and hexadecimal digits.
    static func blob(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> Data {
        guard let value = PQgetvalue(result, row, column) else { return Data() }
        let count = Int(PQgetlength(result, row, column))
        return value.withMemoryRebound(to: UInt8.self, capacity: count) { p -> Data in
            guard count >= 2, p[0] == 0x5C, p[1] == 0x78 else { return Data(UnsafeBufferPointer(start: p, count: count)) }
            func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57 }
            var data = Data(count: (count - 2) / 2)
            data.withUnsafeMutableBytes { out in
                for i in 0..<out.count { out[i] = nibble(p[2 + 2 * i]) << 4 | nibble(p[3 + 2 * i]) }
            }
            return data
        }
    }

    /// The kind of value a column holds, by its type's OID, for copying rows between ledgers.
    static func value(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> BindableValue {
        if isNull(result, row, column) { return .null }
        switch PQftype(result, column) {
        case 20, 21, 23: return .integer(integer(result, row, column))
        case 700, 701: return .real(real(result, row, column))
        case 17: return .blob(blob(result, row, column))
        default: return .text(text(result, row, column))
        }
    }
}

extension PostgresValues {
    static func columnCount(_ result: OpaquePointer) -> Int32 { PQnfields(result) }
}
