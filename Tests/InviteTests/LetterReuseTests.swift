import ConveneKit
import Foundation
import Testing

@testable import Invite

/// The step renders a letter once for all delegations its templates cannot tell apart, and
/// reuses it: these check that delegations the templates do tell apart never share a letter.
@Suite("invite letter reuse")
struct LetterReuseTests {
    func texts(_ step: InviteStep, _ batch: StepBatch) throws -> [String] {
        Fixture.messages(try step.run(batch)).map(\.text)
    }

    @Test("letters that name the delegation are written for each delegation")
    func namedDelegation() throws {
        let step = try InviteStep(
            configuration: .object([
                "templates": .object(["fr": .string("{{salutation}} {{delegation.name}} {{principal.name}}")])
            ]))
        let batch = Fixture.batch([
            Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": .notInvited]),
            Fixture.invitee(Fixture.delegation("CHE"), ["dialogues": .notInvited]),
        ])
        #expect(
            try texts(step, batch) == [
                "Madame la Ministre, FRA Principal of FRA\n", "Madame la Ministre, CHE Principal of CHE\n",
            ])
    }

    @Test("a name inside a section counts as used")
    func sectionNames() throws {
        let step = try InviteStep(
            configuration: .object([
                "templates": .object(["fr": .string("{{#principal}}{{name}}{{/principal}}")])
            ]))
        let batch = Fixture.batch([
            Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": .notInvited]),
            Fixture.invitee(Fixture.delegation("CHE"), ["dialogues": .notInvited]),
        ])
        #expect(try texts(step, batch) == ["Principal of FRA\n", "Principal of CHE\n"])
    }

    @Test("templates with other delimiters are rendered for each delegation")
    func changedDelimiters() throws {
        let step = try InviteStep(
            configuration: .object([
                "templates": .object(["fr": .string("{{=<% %>=}}<% delegation.name %>")])
            ]))
        let batch = Fixture.batch([
            Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": .notInvited]),
            Fixture.invitee(Fixture.delegation("CHE"), ["dialogues": .notInvited]),
        ])
        #expect(try texts(step, batch) == ["FRA\n", "CHE\n"])
    }

    @Test("the tracks and the salutation tell letters apart")
    func tracksAndSalutation() throws {
        let step = try InviteStep(configuration: .object([:]))
        let batch = Fixture.batch([
            Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": .notInvited]),
            Fixture.invitee(Fixture.delegation("CHE"), ["round-table": .notInvited]),
            Fixture.invitee(Fixture.delegation("DEU", gender: .male), ["dialogues": .notInvited]),
            Fixture.invitee(Fixture.delegation("AUT"), ["dialogues": .notInvited]),
        ])
        let texts = try texts(step, batch)
        #expect(texts[0].contains("Dialogues de haut niveau") && !texts[0].contains("Table ronde"))
        #expect(texts[1].contains("Table ronde") && !texts[1].contains("Dialogues de haut niveau"))
        #expect(texts[2].contains("\n\nMonsieur le Ministre,\n"))
        #expect(texts[3] == texts[0])
    }

    @Test("a later batch of another event gets its own letters")
    func anotherEvent() throws {
        let step = try InviteStep(configuration: .object([:]))
        var other = Fixture.event
        other.names["fr"] = "Autre événement"
        other.dates["deadlines.reply"] = Fixture.date(2024, 3, 15, 12)
        let invitees = [Fixture.invitee(Fixture.delegation("FRA"), ["dialogues": .notInvited])]
        let first = try texts(step, Fixture.batch(invitees))[0]
        let second = try texts(step, Fixture.batch(invitees, event: other))[0]
        #expect(first.contains("Événement de haut niveau du SMSI+20") && first.contains("29 février 2024"))
        #expect(second.contains("Autre événement") && second.contains("15 mars 2024"))
        #expect(try texts(step, Fixture.batch(invitees))[0] == first)
    }
}
