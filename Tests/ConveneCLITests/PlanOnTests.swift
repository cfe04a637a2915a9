import Foundation
import Testing

@Suite("convene plan --on: what a run at a moment would do, per step and track, writing nothing")
struct PlanOnTests {
    /// The mini workflow copied into a scratch folder.
    func workspace(_ name: String = #function) throws -> URL {
        try CLI.copy(CLI.fixture("mini"), into: try CLI.temporaryDirectory(name))
    }

    func outbox(_ workflow: URL) throws -> [String] {
        let dir = workflow.appendingPathComponent(".convene/outbox")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".eml") }.sorted()
    }

    /// Every file under a folder, with its size, to see that nothing was added, removed or resized.
    func listing(_ folder: URL) -> [String] {
        let files = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []
        return files.sorted().map { name in
            let size = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.size] as? Int) ?? -1
            return "\(name) \(size)"
        }
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    /// A step of a projection, by id.
    func step(_ projection: [String: Any], _ id: String) throws -> [String: Any] {
        let steps = try #require(projection["steps"] as? [[String: Any]])
        return try #require(steps.first { $0["step"] as? String == id }, "no step \(id) in \(steps.map { $0["step"] ?? "" })")
    }

    /// A step's effects on a track, by track id.
    func track(_ step: [String: Any], _ id: String) throws -> [String: Any] {
        let tracks = try #require(step["tracks"] as? [[String: Any]])
        return try #require(tracks.first { $0["track"] as? String == id }, "no track \(id) in \(tracks)")
    }

    func replies(_ w: URL, _ answers: [(String, String, String)]) throws {
        for (i, (delegation, track, answer)) in answers.enumerated() {
            let r = try CLI.run([
                "replies", "add", w.path, "--delegation", delegation, "--track", track, "--answer", answer,
                "--received", "2024-02-1\(i)T12:00", "--by", "protocol.officer",
            ])
            #expect(r.status == 0, "\(r.stderr)")
        }
    }

    @Test("on a fresh workspace, the letter's date projects one invitation per delegation on both tracks, and leaves no ledger, outbox, key or scratch file")
    func freshWorkspace() throws {
        let w = try workspace()
        // With a reply page, a real run would make the workflow's signing key.
        let file = w.appendingPathComponent("workflow.yaml")
        let yaml = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "tracks:\n", with: "reply-page:\n  url: https://convene.example.org/reply\n  grace: 14d\ntracks:\n")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let scratch = try CLI.temporaryDirectory()
        let keys = scratch.appendingPathComponent("keys")
        let tmp = scratch.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let environment = ["CONVENE_KEYS": keys.path, "TMPDIR": tmp.path]

        var r = try CLI.run(["plan", w.path, "--on", "2024-02-02T10:00", "--json"], environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        let projection = try json(r.stdout)
        #expect(projection["at"] as? String == "2024-02-02T09:00:00Z")
        #expect(projection["timeZone"] as? String == "Europe/Zurich")
        #expect(projection["messages"] as? Int == 4)
        let steps = try #require(projection["steps"] as? [[String: Any]])
        #expect(steps.map { $0["step"] as? String } == ["invite"])
        let invite = try step(projection, "invite")
        #expect(invite["occurrence"] as? String == "at")
        #expect(invite["delegations"] as? Int == 4)
        #expect(invite["messages"] as? Int == 4, "one message per delegation, whatever the number of tracks")
        for id in ["plenary", "round-table"] {
            let t = try track(invite, id)
            #expect(t["messages"] as? Int == 4)
            #expect(t["statusChanges"] as? [String: Int] == ["invited": 4])
        }

        r = try CLI.run(["plan", w.path, "--on", "2024-02-02T10:00"], environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "plan on 2024-02-02 10:00 Europe/Zurich: what `convene run --now 2024-02-02T10:00` would do; nothing was written")
        #expect(lines.contains("invite  at          plenary      4         invited 4"), "\(r.stdout)")
        #expect(lines.contains("invite  at          round-table  4         invited 4"), "\(r.stdout)")
        #expect(lines.contains("4 new messages in all; a message concerning several tracks counts on each"), "\(r.stdout)")

        #expect(!FileManager.default.fileExists(atPath: w.appendingPathComponent(".convene").path))
        #expect(!FileManager.default.fileExists(atPath: keys.path), "no signing key was made")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty, "the throwaway copy is removed")

        // A real run makes the key; planning afterwards reads it and leaves it as it was.
        r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"], environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        let key = try Data(contentsOf: keys.appendingPathComponent("mini.key"))
        let before = listing(w)
        r = try CLI.run(["plan", w.path, "--on", "2024-02-02T10:00", "--json"], environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try json(r.stdout)["messages"] as? Int == 0, "the invitations went out already")
        #expect(try Data(contentsOf: keys.appendingPathComponent("mini.key")) == key)
        #expect(try FileManager.default.contentsOfDirectory(atPath: keys.path) == ["mini.key"])
        #expect(listing(w) == before)
    }

    @Test("after replies, the projection of the first reminder's date counts acknowledgements and reminders per track, changes nothing, and a real run then does exactly that")
    func projectionMatchesRun() throws {
        let w = try workspace()
        var r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"])
        #expect(r.status == 0, "\(r.stderr)")
        try replies(w, [("FRA", "plenary", "confirm"), ("FRA", "round-table", "confirm"), ("ECU", "round-table", "decline")])

        let ledger = w.appendingPathComponent(".convene/ledger.sqlite")
        let bytes = try Data(contentsOf: ledger)
        let files = try outbox(w)
        let before = listing(w)
        r = try CLI.run(["plan", w.path, "--on", "2024-02-15T23:59", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Data(contentsOf: ledger) == bytes, "the ledger's bytes are unchanged")
        #expect(try outbox(w) == files)
        #expect(listing(w) == before)

        let projection = try json(r.stdout)
        let remind = try step(projection, "remind")
        #expect(remind["occurrence"] as? String == "before-14d")
        #expect(remind["messages"] as? Int == 3)
        #expect(try track(remind, "plenary")["messages"] as? Int == 3)
        #expect(try track(remind, "plenary")["statusChanges"] as? [String: Int] == ["reminded": 3])
        #expect(try track(remind, "round-table")["messages"] as? Int == 2)
        #expect(try track(remind, "round-table")["statusChanges"] as? [String: Int] == ["reminded": 2])
        let acknowledge = try step(projection, "acknowledge")
        #expect(acknowledge["occurrence"] as? String == "on-reply")
        #expect(acknowledge["messages"] as? Int == 3)
        #expect(try track(acknowledge, "plenary")["messages"] as? Int == 1)
        #expect(try track(acknowledge, "plenary")["statusChanges"] as? [String: Int] == ["confirmed": 1])
        #expect(try track(acknowledge, "round-table")["messages"] as? Int == 2)
        #expect(try track(acknowledge, "round-table")["statusChanges"] as? [String: Int] == ["confirmed": 1, "declined": 1])

        let text = try CLI.run(["plan", w.path, "--on", "2024-02-15T23:59"])
        #expect(text.stdout.contains("acknowledge  on-reply    round-table  2         confirmed 1, declined 1"), "\(text.stdout)")

        // The real run sends and changes exactly what was projected.
        r = try CLI.run(["run", w.path, "--now", "2024-02-15T23:59"])
        #expect(r.status == 0, "\(r.stderr)")
        let sent = Set(try outbox(w)).subtracting(files)
        #expect(sent.count == projection["messages"] as? Int)
        #expect(sent.filter { $0.hasPrefix("remind-before-14d-") }.count == remind["messages"] as? Int)
        #expect(sent.filter { $0.hasPrefix("acknowledge-") }.count == acknowledge["messages"] as? Int)
        r = try CLI.run(["status", w.path, "--json"])
        let tracks = try #require(try json(r.stdout)["tracks"] as? [String: Any])
        for id in ["plenary", "round-table"] {
            let statuses = try #require((tracks[id] as? [String: Any])?["statuses"] as? [String: Int])
            var projected: [String: Int] = [:]
            for s in [remind, acknowledge] {
                for (status, n) in try track(s, id)["statusChanges"] as? [String: Int] ?? [:] { projected[status, default: 0] += n }
            }
            // Before the run every delegation was invited; the rest are the projected changes.
            projected["invited"] = 4 - projected.values.reduce(0, +)
            #expect(statuses.filter { $0.value > 0 } == projected.filter { $0.value > 0 }, "\(id)")
        }
    }

    @Test("the logistics date projects the round table's seats and wait-list within its capacity of 2, and the plan it would publish")
    func seating() throws {
        let w = try workspace()
        var r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"])
        #expect(r.status == 0, "\(r.stderr)")
        try replies(w, [("FRA", "round-table", "confirm"), ("EGY", "round-table", "confirm"), ("ECU", "round-table", "confirm")])
        r = try CLI.run(["run", w.path, "--now", "2024-02-15T23:59"])
        #expect(r.status == 0, "\(r.stderr)")

        r = try CLI.run(["plan", w.path, "--on", "2024-05-20T09:00", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let seat = try step(try json(r.stdout), "seat")
        #expect(seat["occurrence"] as? String == "at")
        let roundTable = try track(seat, "round-table")
        #expect(roundTable["statusChanges"] as? [String: Int] == ["seated": 2, "wait-listed": 1])
        #expect(roundTable["placements"] as? [String: Int] == ["seats": 2, "waitList": 1, "speakers": 0])
        #expect((seat["tracks"] as? [[String: Any]])?.count == 1, "the seat step runs on the round table only")
        #expect((seat["artifacts"] as? [String])?.contains("seating-round-table.csv") == true, "\(seat)")
        #expect(!FileManager.default.fileExists(atPath: w.appendingPathComponent(".convene/artifacts").path))

        let text = try CLI.run(["plan", w.path, "--on", "2024-05-20T09:00"])
        #expect(text.stdout.contains("round-table") && text.stdout.contains("seated 2, wait-listed 1") && text.stdout.contains("seats 2, wait-list 1"), "\(text.stdout)")
        #expect(text.stdout.contains("seat (at) would publish seating-round-table.csv"), "\(text.stdout)")

        r = try CLI.run(["run", w.path, "--now", "2024-05-20T09:00"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try CLI.run(["status", w.path, "--json", "--track", "round-table"])
        let statuses = (try json(r.stdout)["tracks"] as? [String: Any])?["round-table"] as? [String: Any]
        #expect((statuses?["statuses"] as? [String: Int])?["seated"] == 2)
        #expect((statuses?["statuses"] as? [String: Int])?["wait-listed"] == 1)
    }

    @Test("a date that is not one fails with status 1; --on with --from or --to is a usage error; neither writes anything")
    func refused() throws {
        let w = try workspace()
        var r = try CLI.run(["plan", w.path, "--on", "tomorrow"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: --on: 'tomorrow' is not a date such as 2024-02-02T10:00 (in Europe/Zurich)"), "\(r.stderr)")
        for bound in ["--from", "--to"] {
            r = try CLI.run(["plan", w.path, "--on", "2024-02-02T10:00", bound, "2024-02-01T00:00"])
            #expect(r.status == 64, "a usage error (EX_USAGE)")
            #expect(r.stderr.contains("--on shows one moment; it cannot be combined with --from or --to"), "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: w.appendingPathComponent(".convene").path))
    }
}
