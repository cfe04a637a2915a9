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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                // ASCII letters and digits are the only alphanumerics of ASCII.
                if (value >= 0x30 && value <= 0x39) || (value | 0x20 >= 0x61 && value | 0x20 <= 0x7A) {
                    bytes.append(UInt8(value))
                }
            } else if alphanumerics.contains(scalar) {
                bytes.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let alphanumerics = CharacterSet.alphanumerics

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
    ///
    /// A locale comparison costs microseconds, so the names are first put in the order of a
    /// rough sort key computed once per name (see ``roughKey(_:folds:)``), which agrees with the
    /// collation on nearly every pair; the standard library's merge sort, which finds runs
    /// already in order, then checks that order with ``precedes(_:_:)`` in about one comparison
    /// per name and mends what the rough key got wrong. The order is ``precedes(_:_:)``'s alone:
    /// it is total, so the rough key only changes how much work the sort does.
    func sorted(_ delegations: [Delegation]) -> [Entry] {
        var folds: [UInt32: [UInt8]] = [:]
        var entries: [Entry] = []
        var rough: [[UInt8]] = []
        entries.reserveCapacity(delegations.count)
        rough.reserveCapacity(delegations.count)
        for delegation in delegations {
            let name = delegation.name(in: language)
            let key = Self.key(name)
            entries.append(Entry(delegation: delegation, name: name, key: key))
            rough.append(roughKey(key, folds: &folds))
        }
        // Sorting positions rather than entries spares copying delegations about.
        let order = entries.indices.sorted { rough[$0].lexicographicallyPrecedes(rough[$1]) }
            .sorted { precedes(entries[$0], entries[$1]) }
        return order.map { entries[$0] }
    }

    /// The key with case and accents folded, scalar by scalar, as UTF-8: in code point order it
    /// sorts most alphabets of the Latin, Greek, Cyrillic and Arabic scripts as the collation does.
    private func roughKey(_ key: String, folds: inout [UInt32: [UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(key.utf8.count)
        for scalar in key.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                bytes.append(UInt8(value >= 0x41 && value <= 0x5A ? value | 0x20 : value))
            } else if let fold = folds[value] {
                bytes.append(contentsOf: fold)
            } else {
                let fold = Array(
                    String(Character(scalar)).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: locale)
                        .utf8)
                folds[value] = fold
                bytes.append(contentsOf: fold)
            }
        }
        return bytes
    }
}
