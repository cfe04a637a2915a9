import ConveneKit

/// Sends each invitee a one-line greeting in its letter language, and marks it invited on the
/// step's tracks. `../python-plugins/convene-step-greet.py` is the same step in Python.
struct GreetStep: Step {
    static let manifest = StepManifest(
        id: "greet", version: SemanticVersion(1, 2, 0), summary: "Sends a one-line greeting.",
        configuration: .object([
            ConfigField("greeting", .perLanguage(.string()), required: true, summary: "The greeting, per language."),
        ]))

    let greetings: [String: String]

    init(configuration: ConfigValue) throws {
        var greetings: [String: String] = [:]
        for (language, value) in configuration["greeting"].object ?? [:] { greetings[language] = value.string }
        guard !greetings.isEmpty else { throw StepError("greeting: give at least one language") }
        self.greetings = greetings
    }

    func run(_ batch: StepBatch) throws -> [Effect] {
        batch.invitees.flatMap { invitee in
            let language = batch.event.letterLanguage(for: invitee.delegation)
            let text = greetings[language] ?? greetings[batch.event.fallbackLanguage] ?? greetings.values.sorted()[0]
            let greeting = Effect.send(OutgoingMessage(
                delegation: invitee.delegation.id, to: invitee.delegation.addresses(.principal).map(\.mailbox),
                subject: text, language: language, text: "\(text), \(invitee.delegation.name(in: language))."))
            return [greeting] + invitee.states.keys.sorted().map {
                Effect.setStatus(delegation: invitee.delegation.id, track: $0, status: .invited)
            }
        }
    }
}

@_cdecl("convene_plugin_api_version")
public func pluginAPIVersion() -> Int32 { conveneKitAPIVersion }

@_cdecl("convene_plugin_entry")
public func pluginEntry() -> UnsafeMutableRawPointer { StepPlugin.export(GreetStep.self) }
