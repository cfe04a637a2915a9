/// Fits text into a width without the font at hand: an SVG file is drawn by whatever renders it,
/// so widths are estimated from the advances of DejaVu Sans, a wide sans-serif font, taking the
/// widest character of each class. Narrower fonts (Arial, Helvetica, Noto Sans) then leave a
/// margin rather than overflow.
enum TextFit {
    /// A text set in lines at a size.
    struct Block: Equatable {
        /// The lines, in reading order.
        var lines: [String]
        /// The font size, in the sheet's units.
        var size: Double
        /// The estimated width of each line at that size.
        var widths: [Double]

        /// The height the lines take, at 1.2 times the size each.
        var height: Double { Double(lines.count) * size * TextFit.leading }
    }

    /// The distance between baselines, in sizes.
    static let leading = 1.2

    /// The estimated advance of a text at size 1, in bold or not.
    static func width(_ text: String, bold: Bool = false) -> Double {
        var total = 0.0
        for scalar in text.unicodeScalars { total += advance(scalar) }
        // DejaVu Sans Bold is up to 15% wider than the book weight, letter for letter.
        return bold ? total * 1.15 : total
    }

    /// The advance of one character at size 1: the widest of its class in DejaVu Sans (book).
    static func advance(_ scalar: Unicode.Scalar) -> Double {
        let v = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if isWide(scalar) { return 1.0 }
        // Arabic letters, isolated (joined forms are narrower).
        if (0x0600...0x06FF).contains(v) || (0x0750...0x077F).contains(v) || (0xFB50...0xFEFF).contains(v) { return 0.62 }
        switch scalar {
        case " ": return 0.32
        case "i", "j", "l", "'", ".", ",", ":", ";", "!", "|", "I", "’": return 0.4
        case "f", "t", "r", "(", ")", "-", "‐", "[", "]": return 0.42
        case "m", "w", "M", "W", "Ш", "Щ", "Ж", "ш", "щ", "ж", "Ю", "ю", "Ы", "ы", "Œ", "œ", "Æ", "æ", "@", "%": return 1.0
        default: break
        }
        if scalar.properties.isUppercase { return 0.79 }
        return 0.64
    }

    /// Whether a character is set a full em wide: CJK ideographs, kana, hangul, full-width forms.
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Whether a text is written right to left (it holds Arabic or Hebrew letters).
    static func isRightToLeft(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x0590...0x08FF).contains($0.value) || (0xFB1D...0xFEFC).contains($0.value) }
    }

    /// Sets a text in at most `maxLines` lines of at most `width`, at the largest size from
    /// `largest` down to `smallest` (in steps of a twentieth of `largest`) at which it fits.
    /// Fewer lines are tried first, each down to `oneLineDown` times `largest` but the last, so
    /// that a name that fits on one line a little smaller is not broken onto two. Lines break
    /// between words and between two ideographs, which need no space; only a text that fits no
    /// other way also breaks after the hyphens of its words. At the smallest size, a text that
    /// still does not fit has the rest on its last line, too long: the sheet sets that line
    /// alone smaller.
    static func fit(
        _ text: String, width: Double, largest: Double, smallest: Double, maxLines: Int, bold: Bool = false,
        oneLineDown: Double = 1
    ) -> Block {
        let text = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        func set(_ size: Double, hyphens: Bool, lines count: Int) -> Block {
            let lines = wrap(text, width: width / size, bold: bold, hyphens: hyphens, maxLines: count)
            return Block(lines: lines, size: size, widths: lines.map { Self.width($0, bold: bold) * size })
        }
        for hyphens in [false, true] {
            for count in 1...maxLines {
                let floor = count == maxLines ? smallest : max(smallest, largest * oneLineDown)
                var size = largest
                while true {
                    let block = set(size, hyphens: hyphens, lines: count)
                    if block.widths.allSatisfy({ $0 <= width }) { return block }
                    if size <= floor { break }
                    size = max(floor, size - largest / 20)
                }
            }
        }
        return set(smallest, hyphens: true, lines: maxLines)
    }

    /// Breaks a text into at most `maxLines` lines no wider than `width` at size 1 where it can:
    /// a word wider than the line has a line of its own, and the last line takes all the rest.
    static func wrap(_ text: String, width: Double, bold: Bool, hyphens: Bool, maxLines: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for piece in pieces(text, hyphens: hyphens) {
            let candidate = line.isEmpty ? piece.trimmingLeadingSpace : line + piece
            if !line.isEmpty, lines.count < maxLines - 1, Self.width(candidate, bold: bold) > width {
                lines.append(line.trimmingTrailingSpace)
                line = piece.trimmingLeadingSpace
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { lines.append(line.trimmingTrailingSpace) }
        return lines
    }

    /// The units a line may break between: words with the space before them, each ideograph,
    /// and with `hyphens`, the parts of a hyphenated word, the hyphen ending each but the last.
    static func pieces(_ text: String, hyphens: Bool) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            let wide = character.unicodeScalars.first.map(isWide) ?? false
            if character == " " || wide {
                if !current.isEmpty { pieces.append(current) }
                current = String(character)
                if wide {
                    pieces.append(current)
                    current = ""
                }
            } else {
                current.append(character)
                if hyphens, character == "-", current.trimmingLeadingSpace.count > 1 {
                    pieces.append(current)
                    current = ""
                }
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}

extension String {
    fileprivate var trimmingLeadingSpace: String { hasPrefix(" ") ? String(dropFirst()) : self }
    fileprivate var trimmingTrailingSpace: String { hasSuffix(" ") ? String(dropLast()) : self }
}
