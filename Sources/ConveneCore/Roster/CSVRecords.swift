/// Reads the records of CSV text (RFC 4180): fields separated by commas, records by CRLF or LF,
/// quoted fields with `""` for a quote and line breaks inside, a leading byte order mark skipped.
///
/// It works on the text's UTF-8 bytes and makes each field a string of its exact size, and it
/// reports a malformed record (a quote left open, text after a closing quote) at its line and
/// column rather than reading the rest of the file wrongly.
struct CSVRecords {
    /// A record that breaks the format.
    struct SyntaxError: Error {
        /// Where, 1-based; the column counts characters.
        var line: Int, column: Int
        var message: String
    }

    private let bytes: [UInt8]
    private var offset: Int
    /// The line the next record starts on.
    private(set) var line = 1

    init(_ text: String) {
        bytes = Array(text.utf8)
        offset = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The next record and the line it starts on; `nil` at the end of the text. A blank line is
    /// a record of one empty field.
    mutating func next() throws(SyntaxError) -> (fields: [String], line: Int)? {
        guard offset < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        var lineStart = offset  // where the current line starts, for columns
        while true {
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") {
                let (quoteLine, quoteOffset, quoteLineStart) = (line, offset, lineStart)  // the column is counted only for an error
                offset += 1
                var field: [UInt8] = []
                while true {
                    guard offset < bytes.count else {
                        throw SyntaxError(line: quoteLine, column: column(of: quoteOffset, lineStart: quoteLineStart), message: "this quoted field is never closed")
                    }
                    let byte = bytes[offset]
                    offset += 1
                    if byte == UInt8(ascii: "\"") {
                        if offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") {
                            field.append(byte)
                            offset += 1
                            continue
                        }
                        break
                    }
                    if byte == 0x0A {
                        line += 1
                        lineStart = offset
                    }
                    field.append(byte)
                }
                fields.append(String(decoding: field, as: UTF8.self))
                if offset < bytes.count, bytes[offset] != UInt8(ascii: ","), bytes[offset] != 0x0A,
                    !(bytes[offset] == 0x0D && (offset + 1 == bytes.count || bytes[offset + 1] == 0x0A))
                {
                    throw SyntaxError(
                        line: line, column: column(of: offset, lineStart: lineStart),
                        message: "a quoted field must end at its closing quote (a quote inside is written \"\")")
                }
            } else {
                let from = offset
                while offset < bytes.count, bytes[offset] != UInt8(ascii: ","), bytes[offset] != 0x0A {
                    if bytes[offset] == UInt8(ascii: "\"") {
                        throw SyntaxError(
                            line: line, column: column(of: offset, lineStart: lineStart),
                            message: "a quote inside an unquoted field (quote the whole field and write the quote \"\")")
                    }
                    offset += 1
                }
                var to = offset
                if to > from, bytes[to - 1] == 0x0D, to == bytes.count || bytes[to] == 0x0A { to -= 1 }
                fields.append(bytes.withUnsafeBufferPointer { String(decoding: $0[from..<to], as: UTF8.self) })
            }
            // After a field: a comma (another field follows), or the end of the record.
            if offset < bytes.count, bytes[offset] == UInt8(ascii: ",") {
                offset += 1
                continue
            }
            if offset < bytes.count, bytes[offset] == 0x0D { offset += 1 }
            if offset < bytes.count, bytes[offset] == 0x0A {
                offset += 1
                line += 1
            }
            return (fields, start)
        }
    }

    /// The 1-based column, in characters, of a byte on a line.
    private func column(of position: Int, lineStart: Int) -> Int {
        String(decoding: bytes[lineStart..<position], as: UTF8.self).count + 1
    }
}
