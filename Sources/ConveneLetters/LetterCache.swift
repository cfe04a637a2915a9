package import ConveneKit
package import Foundation

// What a step keeps from one batch to the next so that each letter costs little: date formatters
// and the values that are the same for every delegation written to in a language (see
// ``LanguageLetters``), and the letters themselves (see ``LetterStore/letter(_:)``).
//
// Most of a letter depends on its language alone: the embedded templates use, of the delegation,
// only its salutation and the tracks written about. A letter is therefore rendered once per
// ``LetterKey``, which holds the language and exactly those delegation values the templates name
// (see ``TemplateNames``), and reused for every delegation with the same key. A string the
// templates only write out as it is (a name in `Dear {{principal.name}}`) is rendered as a
// placeholder instead, and the placeholder replaced by each delegation's string before the text
// is tidied (see ``Placeholders``), so that templates that name the delegation are rendered once
// too. Templates whose rendering cannot be bounded that way (`{{.}}`, a whole object rendered) are
// rendered for each delegation.

/// The names a template uses, to know which values its rendering can depend on.
///
/// A value at `a.b.c` can reach the output only through tags that name `a`, `b` and `c` (a
/// section `{{#a}}` and a variable `{{b.c}}` inside it, say), so a template depends on it only if
/// it names all three. The exceptions make the template *opaque*: the implicit iterator `{{.}}`,
/// an object rendered whole or through a transform (`{{event}}`, `{{#enumerated(reply)}}`), and
/// changed delimiters, which this reader does not follow.
package struct TemplateNames: Sendable {
    /// The keys whose values are objects or lists in letter values.
    static let containers: Set<String> = [
        "principal", "delegation", "event", "contact", "signatories", "tracks", "track", "reply", "substitute",
    ]

    private var names: Set<String> = []
    /// Names in tags with transforms (`{{uppercased(name)}}`): their values may be rewritten.
    private var transformed: Set<String> = []
    /// Whether the template may depend on values it does not name: nothing can then be left out.
    package private(set) var opaque: Bool
    /// Whether the template changes how values are written (a content-type pragma, which may turn
    /// on HTML escaping), or holds a placeholder's mark: values are then never written through
    /// placeholders.
    private var rewrites = false

    package init(opaque: Bool) { self.opaque = opaque }

    /// Reads the tags of a template.
    package init(_ source: String) {
        opaque = false
        rewrites = source.unicodeScalars.contains(Placeholders.markScalar)
        scan(source)
    }

    /// The names used by any of several templates.
    package init(_ all: [TemplateNames]) {
        opaque = all.contains(where: \.opaque)
        rewrites = all.contains(where: \.rewrites)
        for other in all {
            names.formUnion(other.names)
            transformed.formUnion(other.transformed)
        }
    }

    /// Whether the template may depend on the value at `path` (keys from the root).
    package func uses(_ path: String...) -> Bool {
        opaque || path.allSatisfy(names.contains)
    }

    /// How the template may use the string at `path`.
    package func use(_ path: String...) -> ValueUse { use(path: path) }

    package func use(path: [String]) -> ValueUse {
        if opaque { return .keyed }
        guard path.allSatisfy(names.contains) else { return .unused }
        return rewrites || path.last.map(transformed.contains) ?? true ? .keyed : .verbatim
    }

    private mutating func scan(_ source: String) {
        let bytes = Array(source.utf8)
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == UInt8(ascii: "{"), bytes[i + 1] == UInt8(ascii: "{") else {
                i += 1
                continue
            }
            var j = i + 2
            while j + 1 < bytes.count, !(bytes[j] == UInt8(ascii: "}") && bytes[j + 1] == UInt8(ascii: "}")) { j += 1 }
            guard j + 1 < bytes.count else {
                // An unclosed tag would not have compiled; be safe anyway.
                opaque = true
                return
            }
            tag(String(decoding: bytes[(i + 2)..<j], as: UTF8.self))
            if opaque { return }
            i = j + 2
        }
    }

    private mutating func tag(_ text: String) {
        var content = Substring(text).drop(while: \.isWhitespace)
        let sigil = content.first
        switch sigil {
        case "!":
            return  // comments render no value
        case "%":
            rewrites = true  // pragmas render no value, but may change how values are written
            return
        case "=":
            opaque = true  // new delimiters: later tags are not read
            return
        case "#", "^", "/", "&", "{", ">", "<", "$":
            content = content.dropFirst()
        default:
            break
        }
        let name = String(content.drop(while: \.isWhitespace).reversed().drop(while: { $0.isWhitespace || $0 == "}" }).reversed())
        let isVariable = !["#", "^", "/", ">", "<", "$"].contains(sigil)
        // `f(g(a.b))`: transforms f and g of the path a.b.
        let parts = name.split(separator: "(", omittingEmptySubsequences: false)
        let path = parts.last.map { String($0.filter { $0 != ")" && !$0.isWhitespace }) } ?? ""
        let hasTransforms = parts.count > 1
        if path == "." || (path.isEmpty && !hasTransforms) || path.hasSuffix(".") {
            opaque = true
            return
        }
        let segments = path.split(separator: ".")
        if isVariable || hasTransforms, let last = segments.last, Self.containers.contains(String(last)) {
            opaque = true
            return
        }
        // Names are split at dots, brackets, spaces and the like; a token is kept whole even if
        // Mustache would not take it as a name, which only makes the template depend on more.
        var token = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            let v = scalar.value
            let isNameScalar =
                v >= 0x80 || (v >= 0x30 && v <= 0x39) || (v | 0x20 >= 0x61 && v | 0x20 <= 0x7A) || v == 0x5F || v == 0x2D
            if isNameScalar {
                token.append(scalar)
            } else if !token.isEmpty {
                names.insert(String(token))
                token = String.UnicodeScalarView()
            }
        }
        if !token.isEmpty { names.insert(String(token)) }
        if hasTransforms {
            for segment in name.split(whereSeparator: { "().".contains($0) || $0.isWhitespace }) {
                transformed.insert(String(segment))
            }
        }
    }
}

/// How templates use a string value of the delegation.
package enum ValueUse: Sendable {
    /// Not at all.
    case unused
    /// Only written out as it is, or tested (a string is always true): it may be written through
    /// a placeholder.
    case verbatim
    /// Some other way (a transform, or a template that could not be read): the letter depends on
    /// its value.
    case keyed
}

/// Placeholders for a delegation's strings in a letter rendered for many delegations.
///
/// A placeholder is a mark no text holds (a Unicode noncharacter and a number drawn at random
/// when the process starts), followed by the string's number and a closing noncharacter. Mustache
/// writes a string value into plain text as it is and treats any string as true, so a text
/// rendered with placeholders, once they are replaced, is the text rendered with the strings.
package struct Placeholders: Sendable {
    // Noncharacters, which Swift refuses in literals.
    static let markScalar = Unicode.Scalar(0xFDD0 as UInt32)!
    static let endScalar = Unicode.Scalar(0xFDD1 as UInt32)!
    /// The opening of every placeholder of this process.
    static let mark = String(markScalar) + "\(UInt64.random(in: 0 ... .max))."
    private static let markBytes = Array(mark.utf8)
    private static let endBytes = Array(String(endScalar).utf8)

    /// The strings, by number.
    package private(set) var values: [String] = []

    package init() {}

    private static let first = (0..<16).map(placeholder)
    private static func placeholder(_ number: Int) -> String { mark + String(number) + String(endScalar) }

    /// A placeholder for `value`.
    package mutating func add(_ value: String) -> String {
        values.append(value)
        return values.count <= Self.first.count ? Self.first[values.count - 1] : Self.placeholder(values.count - 1)
    }

    /// Whether a text holds any placeholder.
    package static func occur(in text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { find(Self.markBytes, in: $0, from: 0) != nil }
            ?? text.contains(mark)
    }

    /// `text` with each placeholder replaced by its string.
    package func fill(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { bytes in
            guard var found = Self.find(Self.markBytes, in: bytes, from: 0) else { return text }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + values.reduce(0) { $0 + $1.utf8.count })
            var start = 0
            while true {
                // The number, then the closing noncharacter.
                var i = found + Self.markBytes.count
                var number = 0
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39, number < values.count {
                    number = number * 10 + Int(bytes[i] - 0x30)
                    i += 1
                }
                if number < values.count, i + 3 <= bytes.count, bytes[i] == Self.endBytes[0],
                    bytes[i + 1] == Self.endBytes[1], bytes[i + 2] == Self.endBytes[2]
                {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<found]))
                    out.append(contentsOf: values[number].utf8)
                    start = i + 3
                }
                guard let next = Self.find(Self.markBytes, in: bytes, from: max(start, found + 1)) else { break }
                found = next
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= bytes.count {
            if bytes[i] == first {
                var j = 1
                while j < needle.count, bytes[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}

/// What a letter's text depends on beyond its batch: its language and the delegation's values
/// its templates use. Two delegations with equal keys get the same letter.
package struct LetterKey: Hashable, Sendable {
    package var language: String
    /// The salutation, if the templates use it (or the form of address).
    package var salutation: String = ""
    /// Which of the batch's tracks the letter covers, a bit each, or the one it is about.
    package var tracks: UInt64 = 0
    /// Other values of the delegation the templates use, in an order fixed by the step.
    package var values: [String] = []
    /// The firing of the step's schedule, for steps whose letters name it (a reminder's number).
    package var occurrence: Int = 0
    package var occurrences: Int = 0

    package init(language: String) { self.language = language }
}

/// What a language's templates use of the values common to all letters (see
/// ``letterValues(for:event:language:dates:deadline:)``) that vary with the delegation: what goes
/// into a ``LetterKey``, and what is written through ``Placeholders``.
package struct LetterRecipe: Sendable {
    /// The names the templates use.
    package let names: TemplateNames
    private let placeholders: Bool
    private let salutation: Bool
    private let principalName: ValueUse
    private let principalTitle: ValueUse
    private let delegationID: ValueUse
    private let delegationName: ValueUse
    private let delegationNameWithArticle: ValueUse
    private let delegationOfName: ValueUse
    /// Whether the templates name `delegation`, whose roster fields they may then use.
    private let delegationFields: Bool
    private let replyLink: ValueUse
    /// Whether the templates use `tracks` (the tracks a letter covers).
    package let tracks: Bool

    /// - Parameters:
    ///   - names: the names the language's templates use.
    ///   - placeholders: whether strings may be written through placeholders; not when a
    ///     template escapes what it writes (an HTML template).
    package init(_ names: TemplateNames, placeholders: Bool = true) {
        self.names = names
        self.placeholders = placeholders
        salutation = names.uses("salutation") || names.uses("formOfAddress")
        tracks = names.uses("tracks")
        func use(_ path: String...) -> ValueUse {
            let use = names.use(path: path)
            return use == .verbatim && !placeholders ? .keyed : use
        }
        principalName = use("principal", "name")
        principalTitle = use("principal", "title")
        delegationID = use("delegation", "id")
        delegationName = use("delegation", "name")
        delegationNameWithArticle = use("delegation", "nameWithArticle")
        delegationOfName = use("delegation", "ofName")
        delegationFields = names.uses("delegation")
        replyLink = use("replyLink")
    }

    /// How the templates may use the string at `path`, placeholders allowed or not.
    package func use(_ path: String...) -> ValueUse {
        let use = names.use(path: path)
        return use == .verbatim && !placeholders ? .keyed : use
    }

    /// The start of a delegation's letter: its key, and the strings to render it with.
    /// - Parameter link: the delegation's personal reply link, if the workflow has a reply page.
    package func draft(language: String, delegation: Delegation, salutation: String, replyLink link: URL? = nil) -> LetterDraft {
        var draft = LetterDraft(language: language, salutation: salutation)
        draft.replyLink = link?.absoluteString
        if names.opaque {
            draft.key = nil
            return draft
        }
        if replyLink != .unused {
            // Whether there is a link at all is part of the letter; the link itself is the
            // delegation's own.
            draft.key?.values.append(link == nil ? "-" : "+")
            if let text = draft.replyLink { draft.replyLink = draft.add(text, replyLink) }
        }
        if self.salutation { draft.key?.salutation = salutation }
        if principalName != .unused { draft.principalName = draft.add(delegation.principal.name, principalName) }
        if principalTitle != .unused { draft.principalTitle = draft.add(delegation.principal.title, principalTitle) }
        if delegationID != .unused { draft.delegationID = draft.add(delegation.id, delegationID) }
        if delegationName != .unused { draft.delegationName = draft.add(delegation.name(in: language), delegationName) }
        if delegationNameWithArticle != .unused {
            draft.delegationNameWithArticle = draft.add(nameWithArticle(of: delegation, in: language), delegationNameWithArticle)
        }
        if delegationOfName != .unused { draft.delegationOfName = draft.add(ofName(of: delegation, in: language), delegationOfName) }
        // The roster's other columns the templates name, by their values.
        var fields: [String: String] = [:]
        if delegationFields {
            for (column, value) in delegation.fields where names.uses("delegation", column) { fields[column] = value }
            for column in fields.keys.sorted() { draft.key?.values.append(column + "=" + fields[column]!) }
        }
        draft.fields = fields
        return draft
    }
}

/// A delegation's letter before it is written: its key (`nil` when the templates are opaque) and
/// placeholders for the delegation's strings the templates write out as they are.
package struct LetterDraft {
    package var key: LetterKey?
    package var placeholders = Placeholders()
    package let language: String
    package let salutation: String
    // What to render with in place of the delegation's strings; `nil` for the strings themselves.
    var principalName: String?
    var principalTitle: String?
    var delegationID: String?
    var delegationName: String?
    var delegationNameWithArticle: String?
    var delegationOfName: String?
    /// The roster fields the templates use; `nil` for all of them.
    var fields: [String: String]?
    /// The reply link, or its placeholder; `nil` without a link.
    var replyLink: String?

    /// Keys the letter by the batch's tracks it lists, when the recipe's templates name them.
    /// - Parameters:
    ///   - selection: one bit per index of the batch's tracks the letter lists.
    ///   - trackCount: how many tracks the batch has; beyond 64 the letter is not cached.
    ///   - recipe: what the templates use.
    package mutating func select(tracks selection: UInt64, of trackCount: Int, recipe: LetterRecipe) {
        if trackCount > 64 {
            key = nil
        } else if recipe.tracks {
            key?.tracks = selection
        }
    }

    init(language: String, salutation: String) {
        key = LetterKey(language: language)
        self.language = language
        self.salutation = salutation
    }

    /// Adds a string the templates use: to the key, or through a placeholder.
    /// - Returns: what to render the letter with in its place.
    package mutating func add(_ value: String, _ use: ValueUse) -> String {
        switch use {
        case .unused: return value
        case .keyed:
            key?.values.append(value)
            return value
        case .verbatim:
            return placeholders.add(value)
        }
    }

    /// ``letterValues(for:event:language:dates:deadline:)`` for the letter, with placeholders
    /// where the draft has them.
    func values(_ letters: LanguageLetters, delegation: Delegation, formOfAddress: String) -> [String: any Sendable] {
        letters.values(
            salutation: salutation, formOfAddress: formOfAddress,
            principalName: principalName ?? delegation.principal.name,
            principalTitle: principalTitle ?? delegation.principal.title, delegationID: delegationID ?? delegation.id,
            delegationName: delegationName ?? delegation.name(in: language),
            delegationNameWithArticle: delegationNameWithArticle ?? nameWithArticle(of: delegation, in: language),
            delegationOfName: delegationOfName ?? ofName(of: delegation, in: language), fields: fields ?? delegation.fields,
            replyLink: replyLink)
    }
}

/// A letter kept for reuse: written out, or rendered with placeholders and still to be filled in
/// and tidied for each delegation.
package enum StoredLetter: Sendable {
    case letter(Letter)
    case pattern(subject: String, text: String)

    /// The letter for a delegation.
    /// - Parameters:
    ///   - placeholders: the delegation's strings.
    ///   - finish: makes the letter from the subject and the text as rendered.
    func letter(_ placeholders: Placeholders, finish: (String, String, String?) -> Letter) -> Letter {
        switch self {
        case .letter(let letter): letter
        case .pattern(let subject, let text): finish(placeholders.fill(subject), placeholders.fill(text), nil)
        }
    }
}

/// A letter as rendered and tidied.
package struct Letter: Sendable {
    package var subject: String
    package var text: String
    package var html: String?

    package init(subject: String, text: String, html: String?) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}

/// What letters of a batch share with letters of the next, if they have the same event, tracks
/// and deadline (the step's configuration is the same by construction).
package struct LetterBatchIdentity: Equatable {
    package var event: EventInfo
    package var tracks: [TrackInfo]
    package var deadline: Date?

    package init(_ batch: StepBatch, deadline: Date?) {
        event = batch.event
        tracks = batch.tracks
        self.deadline = deadline
    }
}

/// The values of letters in one language that are the same for every delegation of a batch.
package final class LanguageLetters {
    package let language: String
    package let dates: DateText
    /// ``trackValues(_:language:dates:)`` of each of the batch's tracks.
    package let tracks: [[String: any Sendable]]
    /// The name of each of the batch's tracks in the language.
    package let trackNames: [String]
    /// The deadline written out, if any.
    package let deadline: String?
    private let base: [String: any Sendable]

    init(language: String, identity: LetterBatchIdentity, dates: DateText) {
        self.language = language
        self.dates = dates
        let event = identity.event
        tracks = identity.tracks.map { trackValues($0, language: language, dates: dates) }
        trackNames = identity.tracks.map { $0.name(in: language) }
        deadline = identity.deadline.map { dates.day($0) }
        var contact: [String: any Sendable] = ["email": event.contact.email]
        if let name = event.contact.name { contact["name"] = name }
        var base: [String: any Sendable] = [
            "language": language,
            "rtl": language == "ar",
            "event": ["name": event.name(in: language), "reference": event.reference, "venue": event.venue],
            "contact": contact,
            "signatories": event.signatories.map { signatory -> [String: any Sendable] in
                let title =
                    signatory.titles[language] ?? signatory.titles[event.fallbackLanguage] ?? signatory.titles["en"]
                    ?? signatory.titles.sorted(by: { $0.key < $1.key }).first?.value ?? ""
                return ["name": signatory.name, "title": title]
            },
            "severalSignatories": event.signatories.count > 1,
            "replyLinkLead": replyLinkLeads[language] ?? replyLinkLeads["en"]!,
            "replyLinkChange": replyLinkChanges[language] ?? replyLinkChanges["en"]!,
        ]
        if let deadline { base["deadline"] = deadline }
        self.base = base
    }

    /// ``letterValues(for:event:language:dates:deadline:)`` given the delegation's strings.
    func values(
        salutation: String, formOfAddress: String, principalName: String, principalTitle: String,
        delegationID: String, delegationName: String, delegationNameWithArticle: String, delegationOfName: String,
        fields: [String: String], replyLink: String?
    ) -> [String: any Sendable] {
        var values = base
        if let replyLink { values["replyLink"] = replyLink }
        values["salutation"] = salutation
        values["formOfAddress"] = formOfAddress
        values["principal"] = ["name": principalName, "title": principalTitle]
        var delegation: [String: any Sendable] = fields
        delegation["id"] = delegationID
        delegation["name"] = delegationName
        delegation["nameWithArticle"] = delegationNameWithArticle
        delegation["ofName"] = delegationOfName
        values["delegation"] = delegation
        return values
    }
}

/// A step's letters and letter resources, kept from one batch to the next (see ``LetterCache``).
package struct LetterStore {
    /// Letters kept at most; past it the store starts again, so that memory stays bounded when
    /// letters are all different.
    static let capacity = 2048

    private var identity: LetterBatchIdentity?
    /// By language and time zone; they outlive a change of batch identity.
    private var dateTexts: [String: DateText] = [:]
    private var languages: [String: LanguageLetters] = [:]
    private var letters: [LetterKey: StoredLetter] = [:]
    private var forms: [String: String] = [:]

    init() {}

    mutating func prepare(for identity: LetterBatchIdentity) {
        guard identity != self.identity else { return }
        self.identity = identity
        languages = [:]
        letters = [:]
    }

    /// The letter values of a language that do not depend on the delegation.
    package mutating func language(_ language: String) -> LanguageLetters {
        if let letters = languages[language] { return letters }
        let identity = identity!
        let key = language + "\u{0}" + identity.event.timeZone.identifier
        let dates = dateTexts[key] ?? DateText(language: language, timeZone: identity.event.timeZone)
        dateTexts[key] = dates
        let letters = LanguageLetters(language: language, identity: identity, dates: dates)
        languages[language] = letters
        return letters
    }

    /// The opening of a letter without its punctuation, for closing formulas.
    package mutating func formOfAddress(_ salutation: String) -> String {
        if let form = forms[salutation] { return form }
        let form = String(salutation.trimmingCharacters(in: CharacterSet(charactersIn: ",:!：،")))
        if forms.count < 256 { forms[salutation] = form }
        return form
    }

    /// A letter rendered earlier for the same key, in this batch or an earlier one like it.
    package func letter(_ key: LetterKey) -> StoredLetter? { letters[key] }

    package mutating func remember(_ letter: StoredLetter, for key: LetterKey) {
        if letters.count >= Self.capacity { letters.removeAll(keepingCapacity: true) }
        letters[key] = letter
    }
}

extension LetterStore {
    /// A delegation's letter: the one rendered earlier for the same key, or a new one.
    /// - Parameters:
    ///   - draft: the letter's key and the strings to render it with.
    ///   - delegation: the delegation written to.
    ///   - letters: the language's values.
    ///   - render: renders the subject, the text and, from an HTML template, the HTML of a letter
    ///     from the values common to all letters (to which it adds the step's own).
    ///   - finish: makes the letter from what `render` gave, with placeholders filled in: tidies
    ///     the subject and the text, and makes the HTML if there was no HTML template.
    package mutating func letter(
        _ draft: LetterDraft, for delegation: Delegation, in letters: LanguageLetters,
        render: (_ values: [String: any Sendable]) -> (subject: String, text: String, html: String?),
        finish: (_ subject: String, _ text: String, _ html: String?) -> Letter
    ) -> Letter {
        if let key = draft.key, let stored = letter(key) { return stored.letter(draft.placeholders, finish: finish) }
        let values = draft.values(letters, delegation: delegation, formOfAddress: formOfAddress(draft.salutation))
        let (subject, text, html) = render(values)
        let stored: StoredLetter
        if !draft.placeholders.values.isEmpty, Placeholders.occur(in: subject) || Placeholders.occur(in: text) {
            // Placeholders are only made for templates that do not escape what they write.
            precondition(html == nil, "placeholders in a letter with an HTML template")
            stored = .pattern(subject: subject, text: text)
        } else {
            stored = .letter(finish(subject, text, html))
        }
        if let key = draft.key { remember(stored, for: key) }
        return stored.letter(draft.placeholders, finish: finish)
    }
}

/// A step instance's ``LetterStore``. A step is a value the runtime may share between threads;
/// each run takes the store for its duration (a run that finds it taken starts an empty one).
package final class LetterCache: @unchecked Sendable {
    private let lock = NSLock()
    private var store: LetterStore?

    package init() {}

    /// Runs `body` with the store, made ready for a batch.
    package func with<R>(_ identity: LetterBatchIdentity, _ body: (inout LetterStore) throws -> R) rethrows -> R {
        lock.lock()
        var current = store ?? LetterStore()
        store = nil
        lock.unlock()
        current.prepare(for: identity)
        defer {
            lock.lock()
            store = current
            lock.unlock()
        }
        return try body(&current)
    }
}

/// The sentence that introduces a personal reply link, by language (`replyLinkLead` in templates).
let replyLinkLeads: [String: String] = [
    "ar": "ويمكنكم الرد إلكترونياً عبر الرابط الشخصي التالي:",
    "en": "You may reply online through the personal link below:",
    "es": "Puede responder en línea mediante el enlace personal que figura a continuación:",
    "fr": "Vous pouvez répondre en ligne au moyen du lien personnel ci-dessous\u{A0}:",
    "ru": "Ответ можно направить в электронном виде по следующей персональной ссылке:",
    "zh": "贵方可通过以下个人专用链接在线答复：",
]

/// The sentence that offers a personal reply link for changing a reply already made, by language
/// (`replyLinkChange` in templates).
let replyLinkChanges: [String: String] = [
    "ar": "ويمكنكم تعديل ردكم عبر الرابط الشخصي التالي:",
    "en": "You may change your reply through your personal link:",
    "es": "Puede modificar su respuesta mediante su enlace personal:",
    "fr": "Vous pouvez modifier votre réponse au moyen de votre lien personnel\u{A0}:",
    "ru": "Изменить ответ можно по вашей персональной ссылке:",
    "zh": "贵方可通过个人专用链接修改答复：",
]
