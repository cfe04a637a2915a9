@testable import ConveneCore
import ConveneKit
import Foundation
import Testing

@Suite("ledger: runners' claims and migrations")
struct LedgerClaimTests {
    func roster(_ l: Ledger, count: Int) throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        try l.syncRoster(
            (0..<count).map { i in
                Delegation(
                    id: "D\(i)", names: ["en": "D\(i)"], language: "en", principal: Principal(name: "P", title: "T", gender: .female),
                    addresses: [Address(role: .principal, mailbox: Mailbox(email: "d\(i)@example.org"))])
            }, at: now)
    }

    @Test("a block one runner holds is not claimed by another until its lease runs out; then it is taken over", arguments: LedgerBackend.allCases)
    func claimsAndLeases(_ backend: LedgerBackend) throws {
        let l = try backend.makeLedger()
        var a = RunnerIdentity(lease: 60)
        a.id = "a"
        var b = RunnerIdentity(lease: 60)
        b.id = "b"
        let loaded = Date()
        let first = try l.claim(runKey: "k", blocks: [0, 1, 2], runner: a, loaded: loaded, limit: 2)
        #expect(first.map(\.block) == [0, 1])
        #expect(first.allSatisfy { !$0.takenOver })
        // b gets what a does not hold.
        #expect(try l.claim(runKey: "k", blocks: [0, 1, 2], runner: b, loaded: loaded, limit: 8).map(\.block) == [2])
        // b may claim its own block again (a batch of its earlier round may not have committed).
        let again = try l.claim(runKey: "k", blocks: [0, 1, 2], runner: b, loaded: loaded, limit: 8)
        #expect(again.map(\.block) == [2])
        #expect(again.first?.takenOver == false)
        // Another occurrence's block 0 waits while a holds this one's: steps run over a block in
        // workflow order. Its block 5 does not.
        #expect(try l.claim(runKey: "other", blocks: [0, 5], runner: b, loaded: loaded, limit: 8).map(\.block) == [5])

        // a releases block 0 after its last batch: b, which read the ledger before, skips it;
        // a runner that reads the ledger after takes it.
        try l.release(first[0], runner: a)
        #expect(try l.claim(runKey: "k", blocks: [0], runner: b, loaded: loaded, limit: 8).isEmpty)
        #expect(try l.claim(runKey: "k", blocks: [0], runner: b, loaded: Date().addingTimeInterval(1), limit: 8).map(\.block) == [0])

        // a dies holding block 1: once its lease has run out, b takes it over, and a's next
        // batch under it is refused, recording nothing.
        var short = a
        short.lease = 0.2
        let held = try l.claim(runKey: "k", blocks: [3], runner: short, loaded: loaded, limit: 1)
        #expect(held.map(\.block) == [3])
        Thread.sleep(forTimeInterval: 0.4)
        let taken = try l.claim(runKey: "k", blocks: [3], runner: b, loaded: loaded, limit: 1)
        #expect(taken.map(\.block) == [3])
        #expect(taken.first?.takenOver == true)
        try roster(l, count: 1)
        var batch = LedgerBatch(stepID: "invite", at: Date())
        batch.transitions = [.init(delegation: "D0", track: "t", from: .notInvited, to: .invited)]
        batch.processed = [("k", "D0")]
        batch.claim = (held[0], short)
        let error = #expect(throws: LedgerError.self) { try l.apply(batch) }
        #expect(error?.isClaimLost == true)
        #expect(try l.processed(runKey: "k").isEmpty, "nothing of the refused batch is recorded")
        #expect(try l.statusCounts(tracks: ["t"])["t"]?[.invited] == nil)
        // b's batch under the claim it took goes in, and renews it.
        batch.claim = (taken[0], b)
        try l.apply(batch)
        #expect(try l.processed(runKey: "k") == ["D0"])
    }

    @Test("the delegations of a block an occurrence has done are read by roster position", arguments: LedgerBackend.allCases)
    func processedByPosition(_ backend: LedgerBackend) throws {
        let l = try backend.makeLedger()
        try roster(l, count: 3000)
        var batch = LedgerBatch(stepID: "invite", at: Date())
        batch.processed = [("k", "D5"), ("k", "D1500"), ("k", "D2999"), ("other", "D6")]
        try l.apply(batch)
        #expect(try l.processed(runKey: "k", positions: 0..<1024) == ["D5"])
        #expect(try l.processed(runKey: "k", positions: 1024..<2048) == ["D1500"])
        #expect(try l.processed(runKey: "k", positions: 2048..<3072) == ["D2999"])
    }

    @Test("a ledger records its migrations; one from a newer Convene is refused with a message", arguments: LedgerBackend.allCases)
    func migrations(_ backend: LedgerBackend) throws {
        let location = try backend.location()
        let l = try Ledger(location)
        let ids = try l.database.read { db in
            var ids: [String] = []
            try db.forEachRow("SELECT id FROM ledger_migration ORDER BY id") { ids.append($0.text(0)) }
            return ids
        }
        #expect(ids == LedgerSchema.migrations.map(\.id))
        // Opening it again migrates nothing.
        _ = try Ledger(location)
        try l.database.write { db in
            _ = try db.execute("INSERT INTO ledger_migration (id, applied_at) VALUES ('v99', 0)")
        }
        let error = #expect(throws: LedgerError.self) { try Ledger(location) }
        #expect(error?.message.contains("newer version of Convene") == true)
        #expect(error?.message.contains("v99") == true)
    }

    @Test("a SQLite ledger written before ledger_migration is adopted, its artifacts numbered in their order")
    func earlierSQLiteLedgerAdopted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convene-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("ledger.sqlite")
        // The version 1 schema as GRDB's migrator left it: artifacts without a seq column.
        let old = try LedgerDatabase(.sqlite(url))
        try old.write { db in
            let v1 = LedgerSchema.version1(.sqlite).replacingOccurrences(
                of: "seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, step_id TEXT NOT NULL, occurrence TEXT NOT NULL, name TEXT NOT NULL",
                with: "key TEXT PRIMARY KEY, step_id TEXT NOT NULL, occurrence TEXT NOT NULL, name TEXT NOT NULL")
            #expect(v1 != LedgerSchema.version1(.sqlite))
            try db.execute(script: v1)
            try db.execute(script: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); INSERT INTO grdb_migrations VALUES ('v1');")
            try db.execute(script: """
                INSERT INTO artifact VALUES ('z', 'seat', 'at', 'plan.csv', 'text/csv', 'first', 1);
                INSERT INTO artifact VALUES ('a', 'seat', 'at', 'plan.csv', 'text/csv', 'second', 2);
                """)
        }
        let l = try Ledger(url: url)
        #expect(try l.artifacts().map(\.content) == ["first", "second"])
        #expect(try l.missingArtifacts(exists: { _ in false }).map(\.content) == ["second"])
    }

    @Test("a PostgreSQL ledger copies into a SQLite file row for row, as `convene plan` reads it")
    func copyRows() throws {
        let l = try LedgerBackend.postgres.makeLedger()
        try roster(l, count: 3)
        var batch = LedgerBatch(stepID: "invite", at: Date(timeIntervalSince1970: 1_700_000_000))
        batch.messages = [
            .init(key: "k·D0", messageID: "m@example.org", delegation: "D0", occurrence: "at", fileName: "D0.eml", subject: "S",
                  content: Data([0, 1, 2, 255, 0x5C]))
        ]
        batch.transitions = [.init(delegation: "D0", track: "t", from: .notInvited, to: .invited)]
        try l.apply(batch)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("convene-copy-\(UUID().uuidString).sqlite")
        try Ledger.copy(l.location, to: url)
        let copy = try Ledger(url: url)
        #expect(try copy.statusCounts(tracks: ["t"]) == l.statusCounts(tracks: ["t"]))
        #expect(try copy.auditTrail().map(\.detail) == l.auditTrail().map(\.detail))
        #expect(try copy.queuedMessages(limit: 10).map(\.content) == [Data([0, 1, 2, 255, 0x5C])])
        #expect(try l.queuedMessages(limit: 10).map(\.content) == [Data([0, 1, 2, 255, 0x5C])])
    }
}
