import ConveneKit

/// Sends each invitee a one-line greeting in its letter language.
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
        batch.invitees.map { invitee in
            let language = batch.event.letterLanguage(for: invitee.delegation)
            let text = greetings[language] ?? greetings[batch.event.fallbackLanguage] ?? greetings.values.sorted()[0]
            return .send(OutgoingMessage(
                delegation: invitee.delegation.id, to: invitee.delegation.addresses(.principal).map(\.mailbox),
                subject: text, language: language, text: "\(text), \(invitee.delegation.name(in: language))."))
        }
    }
}

@_cdecl("convene_plugin_api_version")
public func pluginAPIVersion() -> Int32 { conveneKitAPIVersion }

@_cdecl("convene_plugin_entry")
public func pluginEntry() -> UnsafeMutableRawPointer { StepPlugin.export(GreetStep.self) }
