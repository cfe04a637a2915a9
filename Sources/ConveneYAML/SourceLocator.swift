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
        // At the end of a text without a final line break, libyaml moves its mark to column 0 of
        // a line after the last; what it reports there (a missing `]`, an empty value) is shown
        // just after the last character instead, on a line the text has.
        if column == 0, let end = endOfText, line > end.line {
            return SourceLocation(file: file, line: end.line + 1, column: end.column + 1)
        }
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

    /// The 0-based line and character column just past the last character, or `nil` when the
    /// text ends with a line break; found on first use, since only a mark at column 0 needs it.
    private lazy var endOfText: (line: Int, column: Int)? = {
        var text = self.text
        return text.withUTF8 { bytes -> (line: Int, column: Int)? in
            let (line, start) =
                self.lines.isEmpty ? Self.lastLine(ofASCII: bytes) : (self.lines.count - 1, self.lines[self.lines.count - 1].start)
            guard start < bytes.count else { return nil }
            return (line, String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self).count)
        }
    }()

    /// The 0-based number and the first byte of an ASCII text's last line.
    private static func lastLine(ofASCII bytes: UnsafeBufferPointer<UInt8>) -> (number: Int, start: Int) {
        var number = 0
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            // CR LF is one break, counted at its LF.
            if byte == UInt8(ascii: "\r"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { continue }
            number += 1
            start = i + 1
        }
        return (number, start)
    }

    /// The location of a byte offset into the UTF-8 text (libyaml's reader errors give these),
    /// with lines counted as libyaml counts them for its marks.
    func location(byteOffset: Int) -> SourceLocation {
        // Reader errors are rare, so an ASCII text's line table is built only for one.
        let table = lines.isEmpty ? Self.lines(of: text) : lines
        var text = text
        let (line, column) = text.withUTF8 { bytes -> (Int, Int) in
            var target = min(max(0, byteOffset), bytes.count)
            while target > 0, target < bytes.count, bytes[target] & 0xC0 == 0x80 { target -= 1 }
            // The last line that starts at or before the offset.
            var low = 0
            var high = table.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if table[middle].start <= target { low = middle } else { high = middle - 1 }
            }
            let start = min(table[low].start, target)
            let scalars = bytes[start..<target].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            return (low, scalars)
        }
        return location(line: line, column: column)
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
