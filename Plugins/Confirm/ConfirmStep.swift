public import ConveneKit
internal import ConveneLetters
import Foundation

/// The `confirm` step, run `on: reply`: records what a delegation answered on a track and
/// acknowledges it.
///
/// Each invitee carries the reply that triggered the run. The reply's track moves to confirmed,
/// declined or substituted, whatever an earlier reply said. A delegation already seated or
/// wait-listed keeps its place when it confirms again or names a substitute, and loses it only
/// by declining. A reply older than the latest one the ledger holds changes nothing.
///
/// The acknowledgement, in the delegation's letter language, restates what was recorded; its
/// discriminator `reply-<sequence>` gives every reply its own acknowledgement.
///
/// Configuration (`with:`):
/// - `acknowledge`: whether to send acknowledgements; `true` by default.
/// - `templates`: plain-text body templates by language (Mustache), overriding the embedded ones.
/// - `subject`: subject templates by language.
/// - `copy`: roles copied, a list of `focal-point` and `mission`; both by default.
public struct ConfirmStep: Step {
    /// The step's identity and configuration schema.
    public static let manifest = StepManifest(
        id: "confirm",
        version: SemanticVersion(1, 0, 0),
        summary: "Records each reply on its track and acknowledges it",
        configuration: .object([
            ConfigField(
                "acknowledge", .boolean, default: .bool(true),
                summary: "Send the delegation an acknowledgement of each reply"),
            ConfigField(
                "templates", .perLanguage(.template),
                summary: "Plain-text acknowledgement templates (Mustache) by language, overriding the embedded ones"),
            ConfigField(
                "subject", .perLanguage(.string()),
                summary: "Subject templates (Mustache) by language, overriding the embedded ones"),
            ConfigField(
                "copy", .list(.string(oneOf: ["focal-point", "mission"])),
                default: .list([.string("focal-point"), .string("mission")]),
                summary: "Address roles copied on the acknowledgement"),
        ])
    )

    let acknowledges: Bool
    let bodies: LocalizedTemplates
    let subjects: LocalizedTemplates
    let copy: [Address.Role]

    /// Makes the step and compiles its templates.
    /// - Parameter configuration: the step's `with:`.
    /// - Throws: ``StepError`` for a template that does not compile (with its language and
    ///   line:column), or a language that has a body template but no subject.
    public init(configuration: ConfigValue) throws {
        let settings = Settings(configuration, schema: Self.manifest.configuration)
        acknowledges = settings["acknowledge"].bool ?? true
        bodies = try LocalizedTemplates(
            key: "templates", defaults: ConfirmTemplates.bodies, overrides: settings.strings(byLanguage: "templates"))
        subjects = try LocalizedTemplates(
            key: "subject", defaults: ConfirmTemplates.subjects, overrides: settings.strings(byLanguage: "subject"))
        if let orphan = bodies.languages.subtracting(subjects.languages).sorted().first {
            throw StepError("templates.\(orphan): a body template needs a subject: add subject.\(orphan)")
        }
        copy = settings.roles("copy")
    }

    /// The status a reply moves a track to from its current status, or `nil` to leave it.
    static func status(after answer: ReplyAnswer, from current: ParticipationStatus) -> ParticipationStatus? {
        let target: ParticipationStatus =
            switch answer {
            case .confirm: .confirmed
            case .decline: .declined
            case .substitute: .substituted
            }
        // A place in the seating plan stands as long as the delegation still comes.
        if current == .seated || current == .waitListed, target != .declined { return nil }
        return target == current ? nil : target
    }

    /// Records the replies and acknowledges them.
    /// - Parameter batch: the invitees, each with the reply that triggered the run.
    /// - Returns: per reply on one of the batch's tracks, a `.setStatus` when the status changes
    ///   and, unless switched off, a `.send` of the acknowledgement.
    public func run(_ batch: StepBatch) throws -> [Effect] {
        var effects: [Effect] = []
        var dateTexts: [String: DateText] = [:]
        for invitee in batch.invitees {
            guard let reply = invitee.trigger, let track = batch.tracks.first(where: { $0.id == reply.track })
            else { continue }
            let delegation = invitee.delegation
            let state = invitee.state(on: track.id)
            if let latest = state.reply, latest.sequence > reply.sequence { continue }
            if let status = Self.status(after: reply.answer, from: state.status) {
                effects.append(.setStatus(delegation: delegation.id, track: track.id, status: status))
            }
            guard acknowledges else { continue }
            let (to, cc) = recipients(of: delegation, copy: copy)
            guard !to.isEmpty else { continue }
            let language = writingLanguage(for: delegation, in: batch.event, offered: bodies.languages)
            guard let body = bodies[language], let subject = subjects[language] else { continue }
            let dates = dateTexts[language] ?? DateText(language: language, timeZone: batch.event.timeZone)
            dateTexts[language] = dates

            var values = letterValues(
                for: delegation, event: batch.event, language: language, dates: dates, deadline: nil)
            values["track"] = trackValues(track, language: language, dates: dates)
            values["reply"] = Self.replyValues(reply, dates: dates)
            let text = tidyBody(body.render(values))
            effects.append(
                .send(
                    OutgoingMessage(
                        delegation: delegation.id, discriminator: "reply-\(reply.sequence)", to: to, cc: cc,
                        replyTo: batch.event.contact, subject: tidySubject(subject.render(values)),
                        language: language, text: text, html: htmlAlternative(of: text, language: language))))
        }
        return effects
    }

    /// The values of a reply in an acknowledgement.
    static func replyValues(_ reply: Reply, dates: DateText) -> [String: any Sendable] {
        var values: [String: any Sendable] = [
            "answer": reply.answer.rawValue,
            "confirmed": reply.answer == .confirm,
            "declined": reply.answer == .decline,
            "substituted": reply.answer == .substitute,
            "speakingRequested": reply.speakingRequested,
            "date": dates.day(reply.receivedAt),
            "source": reply.source,
            "sequence": Int(reply.sequence),
        ]
        if reply.answer == .substitute, let substitute = reply.substitute {
            var person: [String: any Sendable] = ["name": substitute.name]
            // Mustache takes an empty string as true, so an absent title is left out.
            if !substitute.title.isEmpty { person["title"] = substitute.title }
            values["substitute"] = person
        }
        return values
    }
}
