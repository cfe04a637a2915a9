import ConveneKit
import ConveneTestSupport
import Foundation
import Testing

@testable import Remind

@Suite("remind step")
struct RemindStepTests {
    let step: RemindStep

    init() throws { step = try RemindStep(configuration: .object([:])) }

    @Test("a delegation that replied gets no reminder")
    func repliedGetsNothing() throws {
        let effects = try step.run(
            Fixture.batch([
                Fixture.invitee(
                    Fixture.delegation("FRA"),
                    ["dialogues": TrackState(status: .confirmed, reply: Fixture.reply("dialogues"))])
            ]))
        #expect(effects.isEmpty)
    }

    @Test("one reminder per delegation lists only its unanswered tracks")
    func listsUnansweredTracks() throws {
        let effects = try step.run(
            Fixture.batch([
                Fixture.invitee(
                    Fixture.delegation("FRA"),
                    [
                        "dialogues": TrackState(status: .invited, reply: Fixture.reply("dialogues")),
                        "round-table": TrackState(status: .invited),
                    ]),
                Fixture.invitee(
                    Fixture.delegation("DEU"),
                    [
                        "dialogues": TrackState(status: .reminded, remindersSent: 1),
                        "round-table": TrackState(status: .invited),
                    ]),
            ]))
        let messages = Fixture.messages(effects)
        #expect(messages.map(\.delegation) == ["FRA", "DEU"])
        #expect(!messages[0].text.contains("Dialogues de haut niveau"))
        #expect(messages[0].text.contains("- Table ronde ministérielle, 28 mai 2024"))
        #expect(messages[1].text.contains("- Dialogues de haut niveau, 27–28 mai 2024\n- Table ronde ministérielle"))
        #expect(
            Fixture.statuses(effects) == [
                "FRA/round-table=reminded", "DEU/dialogues=reminded", "DEU/round-table=reminded",
            ])
    }

    @Test(
        "only invited or reminded tracks are reminded",
        arguments: [
            ParticipationStatus.notInvited, .confirmed, .declined, .substituted, .seated, .waitListed,
        ])
    func statusGuard(status: ParticipationStatus) throws {
        let effects = try step.run(
            Fixture.batch([Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": TrackState(status: status)])]))
        #expect(effects.isEmpty)
    }

    @Test("no reminder goes out at or after the deadline")
    func afterDeadline() throws {
        let batch = [Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": TrackState(status: .invited)])]
        #expect(try step.run(Fixture.batch(batch, now: Fixture.deadline)).isEmpty)
        #expect(try step.run(Fixture.batch(batch, now: Fixture.date(2024, 3, 1, 9))).isEmpty)
        #expect(try !step.run(Fixture.batch(batch, now: Fixture.deadline.addingTimeInterval(-60))).isEmpty)
    }

    @Test("a configured deadline date is the one guarded")
    func configuredDeadline() throws {
        let step = try RemindStep(configuration: .object(["deadline": .string("deadlines.speakers")]))
        var event = Fixture.event
        event.dates["deadlines.speakers"] = Fixture.date(2024, 2, 12)
        var batch = Fixture.batch([
            Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": TrackState(status: .invited)])
        ])
        batch.event = event
        #expect(try step.run(batch).isEmpty)
    }

    @Test("the subject starts with the action marker in the letter's language")
    func marker() throws {
        let messages = Fixture.messages(
            try step.run(
                Fixture.batch([
                    Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": TrackState(status: .invited)]),
                    Fixture.invitee(
                        Fixture.delegation("GBR", language: "en"), ["dialogues": TrackState(status: .invited)]),
                    Fixture.invitee(
                        Fixture.delegation("BRA", language: "pt"), ["dialogues": TrackState(status: .invited)]),
                ])))
        #expect(messages[0].subject == "[Action requise] Rappel\u{A0}: Événement de haut niveau du SMSI+20 (CL-24/2)")
        #expect(messages[1].subject == "[Action required] Reminder: WSIS+20 High-Level Event (CL-24/2)")
        #expect(messages[2].language == "fr")
        #expect(messages[2].subject.hasPrefix("[Action requise] "))
    }

    @Test("a configured marker replaces the embedded one")
    func configuredMarker() throws {
        let step = try RemindStep(configuration: .object(["marker": .object(["en": .string("[Reply needed]")])]))
        let message = Fixture.messages(
            try step.run(
                Fixture.batch([
                    Fixture.invitee(
                        Fixture.delegation("GBR", language: "en"), ["dialogues": TrackState(status: .invited)])
                ])))[0]
        #expect(message.subject == "[Reply needed] Reminder: WSIS+20 High-Level Event (CL-24/2)")
    }

    @Test("the last reminder uses the last-reminder text")
    func lastTemplate() throws {
        let invitees = [Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": TrackState(status: .reminded)])]
        let first = Fixture.messages(try step.run(Fixture.batch(invitees, index: 0, count: 2)))[0]
        let last = Fixture.messages(try step.run(Fixture.batch(invitees, index: 1, count: 2)))[0]
        #expect(first.text.contains("nous n'avons pas encore reçu votre réponse"))
        #expect(!first.text.contains("dernier rappel"))
        #expect(last.text.contains("nous n'avons toujours pas reçu votre réponse"))
        #expect(
            last.text.contains(
                "Le présent message constitue notre dernier rappel\u{A0}: les réponses sont attendues au plus tard le 29 février 2024"
            ))
        #expect(last.subject.hasPrefix("[Action requise] Dernier rappel\u{A0}:"))
    }

    @Test("configured last templates are used on the last firing only")
    func configuredLastTemplate() throws {
        let step = try RemindStep(
            configuration: .object([
                "templates": .object(["en": .string("Reminder {{reminder}}{{#tracks}} {{id}}{{/tracks}}")]),
                "last-templates": .object(["en": .string("Last call{{#tracks}} {{id}}{{/tracks}}")]),
            ]))
        let invitees = [
            Fixture.invitee(Fixture.delegation("GBR", language: "en"), ["dialogues": TrackState(status: .invited)])
        ]
        #expect(
            Fixture.messages(try step.run(Fixture.batch(invitees, index: 0, count: 3)))[0].text
                == "Reminder 1 dialogues\n")
        #expect(
            Fixture.messages(try step.run(Fixture.batch(invitees, index: 2, count: 3)))[0].text
                == "Last call dialogues\n")
    }

    @Test("escalation writes the last reminder to the mission as well")
    func escalation() throws {
        let step = try RemindStep(configuration: .object(["escalate-to-mission": .bool(true)]))
        let invitees = [Fixture.invitee(Fixture.delegation("KEN"), ["dialogues": TrackState(status: .reminded)])]
        let first = Fixture.messages(try step.run(Fixture.batch(invitees, index: 0, count: 2)))[0]
        let last = Fixture.messages(try step.run(Fixture.batch(invitees, index: 1, count: 2)))[0]
        #expect(first.to.map(\.email) == ["principal@ken.example"])
        #expect(first.cc.map(\.email) == ["focal-point@ken.example", "mission@ken.example"])
        #expect(last.to.map(\.email) == ["principal@ken.example", "mission@ken.example"])
        #expect(last.cc.map(\.email) == ["focal-point@ken.example"])
    }

    @Test("without escalation the last reminder keeps the mission in copy")
    func noEscalation() throws {
        let invitees = [Fixture.invitee(Fixture.delegation("KEN"), ["dialogues": TrackState(status: .reminded)])]
        let last = Fixture.messages(try step.run(Fixture.batch(invitees, index: 1, count: 2)))[0]
        #expect(last.to.map(\.email) == ["principal@ken.example"])
        #expect(last.replyTo?.email == "wsis-info@itu.int")
    }

    @Test("every embedded language renders both reminders", arguments: ["ar", "en", "es", "fr", "ru", "zh"])
    func everyLanguage(language: String) throws {
        let invitees = [
            Fixture.invitee(Fixture.delegation("XYZ", language: language), ["dialogues": TrackState(status: .invited)])
        ]
        for index in 0..<2 {
            let message = Fixture.messages(try step.run(Fixture.batch(invitees, index: index, count: 2)))[0]
            #expect(message.language == language)
            #expect(message.subject.hasPrefix(RemindTemplates.markers[language]! + " "))
            #expect(message.text.contains("wsis-info@itu.int") && message.text.contains("2024"))
            #expect(!message.text.contains("{{") && !message.text.contains("\n\n\n"))
        }
    }

    @Test("both reminders print the delegation's reply link on a line of its own, in every language", arguments: ["ar", "en", "es", "fr", "ru", "zh"])
    func replyLink(language: String) throws {
        var invitee = Fixture.invitee(Fixture.delegation("XYZ", language: language), ["dialogues": TrackState(status: .invited)])
        invitee.replyLink = URL(string: "https://convene.example.org/reply/XYZ.1711839540.sig")!
        for index in 0..<2 {
            let message = Fixture.messages(try step.run(Fixture.batch([invitee], index: index, count: 2)))[0]
            #expect(message.text.contains("\nhttps://convene.example.org/reply/XYZ.1711839540.sig\n"))
            #expect(!message.text.contains("\n\n\n"))
        }
    }

    @Test("a body template that does not compile names its language and place")
    func badTemplate() throws {
        let error = try #require(throws: StepError.self) {
            try RemindStep(configuration: .object(["last-templates": .object(["en": .string("ok\n{{#tracks}}")])]))
        }
        #expect(error.message.hasPrefix("last-templates.en:2:"))
    }
}

@Suite("remind snapshots")
struct RemindSnapshotTests {
    @Test("every language's first and last reminders read as reviewed", arguments: ["ar", "en", "es", "fr", "ru", "zh"])
    func everyLanguage(language: String) throws {
        let step = try RemindStep(configuration: .object([:]))
        var invitee = Fixture.invitee(Fixture.delegation("SEN", language: language), ["dialogues": TrackState(status: .invited)])
        invitee.replyLink = URL(string: "https://convene.example.org/reply/SEN.1711839540.oPuoEKOoIummwTE52cuqbWyioprgFovJY_0bgErmalE")!
        for (index, name) in [(0, "first"), (1, "last")] {
            let message = try #require(Fixture.messages(try step.run(Fixture.batch([invitee], index: index, count: 2))).first)
            try expectSnapshot("Subject: \(message.subject)\n\n\(message.text)", named: "reminder-\(name)-\(language).txt", in: .module)
        }
    }
}
