public import ConveneYAML
public import Foundation

/// Reads the bytes of a workflow or roster as text, refusing what is not UTF-8 text at the place
/// where it goes wrong, so that a file in another encoding or a binary file gets one clear error
/// rather than a parse error somewhere in its middle.
public enum SourceText {
    /// Why a file's bytes are not UTF-8 text, and where.
    public struct Failure: Error, Sendable {
        /// The error to report.
        public var diagnostic: Diagnostic
    }

    /// Decodes a file's bytes as UTF-8 text; a leading byte order mark is kept, for the readers
    /// that skip it.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - file: the path to report in locations.
    ///   - what: the file in messages, such as "the roster file".
    /// - Returns: the text.
    /// - Throws: ``Failure`` saying why it is not UTF-8 text: UTF-16 (by its byte order mark or
    ///   its zero bytes), a NUL or other control byte at its line and column, or a byte that is
    ///   not UTF-8, where text in Latin-1 or Windows-1252 fails.
    public static func decode(_ data: Data, file: String, what: String) throws(Failure) -> String {
        let bytes = [UInt8](data)
        func failure(_ message: String, at offset: Int) -> Failure {
            Failure(diagnostic: Diagnostic(.error, at: location(of: offset, in: bytes, file: file), message))
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || looksLikeUTF16(bytes) {
            throw failure("\(what) is UTF-16 text, not UTF-8: save it as UTF-8", at: 0)
        }
        var offset = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte < 0x80 {
                if byte == 0 {
                    throw failure("\(what) holds a NUL byte, which text never holds (is it a binary file?)", at: offset)
                }
                if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D || byte == 0x7F {
                    throw failure("\(what) holds the control character U+\(hex(byte, width: 4))", at: offset)
                }
                offset += 1
                continue
            }
            let length = sequenceLength(bytes, at: offset)
            if length == 0 {
                throw failure(
                    "\(what) is not UTF-8 text: byte 0x\(hex(byte, width: 2)) (Latin-1 or Windows-1252 text? save it as UTF-8)",
                    at: offset)
            }
            offset += length
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether text starts like UTF-16 without a byte order mark: zero bytes in every other place
    /// of its first characters, which ASCII text in UTF-16 has.
    private static func looksLikeUTF16(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(64)
        guard head.count >= 4 else { return false }
        let even = stride(from: 0, to: head.count - 1, by: 2).filter { head[$0] == 0 }.count
        let odd = stride(from: 1, to: head.count, by: 2).filter { head[$0] == 0 }.count
        let pairs = head.count / 2
        return (even == pairs && odd == 0) || (odd == pairs && even == 0)
    }

    /// The length of the well-formed UTF-8 sequence starting at a byte of 0x80 or more, or 0.
    private static func sequenceLength(_ bytes: [UInt8], at offset: Int) -> Int {
        let first = bytes[offset]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch first {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return 0
        }
        guard offset + length <= bytes.count else { return 0 }
        for i in 1..<length {
            let b = bytes[offset + i]
            if i == 1 ? !(low...high).contains(b) : !(0x80...0xBF).contains(b) { return 0 }
        }
        return length
    }

    /// The line and column (in characters) of a byte.
    private static func location(of offset: Int, in bytes: [UInt8], file: String) -> SourceLocation {
        var line = 1, lineStart = 0
        for i in 0..<offset where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        let before = String(decoding: bytes[lineStart..<offset], as: UTF8.self)
        let column = before.count + (line == 1 && before.hasPrefix("\u{FEFF}") ? 0 : 1)
        return SourceLocation(file: file, line: line, column: column)
    }

    private static func hex(_ byte: UInt8, width: Int) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
