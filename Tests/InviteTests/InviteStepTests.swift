import ConveneKit
import ConveneTestSupport
import Foundation
import Testing

@testable import Invite

@Suite("invite step")
struct InviteStepTests {
    let step: InviteStep

    init() throws { step = try InviteStep(configuration: .object([:])) }

    @Test("one invitation per delegation covers every track it is invited to")
    func oneMessagePerDelegation() throws {
        let effects = try step.run(
            Fixture.batch([
                Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": .notInvited, "round-table": .notInvited]),
                Fixture.invitee(Fixture.delegation("CHE"), ["round-table": .notInvited]),
            ]))
        let messages = Fixture.messages(effects)
        #expect(messages.map(\.delegation) == ["FRA", "CHE"])
        #expect(messages[0].text.contains("Dialogues de haut niveau"))
        #expect(messages[0].text.contains("Table ronde ministérielle"))
        #expect(!messages[1].text.contains("Dialogues de haut niveau"))
        #expect(messages[1].text.contains("Table ronde ministérielle"))
        #expect(
            Fixture.statuses(effects) == [
                "FRA/dialogues=invited", "FRA/round-table=invited", "CHE/round-table=invited",
            ])
    }

    @Test("the principal is addressed, focal point and mission copied, replies go to the contact")
    func recipients() throws {
        let message = try #require(
            Fixture.messages(
                try step.run(Fixture.batch([Fixture.invitee(Fixture.delegation("KEN"), ["dialogues": .notInvited])]))
            )
            .first)
        #expect(message.to.map(\.email) == ["principal@ken.example"])
        #expect(message.cc.map(\.email) == ["focal-point@ken.example", "mission@ken.example"])
        #expect(message.replyTo?.email == "wsis-info@itu.int")
    }

    @Test("copy: lists the roles copied")
    func copyRoles() throws {
        let missionOnly = try InviteStep(configuration: .object(["copy": .list([.string("mission")])]))
        let nobody = try InviteStep(configuration: .object(["copy": .list([])]))
        let batch = Fixture.batch([Fixture.invitee(Fixture.delegation("KEN"), ["dialogues": .notInvited])])
        #expect(Fixture.messages(try missionOnly.run(batch))[0].cc.map(\.email) == ["mission@ken.example"])
        #expect(Fixture.messages(try nobody.run(batch))[0].cc.isEmpty)
    }

    @Test("a delegation without a principal address is written to its copies")
    func noPrincipalAddress() throws {
        let delegation = Fixture.delegation("TUV", addresses: [.focalPoint, .mission])
        let message = try #require(
            Fixture.messages(try step.run(Fixture.batch([Fixture.invitee(delegation, ["dialogues": .notInvited])])))
                .first)
        #expect(message.to.map(\.email) == ["focal-point@tuv.example", "mission@tuv.example"])
        #expect(message.cc.isEmpty)
    }

    @Test("a language the event does not offer falls back to the event's language")
    func languageFallback() throws {
        let english = Fixture.delegation("GBR", language: "en")
        let portuguese = Fixture.delegation("BRA", language: "pt")
        let messages = Fixture.messages(
            try step.run(
                Fixture.batch([
                    Fixture.invitee(english, ["dialogues": .notInvited]),
                    Fixture.invitee(portuguese, ["dialogues": .notInvited]),
                ])))
        #expect(messages.map(\.language) == ["en", "fr"])
        #expect(messages[0].subject == "Invitation: WSIS+20 High-Level Event (CL-24/2)")
        #expect(messages[1].subject == "Invitation\u{A0}: Événement de haut niveau du SMSI+20 (CL-24/2)")
    }

    @Test("French letters greet and close by the principal's gender")
    func frenchSalutations() throws {
        let messages = Fixture.messages(
            try step.run(
                Fixture.batch([
                    Fixture.invitee(Fixture.delegation("SEN", gender: .female), ["dialogues": .notInvited]),
                    Fixture.invitee(Fixture.delegation("MLI", gender: .male), ["dialogues": .notInvited]),
                ])))
        #expect(messages[0].text.contains("\nMadame la Ministre,\n"))
        #expect(messages[0].text.contains("d'agréer, Madame la Ministre, l'assurance de notre haute considération."))
        #expect(messages[1].text.contains("\nMonsieur le Ministre,\n"))
        #expect(messages[1].text.contains("d'agréer, Monsieur le Ministre, l'assurance"))
    }

    @Test("dates are written in French in the event's time zone")
    func frenchDates() throws {
        let text = Fixture.messages(
            try step.run(
                Fixture.batch([
                    Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": .notInvited, "round-table": .notInvited])
                ])))[0].text
        #expect(text.contains("- Dialogues de haut niveau, 27–28 mai 2024 (sur invitation)"))
        #expect(text.contains("- Table ronde ministérielle, 28 mai 2024 (sur invitation)"))
        #expect(text.contains("au plus tard le 29 février 2024."))
    }

    @Test("English dates are written day, month, year")
    func englishDates() throws {
        let text = Fixture.messages(
            try step.run(
                Fixture.batch(
                    [Fixture.invitee(Fixture.delegation("GBR", language: "en"), ["summit": .notInvited])],
                    tracks: [Fixture.summit])))[0].text
        #expect(text.contains("AI for Good Global Summit, 30\u{2009}–\u{2009}31 May 2024 (open to the public)"))
        #expect(text.contains("by 29 February 2024."))
    }

    @Test("without the deadline date the letter asks for no reply date")
    func noDeadline() throws {
        var event = Fixture.event
        event.dates = [:]
        let text = Fixture.messages(
            try step.run(
                Fixture.batch([Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": .notInvited])], event: event))
        )[0].text
        #expect(!text.contains("au plus tard"))
        #expect(text.contains("Pour toute question"))
    }

    @Test("each track gets a calendar entry with a stable uid, the venue and the time zone")
    func calendarEntries() throws {
        let message = Fixture.messages(
            try step.run(
                Fixture.batch([
                    Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": .notInvited, "round-table": .notInvited])
                ])))[0]
        #expect(message.calendar.map(\.uid) == ["wsis20-2024-dialogues@convene", "wsis20-2024-round-table@convene"])
        #expect(message.calendar[0].summary == "Dialogues de haut niveau")
        #expect(message.calendar[0].start == Fixture.dialogues.start)
        #expect(message.calendar[0].end == Fixture.dialogues.end)
        #expect(message.calendar.allSatisfy { $0.location == "CICG, Geneva" && $0.timeZone == "Europe/Zurich" })
    }

    @Test("a status further along is never downgraded to invited")
    func neverDowngrades() throws {
        let effects = try step.run(
            Fixture.batch([
                Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": .confirmed, "round-table": .notInvited]),
                Fixture.invitee(Fixture.delegation("DEU"), ["dialogues": .reminded]),
            ]))
        #expect(Fixture.statuses(effects) == ["FRA/round-table=invited"])
        #expect(Fixture.messages(effects).count == 2)
    }

    @Test("an invitee on none of the batch's tracks gets nothing")
    func noTracks() throws {
        let effects = try step.run(Fixture.batch([Fixture.invitee(Fixture.delegation("FRA"), ["summit": .notInvited])]))
        #expect(effects.isEmpty)
    }

    @Test("signatories sign with their title in the letter's language")
    func signatories() throws {
        let messages = Fixture.messages(
            try step.run(
                Fixture.batch([
                    Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": .notInvited]),
                    Fixture.invitee(Fixture.delegation("GBR", language: "en"), ["dialogues": .notInvited]),
                ])))
        #expect(
            messages[0].text.hasSuffix(
                "Doreen Bogdan-Martin\nSecrétaire générale de l'UIT\n\nAlbert Rösti\nConseiller fédéral, Suisse\n"))
        #expect(messages[1].text.contains("Doreen Bogdan-Martin\nSecretary-General, ITU\n"))
        #expect(messages[1].text.contains("We have the honour to invite you"))
    }

    @Test("every embedded language renders a complete letter", arguments: ["ar", "en", "es", "fr", "ru", "zh"])
    func everyLanguage(language: String) throws {
        let message = Fixture.messages(
            try step.run(
                Fixture.batch([
                    Fixture.invitee(Fixture.delegation("XYZ", language: language), ["dialogues": .notInvited])
                ])))[0]
        #expect(message.language == language)
        #expect(message.text.contains(Salutation.opening(for: Fixture.delegation("XYZ").principal, in: language)))
        #expect(message.text.contains("wsis-info@itu.int"))
        #expect(message.text.contains("CL-24/2"))
        #expect(message.text.contains("2024"))
        #expect(!message.text.contains("{{") && !message.subject.contains("{{"))
        #expect(!message.text.contains("\n\n\n"))
        #expect(message.html?.contains("<html lang=\"\(language)\"") == true)
    }

    @Test("workflow templates and subjects replace the embedded ones")
    func overrides() throws {
        let step = try InviteStep(
            configuration: .object([
                "templates": .object([
                    "fr": .string("{{salutation}} {{delegation.name}}{{#tracks}} [{{name}}]{{/tracks}}")
                ]),
                "subject": .object(["fr": .string("Objet {{event.reference}}")]),
                "html-templates": .object(["fr": .string("<p>{{delegation.name}}</p>")]),
            ]))
        let delegation = Fixture.delegation("CIV", name: "Côte d'Ivoire")
        let message = Fixture.messages(
            try step.run(Fixture.batch([Fixture.invitee(delegation, ["dialogues": .notInvited])])))[0]
        #expect(message.text == "Madame la Ministre, Côte d'Ivoire [Dialogues de haut niveau]\n")
        #expect(message.subject == "Objet CL-24/2")
        #expect(message.html == "<p>Côte d&#39;Ivoire</p>" || message.html == "<p>Côte d&#x27;Ivoire</p>")
    }

    @Test("a country's name with its article, after 'of', and the roster's other columns, each delegation its own")
    func countryNamesWithArticles() throws {
        let step = try InviteStep(
            configuration: .object([
                "templates": .object([
                    "fr": .string("{{delegation.nameWithArticle}} | la délégation {{delegation.ofName}} | {{delegation.region}}"),
                    "en": .string("{{delegation.nameWithArticle}} | the delegation {{delegation.ofName}} | {{delegation.region}}"),
                ])
            ]))
        func delegation(_ id: String, _ fr: String, _ en: String, _ articleFR: String, _ articleEN: String, language: String = "fr") -> Delegation {
            var d = Fixture.delegation(id, language: language)
            d.names = ["fr": fr, "en": en]
            d.fields = ["article_fr": articleFR, "article_en": articleEN, "region": "Region of \(id)"]
            return d
        }
        // Many delegations, so that letters are kept and reused: each must still name its own country.
        let delegations = [
            delegation("FRA", "France", "France", "la", ""), delegation("CAN", "Canada", "Canada", "le", ""),
            delegation("NLD", "Pays-Bas", "Netherlands", "les", "the"), delegation("UGA", "Ouganda", "Uganda", "l'", ""),
            delegation("CUB", "Cuba", "Cuba", "", ""), delegation("ISR", "Israël", "Israel", "", ""),
            delegation("HTI", "Haïti", "Haiti", "", ""), delegation("NL2", "Pays-Bas", "Netherlands", "les", "the", language: "en"),
            delegation("GBR", "Royaume-Uni", "United Kingdom", "le", "the", language: "en"),
        ]
        let invitees = (delegations + delegations.map { var d = $0; d.id += "-2"; return d }).map { Fixture.invitee($0, ["dialogues": .notInvited]) }
        let texts = Dictionary(uniqueKeysWithValues: Fixture.messages(try step.run(Fixture.batch(invitees))).map { ($0.delegation, $0.text) })
        #expect(texts["FRA"] == "la France | la délégation de la France | Region of FRA\n")
        #expect(texts["CAN"] == "le Canada | la délégation du Canada | Region of CAN\n")
        #expect(texts["NLD"] == "les Pays-Bas | la délégation des Pays-Bas | Region of NLD\n")
        #expect(texts["UGA"] == "l'Ouganda | la délégation de l'Ouganda | Region of UGA\n")
        #expect(texts["CUB"] == "Cuba | la délégation de Cuba | Region of CUB\n")
        #expect(texts["ISR"] == "Israël | la délégation d'Israël | Region of ISR\n")
        #expect(texts["HTI"] == "Haïti | la délégation d'Haïti | Region of HTI\n")
        #expect(texts["NL2"] == "the Netherlands | the delegation of the Netherlands | Region of NL2\n")
        #expect(texts["GBR"] == "the United Kingdom | the delegation of the United Kingdom | Region of GBR\n")
        #expect(texts["CAN-2"] == "le Canada | la délégation du Canada | Region of CAN\n")
    }

    @Test("a template that does not compile is reported with its language and line:column")
    func badTemplate() throws {
        let error = try #require(throws: StepError.self) {
            try InviteStep(configuration: .object(["templates": .object(["fr": .string("Bonjour\n{{#tracks}}\n")])]))
        }
        #expect(error.message.hasPrefix("templates.fr:"))
        #expect(error.message.contains(":3:") || error.message.contains(":2:"))
        let subject = try #require(throws: StepError.self) {
            try InviteStep(configuration: .object(["subject": .object(["es": .string("{{/x}}")])]))
        }
        #expect(subject.message.hasPrefix("subject.es:1:"))
    }

    @Test("a body template in a language without a subject is refused")
    func bodyNeedsSubject() throws {
        let error = try #require(throws: StepError.self) {
            try InviteStep(configuration: .object(["templates": .object(["pt": .string("Olá")])]))
        }
        #expect(error.message.contains("subject.pt"))
    }

    @Test("the HTML alternative escapes the text and lists the tracks")
    func htmlAlternative() throws {
        let delegation = Fixture.delegation("TTO", language: "en", name: "Trinidad & Tobago")
        let html = try #require(
            Fixture.messages(
                try step.run(Fixture.batch([Fixture.invitee(delegation, ["dialogues": .notInvited])])))[0].html)
        #expect(
            html.contains("<ul>\n<li>High-Level Dialogues, 27\u{2009}–\u{2009}28 May 2024 (by invitation)</li>\n</ul>"))
        #expect(html.contains("<p>Dear Madam Minister,</p>"))
    }

    @Test("a personal reply link stands on a line of its own in every language, and is a link in the HTML part; without one, no word of it")
    func replyLink() throws {
        let link = URL(string: "https://convene.example.org/reply/FRA.1711839540.oPuoEKOoIummwTE52cuqbWyioprgFovJY_0bgErmalE")!
        for language in ["ar", "en", "es", "fr", "ru", "zh"] {
            let delegation = Fixture.delegation("FRA", language: language)
            var invitee = Fixture.invitee(delegation, ["dialogues": .notInvited])
            invitee.replyLink = link
            let message = try #require(Fixture.messages(try step.run(Fixture.batch([invitee]))).first)
            #expect(message.text.contains("\n\(link.absoluteString)\n"), "\(language)")
            #expect(message.html?.contains("<a href=\"\(link.absoluteString)\">\(link.absoluteString)</a>") == true, "\(language)")

            let plain = try #require(
                Fixture.messages(try step.run(Fixture.batch([Fixture.invitee(delegation, ["dialogues": .notInvited])]))).first)
            #expect(!plain.text.contains("https://"), "\(language)")
            #expect(plain.text.count < message.text.count)
        }
    }

    @Test("two delegations of one batch each get their own link, not a letter kept from the other")
    func replyLinksAreOwn() throws {
        var invitees: [Invitee] = []
        for id in ["FRA", "DEU"] {
            var invitee = Fixture.invitee(Fixture.delegation(id, language: "fr"), ["dialogues": .notInvited])
            invitee.replyLink = URL(string: "https://convene.example.org/reply/\(id).1.sig")!
            invitees.append(invitee)
        }
        let messages = Fixture.messages(try step.run(Fixture.batch(invitees)))
        #expect(messages.count == 2)
        #expect(messages[0].text.contains("/reply/FRA.1.sig") && !messages[0].text.contains("DEU"))
        #expect(messages[1].text.contains("/reply/DEU.1.sig") && !messages[1].text.contains("/reply/FRA"))
    }

    @Test("the same batch always gives the same effects")
    func deterministic() throws {
        let batch = Fixture.batch([
            Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": .notInvited, "round-table": .invited]),
            Fixture.invitee(Fixture.delegation("CHN", language: "zh"), ["round-table": .notInvited]),
        ])
        #expect(try step.run(batch) == step.run(batch))
    }

    @Test("the manifest names the step and its defaults")
    func manifest() {
        #expect(InviteStep.manifest.id == "invite")
        #expect(InviteStep.manifest.version == SemanticVersion(1, 0, 0))
        guard case .object(let fields) = InviteStep.manifest.configuration else {
            Issue.record("configuration is not an object")
            return
        }
        #expect(fields.map(\.name) == ["copy", "templates", "html-templates", "subject", "deadline", "calendar"])
    }
}

@Suite("invite snapshots")
struct InviteSnapshotTests {
    @Test("the French invitation reads as reviewed")
    func frenchInvitation() throws {
        let step = try InviteStep(configuration: .object([:]))
        let delegation = Delegation(
            id: "SEN", names: ["en": "Senegal", "fr": "Sénégal"], language: "fr",
            principal: Principal(
                name: "Mme Fatou Diop", title: "Ministre de la Communication", gender: .female, rank: "minister"),
            addresses: [Address(role: .principal, mailbox: Mailbox(email: "ministre@example.sn"))])
        let text = Fixture.messages(
            try step.run(
                Fixture.batch(
                    [
                        Fixture.invitee(
                            delegation, ["dialogues": .notInvited, "round-table": .notInvited, "summit": .notInvited])
                    ],
                    tracks: [Fixture.dialogues, Fixture.roundTable, Fixture.summit])))[0].text
        try expectSnapshot(text, named: "invitation-fr.txt", in: .module)
    }

    @Test("every language's invitation, with its reply link, reads as reviewed", arguments: ["ar", "en", "es", "fr", "ru", "zh"])
    func everyLanguage(language: String) throws {
        let step = try InviteStep(configuration: .object([:]))
        var invitee = Fixture.invitee(Fixture.delegation("SEN", language: language, gender: .female), ["dialogues": .notInvited, "round-table": .notInvited])
        invitee.replyLink = URL(string: "https://convene.example.org/reply/SEN.1711839540.oPuoEKOoIummwTE52cuqbWyioprgFovJY_0bgErmalE")!
        let message = try #require(Fixture.messages(try step.run(Fixture.batch([invitee]))).first)
        try expectSnapshot("Subject: \(message.subject)\n\n\(message.text)", named: "invitation-link-\(language).txt", in: .module)
    }
}
