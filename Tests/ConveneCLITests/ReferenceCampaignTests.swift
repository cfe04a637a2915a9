import Foundation
import Testing

/// The reference campaign (ITU circular letter CL-24/2) simulated end to end with its file of
/// simulated replies, and checked against the replies themselves.
@Suite("the reference campaign, simulated")
struct ReferenceCampaignTests {
    /// A row of the simulated replies.
    struct Row {
        var delegation: String
        var track: String
        var answer: String
        var received: Date
        var speaking: Bool
        var rank: String
    }

    static let zurich = TimeZone(identifier: "Europe/Zurich")!

    static func local(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zurich
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.date(from: text)
    }

    /// RFC 4180 records of a CSV text.
    static func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        chars = chars.dropFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\n" || c == "\r" {
                if c == "\r", chars.first == "\n" { chars = chars.dropFirst() }
                record.append(field)
                if record != [""] { records.append(record) }
                record = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty { records.append(record + [field]) }
        return records
    }

    /// Rows of a CSV file by column name.
    static func table(_ url: URL) throws -> [[String: String]] {
        let records = records(try String(contentsOf: url, encoding: .utf8))
        guard let header = records.first else { return [] }
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// The `Date:` header of a message file.
    static func date(of url: URL) throws -> Date {
        let text = try String(contentsOf: url, encoding: .utf8)
        let line = try #require(text.split(separator: "\r\n").first { $0.hasPrefix("Date: ") })
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return try #require(formatter.date(from: String(line.dropFirst(6))))
    }

    /// Letters and digits, case and accents folded: the primary key of French alphabetical order.
    static func key(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }))
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr"))
    }

    @Test("193 invitations; reminders only to who owed a reply; nothing after a decline; the round table in French order from the draw; speakers by precedence")
    func referenceCampaign() throws {
        let w = try CLI.copy(CLI.packageRoot.appendingPathComponent("workflows/wsis20-2024"), into: try CLI.temporaryDirectory())
        let roster = try Self.table(w.appendingPathComponent("roster.csv"))
        #expect(roster.count == 193)
        let r = try CLI.run(["simulate", w.path, "--json"], environment: try CLI.referenceEnvironment())
        #expect(r.status == 0, "\(r.stderr)")
        let outbox = w.appendingPathComponent(".convene/simulation/outbox")
        let artifacts = w.appendingPathComponent(".convene/simulation/artifacts")
        let files = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".eml") }.sorted()
        func delegation(of file: String, prefix: String) -> String { String(file.dropFirst(prefix.count).dropLast(4)) }

        // Exactly one invitation per Member State.
        let invitations = files.filter { $0.hasPrefix("invite-at-") }
        #expect(invitations.count == 193)
        #expect(Set(invitations.map { delegation(of: $0, prefix: "invite-at-") }) == Set(roster.compactMap { $0["id"] }))

        // The replies, as the simulation read them.
        let replies = try Self.table(w.appendingPathComponent("simulated-replies.csv")).map { row in
            Row(
                delegation: row["delegation"] ?? "", track: row["track"] ?? "", answer: row["answer"] ?? "",
                received: Self.local(row["received"] ?? "") ?? .distantFuture, speaking: row["speaking"] == "yes",
                rank: row["substitute_rank"] ?? "")
        }
        #expect(Set(replies.map(\.answer)) == ["confirm", "decline", "substitute"], "the file exercises every answer")
        let deadline = try #require(Self.local("2024-02-29T23:59"))
        #expect(replies.contains { $0.received > deadline }, "and late replies")
        #expect(replies.contains { $0.speaking }, "and requests for speaking time")

        // Reminders: at each date, exactly the delegations with an invitation-only track unanswered.
        let invitationTracks = ["hld", "mrt", "aigd-morning"]
        for (occurrence, date) in [("before-14d", "2024-02-15T23:59"), ("before-3d", "2024-02-26T23:59")] {
            let at = try #require(Self.local(date))
            let owing = Set(roster.compactMap { $0["id"] }.filter { id in
                invitationTracks.contains { track in !replies.contains { $0.delegation == id && $0.track == track && $0.received <= at } }
            })
            let prefix = "remind-\(occurrence)-"
            let reminded = Set(files.filter { $0.hasPrefix(prefix) }.map { delegation(of: $0, prefix: prefix) })
            #expect(reminded == owing, "\(occurrence): \(reminded.symmetricDifference(owing).sorted())")
        }

        // Nothing but its acknowledgement to a delegation after it declined every track it was invited to.
        var declinedAll: [String: Date] = [:]
        for id in roster.compactMap({ $0["id"] }) {
            let latest = invitationTracks.map { track in replies.filter { $0.delegation == id && $0.track == track }.max { $0.received < $1.received } }
            guard latest.allSatisfy({ $0?.answer == "decline" }) else { continue }
            declinedAll[id] = latest.compactMap { $0?.received }.max()
        }
        #expect(!declinedAll.isEmpty)
        for file in files where !file.hasPrefix("acknowledge-") {
            for (id, at) in declinedAll where file.hasSuffix("-\(id).eml") {
                #expect(try Self.date(of: outbox.appendingPathComponent(file)) <= at, "\(file) after \(id) declined")
            }
        }

        // The round table: every delegation that confirmed (or sent a substitute), seated or
        // wait-listed, the seats in French alphabetical order from the delegation drawn.
        let plan = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: artifacts.appendingPathComponent("seating-mrt.json"))) as? [String: Any])
        let seats = try #require(plan["seats"] as? [[String: Any]])
        let waiting = try #require(plan["waitList"] as? [[String: Any]])
        let attending = Set(roster.compactMap { $0["id"] }.filter { id in
            let latest = replies.filter { $0.delegation == id && $0.track == "mrt" }.max { $0.received < $1.received }
            return latest.map { $0.answer != "decline" } ?? false
        })
        #expect(Set((seats + waiting).compactMap { $0["id"] as? String }) == attending)
        #expect(seats.count <= 60)
        let keys = seats.compactMap { $0["name"] as? String }.map(Self.key)
        let descents = zip(keys, keys.dropFirst()).filter { $0.0.compare($0.1, locale: Locale(identifier: "fr")) == .orderedDescending }.count
        #expect(descents <= 1, "a rotation of the alphabetical order: \(keys)")
        let draw = try #require(plan["draw"] as? [String: Any])
        #expect(draw["seed"] as? Int == 20240528)
        let chart = try String(contentsOf: artifacts.appendingPathComponent("seating-mrt.svg"), encoding: .utf8)
        for seat in seats { #expect(chart.contains("data-delegation=\"\(seat["id"] as? String ?? "?")\"")) }

        // Its name badges (the badges example plugin, after the seating): one for each delegation
        // seated, none for the wait-listed; the round table seats ministers only.
        func badged(_ track: String) throws -> (sheet: String, ids: [String]) {
            let sheet = try String(contentsOf: artifacts.appendingPathComponent("badges-\(track).svg"), encoding: .utf8)
            return (sheet, sheet.matches(of: /data-delegation="([A-Z]{3})"/).map { String($0.1) })
        }
        let roundTable = try badged("mrt")
        #expect(roundTable.ids.count == seats.count)
        #expect(Set(roundTable.ids) == Set(seats.compactMap { $0["id"] as? String }))
        #expect(!roundTable.sheet.contains("data-category=\"delegate\""))
        // The High-Level Dialogues seat everyone who attends: a badge each, with the name of the
        // substitute where the latest reply sent one, in the delegates' colour.
        let dialogues = try badged("hld")
        let dialoguesPlan = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: artifacts.appendingPathComponent("seating-hld.json"))) as? [String: Any])
        #expect(Set(dialogues.ids) == Set(try #require(dialoguesPlan["seats"] as? [[String: Any]]).compactMap { $0["id"] as? String }))
        var latest: [String: [String: String]] = [:]
        for row in try Self.table(w.appendingPathComponent("simulated-replies.csv")) where row["track"] == "hld" {
            let id = row["delegation"] ?? ""
            if (latest[id]?["received"] ?? "") <= (row["received"] ?? "") { latest[id] = row }
        }
        let substitutes = latest.values.filter { $0["answer"] == "substitute" }
        #expect(!substitutes.isEmpty)
        for row in substitutes {
            // A badge's lines, one <text> each, read as one text.
            let id = try #require(row["delegation"])
            let group = try #require(dialogues.sheet.firstMatch(of: try Regex("data-delegation=\"\(id)\"[^>]*>(.*?)</g>").dotMatchesNewlines()))
            let text = String(try #require(group[1].substring)).matches(of: />([^<]*)<\/text>/).map { String($0.1) }.joined(separator: " ")
            #expect(text.contains(try #require(row["substitute_name"])) && text.contains("DÉLÉGATION"), "\(text)")
        }
        #expect(dialogues.sheet.contains("data-category=\"minister\"") && dialogues.sheet.contains("data-category=\"delegate\""))

        // The speakers' list of the High-Level Dialogues: by precedence, then time of request.
        let ladder = ["head-of-state", "head-of-government", "vice-president", "deputy-prime-minister", "minister", "vice-minister", "head-of-delegation"]
        let speakers = try Self.table(artifacts.appendingPathComponent("speakers-hld.csv"))
        #expect(!speakers.isEmpty)
        let levels = speakers.map { ladder.firstIndex(of: $0["rank"] ?? "") ?? ladder.count }
        #expect(levels == levels.sorted(), "\(levels)")
        let ids = speakers.compactMap { $0["id"] }
        #expect(Set(ids).count == ids.count, "one speaker per delegation")
    }

    @Test("the reference campaign simulated twice on fresh ledgers with the same seed writes the same bytes")
    func reproducible() throws {
        let w = try CLI.copy(CLI.packageRoot.appendingPathComponent("workflows/wsis20-2024"), into: try CLI.temporaryDirectory())
        var outputs: [[String: Data]] = []
        for name in ["first", "second"] {
            let folder = w.appendingPathComponent(name)
            let r = try CLI.run(["simulate", w.path, "--seed", "42", "--out", folder.path], environment: try CLI.referenceEnvironment())
            #expect(r.status == 0, "\(r.stderr)")
            var files: [String: Data] = [:]
            for sub in ["outbox", "artifacts"] {
                let dir = folder.appendingPathComponent(sub)
                for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
                    files[sub + "/" + name] = try Data(contentsOf: dir.appendingPathComponent(name))
                }
            }
            outputs.append(files)
        }
        #expect(outputs[0].count > 1_000)
        #expect(outputs[0] == outputs[1])
    }
}
