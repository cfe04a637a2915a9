package import ConveneKit
package import Foundation

// Letter plumbing shared by the invite, remind and confirm steps. It is linked statically into
// each of their `.so` files: none of its types crosses the plugin boundary, so each copy is
// private to its plugin. Its API is `package`: a later issue may promote it into ConveneKit for
// third-party plugin authors.

/// A step's configuration, with the manifest's defaults for keys the workflow left out.
///
/// The host fills defaults in before it makes a step; a step made directly (by a test, say)
/// must behave the same, hence this reader.
package struct Settings {
    private let values: ConfigValue
    private let defaults: [String: ConfigValue]

    package init(_ values: ConfigValue, schema: ConfigSchema) {
        self.values = values
        var defaults: [String: ConfigValue] = [:]
        if case .object(let fields) = schema {
            for field in fields { defaults[field.name] = field.defaultValue }
        }
        self.defaults = defaults
    }

    package subscript(key: String) -> ConfigValue {
        let value = values[key]
        return value == .null ? defaults[key] ?? .null : value
    }

    /// A `perLanguage` mapping of strings (templates arrive as their text).
    package func strings(byLanguage key: String) -> [String: String] {
        self[key].object?.compactMapValues(\.string) ?? [:]
    }

    /// A list of address roles.
    package func roles(_ key: String) -> [Address.Role] {
        (self[key].list ?? []).compactMap { $0.string.flatMap(Address.Role.init(rawValue:)) }
    }
}

/// One template per language: the embedded defaults, overridden by the workflow's own.
package struct LocalizedTemplates: Sendable {
    private let templates: [String: LetterTemplate]
    private let names: [String: TemplateNames]

    /// The languages a template exists for.
    package let languages: Set<String>

    /// Compiles every template.
    /// - Parameters:
    ///   - key: the configuration key, named in errors (`templates`).
    ///   - defaults: the embedded templates by language.
    ///   - overrides: the workflow's templates by language.
    /// - Throws: ``StepError`` naming the key, the language and the line:column of the fault.
    package init(key: String, defaults: [String: String], overrides: [String: String]) throws(StepError) {
        var compiled: [String: LetterTemplate] = [:]
        var names: [String: TemplateNames] = [:]
        // Sorted, so that of several faulty templates the same one is always reported.
        for (language, source) in defaults.merging(overrides, uniquingKeysWith: { $1 }).sorted(by: { $0.key < $1.key })
        {
            do {
                compiled[language] = try LetterTemplate(source)
                names[language] = TemplateNames(source)
            } catch {
                let origin = overrides[language] == nil ? "embedded template" : "template"
                throw StepError(
                    "\(key).\(language):\(error.line):\(error.column): error: \(origin) does not compile: \(error.message)"
                )
            }
        }
        templates = compiled
        self.names = names
        languages = Set(compiled.keys)
    }

    package subscript(language: String) -> LetterTemplate? { templates[language] }

    /// The names the template of a language uses, to know what its rendering depends on.
    package func names(_ language: String) -> TemplateNames { names[language] ?? TemplateNames(opaque: true) }
}

/// The language a letter is written in: the delegation's letter language when a template exists for
/// it, else the event's fallback language, else English.
package func writingLanguage(for delegation: Delegation, in event: EventInfo, offered: Set<String>) -> String {
    let wanted = event.letterLanguage(for: delegation)
    if offered.contains(wanted) { return wanted }
    if offered.contains(event.fallbackLanguage) { return event.fallbackLanguage }
    return "en"
}

/// Who a letter goes to, in which language, and how it opens: what every letter step works out
/// first for each delegation.
package struct Addressing {
    /// Primary recipients.
    package let to: [Mailbox]
    /// Copies.
    package let cc: [Mailbox]
    /// The language the letter is written in (see ``writingLanguage(for:in:offered:)``).
    package let language: String
    /// The opening ("Madame la Ministre,").
    package let salutation: String

    /// Addresses a letter to a delegation.
    /// - Parameters:
    ///   - delegation: the delegation written to.
    ///   - event: the event, for its languages.
    ///   - copy: roles copied.
    ///   - alsoTo: roles added to the primary recipients.
    ///   - offered: languages the step has templates for.
    /// - Returns: `nil` when the delegation has no address at all: it cannot be written to.
    package init?(
        _ delegation: Delegation, in event: EventInfo, copy: [Address.Role], alsoTo: [Address.Role] = [],
        offered: Set<String>
    ) {
        (to, cc) = recipients(of: delegation, copy: copy, alsoTo: alsoTo)
        guard !to.isEmpty else { return nil }
        language = writingLanguage(for: delegation, in: event, offered: offered)
        salutation = Salutation.opening(for: delegation.principal, in: language)
    }
}

/// Dates written out as a reader of a language expects them, in the event's time zone.
///
/// Making the formatters costs far more than using them, so a step keeps one per language (see
/// ``LetterStore``); the day of a date is also remembered, by the span of that day. Not
/// thread-safe: one step run uses it at a time.
package final class DateText {
    private let dayFormatter: DateFormatter
    private let span: DateIntervalFormatter
    let calendar: Calendar
    /// The calendar the day formatter counts days in.
    private let formatterCalendar: Calendar
    /// Days already written: each from its first instant up to (not including) the next day's.
    private var days: [(start: Date, end: Date, text: String)] = []

    package init(language: String, timeZone: TimeZone) {
        // UN and ITU English write day-month-year ("27 May 2024"), as British English does.
        let locale = Locale(identifier: language == "en" ? "en_GB" : language)
        dayFormatter = DateFormatter()
        dayFormatter.locale = locale
        dayFormatter.timeZone = timeZone
        dayFormatter.setLocalizedDateFormatFromTemplate("yMMMMd")
        span = DateIntervalFormatter()
        span.locale = locale
        span.timeZone = timeZone
        span.dateTemplate = "yMMMMd"
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        var formatterCalendar = dayFormatter.calendar ?? calendar
        formatterCalendar.timeZone = timeZone
        self.formatterCalendar = formatterCalendar
    }

    /// One day: "27 mai 2024".
    package func day(_ date: Date) -> String {
        for day in days where day.start <= date && date < day.end { return day.text }
        let text = dayFormatter.string(from: date)
        // The format names only the year, month and day, so the whole day reads the same.
        if days.count < 64, let interval = formatterCalendar.dateInterval(of: .day, for: date),
            interval.start <= date, date < interval.end
        {
            days.append((interval.start, interval.end, text))
        }
        return text
    }

    /// The days from `start` to `end`: "27–28 mai 2024", or one day when both fall on it.
    ///
    /// `end` is the track's last instant or the start of the day after it, so the day that ends
    /// the span is the one just before `end`.
    package func days(from start: Date, to end: Date) -> String {
        let last = end > start ? end.addingTimeInterval(-1) : start
        if calendar.isDate(start, inSameDayAs: last) { return day(start) }
        return span.string(from: start, to: last)
    }
}

/// The values of a track in a letter: `id`, `name`, `dates`, `invitationOnly`.
package func trackValues(_ track: TrackInfo, language: String, dates: DateText) -> [String: any Sendable] {
    [
        "id": track.id,
        "name": track.name(in: language),
        "dates": dates.days(from: track.start, to: track.end),
        "invitationOnly": track.access == .invitation,
    ]
}

/// Who a letter goes to: the principal, with copies to the roles asked for.
///
/// - Parameters:
///   - delegation: the delegation written to.
///   - copy: the roles copied, in order.
///   - alsoTo: roles added to the primary recipients (an escalation to the mission).
/// - Returns: the recipients, each address once; when the delegation has no principal address,
///   the copies become the primary recipients so that the letter still reaches someone.
package func recipients(of delegation: Delegation, copy: [Address.Role], alsoTo: [Address.Role] = []) -> (
    to: [Mailbox], cc: [Mailbox]
) {
    var to: [Mailbox] = []
    var cc: [Mailbox] = []
    func add(_ role: Address.Role, primary: Bool) {
        for address in delegation.addresses where address.role == role {
            let email = address.mailbox.email
            if to.contains(where: { sameAddress($0.email, email) }) || cc.contains(where: { sameAddress($0.email, email) }) {
                continue
            }
            if primary { to.append(address.mailbox) } else { cc.append(address.mailbox) }
        }
    }
    add(.principal, primary: true)
    for role in alsoTo { add(role, primary: true) }
    for role in copy { add(role, primary: false) }
    return to.isEmpty ? (cc, []) : (to, cc)
}

/// Whether two e-mail addresses are the same once lowercased.
private func sameAddress(_ a: String, _ b: String) -> Bool {
    asciiEqualIgnoringCase(a, b) ?? (a.lowercased() == b.lowercased())
}

/// Whether two ASCII strings are equal but for case; `nil` unless both are ASCII.
private func asciiEqualIgnoringCase(_ a: String, _ b: String) -> Bool? {
    var a = a  // `withUTF8` copies nothing from a native string
    var b = b
    return a.withUTF8 { x in
        b.withUTF8 { y in
            guard !x.contains(where: { $0 >= 0x80 }), !y.contains(where: { $0 >= 0x80 }) else { return nil }
            guard x.count == y.count else { return false }
            for i in 0..<x.count where x[i] != y[i] {
                let folded = x[i] | 0x20
                if folded != y[i] | 0x20 || folded < UInt8(ascii: "a") || folded > UInt8(ascii: "z") { return false }
            }
            return true
        }
    }
}

/// Tidies a rendered body: no trailing spaces, at most one blank line in a row (sections left
/// empty leave blank lines behind), one final newline.
package func tidyBody(_ text: String) -> String {
    scalarsAreClusters(text) ? fastTidyBody(text) : referenceTidyBody(text)
}

/// ``tidyBody(_:)`` on Characters: the definition, used for texts the byte-level version cannot take.
package func referenceTidyBody(_ text: String) -> String {
    var lines: [Substring] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var clean = line
        while let last = clean.last, last == " " || last == "\t" || last == "\r" { clean = clean.dropLast() }
        if clean.isEmpty, lines.last?.isEmpty ?? true { continue }
        lines.append(clean)
    }
    while lines.last?.isEmpty == true { lines.removeLast() }
    return lines.joined(separator: "\n") + "\n"
}

/// Tidies a rendered subject: one line, single spaces.
package func tidySubject(_ text: String) -> String {
    scalarsAreClusters(text, whitespace: true) ? fastTidySubject(text) : referenceTidySubject(text)
}

/// ``tidySubject(_:)`` on Characters: the definition.
package func referenceTidySubject(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace && $0 != "\u{A0}" && $0 != "\u{202F}" }).joined(separator: " ")
}

/// ``tidyBody(_:)`` of a rendered body, and ``htmlAlternative(of:language:)`` of the result.
package func tidyBodyWithHTML(_ text: String, language: String) -> (text: String, html: String) {
    // Tidying only takes out spaces before line breaks and line breaks, so what holds of the
    // text's clusters holds of the tidied text's.
    if scalarsAreClusters(text), scalarsAreClusters(language) {
        let tidy = fastTidyBody(text)
        return (tidy, fastHTMLAlternative(of: tidy, language: language))
    }
    let tidy = tidyBody(text)
    return (tidy, htmlAlternative(of: tidy, language: language))
}

/// A simple HTML alternative made from a plain-text body: paragraphs at blank lines, lines that
/// start with "- " as list items, other line breaks kept.
package func htmlAlternative(of text: String, language: String) -> String {
    scalarsAreClusters(text) && scalarsAreClusters(language)
        ? fastHTMLAlternative(of: text, language: language) : referenceHTMLAlternative(of: text, language: language)
}

/// Whether a line is an `http://` or `https://` address and nothing else (no space or control
/// character), which the HTML alternative makes a link.
func isBareWebAddress(_ line: some Collection<UInt8>) -> Bool {
    let https = Array("https://".utf8), http = Array("http://".utf8)
    guard line.starts(with: https) ? line.count > https.count : line.starts(with: http) && line.count > http.count else { return false }
    return line.allSatisfy { $0 > 0x20 && $0 != 0x7F }
}

/// Text made safe for HTML content and attribute values: `&`, `<`, `>` and `"` escaped.
package func htmlEscaped(_ s: some StringProtocol) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}

/// ``htmlAlternative(of:language:)`` on Characters: the definition.
package func referenceHTMLAlternative(of text: String, language: String) -> String {
    func escape(_ s: some StringProtocol) -> String { htmlEscaped(s) }
    var html = "<!DOCTYPE html>\n<html lang=\"\(escape(language))\"\(language == "ar" ? " dir=\"rtl\"" : "")>\n"
    html += "<head><meta charset=\"utf-8\"></head>\n<body>\n"
    for block in text.components(separatedBy: "\n\n") where !block.isEmpty {
        let lines = block.split(separator: "\n")
        var prose: [String] = []
        var items: [String] = []
        func flush() {
            if !prose.isEmpty { html += "<p>" + prose.joined(separator: "<br>\n") + "</p>\n" }
            if !items.isEmpty { html += "<ul>\n" + items.map { "<li>\($0)</li>\n" }.joined() + "</ul>\n" }
            prose = []
            items = []
        }
        for line in lines {
            if line.hasPrefix("- ") {
                if !prose.isEmpty { flush() }
                items.append(escape(line.dropFirst(2)))
            } else {
                if !items.isEmpty { flush() }
                // A line that is a web address alone (a reply link) becomes a link.
                prose.append(isBareWebAddress(line.utf8) ? "<a href=\"\(escape(line))\">\(escape(line))</a>" : escape(line))
            }
        }
        flush()
    }
    return html + "</body>\n</html>\n"
}
