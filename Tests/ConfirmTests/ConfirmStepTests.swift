import ConveneKit
import ConveneTestSupport
import Foundation
import Testing

@testable import Confirm

@Suite("confirm step")
struct ConfirmStepTests {
    let step: ConfirmStep

    init() throws { step = try ConfirmStep(configuration: .object([:])) }

    @Test(
        "a reply moves its track to the status it asks for",
        arguments: [
            (ReplyAnswer.confirm, "confirmed"), (.decline, "declined"), (.substitute, "substituted"),
        ])
    func transitions(answer: ReplyAnswer, status: String) throws {
        let effects = try step.run(
            Fixture.batch([Fixture.invitee(Fixture.delegation("FRA"), Fixture.reply(7, answer))]))
        #expect(Fixture.statuses(effects) == ["FRA/round-table=\(status)"])
        #expect(Fixture.messages(effects).count == 1)
    }

    @Test("a later reply supersedes the status an earlier one set")
    func laterReplySupersedes() throws {
        let decline = try step.run(
            Fixture.batch([Fixture.invitee(Fixture.delegation("FRA"), Fixture.reply(8, .decline), status: .confirmed)]))
        let confirm = try step.run(
            Fixture.batch([Fixture.invitee(Fixture.delegation("FRA"), Fixture.reply(9, .confirm), status: .declined)]))
        #expect(Fixture.statuses(decline) == ["FRA/round-table=declined"])
        #expect(Fixture.statuses(confirm) == ["FRA/round-table=confirmed"])
    }

    @Test("a reply older than the ledger's latest changes nothing")
    func staleReply() throws {
        let effects = try step.run(
            Fixture.batch([
                Fixture.invitee(
                    Fixture.delegation("FRA"), Fixture.reply(3, .decline), status: .confirmed,
                    latest: Fixture.reply(4, .confirm))
            ]))
        #expect(effects.isEmpty)
    }

    @Test("a seated delegation keeps its seat when it confirms again, and loses it when it declines")
    func seatedDelegation() throws {
        let again = try step.run(
            Fixture.batch([Fixture.invitee(Fixture.delegation("FRA"), Fixture.reply(5, .confirm), status: .seated)]))
        let substitute = try step.run(
            Fixture.batch([
                Fixture.invitee(Fixture.delegation("FRA"), Fixture.reply(6, .substitute), status: .waitListed)
            ]))
        let decline = try step.run(
            Fixture.batch([Fixture.invitee(Fixture.delegation("FRA"), Fixture.reply(7, .decline), status: .seated)]))
        #expect(Fixture.statuses(again).isEmpty)
        #expect(Fixture.statuses(substitute).isEmpty)
        #expect(Fixture.statuses(decline) == ["FRA/round-table=declined"])
        #expect(Fixture.messages(again).count == 1)
    }

    @Test("each reply gets its own acknowledgement")
    func acknowledgementPerReply() throws {
        let first = Fixture.messages(
            try step.run(Fixture.batch([Fixture.invitee(Fixture.delegation("FRA"), Fixture.reply(11, .confirm))])))
        let second = Fixture.messages(
            try step.run(
                Fixture.batch([
                    Fixture.invitee(
                        Fixture.delegation("FRA"), Fixture.reply(12, .confirm, speaking: true), status: .confirmed)
                ])))
        #expect(first.map(\.discriminator) == ["reply-11"])
        #expect(second.map(\.discriminator) == ["reply-12"])
    }

    @Test("the acknowledgement restates the answer, the substitute and the speaking request")
    func restatesReply() throws {
        let substitute = Principal(name: "M. Jean Dupont", title: "Secrétaire d'État", gender: .male)
        let text = Fixture.messages(
            try step.run(
                Fixture.batch([
                    Fixture.invitee(
                        Fixture.delegation("BEL"),
                        Fixture.reply(21, .substitute, speaking: true, substitute: substitute))
                ])))[0].text
        #expect(text.contains("\nMonsieur le Ministre,\n"))
        #expect(
            text.contains(
                "votre réponse du 12 février 2024 concernant «\u{A0}Table ronde ministérielle\u{A0}» (28 mai 2024)"))
        #expect(
            text.contains(
                "- Participation\u{A0}: par l'intermédiaire d'un représentant, M. Jean Dupont, Secrétaire d'État\n- Demande de temps de parole\u{A0}: enregistrée\n"
            ))
        #expect(!text.contains("confirmée"))
    }

    @Test("a declining reply is restated without a speaking request")
    func restatesDecline() throws {
        let message = Fixture.messages(
            try step.run(
                Fixture.batch([
                    Fixture.invitee(
                        Fixture.delegation("GBR", language: "en"), Fixture.reply(22, .decline, track: "dialogues"))
                ])))[0]
        #expect(message.subject == "Reply recorded: High-Level Dialogues — WSIS+20 High-Level Event")
        #expect(message.text.contains("- Participation: declined\n\nShould any of this be incorrect"))
        #expect(!message.text.contains("Speaking time"))
        #expect(message.to.map(\.email) == ["principal@gbr.example"])
        #expect(message.replyTo?.email == "wsis-info@itu.int")
    }

    @Test("acknowledge: false records the reply and sends nothing")
    func acknowledgementsOff() throws {
        let step = try ConfirmStep(configuration: .object(["acknowledge": .bool(false)]))
        let effects = try step.run(
            Fixture.batch([Fixture.invitee(Fixture.delegation("FRA"), Fixture.reply(1, .confirm))]))
        #expect(Fixture.statuses(effects) == ["FRA/round-table=confirmed"])
        #expect(Fixture.messages(effects).isEmpty)
    }

    @Test("a reply on a track outside the batch, or no reply at all, is left alone")
    func ignoresOthers() throws {
        let outside = Fixture.invitee(Fixture.delegation("FRA"), Fixture.reply(1, .confirm, track: "summit"))
        let none = Invitee(delegation: Fixture.delegation("DEU"), states: ["dialogues": TrackState(status: .invited)])
        #expect(try step.run(Fixture.batch([outside, none])).isEmpty)
    }

    @Test("a late reply is accepted by default, wait-listed or refused as configured; a late decline is always taken")
    func lateRules() throws {
        var late = Fixture.reply(30, .confirm)
        late.receivedAt = Fixture.date(2024, 3, 15, 10)
        var lateDecline = Fixture.reply(31, .decline)
        lateDecline.receivedAt = Fixture.date(2024, 3, 15, 11)
        func run(_ rule: String, _ reply: Reply, status: ParticipationStatus = .invited) throws -> [Effect] {
            try ConfirmStep(configuration: .object(["late": .string(rule)]))
                .run(Fixture.batch([Fixture.invitee(Fixture.delegation("FRA", language: "en"), reply, status: status)]))
        }
        #expect(Fixture.statuses(try run("accept", late)) == ["FRA/round-table=confirmed"])
        let waitListed = try run("wait-list", late)
        #expect(Fixture.statuses(waitListed) == ["FRA/round-table=wait-listed"])
        #expect(Fixture.messages(waitListed)[0].text.contains("after the deadline of 29 February 2024; your delegation has therefore been placed on the waiting list"))
        let refused = try run("refuse", late)
        #expect(Fixture.statuses(refused).isEmpty)
        #expect(Fixture.messages(refused)[0].text.contains("after the deadline of 29 February 2024 and, regrettably, could not be taken into account"))
        #expect(Fixture.statuses(try run("refuse", lateDecline)) == ["FRA/round-table=declined"])
        // A seated delegation confirming late keeps its seat.
        #expect(Fixture.statuses(try run("wait-list", late, status: .seated)).isEmpty)
        // In time, nothing is said of the deadline.
        let onTime = try run("refuse", Fixture.reply(7, .confirm))
        #expect(Fixture.statuses(onTime) == ["FRA/round-table=confirmed"])
        #expect(!Fixture.messages(onTime)[0].text.contains("deadline"))
    }

    @Test("a track by invitation refuses a reply from a delegation not invited to it; a public track takes anyone's")
    func accessRules() throws {
        let reply = Fixture.reply(9, .confirm)
        let effects = try step.run(Fixture.batch([Fixture.invitee(Fixture.delegation("FRA", language: "en"), reply, status: .notInvited)]))
        #expect(Fixture.statuses(effects).isEmpty)
        #expect(Fixture.messages(effects)[0].text.contains("by invitation only, and your delegation is not among those invited"))

        var open = Fixture.roundTable
        open.access = .public
        let batch = StepBatch(
            event: Fixture.event, tracks: [Fixture.dialogues, open], occurrence: Occurrence(id: "reply", dueAt: Fixture.date(2024, 2, 12, 10)),
            now: Fixture.date(2024, 2, 12, 10), invitees: [Fixture.invitee(Fixture.delegation("FRA"), reply, status: .notInvited)])
        #expect(Fixture.statuses(try step.run(batch)) == ["FRA/round-table=confirmed"])
    }

    @Test("every embedded language explains a late or uninvited reply", arguments: ["ar", "en", "es", "fr", "ru", "zh"])
    func outcomeSentences(language: String) throws {
        var late = Fixture.reply(30, .confirm)
        late.receivedAt = Fixture.date(2024, 3, 15, 10)
        let waitList = try ConfirmStep(configuration: .object(["late": .string("wait-list")]))
        let plain = try step.run(Fixture.batch([Fixture.invitee(Fixture.delegation("FRA", language: language), Fixture.reply(7, .confirm))]))
        let lateText = Fixture.messages(try waitList.run(Fixture.batch([Fixture.invitee(Fixture.delegation("FRA", language: language), late)])))[0].text
        let uninvited = Fixture.messages(
            try step.run(Fixture.batch([Fixture.invitee(Fixture.delegation("FRA", language: language), Fixture.reply(7, .confirm), status: .notInvited)])))[0].text
        let base = Fixture.messages(plain)[0].text
        #expect(lateText.count > base.count + 40)
        #expect(uninvited.count > base.count + 40)
        #expect(lateText != uninvited)
        #expect(!lateText.contains("{{") && !uninvited.contains("{{"))
    }

    @Test("the acknowledgement states the number of accompanying persons, each delegation its own")
    func accompanyingPersons() throws {
        var two = Fixture.reply(5, .confirm)
        two.accompanying = 2
        var none = Fixture.reply(6, .confirm)
        none.accompanying = 0
        let messages = Fixture.messages(try step.run(Fixture.batch([
            Fixture.invitee(Fixture.delegation("FRA", language: "en"), two),
            Fixture.invitee(Fixture.delegation("DEU", language: "en"), none),
        ])))
        #expect(messages[0].text.contains("- Accompanying persons: 2"))
        #expect(!messages[1].text.contains("Accompanying"))
    }

    @Test("with a reply page, the acknowledgement offers the personal link to change the reply, in every language", arguments: ["ar", "en", "es", "fr", "ru", "zh"])
    func replyLinkOffered(language: String) throws {
        var invitee = Fixture.invitee(Fixture.delegation("FRA", language: language), Fixture.reply(7, .confirm))
        let plain = Fixture.messages(try step.run(Fixture.batch([invitee])))[0].text
        invitee.replyLink = URL(string: "https://convene.example.org/reply/FRA.1711839540.sig")!
        let text = Fixture.messages(try step.run(Fixture.batch([invitee])))[0].text
        #expect(text.contains("\nhttps://convene.example.org/reply/FRA.1711839540.sig\n"))
        #expect(!plain.contains("https://"))
        #expect(!text.contains("\n\n\n") && !text.contains("{{"))
    }

    @Test("a late reply is still recorded")
    func lateReply() throws {
        var reply = Fixture.reply(30, .confirm)
        reply.receivedAt = Fixture.date(2024, 3, 15, 10)
        let effects = try step.run(Fixture.batch([Fixture.invitee(Fixture.delegation("FRA"), reply)]))
        #expect(Fixture.statuses(effects) == ["FRA/round-table=confirmed"])
        #expect(Fixture.messages(effects)[0].text.contains("votre réponse du 15 mars 2024"))
    }

    @Test("every embedded language acknowledges each answer", arguments: ["ar", "en", "es", "fr", "ru", "zh"])
    func everyLanguage(language: String) throws {
        for answer in ReplyAnswer.allCases {
            let reply = Fixture.reply(
                1, answer, speaking: true, substitute: Principal(name: "Ana Pérez", title: "", gender: .female))
            let message = Fixture.messages(
                try step.run(Fixture.batch([Fixture.invitee(Fixture.delegation("XYZ", language: language), reply)])))[0]
            #expect(message.language == language)
            #expect(message.text.contains("wsis-info@itu.int") && message.text.contains("2024"))
            #expect(message.text.components(separatedBy: "\n- ").count == 3)
            #expect(message.text.contains("Ana Pérez") == (answer == .substitute))
            #expect(!message.text.contains("{{") && !message.text.contains("\n\n\n"))
        }
    }

    @Test("workflow templates replace the embedded ones")
    func overrides() throws {
        let step = try ConfirmStep(
            configuration: .object([
                "templates": .object(["fr": .string("{{reply.answer}} {{track.id}} #{{reply.sequence}}")]),
                "subject": .object(["fr": .string("Reçu")]),
            ]))
        let message = Fixture.messages(
            try step.run(Fixture.batch([Fixture.invitee(Fixture.delegation("FRA"), Fixture.reply(4, .decline))])))[0]
        #expect(message.text == "decline round-table #4\n")
        #expect(message.subject == "Reçu")
    }

    @Test("a template that does not compile names its language and place")
    func badTemplate() throws {
        let error = try #require(throws: StepError.self) {
            try ConfirmStep(configuration: .object(["templates": .object(["ru": .string("{{#reply}}")])]))
        }
        #expect(error.message.hasPrefix("templates.ru:1:"))
    }
}

@Suite("confirm snapshots")
struct ConfirmSnapshotTests {
    @Test("every language's acknowledgement of a substitution with a speaking request and an accompanying person reads as reviewed", arguments: ["ar", "en", "es", "fr", "ru", "zh"])
    func everyLanguage(language: String) throws {
        var reply = Fixture.reply(
            12, .substitute, speaking: true,
            substitute: Principal(name: "Ana Pérez", title: "Vice-Minister", gender: .female, rank: "vice-minister"))
        reply.accompanying = 1
        let step = try ConfirmStep(configuration: .object([:]))
        let message = try #require(Fixture.messages(try step.run(Fixture.batch([Fixture.invitee(Fixture.delegation("SEN", language: language, gender: .female), reply)]))).first)
        try expectSnapshot("Subject: \(message.subject)\n\n\(message.text)", named: "acknowledgement-\(language).txt", in: .module)
    }

    @Test("every language's acknowledgement of a late reply put on the waiting list reads as reviewed", arguments: ["ar", "en", "es", "fr", "ru", "zh"])
    func lateLanguage(language: String) throws {
        var reply = Fixture.reply(30, .confirm)
        reply.receivedAt = Fixture.date(2024, 3, 15, 10)
        let step = try ConfirmStep(configuration: .object(["late": .string("wait-list")]))
        let message = try #require(Fixture.messages(try step.run(Fixture.batch([Fixture.invitee(Fixture.delegation("SEN", language: language, gender: .female), reply)]))).first)
        try expectSnapshot("Subject: \(message.subject)\n\n\(message.text)", named: "acknowledgement-late-\(language).txt", in: .module)
    }
}
