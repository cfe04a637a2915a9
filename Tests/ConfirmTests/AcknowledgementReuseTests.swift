import ConveneKit
import Foundation
import Testing

@testable import Confirm

/// Acknowledgements are rendered once for replies their templates cannot tell apart: these check
/// that replies they do tell apart never share one.
@Suite("acknowledgement reuse")
struct AcknowledgementReuseTests {
    @Test("substitutes, dates and answers tell acknowledgements apart")
    func replyValues() throws {
        let step = try ConfirmStep(configuration: .object([:]))
        let later = Reply(
            sequence: 5, track: "round-table", answer: .confirm, receivedAt: Fixture.date(2024, 2, 20, 10),
            source: "web")
        let texts = Fixture.messages(
            try step.run(
                Fixture.batch([
                    Fixture.invitee(Fixture.delegation("FRA"), Fixture.reply(1, .confirm)),
                    Fixture.invitee(
                        Fixture.delegation("CHE"),
                        Fixture.reply(2, .substitute, substitute: Principal(name: "A. Martin", title: "", gender: .male))),
                    Fixture.invitee(
                        Fixture.delegation("DEU"),
                        Fixture.reply(3, .substitute, substitute: Principal(name: "B. Keller", title: "Ambassadeur", gender: .male))),
                    Fixture.invitee(Fixture.delegation("AUT"), later),
                    Fixture.invitee(Fixture.delegation("BEL"), Fixture.reply(4, .confirm)),
                ]))
        ).map(\.text)
        #expect(texts[1].contains("A. Martin") && !texts[1].contains("Ambassadeur"))
        #expect(texts[2].contains("B. Keller, Ambassadeur"))
        #expect(texts[0].contains("12 février 2024") && texts[3].contains("20 février 2024"))
        #expect(texts[4] == texts[0])
    }

    @Test("a template naming the reply's sequence writes each reply's own")
    func sequence() throws {
        let step = try ConfirmStep(
            configuration: .object(["templates": .object(["fr": .string("{{reply.sequence}} {{reply.source}}")])]))
        let texts = Fixture.messages(
            try step.run(
                Fixture.batch([
                    Fixture.invitee(Fixture.delegation("FRA"), Fixture.reply(1, .confirm)),
                    Fixture.invitee(Fixture.delegation("CHE"), Fixture.reply(2, .confirm)),
                ]))
        ).map(\.text)
        #expect(texts == ["1 web\n", "2 web\n"])
    }
}
