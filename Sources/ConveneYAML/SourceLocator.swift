/// Turns libyaml's marks (0-based line, column in Unicode scalars) into ``SourceLocation``s
/// (1-based line, column in Characters, as ``Diagnostic/rendered(source:)`` counts them).
///
/// The two columns agree on a line of ASCII and Latin letters (every scalar below U+0300, where
/// the combining marks start), so the common case costs nothing. For a line with other
/// characters the scalar-to-character table is built on first use and kept for the next marks,
/// which arrive in source order.
final class SourceLocator {
    /// How a line's scalar columns relate to its character columns.
    private enum LineKind {
        /// Every scalar is its own character.
        case simple
        /// Some scalars may join into one character (combining marks, emoji sequences, ...).
        case complex
    }

    let file: String
    private let text: String
    /// Each line's first byte and kind, by libyaml's line breaks; empty for an ASCII text.
    private let lines: [(start: Int, kind: LineKind)]
    /// The last complex line asked about, with the character column of each scalar column.
    private var cachedLine: (number: Int, characterColumns: [Int])?

    init(file: String, text: String, isASCII: Bool) {
        self.file = file
        self.text = text
        self.lines = isASCII ? [] : Self.lines(of: text)
    }

    /// The location of a libyaml mark given as 0-based line and scalar column.
    func location(line: Int, column: Int) -> SourceLocation {
        guard line < lines.count, case .complex = lines[line].kind else {
            return SourceLocation(file: file, line: line + 1, column: column + 1)
        }
        if cachedLine?.number != line {
            cachedLine = (line, characterColumns(ofLine: line))
        }
        let table = cachedLine?.characterColumns ?? []
        // A mark past the end of the line (its break) counts one column per scalar beyond.
        let characterColumn = column < table.count ? table[column] : (table.last ?? -1) + 1 + column - table.count
        return SourceLocation(file: file, line: line + 1, column: characterColumn + 1)
    }

    /// The location of a byte offset into the UTF-8 text (libyaml's reader errors give these).
    func location(byteOffset: Int) -> SourceLocation {
        let utf8 = text.utf8
        let target = utf8.index(utf8.startIndex, offsetBy: min(max(0, byteOffset), utf8.count))
        var line = 1
        var lineStart = utf8.startIndex
        var index = utf8.startIndex
        while index < target {
            if utf8[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        return SourceLocation(file: file, line: line, column: text[lineStart..<target].count + 1)
    }

    /// For each Unicode scalar of a line, the 0-based column of the Character it belongs to.
    private func characterColumns(ofLine line: Int) -> [Int] {
        let end = line + 1 < lines.count ? lines[line + 1].start : text.utf8.count
        var text = text
        // A fresh string of the line's bytes: slicing the text at byte offsets would make Swift
        // look for character boundaries backwards from each, which is slow.
        let lineText = text.withUTF8 { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[lines[line].start..<end]), as: UTF8.self)
        }
        var table: [Int] = []
        for (column, character) in lineText.enumerated() {
            table.append(contentsOf: repeatElement(column, count: character.unicodeScalars.count))
        }
        return table
    }

    /// Line starts as libyaml sees them: a line ends at CR LF, CR, LF, NEL, LS or PS, and a
    /// leading byte-order mark is not part of the first line. A line is simple when all its
    /// bytes are below 0xCC, the first lead byte of U+0300 (combining diacritical marks).
    private static func lines(of text: String) -> [(start: Int, kind: LineKind)] {
        var text = text
        return text.withUTF8 { bytes in
            var lines: [(start: Int, kind: LineKind)] = []
            var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            var simple = true
            var i = start
            func breakLine(after end: Int) {
                lines.append((start, simple ? .simple : .complex))
                start = end
                simple = true
                i = end
            }
            while i < bytes.count {
                let byte = bytes[i]
                if byte < 0x80 {
                    if byte == UInt8(ascii: "\n") {
                        breakLine(after: i + 1)
                    } else if byte == UInt8(ascii: "\r") {
                        breakLine(after: i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") ? i + 2 : i + 1)
                    } else {
                        i += 1
                    }
                    continue
                }
                if byte >= 0xCC { simple = false }
                if byte == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0x85 {
                    breakLine(after: i + 2)
                } else if byte == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80,
                    bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9
                {
                    breakLine(after: i + 3)
                } else {
                    i += 1
                }
            }
            lines.append((start, simple ? .simple : .complex))
            return lines
        }
    }
}
