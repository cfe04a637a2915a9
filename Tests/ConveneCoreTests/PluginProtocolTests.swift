@testable import ConveneCore
import ConveneKit
import Foundation
import Testing

/// Decodes a plugin's JSON answer the way the host does.
private func reader(_ json: String) throws -> WireReader {
    WireReader(try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)), path: "")
}

private func date(_ text: String) throws -> Date {
    try Date.ISO8601FormatStyle(includingFractionalSeconds: text.contains(".")).parse(text)
}

@Suite("out-of-process plugin protocol")
struct PluginProtocolTests {
    @Test("a frame is a 4-byte big-endian length, then the message's JSON with its keys sorted")
    func frames() throws {
        let frame = try PluginProtocol.frame(.object(["type": "run", "b": .int(300), "a": .array([.null, .bool(true), .double(0.5)])]))
        let body = #"{"a":[null,true,0.5],"b":300,"type":"run"}"#
        #expect(frame == [0, 0, 0, UInt8(body.utf8.count)] + Array(body.utf8))
        #expect(PluginProtocol.length([0, 1, 0, 2]) == 65538)
        #expect(PluginProtocol.length([0x7F, 0xFF, 0xFF, 0xF0]) == 2_147_483_632)
    }

    @Test("hello states the protocol version and convene's")
    func hello() throws {
        let body = try PluginProtocol.hello().encoded()
        #expect(String(decoding: body, as: UTF8.self) == #"{"convene":"\#(conveneVersion)","protocol":1,"type":"hello"}"#)
    }

    @Test("a batch is written with every field of the event, tracks, occurrence and invitees, dates in UTC")
    func batchJSON() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Zurich"))
        var track = TrackInfo(
            id: "mrt", names: ["en": "Round table"], start: try date("2024-05-28T12:00:00Z"), end: try date("2024-05-28T15:00:00Z"),
            access: .invitation, capacity: 60)
        track.accompanying = 1
        let event = EventInfo(
            id: "wsis", reference: "CL-24/2", names: ["en": "WSIS+20"], venue: "Geneva", timeZone: zone, languages: ["fr", "en"],
            fallbackLanguage: "fr", contact: Mailbox(email: "wsis-info@itu.int"),
            signatories: [Signatory(name: "Doreen Bogdan-Martin", titles: ["en": "Secretary-General"])],
            dates: ["deadlines.reply": try date("2024-02-29T22:59:00Z")])
        var reply = Reply(
            sequence: 7, track: "mrt", answer: .substitute, speakingRequested: true, receivedAt: try date("2024-02-10T08:30:00.250Z"),
            source: "web", substitute: Principal(name: "A. Deputy", title: "Vice-Minister", gender: .unspecified, rank: "vice-minister"))
        reply.accompanying = 1
        reply.speakingRequestedAt = try date("2024-02-09T08:00:00Z")
        let delegation = Delegation(
            id: "FRA", names: ["fr": "France"], language: "fr",
            principal: Principal(name: "La Ministre", title: "Ministre", gender: .female, rank: "minister"),
            addresses: [Address(role: .focalPoint, mailbox: Mailbox(name: "Focal", email: "focal@fra.example.org"))],
            fields: ["region": "Europe"])
        let state = TrackState(
            status: .substituted, reply: reply, remindersSent: 2,
            placement: Placement(seat: nil, waitList: 3, turn: SpeakingTurn(number: 4)))
        let batch = StepBatch(
            event: event, tracks: [track], occurrence: Occurrence(id: "before-14d", dueAt: try date("2024-02-15T22:59:00Z"), index: 0, count: 2),
            now: try date("2024-02-15T23:00:00Z"),
            invitees: [Invitee(delegation: delegation, states: ["mrt": state], trigger: reply, replyLink: URL(string: "https://r.example.org/FRA.1.x"))])

        let json = try JSONSerialization.jsonObject(with: Data(try WireEncoding.batch(batch).encoded())) as? [String: Any]
        let root = try #require(json)
        let e = try #require(root["event"] as? [String: Any])
        #expect(e["time-zone"] as? String == "Europe/Zurich")
        #expect(e["fallback-language"] as? String == "fr")
        #expect((e["dates"] as? [String: String])?["deadlines.reply"] == "2024-02-29T22:59:00Z")
        #expect((e["contact"] as? [String: Any])?["email"] as? String == "wsis-info@itu.int")
        #expect((e["contact"] as? [String: Any])?["name"] is NSNull)
        let t = try #require((root["tracks"] as? [[String: Any]])?.first)
        #expect(t["capacity"] as? Int == 60)
        #expect(t["accompanying"] as? Int == 1)
        #expect(t["start"] as? String == "2024-05-28T12:00:00Z")
        #expect((t["sessions"] as? [Any])?.isEmpty == true)
        #expect(root["now"] as? String == "2024-02-15T23:00:00Z")
        let o = try #require(root["occurrence"] as? [String: Any])
        #expect(o["id"] as? String == "before-14d" && o["count"] as? Int == 2 && o["due-at"] as? String == "2024-02-15T22:59:00Z")
        let i = try #require((root["invitees"] as? [[String: Any]])?.first)
        #expect(i["reply-link"] as? String == "https://r.example.org/FRA.1.x")
        let d = try #require(i["delegation"] as? [String: Any])
        #expect((d["addresses"] as? [[String: String]])?.first == ["role": "focal-point", "name": "Focal", "email": "focal@fra.example.org"])
        #expect((d["principal"] as? [String: String])?["rank"] == "minister")
        #expect((d["fields"] as? [String: String]) == ["region": "Europe"])
        let s = try #require((i["states"] as? [String: Any])?["mrt"] as? [String: Any])
        #expect(s["status"] as? String == "substituted" && s["reminders"] as? Int == 2)
        let p = try #require(s["placement"] as? [String: Any])
        #expect(p["seat"] is NSNull && p["wait-list"] as? Int == 3)
        #expect((p["turn"] as? [String: Any])?["number"] as? Int == 4)
        let r = try #require(s["reply"] as? [String: Any])
        #expect(r["received-at"] as? String == "2024-02-10T08:30:00.250Z")
        #expect(r["speaking-requested-at"] as? String == "2024-02-09T08:00:00Z")
        #expect(r["answer"] as? String == "substitute" && r["speaking"] as? Bool == true && r["accompanying"] as? Int == 1)
        #expect((r["substitute"] as? [String: String])?["gender"] == "unspecified")
        #expect((i["trigger"] as? [String: Any])?["sequence"] as? Int == 7)
    }

    @Test("a manifest's JSON becomes a StepManifest, schema, defaults and batching included")
    func manifest() throws {
        let m = try WireDecoding.manifest(try reader(#"""
            {"id": "seat-by-region", "version": "2.1.0", "summary": "Seats by region.", "batching": "all", "follow-up": 100,
             "configuration": {"type": "object", "fields": [
               {"name": "mode", "type": "string", "one-of": ["a", "b"], "default": "a", "summary": "How."},
               {"name": "seats", "type": "integer", "min": 1, "max": 500, "required": true},
               {"name": "after", "type": "offset"}, {"name": "deadline", "type": "date-name"},
               {"name": "language", "type": "language"}, {"name": "letter", "type": "template"},
               {"name": "regions", "type": "list", "of": {"type": "string"}, "default": ["Africa", 2, 2.5, true, null]},
               {"name": "subjects", "type": "per-language", "of": {"type": "string"}},
               {"name": "notify", "type": "boolean"},
               {"name": "layout", "type": "object", "fields": [{"name": "rows", "type": "integer"}]}]}}
            """#))
        #expect(m.id == "seat-by-region" && m.version == SemanticVersion(2, 1, 0) && m.summary == "Seats by region.")
        #expect(m.batching == .all && m.followUp == 100)
        #expect(m.apiVersion == conveneKitAPIVersion)
        guard case .object(let fields) = m.configuration else {
            Issue.record("not an object schema")
            return
        }
        #expect(fields.map(\.name) == ["mode", "seats", "after", "deadline", "language", "letter", "regions", "subjects", "notify", "layout"])
        #expect(fields.map(\.schema.kindDescription) == [
            "one of 'a', 'b'", "an integer", "an offset such as 14d", "the name of an event date", "a language code",
            "a template path", "a list", "a mapping by language", "a boolean", "a mapping",
        ])
        #expect(fields[0].defaultValue == .string("a") && fields[0].summary == "How." && !fields[0].isRequired)
        #expect(fields[1].isRequired)
        if case .integer(let min, let max) = fields[1].schema { #expect(min == 1 && max == 500) } else { Issue.record("seats") }
        #expect(fields[6].defaultValue == .list([.string("Africa"), .int(2), .double(2.5), .bool(true), .null]))

        let plain = try WireDecoding.manifest(try reader(#"{"id": "greet", "version": "1.0.0"}"#))
        #expect(plain.batching == .chunks(of: 512) && plain.followUp == nil && plain.summary == "")
    }

    @Test("effects' JSON becomes the effects a Swift step would return")
    func effects() throws {
        let effects = try WireDecoding.effects(try reader(#"""
            [{"type": "send", "delegation": "FRA", "discriminator": "late", "to": [{"name": "La Ministre", "email": "m@fra.example.org"}],
              "cc": [{"email": "c@fra.example.org"}], "reply-to": {"email": "r@example.org"}, "subject": "S", "language": "fr",
              "text": "T", "html": "<p>T</p>", "extra": "ignored",
              "calendar": [{"uid": "u1", "summary": "Round table", "start": "2024-05-28T12:00:00Z", "end": "2024-05-28T15:00:00+02:00",
                            "location": "Geneva", "time-zone": "Europe/Zurich"}]},
             {"type": "send", "delegation": "GBR", "to": [{"email": "g@gbr.example.org"}], "subject": "S", "language": "en", "text": "T"},
             {"type": "set-status", "delegation": "FRA", "track": "mrt", "status": "wait-listed"},
             {"type": "place", "delegation": "FRA", "track": "mrt", "seat": 12, "turn": {"number": 3, "start": "2024-05-28T12:00:00Z", "end": null}},
             {"type": "publish", "name": "plan.csv", "media-type": "text/csv", "content": "a,b\n"}]
            """#))
        #expect(effects == [
            .send(OutgoingMessage(
                delegation: "FRA", discriminator: "late", to: [Mailbox(name: "La Ministre", email: "m@fra.example.org")],
                cc: [Mailbox(email: "c@fra.example.org")], replyTo: Mailbox(email: "r@example.org"), subject: "S", language: "fr",
                text: "T", html: "<p>T</p>",
                calendar: [CalendarEntry(
                    uid: "u1", summary: "Round table", start: try date("2024-05-28T12:00:00Z"), end: try date("2024-05-28T13:00:00Z"),
                    location: "Geneva", timeZone: "Europe/Zurich")])),
            .send(OutgoingMessage(delegation: "GBR", to: [Mailbox(email: "g@gbr.example.org")], subject: "S", language: "en", text: "T")),
            .setStatus(delegation: "FRA", track: "mrt", status: .waitListed),
            .place(delegation: "FRA", track: "mrt", placement: Placement(seat: 12, turn: SpeakingTurn(number: 3, start: try date("2024-05-28T12:00:00Z")))),
            .publish(Artifact(name: "plan.csv", mediaType: "text/csv", content: "a,b\n")),
        ])
    }

    /// What a plugin sends that the host reads.
    enum Part: String, Sendable, CustomTestStringConvertible {
        case manifest, effects
        var testDescription: String { rawValue }
    }

    @Test(
        "a manifest or effects that are not what the protocol says are refused with the place of the mistake",
        arguments: [
            (.manifest, #"{"version": "1.0.0"}"#, "id is missing"),
            (.manifest, #"{"id": "a b", "version": "1.0.0"}"#, "id must be letters, digits, '-', '_' or '.', not 'a b'"),
            (.manifest, #"{"id": "a", "version": "1.0"}"#, "version must be a version such as 1.0.0, not '1.0'"),
            (.manifest, #"{"id": "a", "version": "1.0.0", "batching": 0}"#, "batching must be 'all' or a positive integer"),
            (.manifest, #"{"id": "a", "version": "1.0.0", "follow-up": 5}"#, "follow-up must be a positive integer, for a plugin whose batching is 'all'"),
            (.manifest, #"{"id": "a", "version": "1.0.0", "configuration": {"type": "string"}}"#, "configuration must be a schema of type 'object'"),
            (.manifest, #"{"id": "a", "version": "1.0.0", "configuration": {"type": "object", "fields": [{"name": "x", "type": "date"}]}}"#,
             "configuration.fields[0].type must be one of 'string', 'integer', 'boolean', 'offset', 'date-name', 'language', 'template', 'list', 'per-language', 'object', not 'date'"),
            (.manifest, #"{"id": "a", "version": "1.0.0", "configuration": {"type": "object", "fields": [{"name": "x", "type": "list"}]}}"#,
             "configuration.fields[0].of is missing"),

            (.effects, #"{"effects": []}"#, "its answer must be a list, not an object"),
            (.effects, #"[{"type": "email"}]"#, "[0].type is 'email', not one of the effects 'send', 'set-status', 'publish', 'place'"),
            (.effects, #"[{"type": "send", "delegation": "FRA", "to": [], "language": "en", "text": "T"}]"#, "[0].subject is missing"),
            (.effects, #"[{"type": "send", "delegation": "FRA", "to": [{"name": "x"}], "subject": "S", "language": "en", "text": "T"}]"#, "[0].to[0].email is missing"),
            (.effects, #"[{"type": "set-status", "delegation": "FRA", "track": "mrt", "status": "accepted"}]"#,
             "[0].status must be one of 'not-invited', 'invited', 'reminded', 'confirmed', 'declined', 'substituted', 'seated', 'wait-listed', not 'accepted'"),
            (.effects, #"[{"type": "place", "delegation": "FRA", "track": "mrt", "seat": "12"}]"#, "[0].seat must be an integer, not a string"),
            (.effects, #"[{"type": "place", "delegation": "FRA", "track": "mrt", "turn": {"number": 1, "start": "28 May"}}]"#,
             "[0].turn.start must be an ISO 8601 instant such as 2024-02-02T09:00:00Z, not '28 May'"),
        ] as [(Part, String, String)])
    func refused(_ part: Part, _ json: String, _ message: String) throws {
        let answer = try reader(json)
        let error = #expect(throws: WireError.self) {
            switch part {
            case .manifest: _ = try WireDecoding.manifest(answer)
            case .effects: _ = try WireDecoding.effects(answer)
            }
        }
        #expect(error?.description == message)
    }

    @Test("an answer must be a JSON object of the expected type; an error answer is the plugin's refusal")
    func answers() throws {
        func answer(_ json: String, expected: String = "effects") throws -> PluginProtocol.Answer {
            try PluginProtocol.answer(Array(json.utf8), expected: expected)
        }
        guard case .refused(let message) = try answer(#"{"type": "error", "message": "no greeting"}"#) else {
            Issue.record("not a refusal")
            return
        }
        #expect(message == "no greeting")
        guard case .answer(let ok) = try answer(#"{"type": "ok", "note": 1}"#, expected: "ok") else {
            Issue.record("not an answer")
            return
        }
        #expect(ok.optional("note")?.value == .int(1))
        for (json, message) in [
            ("[1, 2]", "its answer is a list, not a message object"),
            ("hello", "its answer is not JSON ('hello')"),
            (#"{"kind": "effects"}"#, "type is missing"),
            (#"{"type": "manifest"}"#, "type is 'manifest' where 'effects' (or 'error') was expected"),
        ] {
            let error = #expect(throws: WireError.self) { try answer(json) }
            #expect(error?.description == message)
        }
    }

    @Test("a configuration goes to the plugin as the JSON of its values")
    func configuration() throws {
        let value = ConfigValue.object(["seed": .int(7), "ratio": .double(0.5), "names": .list([.string("a"), .null]), "on": .bool(false)])
        #expect(JSONValue(value).configValue == value)
        let body = try PluginProtocol.configure(value).encoded()
        #expect(String(decoding: body, as: UTF8.self) == #"{"configuration":{"names":["a",null],"on":false,"ratio":0.5,"seed":7},"type":"configure"}"#)
    }
}
