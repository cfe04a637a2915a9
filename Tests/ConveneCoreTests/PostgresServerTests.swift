import ConveneTestSupport
import Foundation
import Testing

/// The PostgreSQL server the PostgreSQL ledger's tests use: the one `CONVENE_TEST_POSTGRES` names,
/// or a throwaway one this process starts.
@Suite("PostgreSQL test server")
struct PostgresServerTests {
    @Test("two databases made for tests are distinct, empty and reachable")
    func twoDatabases() throws {
        let server = try PostgresServer.shared
        let a = try server.makeDatabase(), b = try server.makeDatabase()
        #expect(a != b)
        #expect(a.hasPrefix("postgres://") && b.hasPrefix("postgres://"))
        #expect(try server.psql("SELECT current_database()", database: a) == String(a.split(separator: "/").last!))
        #expect(try server.psql("SELECT current_database()", database: b) == String(b.split(separator: "/").last!))
        // What one holds, the other does not.
        try server.psql("CREATE TABLE t (x int); INSERT INTO t VALUES (1)", database: a)
        #expect(try server.psql("SELECT sum(x) FROM t", database: a) == "1")
        #expect(try server.psql("SELECT count(*) FROM pg_tables WHERE tablename = 't'", database: b) == "0")
        try server.dropDatabase(a)
        try server.dropDatabase(b)
        #expect(throws: PostgresServerError.self) { try server.psql("SELECT 1", database: a) }
    }

    @Test("a throwaway server listens on 127.0.0.1 only, without durability; CONVENE_TEST_POSTGRES is used when set")
    func configuration() throws {
        let server = try PostgresServer.shared
        let external = ProcessInfo.processInfo.environment["CONVENE_TEST_POSTGRES"] ?? ""
        #expect(server.isThrowaway == external.isEmpty)
        guard server.isThrowaway else {
            #expect(server.url == external)
            return
        }
        #expect(server.url.hasPrefix("postgres://postgres@127.0.0.1:"))
        #expect(try server.psql("SHOW listen_addresses") == "127.0.0.1")
        #expect(try server.psql("SHOW fsync") == "off")
        #expect(try server.psql("SHOW synchronous_commit") == "off")
        #expect(try server.psql("SHOW full_page_writes") == "off")
        #expect(FileManager.default.fileExists(atPath: server.logFile ?? ""))
    }

    @Test("tests in parallel each get a database of their own", arguments: 0..<4)
    func parallel(_ i: Int) throws {
        let server = try PostgresServer.shared
        let url = try server.makeDatabase("parallel \(i)")
        defer { try? server.dropDatabase(url) }
        #expect(url.contains("/t_parallel_\(i)_"))
        try server.psql("CREATE TABLE t AS SELECT \(i) AS x", database: url)
        #expect(try server.psql("SELECT x FROM t", database: url) == "\(i)")
    }
}
