import Foundation
import Testing

@Suite("crash safety")
struct CrashSafetyTests {
    /// A roster of `count` generated delegations.
    static func roster(count: Int) -> String {
        var lines = ["id,name_en,name_fr,language,principal_name,principal_title,principal_gender,principal_rank,email,focal_point_email,mission_email"]
        for i in 0..<count {
            let id = String(format: "D%05d", i)
            let language = ["en", "fr", "es", "ar", "ru", "zh"][i % 6]
            lines.append("\(id),Delegation \(i),Délégation \(i),\(language),Principal \(i),Minister,\(i % 2 == 0 ? "female" : "male"),minister,p\(i)@d\(i).example.org,f\(i)@d\(i).example.org,m\(i)@d\(i).example.org")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func messageIDs(in outbox: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".eml") }.map { name in
            let text = try String(contentsOf: outbox.appendingPathComponent(name), encoding: .utf8)
            let line = text.split(separator: "\r\n").first { $0.hasPrefix("Message-ID:") }
            return line.map(String.init) ?? ""
        }
    }

    /// Starts `convene` with `arguments` twelve times, killing each run with SIGKILL after a
    /// seeded delay shorter than `duration` / 14, so that twelve of them add up to less than one
    /// whole run and every kill lands mid-run.
    func killRepeatedly(_ arguments: [String], duration: TimeInterval, seed: UInt64) throws {
        let kills = try Self.killRepeatedly(arguments, times: 12, seed: seed) { random in
            (0.05 + Double(random % 1000) / 1000) * duration / 14
        }
        #expect(kills >= 10, "the kills should land while the run is in progress (run took \(duration) s)")
    }

    /// Starts `convene` with `arguments` `times` times, killing each run with SIGKILL after the
    /// delay `delay` makes of a seeded random number.
    /// - Returns: how many runs were killed (not finished before their delay).
    static func killRepeatedly(_ arguments: [String], times: Int, seed: UInt64, delay: (UInt64) -> TimeInterval) throws -> Int {
        var generator = SplitMix(seed: seed)
        var kills = 0
        for _ in 0..<times {
            let process = try CLI.start(arguments)
            usleep(useconds_t(delay(generator.next()) * 1_000_000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
        }
        return kills
    }

    @Test("a run killed with SIGKILL at many points, then rerun, leaves every message exactly once in the outbox and the ledger")
    func killedRunsLoseNothingAndSendNothingTwice() throws {
        let count = 3000
        let w = try CLI.copy(CLI.fixture("mini"), into: try CLI.temporaryDirectory())
        try Self.roster(count: count).write(to: w.appendingPathComponent("roster.csv"), atomically: true, encoding: .utf8)
        let arguments = ["run", w.path, "--now", "2024-02-15T23:59"]

        // How long an uninterrupted run takes, measured on a copy.
        let probe = try CLI.copy(w, into: try CLI.temporaryDirectory("probe"))
        let started = Date()
        let full = try CLI.run(["run", probe.path, "--now", "2024-02-15T23:59"])
        #expect(full.status == 0, "\(full.stderr)")
        let duration = Date().timeIntervalSince(started)

        try killRepeatedly(arguments, duration: duration, seed: 20240202)
        let final = try CLI.run(arguments)
        #expect(final.status == 0, "\(final.stderr)")

        let outbox = w.appendingPathComponent(".convene/outbox")
        let expected = try messageIDs(in: probe.appendingPathComponent(".convene/outbox")).sorted()
        let ids = try messageIDs(in: outbox).sorted()
        #expect(ids.count == expected.count)
        #expect(Set(ids).count == ids.count, "no message twice")
        #expect(ids == expected, "the same messages as an uninterrupted run")
        #expect(ids.count == count * 2, "an invitation and a reminder each")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { !$0.hasSuffix(".eml") }
        #expect(leftovers.isEmpty, "no temporary file left: \(leftovers.prefix(3))")

        let status = try CLI.run(["status", w.path, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as! [String: Any]
        #expect((object["messages"] as! [String: Int]) == ["delivered": count * 2])
    }

    @Test("a seating run killed at many points, its notifications committed in parts, ends with the plan and each notification exactly once")
    func killedSeatingRunsLoseNothingAndSendNothingTwice() throws {
        let count = 2600
        let w = try CLI.copy(CLI.fixture("mini"), into: try CLI.temporaryDirectory())
        try Self.roster(count: count).write(to: w.appendingPathComponent("roster.csv"), atomically: true, encoding: .utf8)
        var r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"])
        #expect(r.status == 0, "\(r.stderr)")
        // Every delegation confirms the round table (two seats): 2 seated, the rest wait-listed,
        // and every one of them notified, more than the engine commits at once.
        var export = "delegation,track,answer,received,speaking\n"
        for i in 0..<count { export += String(format: "D%05d", i) + ",round-table,confirm,2024-02-10T12:00,\(i % 50 == 0 ? "yes" : "no")\n" }
        try export.write(to: w.appendingPathComponent("export.csv"), atomically: true, encoding: .utf8)
        r = try CLI.run(["replies", "import", w.path, w.appendingPathComponent("export.csv").path, "--by", "desk"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try CLI.run(["run", w.path, "--now", "2024-03-01T09:00"])
        #expect(r.status == 0, "\(r.stderr)")
        let arguments = ["run", w.path, "--now", "2024-05-20T09:00"]

        let probe = try CLI.copy(w, into: try CLI.temporaryDirectory("probe"))
        let started = Date()
        let full = try CLI.run(["run", probe.path, "--now", "2024-05-20T09:00"])
        #expect(full.status == 0, "\(full.stderr)")
        let duration = Date().timeIntervalSince(started)

        try killRepeatedly(arguments, duration: duration, seed: 20240520)
        let final = try CLI.run(arguments)
        #expect(final.status == 0, "\(final.stderr)")

        func seatMessages(_ workflow: URL) throws -> [String] {
            let outbox = workflow.appendingPathComponent(".convene/outbox")
            let names = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasPrefix("seat-") && $0.hasSuffix(".eml") }
            return try names.map { name in
                let text = try String(contentsOf: outbox.appendingPathComponent(name), encoding: .utf8)
                return text.split(separator: "\r\n").first { $0.hasPrefix("Message-ID:") }.map(String.init) ?? ""
            }.sorted()
        }
        let ids = try seatMessages(w)
        #expect(ids.count == count, "one notification per delegation placed")
        #expect(Set(ids).count == ids.count, "no notification twice")
        #expect(ids == (try seatMessages(probe)), "the same notifications as an uninterrupted run")
        let plan = w.appendingPathComponent(".convene/artifacts/seating-round-table.json")
        let expected = probe.appendingPathComponent(".convene/artifacts/seating-round-table.json")
        #expect(try Data(contentsOf: plan) == Data(contentsOf: expected), "the same plan")
        let status = try CLI.run(["status", w.path, "--track", "round-table", "--json"])
        #expect(status.stdout.contains("\"seated\" : 2") || status.stdout.contains("\"seated\":2"), "\(status.stdout)")
    }
}

/// A small seeded generator, so that the kill points are the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}