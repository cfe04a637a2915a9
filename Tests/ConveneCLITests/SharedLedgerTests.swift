import ConveneTestSupport
import Foundation
import Testing

/// Several `convene run` processes on one PostgreSQL ledger, killed and restarted while they work.
@Suite("several runners on one PostgreSQL ledger")
struct SharedLedgerTests {
    @Test("4 runners over 50,000 delegations, killed at random with SIGKILL and restarted, leave every message exactly once")
    func runnersKilledAtRandom() throws {
        let count = 50_000
        let w = try CLI.copy(CLI.fixture("mini"), into: try CLI.temporaryDirectory())
        try CrashSafetyTests.roster(count: count).write(to: w.appendingPathComponent("roster.csv"), atomically: true, encoding: .utf8)
        let server = try PostgresServer.shared
        let database = try server.makeDatabase()
        // A short lease, so that the work of a killed runner is taken over within the test.
        let arguments = ["run", w.path, "--ledger", database, "--now", "2024-02-15T23:59", "--lease", "3"]

        var random = SplitMix(seed: 20_240_527)
        var runners: [Process] = []
        for _ in 0..<4 { runners.append(try CLI.start(arguments)) }
        var kills = 0
        for _ in 0..<10 {
            Thread.sleep(forTimeInterval: 1.0 + Double(random.next() % 2000) / 1000)
            let i = Int(random.next() % 4)
            if runners[i].isRunning {
                kill(runners[i].processIdentifier, SIGKILL)
                kills += 1
            }
            runners[i].waitUntilExit()
            runners[i] = try CLI.start(arguments)
        }
        for runner in runners { runner.waitUntilExit() }
        #expect(kills >= 5, "most kills land while a runner works")
        // The blocks the last killed runners held are free once their leases have run out.
        Thread.sleep(forTimeInterval: 3.5)
        let final = try CLI.run(arguments)
        #expect(final.status == 0, "\(final.stderr)")

        // Every message once: in the ledger (an invitation and a reminder per delegation)…
        let psql = { (sql: String) in try server.psql(sql, database: database).trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(try psql("SELECT count(*) FROM message") == String(count * 2))
        #expect(try psql("SELECT count(DISTINCT delegation_id || step_id) FROM message") == String(count * 2))
        #expect(try psql("SELECT count(*) FROM message WHERE state <> 'delivered'") == "0")
        // …and in the outbox, with nothing left staged.
        let outbox = w.appendingPathComponent(".convene/outbox")
        let files = try FileManager.default.contentsOfDirectory(atPath: outbox.path)
        #expect(files.filter { $0.hasSuffix(".eml") }.count == count * 2)
        #expect(files.filter { !$0.hasSuffix(".eml") }.isEmpty, "nothing staged or half-written left: \(files.filter { !$0.hasSuffix(".eml") }.prefix(3))")
        let ids = try CrashSafetyTests().messageIDs(in: outbox)
        #expect(Set(ids).count == count * 2, "no Message-ID twice")
        // Nothing applied twice: one reminder per delegation and track, two status changes each.
        #expect(try psql("SELECT count(*), sum(reminders), max(reminders) FROM track_state") == "\(count * 2)|\(count * 2)|1")
        #expect(try psql("SELECT count(*) FROM audit WHERE action = 'status'") == String(count * 4))
        #expect(try psql("SELECT count(*) FROM step_progress") == String(count * 2))
    }
}
