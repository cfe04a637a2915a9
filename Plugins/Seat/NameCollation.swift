import ConveneKit
import Foundation

/// Orders delegations by name the way readers of a language expect in an alphabetical list.
///
/// The primary comparison is ICU collation for the language (through Foundation's
/// `compare(_:options:range:locale:)`), insensitive to case and accents, over the name's letters
/// and digits only: "Égypte" sorts with the Es, "Sainte-Lucie" before "Saint-Kitts-et-Nevis" and
/// "République démocratique du Congo" before "République de Moldova", as in the United Nations'
/// French list of Member States; Chinese names sort by pinyin, "Ñ" after "N" in Spanish. Names
/// equal at that level are ordered by the full collation (accents, case, punctuation), then by
/// code points, then by delegation id, so that the order is total and never depends on the
/// order of the input.
struct NameCollation {
    /// A delegation with its name in the collation's language and the name's sort key.
    struct Entry {
        var delegation: Delegation
        var name: String
        var key: String
    }

    let language: String
    private let locale: Locale

    init(language: String) {
        self.language = language
        locale = Locale(identifier: language)
    }

    /// The letters and digits of a name: spaces, hyphens, apostrophes and brackets are ignored at
    /// the primary level.
    static func key(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: name.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
        return String(scalars)
    }

    /// Whether `a` comes before `b`.
    func precedes(_ a: Entry, _ b: Entry) -> Bool {
        let primary = a.key.compare(
            b.key, options: [.caseInsensitive, .diacriticInsensitive], range: nil, locale: locale)
        if primary != .orderedSame { return primary == .orderedAscending }
        let full = a.name.compare(b.name, options: [], range: nil, locale: locale)
        if full != .orderedSame { return full == .orderedAscending }
        if a.name != b.name { return a.name.unicodeScalars.lexicographicallyPrecedes(b.name.unicodeScalars) }
        return a.delegation.id < b.delegation.id
    }

    /// The delegations in alphabetical order of their names in the collation's language.
    func sorted(_ delegations: [Delegation]) -> [Entry] {
        delegations.map { delegation in
            let name = delegation.name(in: language)
            return Entry(delegation: delegation, name: name, key: Self.key(name))
        }
        .sorted(by: precedes)
    }
}
