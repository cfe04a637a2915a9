package import ConveneKit
import Foundation

// A country's name as running text needs it: "la France", "du Canada", "of the Netherlands".
// The roster says which article a name takes in a language (`article_fr`: `le`, `la`, `les`,
// `l'` or empty; `article_en`: `the` or empty; `article_es`: `el`, `la`, `los`, `las` or empty).

/// The delegation's name in a language with its article, as the roster gives it
/// (`article_<language>`): "la France", "les Pays-Bas", "l'Ouganda", "the Netherlands", "Cuba".
package func nameWithArticle(of delegation: Delegation, in language: String) -> String {
    let name = delegation.name(in: language)
    guard let article = delegation.fields["article_" + language]?.trimmingCharacters(in: .whitespaces), !article.isEmpty
    else { return name }
    return article.hasSuffix("'") || article.hasSuffix("’") ? article + name : article + " " + name
}

/// The delegation's name after "of" in a language, with the article contracted as the language
/// does: "de la France", "du Canada", "des Pays-Bas", "de l'Ouganda", "d'Israël", "de Cuba";
/// "of the Netherlands", "of France"; "del Perú", "de los Países Bajos". In other languages, the
/// name.
package func ofName(of delegation: Delegation, in language: String) -> String {
    let name = delegation.name(in: language)
    let article = delegation.fields["article_" + language]?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
    switch language {
    case "fr":
        switch article {
        case "le": return "du " + name
        case "les": return "des " + name
        case "la": return "de la " + name
        case "l'", "l’": return "de l'" + name
        default:
            let first = name.unicodeScalars.first.map { String($0).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil) }
            return (first.map { "aeiouyh".contains($0) } ?? false) ? "d'" + name : "de " + name
        }
    case "en":
        return article.isEmpty ? "of " + name : "of " + article + " " + name
    case "es":
        switch article {
        case "el": return "del " + name
        case "": return "de " + name
        default: return "de " + article + " " + name
        }
    default:
        return name
    }
}
