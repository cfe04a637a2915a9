internal import ConveneYAML

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
        if lines == nil { lines = body.lines() }
        let column = line - 1 < lines!.count ? RosterLoader.fieldColumn(in: lines![line - 1], index: field) : 1
        return SourceLocation(file: file, line: line, column: column)
    }

    /// Opens CSV text (a leading byte order mark skipped) at its header row.
    /// - Parameter what: the file's name in the error, such as "the roster".
    /// - Returns: the reader past the header, the header, and the text's places; `nil`, with an
    ///   error, when the text has no header row or a malformed one.
    static func open(_ text: String, file: String, what: String, diagnostics: inout Diagnostics)
        -> (reader: CSVRecords, header: [String], places: CSVPlaces)?
    {
        var reader = CSVRecords(text)
        let header: [String]
        do {
            guard let first = try reader.next(), first.fields != [""] else {
                diagnostics.error("\(what) has no header row", at: SourceLocation(file: file, line: 1, column: 1))
                return nil
            }
            header = first.fields
        } catch {
            diagnostics.error(error.message, at: SourceLocation(file: file, line: error.line, column: error.column))
            return nil
        }
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        return (reader, header, CSVPlaces(body, file: file))
    }

    /// The next record of a reader, with the line it starts on; `nil` at the end, or after a
    /// malformed record, which is reported (what follows it cannot be read reliably).
    static func next(_ reader: inout CSVRecords, file: String, diagnostics: inout Diagnostics) -> (fields: [String], line: Int)? {
        do {
            return try reader.next()
        } catch {
            diagnostics.error(error.message, at: SourceLocation(file: file, line: error.line, column: error.column))
            return nil
        }
    }
}
