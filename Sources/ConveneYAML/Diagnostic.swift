/// A place in a source file: 1-based line and column (columns count characters).
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file's path as the user gave it.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, in characters.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: Self, b: Self) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// A message about a place in a source file, printed like a compiler's.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad it is.
    public enum Severity: String, Sendable, Hashable {
        case error, warning, note
    }

    /// Where.
    public var location: SourceLocation
    /// How bad.
    public var severity: Severity
    /// What, in one sentence without a final full stop.
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: Severity = .error, at location: SourceLocation, _ message: String) {
        self.location = location
        self.severity = severity
        self.message = message
    }

    /// `file:line:column: error: message`.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }

    /// The diagnostic followed by the offending line and a caret under the column:
    ///
    /// ```
    /// workflows/x.yaml:12:7: error: unknown key 'whne' (did you mean 'when'?)
    ///    12 |     whne: state.replied
    ///       |     ^
    /// ```
    /// - Parameter source: the text of ``SourceLocation/file``, if at hand.
    /// - Returns: the rendered diagnostic, without a final newline.
    public func rendered(source: String?) -> String {
        guard let source, location.line >= 1 else { return description }
        let lines = source.lines()
        guard location.line <= lines.count else { return description }
        var text = lines[location.line - 1].printable()
        var caretOffset = max(0, min(location.column - 1, text.count))
        // A very long line (a minified file, a megabyte on one line) is shown around the caret.
        let width = Self.shownLineWidth
        if text.count > width {
            let start = max(0, min(caretOffset - width / 2, text.count - width))
            let window = text.dropFirst(start).prefix(width)
            let head = start > 0 ? "…" : "", tail = start + width < text.count ? "…" : ""
            caretOffset += head.count - start
            text = head + String(window) + tail
        }
        let number = String(location.line)
        let gutter = String(repeating: " ", count: number.count)
        return """
            \(description)
            \(number) | \(text)
            \(gutter) | \(String(repeating: " ", count: caretOffset))^
            """
    }
}

extension Diagnostic {
    /// The most characters of a source line shown under a diagnostic.
    static let shownLineWidth = 120
}

extension String {
    /// The lines of a text, ended by LF or CRLF; CRLF is one `Character`, which splitting on
    /// "\n" alone would not find, making a Windows file one long line.
    package func lines() -> [Substring] {
        split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }
}

extension Substring {
    /// Tabs become one space, so that the caret lines up with the column count, and other
    /// control characters (a NUL byte) their visible pictures, such as ␀.
    fileprivate func printable() -> String {
        String(self.map { c -> Character in
            if c == "\t" { return " " }
            guard let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return c }
            if scalar.value < 0x20 { return Character(Unicode.Scalar(0x2400 + scalar.value)!) }
            if scalar.value == 0x7F { return "\u{2421}" }
            return c
        })
    }
}

/// The candidate closest to a misspelt word, for "did you mean" hints.
/// - Parameters:
///   - word: what the user wrote.
///   - candidates: what would have been valid.
/// - Returns: the nearest candidate within an edit distance of about a third of its length, or `nil`.
public func closestMatch(to word: String, among candidates: some Sequence<String>) -> String? {
    var best: (String, Int)?
    let limit = max(2, word.count / 3)
    for candidate in candidates {
        let d = editDistance(word.lowercased(), candidate.lowercased())
        if d <= limit, best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
    }
    return best?.0
}

/// `" (did you mean 'x'?)"` when a close candidate exists, else the empty string.
public func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
    closestMatch(to: word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
}

/// Levenshtein distance, transpositions counting as one edit.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = Swift.min(current[j], previous2[j - 2] + 1)
            }
        }
        (previous2, previous, current) = (previous, current, previous2)
    }
    return previous[b.count]
}
