/// Protocol forms of address for letters to ministers and other dignitaries, in the six
/// official languages of the United Nations.
public enum Salutation {
    /// The opening of a letter ("Madame la Ministre," / "Monsieur le Ministre,"), chosen by the
    /// principal's rank and gender. Unknown ranks and genders get the neutral "Excellency".
    /// - Parameters:
    ///   - principal: the person written to.
    ///   - language: a language code among `ar`, `en`, `es`, `fr`, `ru`, `zh`; others get English.
    /// - Returns: the salutation, punctuation included.
    public static func opening(for principal: Principal, in language: String) -> String {
        let minister = principal.rank.map { ["minister", "deputy-prime-minister", "vice-minister"].contains($0) } ?? true
        switch (language, minister, principal.gender) {
        case ("fr", true, .female): return "Madame la Ministre,"
        case ("fr", true, .male): return "Monsieur le Ministre,"
        case ("fr", _, _): return "Excellence,"
        case ("es", true, .female): return "Señora Ministra:"
        case ("es", true, .male): return "Señor Ministro:"
        case ("es", _, _): return "Excelencia:"
        case ("ru", true, .female): return "Уважаемая госпожа министр!"
        case ("ru", true, .male): return "Уважаемый господин министр!"
        case ("ru", _, _): return "Ваше превосходительство!"
        case ("ar", true, .female): return "معالي الوزيرة،"
        case ("ar", true, .male): return "معالي الوزير،"
        case ("ar", _, _): return "صاحب المعالي،"
        case ("zh", true, .female): return "尊敬的部长女士："
        case ("zh", true, .male): return "尊敬的部长先生："
        case ("zh", _, _): return "尊敬的阁下："
        case (_, true, .female): return "Dear Madam Minister,"
        case (_, true, .male): return "Dear Mr Minister,"
        default: return "Excellency,"
        }
    }
}
