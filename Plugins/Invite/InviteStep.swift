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
    /// By language, what the letter's templates (body, subject, HTML body) use of a delegation.
    let recipes: [String: LetterRecipe]
    /// Letters and letter resources kept from one batch to the next.
    let cache = LetterCache()

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
        var htmlNames: [String: TemplateNames] = [:]
        for (language, source) in settings.strings(byLanguage: "html-templates") {
            htmlNames[language] = TemplateNames(source)
        }
        var recipes: [String: LetterRecipe] = [:]
        for language in bodies.languages {
            // An HTML template escapes what it writes: no placeholders there.
            recipes[language] = LetterRecipe(
                TemplateNames(
                    [bodies.names(language), subjects.names(language)] + (htmlNames[language].map { [$0] } ?? [])),
                placeholders: htmlNames[language] == nil)
        }
        self.recipes = recipes
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
        let deadline = batch.event.dates[deadlineName]
        return cache.with(LetterBatchIdentity(batch, deadline: deadline)) { store in
            var effects: [Effect] = []
            effects.reserveCapacity(batch.invitees.count * (1 + batch.tracks.count))
            let uids = batch.tracks.map { "\(batch.event.id)-\($0.id)@convene" }
            let timeZone = batch.event.timeZone.identifier
            var indices: [Int] = []
            var statuses: [ParticipationStatus] = []
            for invitee in batch.invitees {
                let delegation = invitee.delegation
                indices.removeAll(keepingCapacity: true)
                statuses.removeAll(keepingCapacity: true)
                var selection: UInt64 = 0
                for (index, track) in batch.tracks.enumerated() {
                    guard let state = invitee.states[track.id] else { continue }
                    indices.append(index)
                    statuses.append(state.status)
                    if index < 64 { selection |= 1 << UInt64(index) }
                }
                guard !indices.isEmpty else { continue }
                // A roster row without any address cannot be invited; it stays not invited, which
                // the status report shows.
                guard let addressing = Addressing(delegation, in: batch.event, copy: copy, offered: bodies.languages)
                else { continue }
                let language = addressing.language
                guard let body = bodies[language], let subject = subjects[language] else { continue }
                let letters = store.language(language)

                // The letter depends on the delegation only through the values its templates use.
                let recipe = recipes[language] ?? LetterRecipe(TemplateNames(opaque: true))
                var draft = recipe.draft(
                    language: language, delegation: delegation, salutation: addressing.salutation, replyLink: invitee.replyLink)
                draft.select(tracks: selection, of: batch.tracks.count, recipe: recipe)
                let letter = store.letter(draft, for: delegation, in: letters) { common in
                    var values = common
                    values["tracks"] = indices.map { letters.tracks[$0] }
                    return (subject.render(values), body.render(values), htmlBodies[language]?.render(values))
                } finish: { subject, text, html in
                    if let html { return Letter(subject: tidySubject(subject), text: tidyBody(text), html: html) }
                    let (text, html) = tidyBodyWithHTML(text, language: language)
                    return Letter(subject: tidySubject(subject), text: text, html: html)
                }

                let calendar: [CalendarEntry] =
                    attachesCalendar
                    ? indices.map { index in
                        let track = batch.tracks[index]
                        return CalendarEntry(
                            uid: uids[index], summary: letters.trackNames[index], start: track.start, end: track.end,
                            location: batch.event.venue, timeZone: timeZone)
                    } : []
                effects.append(
                    .send(
                        OutgoingMessage(
                            delegation: delegation.id, to: addressing.to, cc: addressing.cc, replyTo: batch.event.contact,
                            subject: letter.subject, language: language, text: letter.text, html: letter.html,
                            calendar: calendar)))
                for (index, status) in zip(indices, statuses) where status == .notInvited {
                    effects.append(.setStatus(delegation: delegation.id, track: batch.tracks[index].id, status: .invited))
                }
            }
            return effects
        }
    }
}
