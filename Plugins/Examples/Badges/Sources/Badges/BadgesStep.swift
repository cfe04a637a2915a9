import ConveneKit
import Foundation

/// Prints name badges: for each of its tracks, one SVG sheet with a badge for every delegation
/// that attends (confirmed, substituted or seated), with the name and title of the person who
/// comes, the delegation's name, and a colour per category (minister, delegate, press).
///
/// The person is the principal, or the substitute a reply named. The category is the roster
/// column `category-column` (`badge` by default) where a delegation has one, else `minister` for
/// the ranks of `minister-ranks`, else `delegate`. Badges are in the alphabetical order of the
/// delegations' names in the sheet's language.
struct BadgesStep: Step {
    static let manifest = StepManifest(
        id: "badges", version: SemanticVersion(1, 0, 0),
        summary: "Prints name badges, one SVG sheet per track, coloured by category (minister, delegate, press).",
        configuration: .object([
            ConfigField(
                "language", .language,
                summary: "The language of the delegations' names and of the labels (default: the event's fallback language)."),
            ConfigField(
                "category-column", .string(), default: "badge",
                summary: "The roster column that names a delegation's category (minister, delegate or press), where it has one."),
            ConfigField(
                "minister-ranks", .list(.string()),
                default: .list(["head-of-state", "head-of-government", "vice-president", "deputy-prime-minister", "minister"]),
                summary: "The ranks whose badge is a minister's; any other rank's is a delegate's."),
            ConfigField(
                "colours", .object(BadgeCategory.allCases.map { ConfigField($0.rawValue, .string(), default: .string($0.defaultColour)) }),
                default: .object(Dictionary(uniqueKeysWithValues: BadgeCategory.allCases.map { ($0.rawValue, .string($0.defaultColour)) })),
                summary: "The colour of each category, as #RRGGBB."),
            ConfigField(
                "labels", .perLanguage(.object(BadgeCategory.allCases.map { ConfigField($0.rawValue, .string(), required: true) })),
                summary: "Each category's label per language, in place of the built-in ones."),
        ]))

    let language: String?
    let categoryColumn: String
    let ministerRanks: Set<String>
    let style: BadgeSheet.Style

    init(configuration: ConfigValue) throws {
        language = configuration["language"].string
        categoryColumn = configuration["category-column"].string ?? "badge"
        ministerRanks = Set((configuration["minister-ranks"].list ?? []).compactMap(\.string).map(Self.normalized))
        var colours: [BadgeCategory: String] = [:]
        for category in BadgeCategory.allCases {
            let colour = configuration["colours"][category.rawValue].string ?? category.defaultColour
            guard colour.count == 7, colour.hasPrefix("#"), colour.dropFirst().allSatisfy(\.isHexDigit) else {
                throw StepError("colours.\(category.rawValue): '\(colour)' is not a colour such as \(category.defaultColour)")
            }
            colours[category] = colour.uppercased()
        }
        var labels = BadgeCategory.builtInLabels
        for (language, given) in configuration["labels"].object ?? [:] {
            labels[language] = Dictionary(uniqueKeysWithValues: BadgeCategory.allCases.map { ($0, given[$0.rawValue].string ?? "") })
        }
        style = BadgeSheet.Style(colours: colours, labels: labels)
    }

    func run(_ batch: StepBatch) throws -> [Effect] {
        let language = self.language ?? batch.event.fallbackLanguage
        let locale = Locale(identifier: language)
        return try batch.tracks.compactMap { track in
            let badges = try batch.invitees.compactMap { try badge(for: $0, on: track.id, in: language) }.sorted {
                switch $0.delegationName.compare($1.delegationName, options: [.caseInsensitive, .diacriticInsensitive], locale: locale) {
                case .orderedAscending: true
                case .orderedDescending: false
                case .orderedSame: $0.delegation < $1.delegation
                }
            }
            guard !badges.isEmpty else { return nil }
            let sheet = BadgeSheet(
                event: batch.event.name(in: language), track: track.name(in: language), language: language,
                badges: badges, style: style)
            // The runtime takes document names of ASCII letters, digits, '-', '_', '.' and '+' only.
            let name = String(track.id.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.+".contains($0)) ? $0 : "_" })
            return .publish(Artifact(name: "badges-\(name).svg", mediaType: "image/svg+xml", content: sheet.svg))
        }
    }

    /// The badge of an invitee that attends a track, `nil` for one that does not.
    func badge(for invitee: Invitee, on track: String, in language: String) throws -> Badge? {
        let state = invitee.state(on: track)
        guard [.confirmed, .substituted, .seated].contains(state.status) else { return nil }
        let delegation = invitee.delegation
        let person = state.reply.flatMap { $0.answer == .substitute ? $0.substitute : nil } ?? delegation.principal
        let category: BadgeCategory
        if let given = delegation.fields[categoryColumn], !given.isEmpty {
            guard let named = BadgeCategory(rawValue: Self.normalized(given)) else {
                throw StepError("\(delegation.id): the roster's \(categoryColumn) '\(given)' is not minister, delegate or press")
            }
            category = named
        } else {
            category = person.rank.map { ministerRanks.contains(Self.normalized($0)) } == true ? .minister : .delegate
        }
        return Badge(
            delegation: delegation.id, name: person.name, title: person.title,
            delegationName: delegation.name(in: language), category: category)
    }

    /// A rank or a category as compared: lowercase, spaces and underscores as hyphens.
    static func normalized(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
            .replacingOccurrences(of: " ", with: "-")
    }
}

/// What a badge says and how it is coloured.
enum BadgeCategory: String, CaseIterable, Sendable, Hashable {
    case minister, delegate, press

    /// Burgundy, blue and green: apart in hue and in lightness, so that they stay apart printed
    /// in grey or seen by the colour-blind, and dark enough for white text.
    var defaultColour: String {
        switch self {
        case .minister: "#8C1D40"
        case .delegate: "#1F4E96"
        case .press: "#2E6B30"
        }
    }

    /// The labels of the six official languages of the United Nations.
    static let builtInLabels: [String: [BadgeCategory: String]] = [
        "en": [.minister: "MINISTER", .delegate: "DELEGATE", .press: "PRESS"],
        "fr": [.minister: "MINISTRE", .delegate: "DÉLÉGATION", .press: "PRESSE"],
        "es": [.minister: "MINISTERIAL", .delegate: "DELEGACIÓN", .press: "PRENSA"],
        "ar": [.minister: "وزاري", .delegate: "وفد", .press: "صحافة"],
        "ru": [.minister: "МИНИСТР", .delegate: "ДЕЛЕГАЦИЯ", .press: "ПРЕССА"],
        "zh": [.minister: "部长", .delegate: "代表团", .press: "媒体"],
    ]
}

/// One badge.
struct Badge: Sendable, Hashable {
    /// The delegation's id.
    var delegation: String
    /// The name of the person who comes.
    var name: String
    /// Their title.
    var title: String
    /// The delegation's name in the sheet's language.
    var delegationName: String
    /// Its category.
    var category: BadgeCategory
}
