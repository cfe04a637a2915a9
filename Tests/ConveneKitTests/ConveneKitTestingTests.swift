import ConveneKit
import ConveneKitTesting
import Foundation
import Testing

/// A step with a configuration at several depths, to configure as the host would.
private struct ProbeStep: Step {
    static let manifest = StepManifest(
        id: "probe", version: SemanticVersion(1, 0, 0), summary: "Echoes its configuration.",
        configuration: .object([
            ConfigField("subject", .perLanguage(.string()), required: true),
            ConfigField("seed", .integer(), default: 7),
            ConfigField("style", .object([ConfigField("colour", .string(), default: "#000000"), ConfigField("size", .integer())])),
            ConfigField("rows", .list(.object([ConfigField("label", .string(), required: true), ConfigField("width", .integer(), default: 1)]))),
        ]))

    let configuration: ConfigValue
    init(configuration: ConfigValue) throws { self.configuration = configuration }
    func run(_ batch: StepBatch) throws -> [Effect] {
        batch.invitees.flatMap { invitee in
            [Effect.send(OutgoingMessage(delegation: invitee.delegation.id, to: invitee.delegation.addresses.map(\.mailbox), subject: "s", language: "en", text: "t"))]
                + invitee.states.keys.sorted().map { Effect.setStatus(delegation: invitee.delegation.id, track: $0, status: .invited) }
        } + [.publish(Artifact(name: "list.csv", mediaType: "text/csv", content: "id\n"))]
    }
}

@Suite("ConveneKitTesting")
struct ConveneKitTestingTests {
    @Test("a step is configured as the host hands it over: defaults at every depth, unknown and missing keys refused")
    func configured() throws {
        let step = try ProbeStep.configured(["subject": ["en": "Hi"], "style": ["size": 3], "rows": [["label": "a"]]])
        #expect(step.configuration == [
            "subject": ["en": "Hi"], "seed": 7, "style": ["colour": "#000000", "size": 3], "rows": [["label": "a", "width": 1]],
        ])
        #expect(try ProbeStep.configured(["subject": ["en": "Hi"]]).configuration["style"] == nil, "an object without a default stays absent")
        #expect(throws: StepError.self) { try ProbeStep.configured() }
        let missing = #expect(throws: StepError.self) { try ProbeStep.configured(["subject": ["en": "Hi"], "rows": [["width": 2]]]) }
        #expect(missing?.message == "with.rows[0] is missing the key 'label' (a string)")
        let unknown = #expect(throws: StepError.self) { try ProbeStep.configured(["subject": ["en": "Hi"], "sed": 3]) }
        #expect(unknown?.message == "unknown key 'sed' in with; the keys are subject, seed, style, rows")
    }

    @Test("sample batches, and the effects sorted into messages, statuses and artifacts")
    func samples() throws {
        let france = Delegation.sample("FRA", names: ["fr": "France"], language: "fr")
        #expect(france.addresses(.principal).map(\.mailbox.email) == ["principal@fra.example"])
        #expect(france.principal.rank == "minister")
        let batch = StepBatch.sample([.sample(france, .confirmed, on: ["a", "b"])], tracks: [.sample("a"), .sample("b")])
        #expect(batch.invitees[0].state(on: "b").status == .confirmed)
        #expect(batch.event.letterLanguage(for: france) == "fr")
        let effects = try ProbeStep.configured(["subject": ["en": "Hi"]]).run(batch)
        #expect(effects.messages.map(\.delegation) == ["FRA"])
        #expect(effects.statusChanges == ["FRA/a=invited", "FRA/b=invited"])
        #expect(effects.artifacts["list.csv"]?.mediaType == "text/csv")
        #expect(effects.placements.isEmpty)
    }
}
