internal import ConveneYAML
internal import CSV

/// Where things are in a CSV text, for diagnostics: the line and column of a record's field.
///
/// The text is split into lines only when a diagnostic asks for a column, so that a good file
/// never pays for it.
struct CSVPlaces {
    private let body: String
    private let file: String
    private var lines: [Substring]?

    init(_ body: String, file: String) {
        self.body = body
        self.file = file
    }

    /// The place of field `field` (0-based) of the record starting on `line`.
    mutating func at(_ line: Int, _ field: Int) -> SourceLocation {
        if lines == nil { lines = body.split(separator: "\n", omittingEmptySubsequences: false) }
        let column = line - 1 < lines!.count ? RosterLoader.fieldColumn(in: lines![line - 1], index: field) : 1
        return SourceLocation(file: file, line: line, column: column)
    }

    /// Opens CSV text (a leading byte order mark skipped) at its header row.
    /// - Parameter what: the file's name in the error, such as "the roster".
    /// - Returns: the reader past the header, the header, and the text's places; `nil`, with an
    ///   error, when the text has no header row.
    static func open(_ text: String, file: String, what: String, diagnostics: inout Diagnostics)
        -> (reader: CSVReader, header: [String], places: CSVPlaces)?
    {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        guard let reader = try? CSVReader(string: body, hasHeaderRow: true), let header = reader.headerRow,
            !header.isEmpty, header != [""]
        else {
            diagnostics.error("\(what) has no header row", at: SourceLocation(file: file, line: 1, column: 1))
            return nil
        }
        return (reader, header, CSVPlaces(body, file: file))
    }

    /// How many lines a record takes: one, plus the line breaks inside its quoted fields.
    static func lineCount(of fields: [String]) -> Int {
        1 + fields.reduce(0) { $0 + $1.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
    }
}
