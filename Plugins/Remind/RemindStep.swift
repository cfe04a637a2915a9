public import ConveneKit
internal import ConveneLetters
import Foundation

/// The `remind` step: one reminder per delegation that has not yet replied, listing the tracks it
/// has not answered.
///
/// The host fires the step at each `before:` offset of the deadline; the step still guards on its
/// own: it reminds only on tracks where the delegation is invited or already reminded and has no
/// reply, and never at or after the deadline. The subject starts with an action marker; the last
/// firing of the schedule uses a sterner text and may also write to the permanent mission.
///
/// Configuration (`with:`):
/// - `deadline`: the event date replies are due by; `deadlines.reply` by default.
/// - `marker`: the subject's opening by language (`[Action required]`, `[Action requise]`, …).
/// - `templates`, `last-templates`: plain-text body templates by language (Mustache), for the
///   reminders before the last and for the last one.
/// - `subject`: subject templates by language (after the marker).
/// - `copy`: roles copied, a list of `focal-point` and `mission`; both by default.
/// - `escalate-to-mission`: on the last reminder, write to the mission as well as the principal;
///   `false` by default.
public struct RemindStep: Step {
    /// The step's identity and configuration schema.
    public static let manifest = StepManifest(
        id: "remind",
        version: SemanticVersion(1, 0, 0),
        summary: "Reminds delegations that have not replied, before the reply deadline",
        configuration: .object([
            ConfigField(
                "deadline", .dateName, default: .string("deadlines.reply"),
                summary: "The event date replies are due by; no reminder goes out at or after it"),
            ConfigField(
                "marker", .perLanguage(.string()),
                summary: "What the subject starts with, by language; embedded defaults such as [Action required]"),
            ConfigField(
                "templates", .perLanguage(.template),
                summary: "Plain-text body templates (Mustache) by language for reminders before the last"),
            ConfigField(
                "last-templates", .perLanguage(.template),
                summary: "Plain-text body templates (Mustache) by language for the last reminder"),
            ConfigField(
                "subject", .perLanguage(.string()),
                summary: "Subject templates (Mustache) by language, after the marker"),
            ConfigField(
                "copy", .list(.string(oneOf: ["focal-point", "mission"])),
                default: .list([.string("focal-point"), .string("mission")]),
                summary: "Address roles copied on the reminder"),
            ConfigField(
                "escalate-to-mission", .boolean, default: .bool(false),
                summary: "Address the last reminder to the permanent mission as well as the principal"),
        ])
    )

    let deadlineName: String
    let markers: [String: String]
    let bodies: LocalizedTemplates
    let lastBodies: LocalizedTemplates
    let subjects: LocalizedTemplates
    let copy: [Address.Role]
    let escalatesToMission: Bool

    /// Makes the step and compiles its templates.
    /// - Parameter configuration: the step's `with:`.
    /// - Throws: ``StepError`` for a template that does not compile (with its language and
    ///   line:column), or a language that has a body template but no subject.
    public init(configuration: ConfigValue) throws {
        let settings = Settings(configuration, schema: Self.manifest.configuration)
        deadlineName = settings["deadline"].string ?? "deadlines.reply"
        markers = RemindTemplates.markers.merging(settings.strings(byLanguage: "marker"), uniquingKeysWith: { $1 })
        let overrides = settings.strings(byLanguage: "templates")
        bodies = try LocalizedTemplates(key: "templates", defaults: RemindTemplates.bodies, overrides: overrides)
        // A language given only `templates:` keeps its own text for the last reminder too.
        lastBodies = try LocalizedTemplates(
            key: "last-templates", defaults: RemindTemplates.lastBodies.merging(overrides, uniquingKeysWith: { $1 }),
            overrides: settings.strings(byLanguage: "last-templates"))
        subjects = try LocalizedTemplates(
            key: "subject", defaults: RemindTemplates.subjects, overrides: settings.strings(byLanguage: "subject"))
        let written = bodies.languages.union(lastBodies.languages)
        if let orphan = written.subtracting(subjects.languages).sorted().first {
            throw StepError("templates.\(orphan): a body template needs a subject: add subject.\(orphan)")
        }
        copy = settings.roles("copy")
        escalatesToMission = settings["escalate-to-mission"].bool ?? false
    }

    /// Writes the reminders.
    /// - Parameter batch: the invitees the workflow's condition selected.
    /// - Returns: per invitee with unanswered tracks, one `.send` and a `.setStatus(.reminded)` per
    ///   such track; nothing at all once the deadline has passed.
    public func run(_ batch: StepBatch) throws -> [Effect] {
        let deadline = batch.event.dates[deadlineName]
        if let deadline, batch.now >= deadline { return [] }
        let isLast = batch.occurrence.isLast
        let templates = isLast ? lastBodies : bodies
        var effects: [Effect] = []
        var dateTexts: [String: DateText] = [:]
        for invitee in batch.invitees {
            let delegation = invitee.delegation
            let tracks = batch.tracks.filter { track in
                guard let state = invitee.states[track.id] else { return false }
                return state.reply == nil && (state.status == .invited || state.status == .reminded)
            }
            guard !tracks.isEmpty else { continue }
            let (to, cc) = recipients(
                of: delegation, copy: copy, alsoTo: isLast && escalatesToMission ? [.mission] : [])
            guard !to.isEmpty else { continue }
            let language = writingLanguage(for: delegation, in: batch.event, offered: templates.languages)
            guard let body = templates[language], let subject = subjects[language] else { continue }
            let dates = dateTexts[language] ?? DateText(language: language, timeZone: batch.event.timeZone)
            dateTexts[language] = dates

            var values = letterValues(
                for: delegation, event: batch.event, language: language, dates: dates, deadline: deadline)
            values["tracks"] = tracks.map { trackValues($0, language: language, dates: dates) }
            values["reminder"] = batch.occurrence.index + 1
            values["last"] = isLast
            let marker = markers[language] ?? markers["en"] ?? ""
            let title = tidySubject(subject.render(values))
            let text = tidyBody(body.render(values))
            effects.append(
                .send(
                    OutgoingMessage(
                        delegation: delegation.id, to: to, cc: cc, replyTo: batch.event.contact,
                        subject: marker.isEmpty ? title : "\(marker) \(title)", language: language, text: text,
                        html: htmlAlternative(of: text, language: language))))
            for track in tracks {
                effects.append(.setStatus(delegation: delegation.id, track: track.id, status: .reminded))
            }
        }
        return effects
    }
}
