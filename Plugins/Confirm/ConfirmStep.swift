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
/// Rules, as a protocol office applies them:
/// - A track by invitation takes replies only from delegations invited to it: a reply from one
///   that was not is kept in the ledger but changes nothing, and the acknowledgement says why. A
///   public track takes a reply from anyone.
/// - A reply received after the deadline is kept and flagged late, and handled by `late:`: the
///   delegation takes part as it asked (`accept`), is wait-listed (`wait-list`), or stays where it
///   was (`refuse`). A late decline is always taken.
///
/// Configuration (`with:`):
/// - `acknowledge`: whether to send acknowledgements; `true` by default.
/// - `deadline`: the event date named as the reply deadline; `deadlines.reply` by default.
/// - `late`: what a late reply does: `accept` (the default), `wait-list` or `refuse`.
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
                "deadline", .dateName, default: .string("deadlines.reply"),
                summary: "The event date after which a reply is late"),
            ConfigField(
                "late", .string(oneOf: ["accept", "wait-list", "refuse"]), default: .string("accept"),
                summary: "What a reply received after the deadline does: accept, wait-list or refuse"),
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
    let deadlineName: String
    let lateRule: LateRule
    let bodies: LocalizedTemplates
    let subjects: LocalizedTemplates
    let copy: [Address.Role]
    /// By language, what the templates use of a delegation and of its reply.
    let recipes: [String: ReplyRecipe]
    /// Letters and letter resources kept from one batch to the next.
    let cache = LetterCache()

    /// Makes the step and compiles its templates.
    /// - Parameter configuration: the step's `with:`.
    /// - Throws: ``StepError`` for a template that does not compile (with its language and
    ///   line:column), or a language that has a body template but no subject.
    public init(configuration: ConfigValue) throws {
        let settings = Settings(configuration, schema: Self.manifest.configuration)
        acknowledges = settings["acknowledge"].bool ?? true
        deadlineName = settings["deadline"].string ?? "deadlines.reply"
        lateRule = LateRule(rawValue: settings["late"].string ?? "accept") ?? .accept
        bodies = try LocalizedTemplates(
            key: "templates", defaults: ConfirmTemplates.bodies, overrides: settings.strings(byLanguage: "templates"))
        subjects = try LocalizedTemplates(
            key: "subject", defaults: ConfirmTemplates.subjects, overrides: settings.strings(byLanguage: "subject"))
        if let orphan = bodies.languages.subtracting(subjects.languages).sorted().first {
            throw StepError("templates.\(orphan): a body template needs a subject: add subject.\(orphan)")
        }
        copy = settings.roles("copy")
        var recipes: [String: ReplyRecipe] = [:]
        for language in bodies.languages {
            recipes[language] = ReplyRecipe(TemplateNames([bodies.names(language), subjects.names(language)]))
        }
        self.recipes = recipes
    }

    /// What a late reply does (`late:`).
    enum LateRule: String {
        case accept
        case waitList = "wait-list"
        case refuse
    }

    /// What became of a reply.
    enum Outcome: String {
        /// Taken as it came.
        case accepted
        /// Late, and the delegation is wait-listed.
        case lateWaitListed
        /// Late, and it changes nothing.
        case lateRefused
        /// For a track by invitation, from a delegation not invited to it: it changes nothing.
        case notInvited
    }

    /// What becomes of a reply on a track, given the delegation's status there and the deadline.
    static func outcome(
        of reply: Reply, on track: TrackInfo, from current: ParticipationStatus, deadline: Date?, late rule: LateRule
    ) -> Outcome {
        if track.access == .invitation, current == .notInvited { return .notInvited }
        guard let deadline, reply.receivedAt > deadline, reply.answer != .decline else { return .accepted }
        switch rule {
        case .accept: return .accepted
        case .waitList: return .lateWaitListed
        case .refuse: return .lateRefused
        }
    }

    /// The status a reply moves a track to from its current status, or `nil` to leave it.
    static func status(after answer: ReplyAnswer, from current: ParticipationStatus, outcome: Outcome) -> ParticipationStatus? {
        switch outcome {
        case .accepted: return status(after: answer, from: current)
        case .lateWaitListed: return current == .seated || current == .waitListed ? nil : .waitListed
        case .lateRefused, .notInvited: return nil
        }
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
        let deadline = batch.event.dates[deadlineName]
        return cache.with(LetterBatchIdentity(batch, deadline: deadline)) { store in
            var effects: [Effect] = []
            effects.reserveCapacity(batch.invitees.count * 2)
            for invitee in batch.invitees {
                guard let reply = invitee.trigger, let trackIndex = batch.tracks.firstIndex(where: { $0.id == reply.track })
                else { continue }
                let track = batch.tracks[trackIndex]
                let delegation = invitee.delegation
                let state = invitee.state(on: track.id)
                if let latest = state.reply, latest.sequence > reply.sequence { continue }
                let outcome = Self.outcome(of: reply, on: track, from: state.status, deadline: deadline, late: lateRule)
                if let status = Self.status(after: reply.answer, from: state.status, outcome: outcome) {
                    effects.append(.setStatus(delegation: delegation.id, track: track.id, status: status))
                }
                guard acknowledges else { continue }
                guard let addressing = Addressing(delegation, in: batch.event, copy: copy, offered: bodies.languages)
                else { continue }
                let language = addressing.language
                guard let body = bodies[language], let subject = subjects[language] else { continue }
                let letters = store.language(language)

                // The acknowledgement depends on the delegation and its reply only through the
                // values its templates use.
                let recipe = recipes[language] ?? ReplyRecipe(TemplateNames(opaque: true))
                var draft = recipe.letter.draft(
                    language: language, delegation: delegation, salutation: addressing.salutation, replyLink: invitee.replyLink)
                let strings = recipe.add(track: trackIndex, reply: reply, dates: letters.dates, to: &draft)
                if recipe.outcome { draft.key?.values.append(outcome.rawValue) }
                let letter = store.letter(draft, for: delegation, in: letters) { common in
                    var values = common
                    values["track"] = letters.tracks[trackIndex]
                    values["reply"] = Self.replyValues(reply, dates: letters.dates, strings: strings, outcome: outcome)
                    return (subject.render(values), body.render(values), nil)
                } finish: { subject, text, _ in
                    let (text, html) = tidyBodyWithHTML(text, language: language)
                    return Letter(subject: tidySubject(subject), text: text, html: html)
                }
                effects.append(
                    .send(
                        OutgoingMessage(
                            delegation: delegation.id, discriminator: "reply-\(reply.sequence)", to: addressing.to, cc: addressing.cc,
                            replyTo: batch.event.contact, subject: letter.subject, language: language,
                            text: letter.text, html: letter.html)))
            }
            return effects
        }
    }

    /// The values of a reply in an acknowledgement.
    /// - Parameter strings: the reply's strings, or placeholders for them.
    static func replyValues(
        _ reply: Reply, dates: DateText, strings: ReplyStrings? = nil, outcome: Outcome = .accepted
    ) -> [String: any Sendable] {
        let strings = strings ?? ReplyStrings(reply)
        var values: [String: any Sendable] = [
            "accepted": outcome == .accepted,
            "lateWaitListed": outcome == .lateWaitListed,
            "lateRefused": outcome == .lateRefused,
            "notInvited": outcome == .notInvited,
            "answer": reply.answer.rawValue,
            "confirmed": reply.answer == .confirm,
            "declined": reply.answer == .decline,
            "substituted": reply.answer == .substitute,
            "speakingRequested": reply.speakingRequested,
            "accompanying": reply.accompanying,
            "hasAccompanying": reply.accompanying > 0,
            "date": dates.day(reply.receivedAt),
            "source": strings.source,
            "sequence": Int(reply.sequence),
        ]
        if reply.answer == .substitute, let substitute = reply.substitute {
            var person: [String: any Sendable] = ["name": strings.substituteName]
            // Mustache takes an empty string as true, so an absent title is left out.
            if !substitute.title.isEmpty { person["title"] = strings.substituteTitle }
            values["substitute"] = person
        }
        return values
    }
}

/// The strings of a reply an acknowledgement is rendered with: the reply's own, or placeholders.
struct ReplyStrings {
    var source: String
    var substituteName: String
    var substituteTitle: String

    init(_ reply: Reply) {
        source = reply.source
        substituteName = reply.substitute?.name ?? ""
        substituteTitle = reply.substitute?.title ?? ""
    }
}

/// What the acknowledgement templates of a language use of a delegation and of its reply: what
/// goes into the ``LetterKey`` of an acknowledgement, and what is written through placeholders
/// (see ``ConfirmStep/replyValues(_:dates:strings:)``).
struct ReplyRecipe {
    let letter: LetterRecipe
    let track: Bool
    let answer: Bool
    let speakingRequested: Bool
    let date: Bool
    let source: ValueUse
    let sequence: Bool
    let substitute: Bool
    let substituteName: ValueUse
    let substituteTitle: ValueUse
    /// Whether the templates use what became of the reply.
    let outcome: Bool
    /// Whether the templates use the number of accompanying persons.
    let accompanying: Bool

    init(_ names: TemplateNames) {
        letter = LetterRecipe(names)
        track = names.uses("track")
        answer =
            names.uses("reply", "answer") || names.uses("reply", "confirmed") || names.uses("reply", "declined")
            || names.uses("reply", "substituted")
        speakingRequested = names.uses("reply", "speakingRequested")
        date = names.uses("reply", "date")
        source = letter.use("reply", "source")
        sequence = names.uses("reply", "sequence")
        substitute = names.uses("reply", "substitute")
        substituteName = letter.use("reply", "substitute", "name")
        substituteTitle = letter.use("reply", "substitute", "title")
        outcome = ["accepted", "lateWaitListed", "lateRefused", "notInvited"].contains { names.uses("reply", $0) }
        accompanying = names.uses("reply", "accompanying") || names.uses("reply", "hasAccompanying")
    }

    /// Adds what the templates use of the reply to a draft's key (or its placeholders).
    /// - Returns: the reply's strings to render the acknowledgement with.
    func add(track index: Int, reply: Reply, dates: DateText, to draft: inout LetterDraft) -> ReplyStrings {
        var strings = ReplyStrings(reply)
        if track { draft.key?.tracks = UInt64(index) }
        if answer { draft.key?.values.append(reply.answer.rawValue) }
        if speakingRequested { draft.key?.values.append(reply.speakingRequested ? "1" : "0") }
        if accompanying { draft.key?.values.append(String(reply.accompanying)) }
        if date { draft.key?.values.append(dates.day(reply.receivedAt)) }
        strings.source = draft.add(reply.source, source)
        if sequence { draft.key?.values.append(String(reply.sequence)) }
        if substitute {
            // As in the reply's values: a substitute only for a substitution, a title only if any.
            if reply.answer == .substitute, let person = reply.substitute {
                draft.key?.values.append(person.title.isEmpty ? "1" : "2")
                strings.substituteName = draft.add(person.name, substituteName)
                if !person.title.isEmpty { strings.substituteTitle = draft.add(person.title, substituteTitle) }
            } else {
                draft.key?.values.append("0")
            }
        }
        return strings
    }
}
