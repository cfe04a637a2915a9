/// Turns libyaml's marks (0-based line, column in Unicode scalars) into ``SourceLocation``s
/// (1-based line, column in Characters, as ``Diagnostic/rendered(source:)`` counts them).
///
/// For an ASCII text the two columns agree, so the common case costs nothing; otherwise the line
/// starts are found once, the way libyaml counts lines, and the column is recounted in Characters.
final class SourceLocator {
    let file: String
    private let text: String
    private let isASCII: Bool
    /// Where each line starts, by libyaml's line breaks; built on first use for a non-ASCII text.
    private lazy var lineStarts: [String.Index] = Self.lineStarts(of: text)

    init(file: String, text: String, isASCII: Bool) {
        self.file = file
        self.text = text
        self.isASCII = isASCII
    }

    /// The location of a libyaml mark given as 0-based line and scalar column.
    func location(line: Int, column: Int) -> SourceLocation {
        if isASCII { return SourceLocation(file: file, line: line + 1, column: column + 1) }
        let starts = lineStarts
        guard line < starts.count else { return SourceLocation(file: file, line: line + 1, column: column + 1) }
        let scalars = text.unicodeScalars
        let start = starts[line]
        let end = scalars.index(start, offsetBy: column, limitedBy: scalars.endIndex) ?? scalars.endIndex
        let prefix = text.utf8[start..<end]
        if prefix.allSatisfy({ $0 < 0x80 }) { return SourceLocation(file: file, line: line + 1, column: column + 1) }
        return SourceLocation(file: file, line: line + 1, column: text[start..<end].count + 1)
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

    /// Line starts as libyaml sees them: a line ends at CR LF, CR, LF, NEL, LS or PS, and a
    /// leading byte-order mark is not part of the first line.
    private static func lineStarts(of text: String) -> [String.Index] {
        let scalars = text.unicodeScalars
        var starts: [String.Index] = []
        var index = scalars.startIndex
        if index < scalars.endIndex, scalars[index] == "\u{FEFF}" { index = scalars.index(after: index) }
        starts.append(index)
        while index < scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            switch scalar {
            case "\r":
                if index < scalars.endIndex, scalars[index] == "\n" { index = scalars.index(after: index) }
                starts.append(index)
            case "\n", "\u{85}", "\u{2028}", "\u{2029}":
                starts.append(index)
            default:
                break
            }
        }
        return starts
    }
}
