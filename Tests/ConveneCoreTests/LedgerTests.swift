@testable import ConveneCore
import ConveneKit
import Foundation
import Testing

@Suite("ledger")
struct LedgerTests {

    func delegation(_ id: String, fields: [String: String] = [:]) -> Delegation {
        Delegation(
            id: id, names: ["en": id], language: "en", principal: Principal(name: "P", title: "T", gender: .female),
            addresses: [Address(role: .principal, mailbox: Mailbox(email: "\(id.lowercased())@example.org"))], fields: fields)
    }

    @Test("a delegation's record is JSON with sorted keys and escaped values, equal to what JSONSerialization reads")
    func recordEncoding() throws {
        let d = delegation("FRA", fields: ["name_fr": "Côte d\"Ivoire\\", "id": "FRA", "note": "a\nb\tc\u{1}"])
        let text = Ledger.encode(d)
        #expect(text.hasPrefix(#"{"email":"fra@example.org","id":"FRA","language":"en","name_en":"FRA","name_fr":"Côte d\"Ivoire\\","#))
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(decoded == RosterLoader.record(of: d))
        #expect(decoded?["email"] == "fra@example.org")
    }

    @Test("a ledger belongs to one workflow", arguments: LedgerBackend.allCases)
    func bound(_ backend: LedgerBackend) throws {
        let l = try backend.makeLedger()
        try l.bind(workflowID: "a")
        try l.bind(workflowID: "a")
        #expect(throws: LedgerError.self) { try l.bind(workflowID: "b") }
    }

    @Test("syncing the roster adds new delegations, audits changed ones and ignores unchanged ones", arguments: LedgerBackend.allCases)
    func rosterSync(_ backend: LedgerBackend) throws {
        let l = try backend.makeLedger()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(try l.syncRoster([delegation("A"), delegation("B")], at: now) == (2, 0))
        #expect(try l.syncRoster([delegation("A"), delegation("B")], at: now) == (0, 0))
        #expect(try l.syncRoster([delegation("A", fields: ["region": "Europe"]), delegation("B"), delegation("C")], at: now) == (1, 1))
        // With a digest of the roster file, an unchanged file is not compared row by row.
        #expect(try l.syncRoster([delegation("A"), delegation("D")], digest: "abc-10", at: now) == (1, 1))
        #expect(try l.syncRoster([delegation("A"), delegation("E")], digest: "abc-10", at: now) == (0, 0))
    }

    @Test("a batch applies messages, statuses and progress together; a message key is stored once", arguments: LedgerBackend.allCases)
    func batchApplied(_ backend: LedgerBackend) throws {
        let l = try backend.makeLedger()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        try l.syncRoster([delegation("A"), delegation("B")], at: now)
        var batch = LedgerBatch(stepID: "invite", at: now)
        batch.messages = [.init(key: "w·invite·t·at·A", messageID: "x@example.org", delegation: "A", occurrence: "at", fileName: "invite-at-A.eml", subject: "S", content: Data("m".utf8))]
        batch.transitions = [.init(delegation: "A", track: "t", from: .notInvited, to: .invited)]
        batch.processed = [("w·invite·t·at", "A")]
        try l.apply(batch)
        try l.apply(batch)  // applying the same batch again changes nothing but the status timestamp
        #expect(try l.messageKeys().map(\.key) == ["w·invite·t·at·A"])
        #expect(try l.processed(runKey: "w·invite·t·at") == ["A"])
        #expect(try l.states(tracks: ["t"])["A"]?["t"]?.status == .invited)
        #expect(try l.statusCounts(tracks: ["t"])["t"] == [.notInvited: 1, .invited: 1])
        #expect(try l.queuedMessages(limit: 10).count == 1)
        try l.markDelivered(try l.queuedMessages(limit: 10).map(\.sequence), at: now)
        #expect(try l.queuedMessages(limit: 10).isEmpty)
        #expect(try l.messageCounts() == ["delivered": 1])
    }

    @Test("replies keep their provenance; the latest one is the state's reply; reply-triggered steps see each once", arguments: LedgerBackend.allCases)
    func replies(_ backend: LedgerBackend) throws {
        let l = try backend.makeLedger()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        try l.syncRoster([delegation("A")], at: now)
        let first = try l.record(reply: Reply(sequence: 0, track: "t", answer: .confirm, receivedAt: now, source: "staff"), delegation: "A", enteredBy: "clerk", document: "NV-1", at: now)
        let second = try l.record(
            reply: Reply(sequence: 0, track: "t", answer: .substitute, receivedAt: now, source: "csv-import", substitute: Principal(name: "S", title: "Amb.", gender: .male)),
            delegation: "A", enteredBy: nil, document: nil, at: now)
        #expect(second.sequence > first.sequence)
        let state = try #require(try l.states(tracks: ["t"])["A"]?["t"])
        #expect(state.reply?.answer == .substitute)
        #expect(state.reply?.substitute?.name == "S")
        #expect(try l.unansweredReplies(runKeyPrefix: "w·ack·t", tracks: ["t"]).map(\.reply.sequence) == [first.sequence, second.sequence])
        var batch = LedgerBatch(stepID: "ack", at: now)
        batch.processed = [("w·ack·t·reply-\(first.sequence)", "A")]
        try l.apply(batch)
        #expect(try l.unansweredReplies(runKeyPrefix: "w·ack·t", tracks: ["t"]).map(\.reply.sequence) == [second.sequence])
        #expect(throws: LedgerError.self) {
            try l.record(reply: Reply(sequence: 0, track: "t", answer: .confirm, receivedAt: now, source: "staff"), delegation: "ZZZ", enteredBy: nil, document: nil, at: now)
        }
    }

    @Test("a request for speaking time keeps its time through later replies that keep it, and starts again after one that drops it", arguments: LedgerBackend.allCases)
    func speakingRequestTime(_ backend: LedgerBackend) throws {
        let l = try backend.makeLedger()
        let day = { (d: Double) in Date(timeIntervalSince1970: 1_707_000_000 + d * 86_400) }
        try l.syncRoster([delegation("A"), delegation("B")], at: day(0))
        func reply(_ speaking: Bool, _ d: Double, accompanying: Int = 0, requested: Date? = nil) -> Reply {
            var r = Reply(sequence: 0, track: "t", answer: .confirm, speakingRequested: speaking, receivedAt: day(d), source: "web")
            r.accompanying = accompanying
            r.speakingRequestedAt = requested
            return r
        }
        func requested(_ id: String) throws -> Date? { try l.states(tracks: ["t"])[id]?["t"]?.reply?.speakingRequestedAt }

        try l.record(reply: reply(false, 1), delegation: "A", enteredBy: nil, document: nil, at: day(1))
        #expect(try requested("A") == nil)
        let asked = try l.record(reply: reply(true, 2), delegation: "A", enteredBy: nil, document: nil, at: day(2))
        #expect(asked.speakingRequestedAt == day(2))
        // A later reply that still asks (two accompanying persons now) keeps the first request's time.
        try l.record(reply: reply(true, 5, accompanying: 2), delegation: "A", enteredBy: nil, document: nil, at: day(5))
        #expect(try requested("A") == day(2))
        // Dropping the request and asking again starts a new one.
        try l.record(reply: reply(false, 6), delegation: "A", enteredBy: nil, document: nil, at: day(6))
        #expect(try requested("A") == nil)
        try l.record(reply: reply(true, 7), delegation: "A", enteredBy: nil, document: nil, at: day(7))
        #expect(try requested("A") == day(7))
        // A time the source states is kept as it is.
        try l.record(reply: reply(true, 9, requested: day(3)), delegation: "B", enteredBy: nil, document: nil, at: day(9))
        #expect(try requested("B") == day(3))
        // The reply-triggered steps see the same time.
        #expect(try l.unansweredReplies(runKeyPrefix: "w·ack·t", tracks: ["t"]).last?.reply.speakingRequestedAt == day(3))
    }

    @Test("a placement is kept with the state: seat, wait-list place, turn and its times; the audit trail says it", arguments: LedgerBackend.allCases)
    func placements(_ backend: LedgerBackend) throws {
        let l = try backend.makeLedger()
        let now = Date(timeIntervalSince1970: 1_716_000_000)
        try l.syncRoster([delegation("A"), delegation("B"), delegation("C")], at: now)
        var batch = LedgerBatch(stepID: "seat", at: now)
        batch.transitions = [.init(delegation: "A", track: "t", from: .confirmed, to: .seated)]
        let turn = SpeakingTurn(number: 2, start: now.addingTimeInterval(3600), end: now.addingTimeInterval(3780))
        batch.placements = [
            ("A", "t", Placement(seat: 7, turn: turn)),
            ("B", "t", Placement(waitList: 1)),
            ("C", "t", Placement(seat: 3, turn: SpeakingTurn(number: 9))),
        ]
        try l.apply(batch)
        let states = try l.states(tracks: ["t"])
        #expect(states["A"]?["t"]?.status == .seated)
        #expect(states["A"]?["t"]?.placement == Placement(seat: 7, turn: turn))
        #expect(states["B"]?["t"]?.placement == Placement(waitList: 1))
        #expect(states["C"]?["t"]?.placement?.turn?.isReached == false)
        var table = StateTable(delegations: [delegation("A"), delegation("B")], tracks: ["t"])
        try l.loadStates(into: &table)
        #expect(table.state("A", "t").placement?.seat == 7)
        let trail = try l.auditTrail(delegation: "A").filter { $0.action == "placement" }
        #expect(trail.map(\.detail) == ["seat 7; speaker 2, 2024-05-18T03:40:00Z to 2024-05-18T03:43:00Z"])
        #expect(try l.auditTrail(delegation: "C").last?.detail == "seat 3; speaker 9, not reached")
    }

    @Test("a mail server's queue is read a part at a time, oldest first: queued, in flight, and deferred once due", arguments: LedgerBackend.allCases)
    func queueInParts(_ backend: LedgerBackend) throws {
        let l = try backend.makeLedger()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        try l.syncRoster(["A", "B", "C", "D"].map { delegation($0) }, at: now)
        var batch = LedgerBatch(stepID: "invite", at: now)
        batch.messages = ["A", "B", "C", "D"].map { id in
            LedgerBatch.Message(
                key: "k·\(id)", messageID: "\(id)@example.org", delegation: id, occurrence: "at", fileName: "\(id).eml", subject: "S",
                content: Data(id.utf8), recipients: "\(id.lowercased())@example.org\ncc@example.org")
        }
        let sequences = try l.apply(batch).compactMap { $0 }
        #expect(try l.markSending(sequences[0]) == 1)
        try l.markDeferred(sequences[1], reply: "451 later", until: now.addingTimeInterval(60))
        try l.markSent(sequences[3], reply: "250 ok", at: now)
        // A, in flight when a run was killed, comes back; B waits for its time; D is done.
        let first = try l.messagesToSend(at: now, limit: 1)
        #expect(first.map(\.sequence) == [sequences[0]])
        #expect(first[0].recipients == ["a@example.org", "cc@example.org"])
        #expect(try l.messagesToSend(at: now, after: sequences[0], limit: 1).map(\.sequence) == [sequences[2]])
        #expect(try l.messagesToSend(at: now, after: sequences[2]).isEmpty)
        #expect(try l.messagesToSend(at: now.addingTimeInterval(61)).map(\.sequence) == [sequences[0], sequences[1], sequences[2]])
        try l.markFailed(sequences[2], reply: "550 no", at: now)
        #expect(try l.retry() == 2, "the deferred and the failed")
        #expect(try l.messages().map(\.state) == ["sending", "queued", "queued", "sent"])
    }
}
