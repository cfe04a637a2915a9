package import ConveneKit
package import Foundation

// What letters about attendance (the seat step's notifications, the remind step's reminders
// before a track) say of each track a delegation attends: its seat, its place on the wait-list,
// its turn on the speakers' list.

extension DateText {
    /// A clock time, `14:09`, in the event's time zone: the 24-hour clock of UN and ITU documents.
    package func time(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let hour = parts.hour ?? 0, minute = parts.minute ?? 0
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }
}

/// The values of a track a delegation attends, in a letter about attendance: those of
/// ``trackValues(_:language:dates:)``, `hours` (`14:00–17:00`), and from its placement `seated`
/// and `seat`, `waitListed` and `waitList` (its number on the list), `speaking` (a turn the
/// track's time reaches) or `notReached` (one it does not), and `turn` (`number`, `day`, `start`,
/// `end`).
///
/// - Parameter written: what to write in place of each of the placement's strings (the seat's
///   number, the turn's times): the string itself, or a placeholder for it.
package func placeValues(
    _ track: TrackInfo, placement: Placement?, language: String, dates: DateText, written: (String) -> String = { $0 }
) -> [String: any Sendable] {
    var values = trackValues(track, language: language, dates: dates)
    values["hours"] = dates.time(track.start) + "–" + dates.time(track.end)
    if let seat = placement?.seat {
        values["seated"] = true
        values["seat"] = written(String(seat))
    }
    if let position = placement?.waitList {
        values["waitListed"] = true
        values["waitList"] = written(String(position))
    }
    if let turn = placement?.turn {
        var turnValues: [String: any Sendable] = ["number": written(String(turn.number))]
        if let start = turn.start, let end = turn.end {
            values["speaking"] = true
            turnValues["day"] = written(dates.day(start))
            turnValues["start"] = written(dates.time(start))
            turnValues["end"] = written(dates.time(end))
        } else {
            values["notReached"] = true
        }
        values["turn"] = turnValues
    }
    return values
}

/// By language, the Mustache block a letter about attendance lists its tracks with, inside
/// `{{#places}}…{{/places}}`: each track's name, days and hours, then its seat, wait-list place
/// and speaking turn, where it has them.
package let placeLines: [String: String] = [
    "ar": """
    {{#places}}
    «{{name}}»، {{dates}}، {{hours}}
    {{#seated}}
    - المقعد: {{seat}}
    {{/seated}}
    {{#waitListed}}
    - قائمة الانتظار: الرقم {{waitList}}؛ وسنوافيكم فور توفر مقعد
    {{/waitListed}}
    {{#speaking}}
    - وقت الكلمة: من {{turn.start}} إلى {{turn.end}}، {{turn.day}} (الرقم {{turn.number}} في قائمة المتكلمين)
    {{/speaking}}
    {{#notReached}}
    - قائمة المتكلمين: الرقم {{turn.number}}، بعد انقضاء وقت الجلسة؛ وسنوافيكم إذا أُتيح وقت إضافي
    {{/notReached}}

    {{/places}}
    """,
    "en": """
    {{#places}}
    {{name}}, {{dates}}, {{hours}}
    {{#seated}}
    - Seat: {{seat}}
    {{/seated}}
    {{#waitListed}}
    - Wait-list: number {{waitList}}; we shall write to you as soon as a seat becomes available
    {{/waitListed}}
    {{#speaking}}
    - Speaking time: {{turn.start}}–{{turn.end}}, {{turn.day}} (number {{turn.number}} on the speakers' list)
    {{/speaking}}
    {{#notReached}}
    - Speakers' list: number {{turn.number}}, beyond the time of the session; we shall write to you should time become available
    {{/notReached}}

    {{/places}}
    """,
    "es": """
    {{#places}}
    «{{name}}», {{dates}}, {{hours}}
    {{#seated}}
    - Asiento: {{seat}}
    {{/seated}}
    {{#waitListed}}
    - Lista de espera: número {{waitList}}; le escribiremos en cuanto quede libre un asiento
    {{/waitListed}}
    {{#speaking}}
    - Uso de la palabra: de {{turn.start}} a {{turn.end}}, el {{turn.day}} (número {{turn.number}} en la lista de oradores)
    {{/speaking}}
    {{#notReached}}
    - Lista de oradores: número {{turn.number}}, más allá del tiempo de la sesión; le escribiremos si queda tiempo disponible
    {{/notReached}}

    {{/places}}
    """,
    "fr": """
    {{#places}}
    «\u{A0}{{name}}\u{A0}», {{dates}}, {{hours}}
    {{#seated}}
    - Siège\u{A0}: {{seat}}
    {{/seated}}
    {{#waitListed}}
    - Liste d'attente\u{A0}: rang {{waitList}}\u{A0}; nous vous écrirons dès qu'un siège se libérera
    {{/waitListed}}
    {{#speaking}}
    - Temps de parole\u{A0}: de {{turn.start}} à {{turn.end}}, le {{turn.day}} (rang {{turn.number}} sur la liste des orateurs)
    {{/speaking}}
    {{#notReached}}
    - Liste des orateurs\u{A0}: rang {{turn.number}}, au-delà du temps de la séance\u{A0}; nous vous écrirons si du temps se libère
    {{/notReached}}

    {{/places}}
    """,
    "ru": """
    {{#places}}
    «{{name}}», {{dates}}, {{hours}}
    {{#seated}}
    - Место: {{seat}}
    {{/seated}}
    {{#waitListed}}
    - Лист ожидания: номер {{waitList}}; мы сообщим Вам, как только освободится место
    {{/waitListed}}
    {{#speaking}}
    - Время выступления: с {{turn.start}} до {{turn.end}}, {{turn.day}} (номер {{turn.number}} в списке ораторов)
    {{/speaking}}
    {{#notReached}}
    - Список ораторов: номер {{turn.number}}, за пределами времени заседания; мы сообщим Вам, если появится время
    {{/notReached}}

    {{/places}}
    """,
    "zh": """
    {{#places}}
    “{{name}}”，{{dates}}，{{hours}}
    {{#seated}}
    - 座位：{{seat}}号
    {{/seated}}
    {{#waitListed}}
    - 候补名单：第{{waitList}}位；一有空位，我们将立即通知您
    {{/waitListed}}
    {{#speaking}}
    - 发言时间：{{turn.day}} {{turn.start}}–{{turn.end}}（发言名单第{{turn.number}}位）
    {{/speaking}}
    {{#notReached}}
    - 发言名单：第{{turn.number}}位，超出会议时间；如有时间空出，我们将通知您
    {{/notReached}}

    {{/places}}
    """,
]

/// Writes letters about attendance: to a delegation, about the tracks it attends, with its seat,
/// its place on the wait-list and its speaking turn on each (the seat step's notifications, the
/// remind step's reminders before a track).
///
/// Letters in the embedded templates are kept and reused as the invitations are: keyed by what
/// they say of the delegation (its salutation, which tracks, whether it has a seat, a turn), with
/// its seat number and the turn's times written through placeholders. Letters in a workflow's
/// own templates are rendered one by one.
package struct AttendanceLetters: Sendable {
    /// The body templates, by language.
    package let bodies: LocalizedTemplates
    /// The subject templates, by language.
    package let subjects: LocalizedTemplates
    /// The roles copied.
    package let copy: [Address.Role]
    /// By language whose templates are the embedded ones, what they use of a delegation.
    private let recipes: [String: LetterRecipe]

    /// - Throws: ``StepError`` for a template that does not compile, or a language that has a body
    ///   template but no subject.
    package init(settings: Settings, bodies: [String: String], subjects: [String: String]) throws {
        self.bodies = try LocalizedTemplates(key: "templates", defaults: bodies, overrides: settings.strings(byLanguage: "templates"))
        self.subjects = try LocalizedTemplates(key: "subject", defaults: subjects, overrides: settings.strings(byLanguage: "subject"))
        if let orphan = self.bodies.languages.subtracting(self.subjects.languages).sorted().first {
            throw StepError("templates.\(orphan): a body template needs a subject: add subject.\(orphan)")
        }
        copy = settings.roles("copy")
        let overridden = Set(settings.strings(byLanguage: "templates").keys).union(settings.strings(byLanguage: "subject").keys)
        var recipes: [String: LetterRecipe] = [:]
        for language in self.bodies.languages.subtracting(overridden) {
            recipes[language] = LetterRecipe(TemplateNames([self.bodies.names(language), self.subjects.names(language)]))
        }
        self.recipes = recipes
    }

    /// A delegation's letter.
    /// - Parameters:
    ///   - invitee: the delegation, with its reply link if any.
    ///   - places: the indices of the batch's tracks the letter is about, each with the
    ///     delegation's placement there.
    ///   - batch: the batch.
    ///   - store: the step's letter store, made ready for the batch.
    ///   - values: the step's own values (`minutes`, say).
    ///   - marker: what the subject starts with, if anything.
    /// - Returns: the message, or `nil` when the delegation has no address or no place.
    package func message(
        to invitee: Invitee, places: [(index: Int, placement: Placement?)], batch: StepBatch, store: inout LetterStore,
        values extra: [String: any Sendable] = [:], marker: String? = nil
    ) -> OutgoingMessage? {
        let delegation = invitee.delegation
        guard !places.isEmpty, let addressing = Addressing(delegation, in: batch.event, copy: copy, offered: bodies.languages)
        else { return nil }
        let language = addressing.language
        guard let body = bodies[language], let subject = subjects[language] else { return nil }
        let letters = store.language(language)
        var draft = (recipes[language] ?? LetterRecipe(TemplateNames(opaque: true))).draft(
            language: language, delegation: delegation, salutation: addressing.salutation, replyLink: invitee.replyLink)
        // The letter's shape goes into its key; the seat numbers and times through placeholders.
        let keyed = draft.key != nil
        func written(_ value: String) -> String { keyed ? draft.add(value, .verbatim) : value }
        var placeList: [[String: any Sendable]] = []
        for (index, placement) in places {
            placeList.append(
                placeValues(batch.tracks[index], placement: placement, language: language, dates: letters.dates, written: written))
            if keyed {
                let turn = placement?.turn
                draft.key?.values.append(
                    "\(index):\(placement?.seat == nil ? 0 : 1)\(placement?.waitList == nil ? 0 : 1)"
                        + "\(turn == nil ? 0 : turn!.isReached ? 1 : 2)")
            }
        }
        if keyed {
            for (name, value) in extra.sorted(by: { $0.key < $1.key }) { draft.key?.values.append("\(name)=\(value)") }
        }
        let letter = store.letter(draft, for: delegation, in: letters) { common in
            var values = common.merging(extra, uniquingKeysWith: { $1 })
            values["places"] = placeList
            return (subject.render(values), body.render(values), nil)
        } finish: { subject, text, _ in
            let (text, html) = tidyBodyWithHTML(text, language: language)
            let title = tidySubject(subject)
            return Letter(subject: marker.map { "\($0) \(title)" } ?? title, text: text, html: html)
        }
        return OutgoingMessage(
            delegation: delegation.id, to: addressing.to, cc: addressing.cc, replyTo: batch.event.contact,
            subject: letter.subject, language: language, text: letter.text, html: letter.html)
    }
}
