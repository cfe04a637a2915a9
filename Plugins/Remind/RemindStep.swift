public import ConveneKit
internal import ConveneLetters
import Foundation

/// The `remind` step: one reminder per delegation that has not yet replied, listing the tracks it
/// has not answered; or, with `purpose: attendance`, one reminder per delegation that attends,
/// shortly before its tracks, with its seat and its speaking turn.
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
/// - `purpose`: `reply` (the default) reminds those who owe a reply, as above; `attendance`
///   reminds those who attend (confirmed, substituted or seated) of each of the step's tracks
///   that has not yet begun, with the seat, the place on the wait-list and the speaking turn a
///   seating step recorded: schedule it `before: [7d]` of `tracks.<id>.start`. Its `templates`
///   and `subject` override the attendance letter's; it sets no status and has no marker.
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
            ConfigField(
                "purpose", .string(oneOf: ["reply", "attendance"]), default: .string("reply"),
                summary: "Remind those who owe a reply, or those who attend of their seat and speaking turn before their tracks"),
        ])
    )

    let deadlineName: String
    let markers: [String: String]
    let bodies: LocalizedTemplates
    let lastBodies: LocalizedTemplates
    let subjects: LocalizedTemplates
    let copy: [Address.Role]
    let escalatesToMission: Bool
    /// By language, what the templates of reminders before the last and of the last use of a
    /// delegation, and whether they use its tracks.
    let recipes: [String: LetterRecipe]
    let lastRecipes: [String: LetterRecipe]
    /// With `purpose: attendance`, the letters to those who attend.
    let attendance: AttendanceLetters?
    /// Letters and letter resources kept from one batch to the next.
    let cache = LetterCache()

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
        recipes = Self.recipes(bodies, subjects: subjects)
        lastRecipes = Self.recipes(lastBodies, subjects: subjects)
        attendance =
            settings["purpose"].string == "attendance"
            ? try AttendanceLetters(settings: settings, bodies: AttendanceTemplates.bodies, subjects: AttendanceTemplates.subjects)
            : nil
    }

    /// By language, what a language's body and subject templates use of a delegation.
    static func recipes(_ templates: LocalizedTemplates, subjects: LocalizedTemplates) -> [String: LetterRecipe] {
        var recipes: [String: LetterRecipe] = [:]
        for language in templates.languages {
            recipes[language] = LetterRecipe(TemplateNames([templates.names(language), subjects.names(language)]))
        }
        return recipes
    }

    /// Writes the reminders.
    /// - Parameter batch: the invitees the workflow's condition selected.
    /// - Returns: per invitee with unanswered tracks, one `.send` and a `.setStatus(.reminded)` per
    ///   such track; nothing at all once the deadline has passed.
    public func run(_ batch: StepBatch) throws -> [Effect] {
        if let attendance { return remindAttendance(batch, attendance) }
        let deadline = batch.event.dates[deadlineName]
        if let deadline, batch.now >= deadline { return [] }
        let isLast = batch.occurrence.isLast
        let templates = isLast ? lastBodies : bodies
        let recipes = isLast ? lastRecipes : recipes
        let alsoTo: [Address.Role] = isLast && escalatesToMission ? [.mission] : []
        return cache.with(LetterBatchIdentity(batch, deadline: deadline)) { store in
            var effects: [Effect] = []
            effects.reserveCapacity(batch.invitees.count * (1 + batch.tracks.count))
            var indices: [Int] = []
            for invitee in batch.invitees {
                let delegation = invitee.delegation
                indices.removeAll(keepingCapacity: true)
                var selection: UInt64 = 0
                for (index, track) in batch.tracks.enumerated() {
                    guard let state = invitee.states[track.id],
                        state.reply == nil && (state.status == .invited || state.status == .reminded)
                    else { continue }
                    indices.append(index)
                    if index < 64 { selection |= 1 << UInt64(index) }
                }
                guard !indices.isEmpty else { continue }
                guard
                    let addressing = Addressing(
                        delegation, in: batch.event, copy: copy, alsoTo: alsoTo, offered: templates.languages)
                else { continue }
                let language = addressing.language
                guard let body = templates[language], let subject = subjects[language] else { continue }
                let letters = store.language(language)

                // The letter depends on the delegation only through the values its templates use;
                // the reminder's number and whether it is the last are the batch's.
                let recipe = recipes[language] ?? LetterRecipe(TemplateNames(opaque: true))
                var draft = recipe.draft(
                    language: language, delegation: delegation, salutation: addressing.salutation, replyLink: invitee.replyLink)
                draft.select(tracks: selection, of: batch.tracks.count, recipe: recipe)
                draft.key?.occurrence = batch.occurrence.index
                draft.key?.occurrences = batch.occurrence.count
                let letter = store.letter(draft, for: delegation, in: letters) { common in
                    var values = common
                    values["tracks"] = indices.map { letters.tracks[$0] }
                    values["reminder"] = batch.occurrence.index + 1
                    values["last"] = isLast
                    return (subject.render(values), body.render(values), nil)
                } finish: { subject, text, _ in
                    let marker = markers[language] ?? markers["en"] ?? ""
                    let title = tidySubject(subject)
                    let (text, html) = tidyBodyWithHTML(text, language: language)
                    return Letter(subject: marker.isEmpty ? title : "\(marker) \(title)", text: text, html: html)
                }
                effects.append(
                    .send(
                        OutgoingMessage(
                            delegation: delegation.id, to: addressing.to, cc: addressing.cc, replyTo: batch.event.contact,
                            subject: letter.subject, language: language, text: letter.text, html: letter.html)))
                for index in indices {
                    effects.append(
                        .setStatus(delegation: delegation.id, track: batch.tracks[index].id, status: .reminded))
                }
            }
            return effects
        }
    }

    /// The statuses of a delegation that attends a track.
    static let attending: Set<ParticipationStatus> = [.confirmed, .substituted, .seated]

    /// Writes the reminders before the tracks (`purpose: attendance`).
    /// - Returns: per invitee that attends one of the batch's tracks not yet begun, one `.send`
    ///   listing them with its placements; no status changes.
    func remindAttendance(_ batch: StepBatch, _ letters: AttendanceLetters) -> [Effect] {
        cache.with(LetterBatchIdentity(batch, deadline: nil)) { store in
            var effects: [Effect] = []
            for invitee in batch.invitees {
                var places: [(index: Int, placement: Placement?)] = []
                for (index, track) in batch.tracks.enumerated() where track.start > batch.now {
                    guard let state = invitee.states[track.id], Self.attending.contains(state.status) else { continue }
                    places.append((index, state.placement))
                }
                if let message = letters.message(to: invitee, places: places, batch: batch, store: &store) {
                    effects.append(.send(message))
                }
            }
            return effects
        }
    }
}
