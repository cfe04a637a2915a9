import Foundation
import Testing

@Suite("convene simulate")
struct SimulateCommandTests {
    /// The mini workflow with a reply page, so that letters carry signed links.
    func workspace() throws -> URL {
        let w = try CLI.copy(CLI.fixture("mini"), into: try CLI.temporaryDirectory())
        let file = w.appendingPathComponent("workflow.yaml")
        let yaml = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "tracks:\n", with: "reply-page:\n  url: https://convene.example.org/reply\ntracks:\n")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return w
    }

    /// Every file under a folder, by relative path, with its bytes.
    func contents(of folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let base = folder.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return files }
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            files[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return files
    }

    let replies = """
        delegation,track,answer,received,speaking,substitute_name,substitute_title,substitute_rank
        FRA,plenary,confirm,2024-02-05T10:00,yes,,,
        FRA,round-table,confirm,2024-02-05T10:00,no,,,
        ECU,round-table,decline,2024-02-20T16:30,no,,,
        EGY,round-table,substitute,2024-03-04T09:00,no,Deputy of Egypt,Ambassador,head-of-delegation
        GBR,round-table,confirm,2024-02-27T08:00,no,,,
        GBR,plenary,decline,2024-02-27T08:00,no,,,

        """

    @Test("a campaign simulated day by day: replies at their times, reminders only to those who owe a reply, a summary per track")
    func simulatesTheCampaign() throws {
        let w = try workspace()
        let file = w.appendingPathComponent("replies.csv")
        try replies.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["simulate", w.path, "--replies", file.path, "--json"], environment: ["CONVENE_KEYS": "/nonexistent"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "piped: no progress, only the summary: \(r.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let tracks = try #require(summary["tracks"] as? [[String: Any]])
        let roundTable = try #require(tracks.first { $0["id"] as? String == "round-table" })
        #expect(roundTable["invited"] as? Int == 4)
        // 14 days before (15 February): all but France owe the round table; 3 days before (26
        // February): Ecuador has declined, so Egypt and the United Kingdom.
        #expect(roundTable["reminded"] as? Int == 3)
        #expect(roundTable["confirmed"] as? Int == 2 && roundTable["declined"] as? Int == 1 && roundTable["substituted"] as? Int == 1)
        #expect(roundTable["late"] as? Int == 1, "Egypt replied after 29 February")
        // Two seats: by precedence then time of reply, France (5 Feb) and the United Kingdom (27
        // Feb) are ministers; Egypt's substitute is a head of delegation.
        #expect(roundTable["seated"] as? Int == 2 && roundTable["waitListed"] as? Int == 1)
        #expect(summary["replies"] as? Int == 6)

        let outbox = w.appendingPathComponent(".convene/simulation/outbox")
        let names = try FileManager.default.contentsOfDirectory(atPath: outbox.path).sorted()
        #expect(names.filter { $0.hasPrefix("invite-") }.count == 4)
        #expect(names.filter { $0.hasPrefix("remind-before-14d-") } == ["remind-before-14d-ECU.eml", "remind-before-14d-EGY.eml", "remind-before-14d-GBR.eml"])
        // After its decline of the round table on 20 February, Ecuador is reminded only of the
        // plenary, which it still owes.
        #expect(names.filter { $0.hasPrefix("remind-before-3d-") } == ["remind-before-3d-ECU.eml", "remind-before-3d-EGY.eml", "remind-before-3d-GBR.eml"])
        let ecuador = try String(contentsOf: outbox.appendingPathComponent("remind-before-3d-ECU.eml"), encoding: .utf8)
        #expect(ecuador.contains("Plenary") && !ecuador.contains("Round table"), "\(ecuador)")
        #expect(!names.contains { $0.contains("ECU") && ($0.hasPrefix("seat-") || $0.hasPrefix("before-the-event")) })
        // Messages are dated by the simulated clock.
        let invitation = try String(contentsOf: outbox.appendingPathComponent("invite-at-FRA.eml"), encoding: .utf8)
        #expect(invitation.contains("Date: Fri, 02 Feb 2024 09:00:00 +0000"), "\(invitation.prefix(400))")
        #expect(FileManager.default.fileExists(atPath: w.appendingPathComponent(".convene/simulation/artifacts/seating-round-table.svg").path))
        // The real ledger and outbox are not touched.
        #expect(!FileManager.default.fileExists(atPath: w.appendingPathComponent(".convene/ledger.sqlite").path))
    }

    @Test("two simulations with the same seed write the same bytes; another seed signs links differently")
    func reproducible() throws {
        let w = try workspace()
        let first = w.appendingPathComponent("first"), second = w.appendingPathComponent("second"), other = w.appendingPathComponent("other")
        for (folder, seed) in [(first, "7"), (second, "7"), (other, "8")] {
            let r = try CLI.run(["simulate", w.path, "--seed", seed, "--out", folder.path])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("round-table"), "\(r.stdout)")
        }
        let a = try contents(of: first.appendingPathComponent("outbox")), b = try contents(of: second.appendingPathComponent("outbox"))
        #expect(!a.isEmpty && a == b)
        #expect(try contents(of: first.appendingPathComponent("artifacts")) == contents(of: second.appendingPathComponent("artifacts")))
        let c = try contents(of: other.appendingPathComponent("outbox"))
        #expect(a["invite-at-FRA.eml"] != nil && a["invite-at-FRA.eml"] != c["invite-at-FRA.eml"], "links signed with another key")

        // A second run into the same folder starts afresh; a folder that is not a simulation's is refused.
        let again = try CLI.run(["simulate", w.path, "--seed", "7", "--out", first.path])
        #expect(again.status == 0)
        #expect(try contents(of: first.appendingPathComponent("outbox")) == b)
        let busy = w.appendingPathComponent("busy")
        try FileManager.default.createDirectory(at: busy, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: busy.appendingPathComponent("notes.txt"))
        let refused = try CLI.run(["simulate", w.path, "--out", busy.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is not empty and holds no earlier simulation"), "\(refused.stderr)")
        #expect(FileManager.default.fileExists(atPath: busy.appendingPathComponent("notes.txt").path))
    }

    @Test("replies sample: the same seed, the same export, which replies import reads")
    func sampleReplies() throws {
        let w = try workspace()
        let a = try CLI.run(["replies", "sample", w.path, "--seed", "3"])
        let b = try CLI.run(["replies", "sample", w.path, "--seed", "3"])
        #expect(a.status == 0 && a.stdout == b.stdout, "\(a.stderr)")
        #expect(a.stdout.hasPrefix("delegation,track,answer,received,speaking,"))
        let file = w.appendingPathComponent("sample.csv")
        try a.stdout.write(to: file, atomically: true, encoding: .utf8)
        let imported = try CLI.run(["replies", "import", w.path, file.path, "--by", "test"])
        #expect(imported.status == 0, "\(imported.stderr)")
    }

    @Test("a bad replies file is refused at its place, with status 1, before anything is simulated")
    func badReplies() throws {
        let w = try workspace()
        let file = w.appendingPathComponent("replies.csv")
        try "delegation,track,answer,received\nFRA,plenary,maybe,2024-02-05T10:00\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["simulate", w.path, "--replies", file.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("replies.csv:2:13: error: answer: 'maybe' is not confirm, decline or substitute"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: w.appendingPathComponent(".convene/simulation").path))
    }

    @Test("on a terminal, the simulation shows each day's progress on one line, then the summary")
    func progressOnATerminal() throws {
        // util-linux's `script` runs the command on a pseudo-terminal.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let w = try workspace()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "'\(CLI.executable.path)' simulate '\(w.path)'", "/dev/null"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output.contains("\r\u{1B}[K2024-02-02: 0 replies, 4 messages (4 in all)"), "\(output)")
        #expect(output.contains("simulated mini from 2024-02-02 10:00"), "\(output)")
    }
}
