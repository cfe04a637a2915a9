@testable import ConveneCore
import ConveneTestSupport
import Foundation
import Testing

/// The two places a ledger can be: every ledger test runs against both.
enum LedgerBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// A new, empty ledger: a SQLite file in a temporary folder, or a fresh database on the
    /// tests' PostgreSQL server.
    func makeLedger() throws -> Ledger {
        try Ledger(location())
    }

    /// Where a new, empty ledger would be.
    func location() throws -> LedgerLocation {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convene-ledger-\(UUID().uuidString)")
            return .sqlite(dir.appendingPathComponent("ledger.sqlite"))
        case .postgres:
            return .postgres(try PostgresServer.shared.makeDatabase())
        }
    }
}
