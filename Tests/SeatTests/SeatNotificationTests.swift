import ConveneKit
import ConveneLetters
import ConveneTestSupport
import Foundation
import Testing

@testable import Seat

@Suite("seat and speaking-time notifications")
struct SeatNotificationTests {
    /// A delegation writing in `language`, with a principal and a focal point.
    static func delegation(_ id: String, _ name: String, language: String, gender: Gender = .female, rank: String = "minister") -> Delegation {
        Delegation(
            id: id, names: ["fr": name, "en": name], language: language,
            principal: Principal(name: "Principal of \(id)", title: "Minister", gender: gender, rank: rank),
            addresses: [
                Address(role: .principal, mailbox: Mailbox(email: "minister@\(id.lowercased()).example.org")),
                Address(role: .focalPoint, mailbox: Mailbox(email: "focal@\(id.lowercased()).example.org")),
            ])
    }

    /// Confirmed on "rt" at `hour` on 1 February, asking to speak or not.
    static func invitee(_ delegation: Delegation, at hour: Int, speaking: Bool) -> Invitee {
        let reply = Reply(
            sequence: Int64(hour), track: "rt", answer: .confirm, speakingRequested: speaking, receivedAt: Fixture.date(1, hour), source: "web")
        return Invitee(delegation: delegation, states: ["rt": TrackState(status: .confirmed, reply: reply)])
    }

    /// Four delegations for a round table of three seats and 09:00–13:00 of 90-minute turns: two
    /// seated speakers with their turns, one seated speaker the time does not reach, one
    /// wait-listed.
    static let invitees = [
        invitee(delegation("FJI", "Fidji", language: "fr", gender: .male), at: 6, speaking: true),
        invitee(delegation("EGY", "Égypte", language: "ar"), at: 7, speaking: true),
        invitee(delegation("ESP", "Espagne", language: "es", rank: "vice-minister"), at: 8, speaking: true),
        invitee(delegation("CHN", "Chine", language: "zh", rank: "head-of-delegation"), at: 9, speaking: false),
    ]

    func run(_ configuration: [String: ConfigValue] = [:]) throws -> [Effect] {
        let base: [String: ConfigValue] = ["seed": .int(3), "language": .string("fr"), "speaking-time": .int(90)]
        let step = try SeatStep(configuration: .object(base.merging(configuration, uniquingKeysWith: { $1 })))
        return try Fixture.runWithFollowUp(step, Fixture.batch(Self.invitees, tracks: [Fixture.track("rt", capacity: 3)]))
    }

    func placements(_ effects: [Effect]) -> [String: Placement] {
        var result: [String: Placement] = [:]
        for case .place(let delegation, let track, let placement) in effects where track == "rt" { result[delegation] = placement }
        return result
    }

    func messages(_ effects: [Effect]) -> [String: OutgoingMessage] {
        var result: [String: OutgoingMessage] = [:]
        for case .send(let message) in effects { result[message.delegation] = message }
        return result
    }

    @Test("each delegation placed gets its seat, its place on the wait-list and its speaking turn, recorded as a placement")
    func placementsRecorded() throws {
        // The run decides and records; it writes to no one: the follow-up does.
        let step = try SeatStep(configuration: .object(["seed": .int(3), "language": .string("fr"), "speaking-time": .int(90)]))
        #expect(messages(try step.run(Fixture.batch(Self.invitees, tracks: [Fixture.track("rt", capacity: 3)]))).isEmpty)
        let effects = try run()
        let seats = Fixture.statuses(effects).filter { $0.hasSuffix("seated") }
        #expect(seats.count == 3)
        let placed = placements(effects)
        // The plan's seat numbers, from 1, in the plan's order.
        let order = effects.compactMap { effect -> String? in
            if case .setStatus(let d, _, .seated) = effect { d } else { nil }
        }
        for (number, id) in order.enumerated() { #expect(placed[id]?.seat == number + 1, "\(id)") }
        #expect(placed["CHN"] == Placement(waitList: 1))
        // By precedence: the two ministers speak (the earlier request first); the vice-minister is not reached.
        #expect(placed["FJI"]?.turn == SpeakingTurn(number: 1, start: Fixture.date(28, 9), end: Fixture.date(28, 9).addingTimeInterval(5400)))
        #expect(placed["EGY"]?.turn?.number == 2 && placed["EGY"]?.turn?.isReached == true)
        #expect(placed["ESP"]?.turn == SpeakingTurn(number: 3))
    }

    @Test("the notification, in each delegation's language, says its seat, its place on the wait-list and its turn")
    func notificationsPerLanguage() throws {
        let sent = messages(try run())
        #expect(sent.count == 4)
        for (id, language) in [("FJI", "fr"), ("EGY", "ar"), ("ESP", "es"), ("CHN", "zh")] {
            let message = try #require(sent[id])
            #expect(message.language == language)
            #expect(message.to.map(\.email) == ["minister@\(id.lowercased()).example.org"])
            #expect(message.cc.map(\.email) == ["focal@\(id.lowercased()).example.org"])
            try expectSnapshot("Subject: \(message.subject)\n\n\(message.text)", named: "seat-notification-\(language).txt", in: .module)
        }
        let fiji = try #require(sent["FJI"]).text
        #expect(fiji.hasPrefix("Réf.\u{A0}: CL-24/2\n\nMonsieur le Ministre,\n"))
        #expect(fiji.contains("- Temps de parole\u{A0}: de 09:00 à 10:30, le 28 février 2024 (rang 1 sur la liste des orateurs)"))
        #expect(try #require(sent["CHN"]).text.contains("- 候补名单：第1位"))
        #expect(try #require(sent["ESP"]).text.contains("- Lista de oradores: número 3, más allá del tiempo de la sesión"))
    }

    @Test("English and Russian notifications read as the others do")
    func englishAndRussian() throws {
        let invitees = [
            Self.invitee(Self.delegation("GBR", "Royaume-Uni", language: "en"), at: 6, speaking: true),
            Self.invitee(Self.delegation("RUS", "Fédération de Russie", language: "ru", gender: .male), at: 7, speaking: false),
        ]
        let step = try SeatStep(configuration: .object(["seed": .int(3), "language": .string("fr")]))
        let sent = messages(try Fixture.runWithFollowUp(step, Fixture.batch(invitees, tracks: [Fixture.track("rt", capacity: 1)])))
        for (id, language) in [("GBR", "en"), ("RUS", "ru")] {
            let message = try #require(sent[id])
            try expectSnapshot("Subject: \(message.subject)\n\n\(message.text)", named: "seat-notification-\(language).txt", in: .module)
        }
        #expect(try #require(sent["GBR"]).text.contains("- Speaking time: 09:00–09:03, 28 February 2024 (number 1 on the speakers' list)"))
    }

    @Test("notify: false records the placements and writes to no one; a workflow's own template is used")
    func switchedOffAndOverridden() throws {
        let quiet = try run(["notify": .bool(false)])
        #expect(messages(quiet).isEmpty)
        #expect(placements(quiet).count == 4)
        let custom = try run([
            "templates": .object(["fr": .string("{{#places}}{{name}}{{#seated}} : siège {{seat}}{{/seated}}{{/places}}")]),
            "subject": .object(["fr": .string("Votre place")]),
        ])
        let fiji = try #require(messages(custom)["FJI"])
        #expect(fiji.subject == "Votre place")
        #expect(fiji.text.hasPrefix("Table ronde rt : siège "))
        #expect(throws: StepError.self) {
            try SeatStep(configuration: .object(["seed": .int(1), "templates": .object(["fr": .string("{{#places}}")])]))
        }
    }

    @Test("letters kept and reused with placeholders read exactly as letters rendered one by one")
    func reuseIsExact() throws {
        // Many delegations, so that letters are reused; the same templates given as the
        // workflow's own are rendered one by one.
        let languages = ["ar", "en", "es", "fr", "ru", "zh"]
        let invitees = (0..<60).map { i in
            Self.invitee(
                Self.delegation(String(format: "D%02d", i), "Délégation \(i)", language: languages[i % 6], gender: i % 3 == 0 ? .male : .female),
                at: 1 + i % 20, speaking: i % 4 == 0)
        }
        func run(_ configuration: [String: ConfigValue]) throws -> [Effect] {
            let base: [String: ConfigValue] = ["seed": .int(5), "language": .string("fr"), "speaking-time": .int(7)]
            let step = try SeatStep(configuration: .object(base.merging(configuration, uniquingKeysWith: { $1 })))
            return try Fixture.runWithFollowUp(step, Fixture.batch(invitees, tracks: [Fixture.track("rt", capacity: 50), Fixture.track("side")]))
        }
        let own: [String: ConfigValue] = [
            "templates": .object(SeatTemplates.bodies.mapValues { .string($0) }),
            "subject": .object(SeatTemplates.subjects.mapValues { .string($0) }),
        ]
        // The embedded templates are ones whose letters can be kept.
        for language in languages { #expect(!TemplateNames(SeatTemplates.bodies[language]!).opaque, "\(language)") }
        let reused = messages(try run([:]))
        let rendered = messages(try run(own))
        #expect(reused.count == 60)
        #expect(reused == rendered)
    }
}
