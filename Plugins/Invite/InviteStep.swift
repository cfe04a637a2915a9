public import ConveneKit
internal import ConveneLetters
import Foundation

/// The `invite` step: one letter of invitation per delegation, covering every track of the batch
/// on which the delegation is invited, in the delegation's language, with a calendar entry per
/// track.
///
/// The letter goes to the principal, with copies to the focal point and the mission (`copy:`);
/// replies go to the event's contact. Each track the letter covers moves from not invited to
/// invited; a delegation already further along (reminded, confirmed, seated…) keeps its status.
///
/// Configuration (`with:`):
/// - `copy`: roles copied, a list of `focal-point` and `mission`; both by default.
/// - `templates`: plain-text body templates by language (Mustache), overriding the embedded ones.
/// - `html-templates`: HTML body templates by language; without one, the HTML part is made from
///   the text.
/// - `subject`: subject templates by language.
/// - `deadline`: the event date named as the reply deadline; `deadlines.reply` by default.
/// - `calendar`: whether to attach an iCalendar entry per track; `true` by default.
public struct InviteStep: Step {
    /// The step's identity and configuration schema.
    public static let manifest = StepManifest(
        id: "invite",
        version: SemanticVersion(1, 0, 0),
        summary: "Sends each delegation one invitation covering its tracks, with calendar entries",
        configuration: .object([
            ConfigField(
                "copy", .list(.string(oneOf: ["focal-point", "mission"])),
                default: .list([.string("focal-point"), .string("mission")]),
                summary: "Address roles copied on the invitation"),
            ConfigField(
                "templates", .perLanguage(.template),
                summary: "Plain-text body templates (Mustache) by language, overriding the embedded ones"),
            ConfigField(
                "html-templates", .perLanguage(.template),
                summary: "HTML body templates by language; otherwise the HTML part is made from the text"),
            ConfigField(
                "subject", .perLanguage(.string()),
                summary: "Subject templates (Mustache) by language, overriding the embedded ones"),
            ConfigField(
                "deadline", .dateName, default: .string("deadlines.reply"),
                summary: "The event date by which a reply is asked"),
            ConfigField(
                "calendar", .boolean, default: .bool(true),
                summary: "Attach an iCalendar entry for each track"),
        ])
    )

    let copy: [Address.Role]
    let bodies: LocalizedTemplates
    let htmlBodies: [String: LetterTemplate]
    let subjects: LocalizedTemplates
    let deadlineName: String
    let attachesCalendar: Bool

    /// Makes the step and compiles its templates.
    /// - Parameter configuration: the step's `with:`.
    /// - Throws: ``StepError`` for a template that does not compile (with its language and
    ///   line:column), or a language that has a body template but no subject.
    public init(configuration: ConfigValue) throws {
        let settings = Settings(configuration, schema: Self.manifest.configuration)
        copy = settings.roles("copy")
        bodies = try LocalizedTemplates(
            key: "templates", defaults: InviteTemplates.bodies, overrides: settings.strings(byLanguage: "templates"))
        subjects = try LocalizedTemplates(
            key: "subject", defaults: InviteTemplates.subjects, overrides: settings.strings(byLanguage: "subject"))
        var html: [String: LetterTemplate] = [:]
        for (language, source) in settings.strings(byLanguage: "html-templates").sorted(by: { $0.key < $1.key }) {
            do {
                html[language] = try LetterTemplate(source, kind: .html)
            } catch {
                throw StepError("html-templates.\(language):\(error.line):\(error.column): error: \(error.message)")
            }
        }
        htmlBodies = html
        if let orphan = bodies.languages.subtracting(subjects.languages).sorted().first {
            throw StepError("templates.\(orphan): a body template needs a subject: add subject.\(orphan)")
        }
        deadlineName = settings["deadline"].string ?? "deadlines.reply"
        attachesCalendar = settings["calendar"].bool ?? true
    }

    /// Writes the invitations.
    /// - Parameter batch: the invitees, each with the tracks of the batch it is invited to.
    /// - Returns: per invitee, one `.send` and a `.setStatus(.invited)` per track not yet invited.
    public func run(_ batch: StepBatch) throws -> [Effect] {
        var effects: [Effect] = []
        var dateTexts: [String: DateText] = [:]
        for invitee in batch.invitees {
            let delegation = invitee.delegation
            let tracks = batch.tracks.filter { invitee.states[$0.id] != nil }
            guard !tracks.isEmpty else { continue }
            let (to, cc) = recipients(of: delegation, copy: copy)
            // A roster row without any address cannot be invited; it stays not invited, which
            // the status report shows.
            guard !to.isEmpty else { continue }
            let language = writingLanguage(for: delegation, in: batch.event, offered: bodies.languages)
            guard let body = bodies[language], let subject = subjects[language] else { continue }
            let dates = dateTexts[language] ?? DateText(language: language, timeZone: batch.event.timeZone)
            dateTexts[language] = dates

            var values = letterValues(
                for: delegation, event: batch.event, language: language, dates: dates,
                deadline: batch.event.dates[deadlineName])
            values["tracks"] = tracks.map { trackValues($0, language: language, dates: dates) }
            let text = tidyBody(body.render(values))
            let html = htmlBodies[language].map { $0.render(values) } ?? htmlAlternative(of: text, language: language)

            let calendar =
                attachesCalendar
                ? tracks.map { track in
                    CalendarEntry(
                        uid: "\(batch.event.id)-\(track.id)@convene", summary: track.name(in: language),
                        start: track.start, end: track.end, location: batch.event.venue,
                        timeZone: batch.event.timeZone.identifier)
                } : []
            effects.append(
                .send(
                    OutgoingMessage(
                        delegation: delegation.id, to: to, cc: cc, replyTo: batch.event.contact,
                        subject: tidySubject(subject.render(values)), language: language, text: text, html: html,
                        calendar: calendar)))
            for track in tracks where invitee.state(on: track.id).status == .notInvited {
                effects.append(.setStatus(delegation: delegation.id, track: track.id, status: .invited))
            }
        }
        return effects
    }
}
