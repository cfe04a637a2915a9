import ConveneCore
import ConveneKit
import Foundation
import Testing

@Suite("convene run, status, plan and replies")
struct RunCommandTests {
    /// The mini workflow copied into a scratch folder.
    func workspace(_ name: String = #function) throws -> URL {
        try CLI.copy(CLI.fixture("mini"), into: try CLI.temporaryDirectory(name))
    }

    /// A message file with its quoted-printable parts decoded, to read its French text.
    func readable(_ url: URL) throws -> String {
        let bytes = Array(try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "=\r\n", with: "").utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "="), i + 2 < bytes.count, let byte = UInt8(String(decoding: bytes[i + 1...i + 2], as: UTF8.self), radix: 16) {
                out.append(byte)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func outbox(_ workflow: URL) throws -> [String] {
        let dir = workflow.appendingPathComponent(".convene/outbox")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".eml") }.sorted()
    }

    @Test("the campaign runs tick by tick: invitations once, reminders only to those who have not replied, acknowledgements, a seating plan")
    func campaignLifeCycle() throws {
        let w = try workspace()
        let path = w.path

        // Before the letter's date nothing is due.
        var r = try CLI.run(["run", path, "--now", "2024-02-01T09:00"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("nothing due"))

        // The letter goes out: one message per delegation, whatever the number of tracks.
        r = try CLI.run(["run", path, "--now", "2024-02-02T10:00"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try outbox(w).filter { $0.hasPrefix("invite-") }.count == 4)

        // Running again at the same time does nothing new.
        r = try CLI.run(["run", path, "--now", "2024-02-02T10:00"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try outbox(w).count == 4)

        // France confirms the plenary and the round table; Ecuador declines the round table.
        for (delegation, track, answer) in [("FRA", "plenary", "confirm"), ("FRA", "round-table", "confirm"), ("ECU", "round-table", "decline")] {
            r = try CLI.run([
                "replies", "add", path, "--delegation", delegation, "--track", track, "--answer", answer,
                "--received", "2024-02-10T12:00", "--by", "protocol.officer", "--document", "NV-2024-\(delegation)",
            ])
            #expect(r.status == 0, "\(r.stderr)")
        }

        // 14 days before the deadline: acknowledgements to France (2) and Ecuador (1); reminders to all
        // who have an unanswered track (Ecuador still owes the plenary, France owes nothing).
        r = try CLI.run(["run", path, "--now", "2024-02-15T23:59"])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try outbox(w)
        #expect(files.filter { $0.hasPrefix("acknowledge-") }.count == 3)
        let reminded = files.filter { $0.hasPrefix("remind-before-14d-") }
        #expect(reminded.sorted() == ["remind-before-14d-ECU.eml", "remind-before-14d-EGY.eml", "remind-before-14d-GBR.eml"])

        // Status shows the transitions.
        r = try CLI.run(["status", path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let status = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let tracks = status["tracks"] as! [String: Any]
        let roundTable = (tracks["round-table"] as! [String: Any])["statuses"] as! [String: Int]
        #expect(roundTable["confirmed"] == 1)
        #expect(roundTable["declined"] == 1)
        #expect(roundTable["reminded"] == 2)

        // After the deadline, no more reminders.
        r = try CLI.run(["run", path, "--now", "2024-03-05T09:00"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try outbox(w).filter { $0.hasPrefix("remind-before-3d-") }.isEmpty)

        // Logistics: the seating plan of the round table holds the confirmed delegation.
        r = try CLI.run(["run", path, "--now", "2024-05-20T09:00"])
        #expect(r.status == 0, "\(r.stderr)")
        let plan = try String(contentsOf: w.appendingPathComponent(".convene/artifacts/seating-round-table.csv"), encoding: .utf8)
        #expect(plan.contains("FRA"))
        #expect(!plan.contains("ECU"))
        // A plan committed but whose file was lost (a run killed in between) is written again.
        let planFile = w.appendingPathComponent(".convene/artifacts/seating-round-table.csv")
        try FileManager.default.removeItem(at: planFile)
        r = try CLI.run(["run", path, "--now", "2024-05-20T09:00"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOf: planFile, encoding: .utf8) == plan)

        // France is told its seat, and the ledger keeps it.
        let notification = try readable(w.appendingPathComponent(".convene/outbox/seat-at-FRA.eml"))
        #expect(notification.contains("- Siège\u{A0}: 1\r\n"), "\(notification)")
        r = try CLI.run(["history", path, "--delegation", "FRA"])
        #expect(r.stdout.contains("placement") && r.stdout.contains("seat 1"), "\(r.stdout)")

        // Three days before the plenary, France is reminded of both tracks, with its seat at the round table.
        r = try CLI.run(["run", path, "--now", "2024-05-24T09:00"])
        #expect(r.status == 0, "\(r.stderr)")
        let before = try outbox(w).filter { $0.hasPrefix("before-the-event-") }
        #expect(before == ["before-the-event-before-3d-FRA.eml"])
        let reminder = try readable(w.appendingPathComponent(".convene/outbox/\(before[0])"))
        #expect(reminder.contains("«\u{A0}Plénière\u{A0}», 27 mai 2024, 09:00–18:00\r\n"), "\(reminder)")
        #expect(reminder.contains("«\u{A0}Table ronde\u{A0}», 28 mai 2024, 09:00–12:00\r\n- Siège\u{A0}: 1\r\n"), "\(reminder)")
    }

    @Test("an outbox that cannot be written fails the run with its path and status 1, records nothing as sent, and the next run writes each message once")
    func unwritableOutbox() throws {
        let w = try workspace()
        let blocked = w.appendingPathComponent("blocked")
        try Data("not a folder".utf8).write(to: blocked)
        var r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00", "--outbox", blocked.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error:") && r.stderr.contains(blocked.path), "\(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
        r = try CLI.run(["status", w.path, "--json"])
        let failed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect((failed["messages"] as? [String: Int] ?? [:]).isEmpty, "\(r.stdout)")

        // Nothing was recorded: the invitations are made and written by the next run.
        try FileManager.default.removeItem(at: blocked)
        r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00", "--outbox", blocked.path])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: blocked.path).sorted()
        #expect(files.filter { $0.hasPrefix("invite-") }.count == 4)
        #expect(files.allSatisfy { $0.hasSuffix(".eml") }, "\(files)")
        r = try CLI.run(["status", w.path, "--json"])
        let status = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect((status["messages"] as? [String: Int]) == ["delivered": 4], "\(r.stdout)")
    }

    @Test("with a reply page, each invitation carries its delegation's personal link, signed with a key kept outside the workflow")
    func personalReplyLinks() throws {
        let w = try workspace()
        let file = w.appendingPathComponent("workflow.yaml")
        var yaml = try String(contentsOf: file, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "tracks:\n", with: "reply-page:\n  url: https://convene.example.org/reply\n  grace: 14d\ntracks:\n")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let keys = try CLI.temporaryDirectory().appendingPathComponent("keys")
        let r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"], environment: ["CONVENE_KEYS": keys.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: keys.appendingPathComponent("mini.key").path))

        let text = try String(contentsOf: w.appendingPathComponent(".convene/outbox/invite-at-FRA.eml"), encoding: .utf8)
        let unfolded = text.replacingOccurrences(of: "=\r\n", with: "")
        let pattern = try Regex("https://convene\\.example\\.org/reply/FRA\\.[0-9]+\\.[A-Za-z0-9_-]{43}")
        let link = try #require(unfolded.firstMatch(of: pattern).map { String(unfolded[$0.range]) })

        // The link checks out for France with the kept key, until 14 days after the deadline.
        let workflow = try WorkflowLoader(plugins: PluginRegistry(searchPath: [CLI.executable.deletingLastPathComponent()])).load(w.path).workflow
        let engine = Engine(
            workflow: workflow, plugins: PluginRegistry(searchPath: []), ledger: try Ledger(url: w.appendingPathComponent(".convene/ledger.sqlite")),
            outbox: FileOutbox(directory: w), artifactsDirectory: w, signingKeys: SigningKeyStore(directory: keys))
        let links = try #require(try engine.replyLinks())
        let checked = try links.verify(link, now: workflow.event.dates["deadlines.reply"]!)
        #expect(checked.delegation == "FRA")
        #expect(checked.expires == workflow.replyPage!.expires)
        #expect(workflow.replyPage!.expires.timeIntervalSince(workflow.event.dates["deadlines.reply"]!) == 14 * 86_400)
        #expect(!text.contains("mini.key"))
    }

    @Test("replies import records a registration export with its provenance, skips what it already holds, and acknowledges each reply once")
    func importReplies() throws {
        let w = try workspace()
        var r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"])
        #expect(r.status == 0, "\(r.stderr)")
        let export = w.appendingPathComponent("export.csv")
        try """
            id,track,answer,received,speaking,substitute_name,substitute_title,substitute_rank
            FRA,plenary,confirm,2024-02-10T12:00,yes,,,
            ECU,round-table,substitute,2024-02-11T09:30,no,Ana Pérez,Vice-Minister,vice-minister
            EGY,round-table,decline,2024-02-12T08:00:00Z,,,,

            """.write(to: export, atomically: true, encoding: .utf8)
        r = try CLI.run(["replies", "import", w.path, export.path, "--by", "registration.desk"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("recorded 3 replies"), "\(r.stdout)")

        // A later export repeats the rows and adds one: only the new one is recorded.
        try (try String(contentsOf: export, encoding: .utf8) + "GBR,plenary,decline,2024-02-13T10:00,no,,,\n")
            .write(to: export, atomically: true, encoding: .utf8)
        r = try CLI.run(["replies", "import", w.path, export.path, "--by", "registration.desk"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("recorded 1 reply") && r.stdout.contains("3 already in the ledger"), "\(r.stdout)")

        r = try CLI.run(["run", w.path, "--now", "2024-02-14T09:00"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try outbox(w).filter { $0.hasPrefix("acknowledge-") }.count == 4)
        r = try CLI.run(["status", w.path, "--json"])
        let status = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let roundTable = ((status["tracks"] as! [String: Any])["round-table"] as! [String: Any])["statuses"] as! [String: Int]
        #expect(roundTable["substituted"] == 1 && roundTable["declined"] == 1, "\(roundTable)")

        // The ledger keeps where each reply came from: the file and line, and who imported it.
        let ledger = try Ledger(url: w.appendingPathComponent(".convene/ledger.sqlite"))
        let audit = try ledger.auditTrail(delegation: "ECU").map(\.detail)
        #expect(audit.contains { $0.contains("substitute via csv-import (\(export.path):3)") }, "\(audit)")
    }

    @Test("accompanying persons are taken where the track allows them, up to its number, and refused elsewhere")
    func accompanying() throws {
        let w = try workspace()
        let file = w.appendingPathComponent("workflow.yaml")
        let yaml = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "    capacity: 2\n", with: "    capacity: 2\n    accompanying: 1\n")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        var r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"])
        #expect(r.status == 0, "\(r.stderr)")
        func add(_ track: String, _ count: Int) throws -> CLI.Result {
            try CLI.run([
                "replies", "add", w.path, "--delegation", "FRA", "--track", track, "--answer", "confirm",
                "--accompanying", String(count), "--received", "2024-02-10T12:00", "--by", "desk",
            ])
        }
        r = try add("round-table", 2)
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: --accompanying: track 'round-table' allows at most 1 accompanying person, not 2"), "\(r.stderr)")
        r = try add("plenary", 1)
        #expect(r.status == 1)
        #expect(r.stderr.contains("track 'plenary' takes no accompanying persons"), "\(r.stderr)")
        r = try add("round-table", 1)
        #expect(r.status == 0, "\(r.stderr)")
        let ledger = try Ledger(url: w.appendingPathComponent(".convene/ledger.sqlite"))
        #expect(try ledger.states(tracks: ["round-table"])["FRA"]?["round-table"]?.reply?.accompanying == 1)

        let export = w.appendingPathComponent("export.csv")
        try "delegation,track,answer,received,accompanying\nEGY,round-table,confirm,2024-02-11T09:00,3\nECU,round-table,confirm,2024-02-11T09:00,many\n"
            .write(to: export, atomically: true, encoding: .utf8)
        r = try CLI.run(["replies", "import", w.path, "export.csv", "--by", "desk"], in: w)
        #expect(r.status == 1)
        #expect(r.stderr.contains("export.csv:2:") && r.stderr.contains("allows at most 1 accompanying person, not 3"), "\(r.stderr)")
        #expect(r.stderr.contains("export.csv:3:") && r.stderr.contains("'many' is not a number"), "\(r.stderr)")
    }

    @Test("history shows a delegation's trail in order: invitation, the reply with its document and who entered it, the status it set")
    func history() throws {
        let w = try workspace()
        var r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try CLI.run([
            "replies", "add", w.path, "--delegation", "FRA", "--track", "plenary", "--answer", "confirm",
            "--received", "2024-02-10T12:00", "--by", "protocol.officer", "--document", "NV-2024-17",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        r = try CLI.run(["run", w.path, "--now", "2024-02-15T23:59"])
        #expect(r.status == 0, "\(r.stderr)")

        r = try CLI.run(["history", w.path, "--delegation", "FRA", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        let plenary = entries.filter { $0["track"] as? String == "plenary" }.map { "\($0["actor"]!) \($0["detail"]!)" }
        #expect(plenary == [
            "invite not-invited → invited", "protocol.officer #1 confirm via staff (NV-2024-17)", "acknowledge invited → confirmed",
        ])
        #expect(entries.allSatisfy { $0["delegation"] as? String == "FRA" })

        r = try CLI.run(["history", w.path, "--delegation", "FRX"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: no delegation 'FRX' in the roster (did you mean 'FRA'?)"), "\(r.stderr)")
    }

    @Test("a bad export is refused row by row, at each place, and records nothing")
    func importRefused() throws {
        let w = try workspace()
        let export = w.appendingPathComponent("export.csv")
        try """
            delegation,track,answer,recieved
            FRA,plenary,confirm,2024-02-10T12:00

            """.write(to: export, atomically: true, encoding: .utf8)
        var r = try CLI.run(["replies", "import", w.path, export.path, "--by", "desk"], in: w)
        #expect(r.status == 1)
        #expect(r.stderr.contains("export.csv:1:25: error: unknown column 'recieved' (did you mean 'received'?)"), "\(r.stderr)")

        try """
            delegation,track,answer,received
            FRA,plenary,confirm,2024-02-10T12:00
            FRX,plenary,confirm,2024-02-10T12:00
            ECU,plenry,maybe,yesterday
            EGY,round-table,substitute,2024-02-11T09:00

            """.write(to: export, atomically: true, encoding: .utf8)
        r = try CLI.run(["replies", "import", w.path, export.path, "--by", "desk"], in: w)
        #expect(r.status == 1)
        let err = r.stderr
        #expect(err.contains("export.csv:3:1: error: delegation: no delegation 'FRX' in the roster (did you mean 'FRA'?)"), "\(err)")
        #expect(err.contains("export.csv:4:5: error: track: unknown track 'plenry' (did you mean 'plenary'?)"), "\(err)")
        #expect(err.contains("export.csv:4:12: error: answer: 'maybe' is not confirm, decline or substitute"), "\(err)")
        #expect(err.contains("export.csv:4:18: error: received: 'yesterday' is not a date"), "\(err)")
        #expect(err.contains("export.csv:5:") && err.contains("substitute's name"), "\(err)")
        #expect(err.contains("5 errors"), "\(err)")

        try """
            delegation,track,answer,received,speaking,speaking_requested
            FRA,plenary,confirm,2024-02-10T12:00,no,2024-02-09T12:00
            ECU,plenary,confirm,2024-02-10T12:00,yes,2024-02-11T12:00
            EGY,plenary,confirm,2024-02-10T12:00,yes,soon

            """.write(to: export, atomically: true, encoding: .utf8)
        r = try CLI.run(["replies", "import", w.path, export.path, "--by", "desk"], in: w)
        #expect(r.status == 1)
        #expect(r.stderr.contains("export.csv:2:41: error: speaking_requested: a time of request needs speaking set to yes"), "\(r.stderr)")
        #expect(r.stderr.contains("export.csv:3:42: error: speaking_requested: speaking time cannot be requested after the reply was received"), "\(r.stderr)")
        #expect(r.stderr.contains("export.csv:4:42: error: speaking_requested: 'soon' is not a date"), "\(r.stderr)")
        // Checked before the ledger is opened: not one reply recorded.
        let ledger = w.appendingPathComponent(".convene/ledger.sqlite")
        if FileManager.default.fileExists(atPath: ledger.path) {
            #expect(try Ledger(url: ledger).replyCounts().isEmpty)
        }
    }

    @Test("messages are RFC 5322 files with a Message-ID, French subject encoded, and an iCalendar part")
    func invitationFileShape() throws {
        let w = try workspace()
        let r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"])
        #expect(r.status == 0, "\(r.stderr)")
        let eml = try String(contentsOf: w.appendingPathComponent(".convene/outbox/invite-at-FRA.eml"), encoding: .utf8)
        #expect(eml.contains("Message-ID: <"))
        #expect(eml.contains("To: "))
        #expect(eml.contains("Cc: "))
        #expect(eml.contains("text/calendar"))
        #expect(eml.contains("\r\n"))
    }

    @Test("plan shows the timeline without writing anything")
    func planWritesNothing() throws {
        let w = try workspace()
        let r = try CLI.run(["plan", w.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let entries = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        #expect(entries.map { $0["step"] as! String } == ["invite", "remind", "remind", "seat", "before-the-event"])
        #expect(entries.map { $0["occurrence"] as! String } == ["at", "before-14d", "before-3d", "at", "before-3d"])
        #expect(!FileManager.default.fileExists(atPath: w.appendingPathComponent(".convene").path))
        let text = try CLI.run(["plan", w.path])
        #expect(text.stdout.contains("2024-02-15 23:59"))
    }

    @Test("a reply for an unknown delegation or track, or a --now that is not a date, is refused with exit status 1")
    func badReplyRefused() throws {
        let w = try workspace()
        var r = try CLI.run(["replies", "add", w.path, "--delegation", "XXX", "--track", "plenary", "--answer", "confirm", "--by", "me"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: no delegation 'XXX' in the roster"))
        r = try CLI.run(["replies", "add", w.path, "--delegation", "FRA", "--track", "gala", "--answer", "confirm", "--by", "me"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: unknown track 'gala'; the workflow has plenary, round-table"))
        r = try CLI.run(["run", w.path, "--now", "tomorrow"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: --now: 'tomorrow' is not a date such as 2024-02-02T10:00 (in Europe/Zurich)"))
        #expect(!FileManager.default.fileExists(atPath: w.appendingPathComponent(".convene").path), "nothing written")
    }

    @Test("convene plugins lists the four built-in steps, also as JSON")
    func pluginsListed() throws {
        let r = try CLI.run(["plugins", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let ids = (object["plugins"] as! [[String: Any]]).map { $0["id"] as! String }.sorted()
        #expect(ids == ["confirm", "invite", "remind", "seat"])
    }
}
