public import ConveneKit
public import Foundation

/// What the mail channel adds to a step's ``OutgoingMessage`` to make it a letter: the sender,
/// the message's identity and the date it is sent.
public struct MailEnvelope: Sendable, Hashable {
    /// The sender (`From`), also the `ORGANIZER` of attached calendar entries.
    public var from: Mailbox
    /// The `Message-ID`, without angle brackets (see ``MessageID/make(idempotencyKey:domain:)``).
    /// It also seeds the MIME boundaries, so one id always renders to the same bytes.
    public var messageID: String
    /// The `Date` header, and the `DTSTAMP` of attached calendar entries.
    public var date: Date

    /// Creates an envelope.
    /// - Parameters:
    ///   - from: The sender.
    ///   - messageID: The message id, without angle brackets.
    ///   - date: When the message is sent.
    public init(from: Mailbox, messageID: String, date: Date) {
        self.from = from
        self.messageID = messageID
        self.date = date
    }
}

/// Renders an ``OutgoingMessage`` as an Internet message (RFC 5322 with MIME), the bytes of an
/// `.eml` file or of an SMTP `DATA` payload.
///
/// The output is 7-bit ASCII with CRLF line endings (unless an address itself is not ASCII):
/// non-ASCII display names and subjects become RFC 2047 encoded-words, bodies are
/// quoted-printable or base64, whichever is shorter. Header lines are folded at 76 characters,
/// body lines never exceed 76. The structure is
///
/// - `text/plain` alone;
/// - `multipart/alternative` (text, then HTML) when the message has HTML;
/// - `multipart/mixed` (the above, then a `text/calendar; method=PUBLISH` attachment
///   `event.ics`) when it has calendar entries.
///
/// Rendering is deterministic: MIME boundaries derive from the message id, so the same message
/// and envelope always give the same bytes.
public enum MailRenderer {
    /// Renders a message.
    /// - Parameters:
    ///   - message: What a step asked to send.
    ///   - envelope: Sender, message id and date.
    /// - Returns: The message's bytes, CRLF line endings, ending with CRLF.
    public static func render(_ message: OutgoingMessage, envelope: MailEnvelope) -> [UInt8] {
        let messageID = MessageID.sanitized(envelope.messageID)
        var headers = [
            "Date: " + CivilTime(envelope.date).rfc5322,
            header("From", addressList([envelope.from])),
            header("To", message.to.isEmpty ? [.atom("undisclosed-recipients:;")] : addressList(message.to)),
        ]
        if !message.cc.isEmpty {
            headers.append(header("Cc", addressList(message.cc)))
        }
        if let replyTo = message.replyTo {
            headers.append(header("Reply-To", addressList([replyTo])))
        }
        headers.append(header("Subject", unstructured(message.subject)))
        headers.append(header("Message-ID", [.atom("<\(messageID)>")], limit: 78))
        headers.append("MIME-Version: 1.0")
        if let language = languageTag(message.language) {
            headers.append("Content-Language: \(language)")
        }
        let body = bodyPart(of: message, envelope: envelope, seed: messageID)
        headers += body.headers
        let text = headers.joined(separator: "\r\n") + "\r\n\r\n" + body.content + "\r\n"
        return Array(text.utf8)
    }
}

/// Makes `Message-ID` values from idempotency keys.
public enum MessageID {
    /// Makes a message id (without angle brackets) that is a function of the key: the same key
    /// always gives the same id, so a message re-sent after a crash is recognisably the same
    /// message, and distinct keys give distinct ids.
    ///
    /// The id is `prefix.digest@domain`: a readable prefix made of the key's ASCII letters,
    /// digits, `-` and `_` (every other run of characters becomes one `.`), then the 128-bit
    /// FNV-1a digest of the key's UTF-8 in lowercase base32 (26 characters), which is what
    /// makes it unique. It matches RFC 5322 `msg-id` (`dot-atom-text "@" dot-atom-text`). The
    /// prefix is shortened, keeping its first segment and as many of its last ones as fit, so
    /// that the id stays within 64 characters for domains of up to 28, and
    /// `Message-ID: <…>` within RFC 5322's 78.
    /// - Parameters:
    ///   - idempotencyKey: The effect's idempotency key, any characters.
    ///   - domain: The right-hand side, usually the sending domain; characters a domain
    ///     cannot hold become `-`, and an empty domain becomes `convene.invalid`.
    /// - Returns: The id, without `<` and `>`.
    public static func make(idempotencyKey: String, domain: String) -> String {
        let domain = sanitizedDomain(domain)
        let prefixLength = max(8, min(40, 36 - domain.utf8.count))
        let digest = base32(fnv1a128(idempotencyKey))
        return "\(readablePrefix(idempotencyKey, maximumLength: prefixLength)).\(digest)@\(domain)"
    }

    /// The 128-bit FNV-1a digest of a string's UTF-8, as 32 lowercase hex digits.
    static func digest(_ text: String) -> String {
        let (high, low) = fnv1a128(text)
        return hex(high) + hex(low)
    }

    /// The 128-bit FNV-1a digest of a string's UTF-8, as high and low halves.
    static func fnv1a128(_ text: String) -> (high: UInt64, low: UInt64) {
        // FNV-1a 128: offset basis and prime from the FNV reference; the prime is 2^88 + 0x13B.
        var high: UInt64 = 0x6c62_272e_07bb_0142
        var low: UInt64 = 0x62b8_2175_6295_c58d
        let primeHigh: UInt64 = 1 << 24
        let primeLow: UInt64 = 0x13B
        for byte in text.utf8 {
            low ^= UInt64(byte)
            let product = low.multipliedFullWidth(by: primeLow)
            high = product.high &+ high &* primeLow &+ low &* primeHigh
            low = product.low
        }
        return (high, low)
    }

    /// 128 bits in RFC 4648 base32, lowercase and unpadded: 26 characters.
    static func base32(_ value: (high: UInt64, low: UInt64)) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)
        var characters: [UInt8] = []
        for index in 0..<26 {
            // Bits [5·index, 5·index + 5) from the most significant end, zero-padded past 128.
            let shift = 128 - 5 * (index + 1)
            let chunk: UInt64 = if shift >= 64 {
                value.high >> UInt64(shift - 64)
            } else if shift >= 0 {
                value.high << UInt64(64 - shift) | value.low >> UInt64(shift)
            } else {
                value.low << UInt64(-shift)
            }
            characters.append(alphabet[Int(chunk & 0x1F)])
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// A message id as given, stripped of angle brackets, white space and control characters.
    static func sanitized(_ id: String) -> String {
        var result = ""
        result.unicodeScalars.append(contentsOf: id.unicodeScalars.filter { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F && scalar != "<" && scalar != ">"
                && !scalar.properties.isWhitespace
        })
        return result.isEmpty ? make(idempotencyKey: "", domain: "") : result
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func readablePrefix(_ key: String, maximumLength: Int) -> String {
        var prefix = ""
        for scalar in key.unicodeScalars {
            if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-"
                || scalar == "_") {
                prefix.unicodeScalars.append(scalar)
            } else if !prefix.isEmpty && !prefix.hasSuffix(".") {
                prefix += "."
            }
        }
        while prefix.hasSuffix(".") { prefix.removeLast() }
        if prefix.isEmpty { return "convene" }
        guard prefix.utf8.count > maximumLength else { return prefix }
        // Keep the first segment (the workflow) and the last ones (step, occurrence, delegation).
        let segments = prefix.split(separator: ".")
        var shortened = String(segments[0].prefix(maximumLength))
        var tail: [Substring] = []
        var tailLength = 0
        for segment in segments.dropFirst().reversed() {
            guard shortened.utf8.count + tailLength + 1 + segment.utf8.count <= maximumLength else { break }
            tail.insert(segment, at: 0)
            tailLength += 1 + segment.utf8.count
        }
        for segment in tail { shortened += "." + segment }
        return shortened
    }

    private static func sanitizedDomain(_ domain: String) -> String {
        var result = ""
        for scalar in domain.unicodeScalars {
            if scalar == "." {
                if !result.isEmpty && !result.hasSuffix(".") { result += "." }
            } else if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-") {
                result.unicodeScalars.append(scalar)
            } else {
                result += "-"
            }
        }
        while result.hasSuffix(".") { result.removeLast() }
        return result.isEmpty ? "convene.invalid" : result
    }
}

// MARK: - Body

extension MailRenderer {
    /// A MIME entity: its header lines (already folded, no trailing CRLF) and its encoded
    /// content (no trailing CRLF: the container adds the one that ends it).
    struct Part {
        var headers: [String]
        var content: String
    }

    static func bodyPart(of message: OutgoingMessage, envelope: MailEnvelope, seed: String) -> Part {
        var part = textPart(message.text, subtype: "plain")
        if let html = message.html {
            part = multipart("alternative", [part, textPart(html, subtype: "html")], seed: seed)
        }
        if !message.calendar.isEmpty {
            let calendar = ICalendar.render(message.calendar, stamp: envelope.date, organizer: envelope.from)
            let attachment = Part(
                headers: [
                    header("Content-Type", [
                        .atom("text/calendar;"), .atom("charset=utf-8;"), .atom("method=PUBLISH;"),
                        .atom("name=\"event.ics\""),
                    ]),
                    "Content-Disposition: attachment; filename=\"event.ics\"",
                    "Content-Transfer-Encoding: base64",
                ],
                content: Base64.encode(Array(calendar.utf8), lineLength: 76)
            )
            part = multipart("mixed", [part, attachment], seed: seed)
        }
        return part
    }

    /// A UTF-8 text part in canonical form (CRLF line breaks), quoted-printable unless base64 is
    /// shorter (as it is for scripts that are mostly multi-byte: Arabic, Chinese, Russian).
    static func textPart(_ text: String, subtype: String) -> Part {
        let lines = canonicalLines(text)
        let quoted = QuotedPrintable.encode(lines: lines)
        let canonical = Array(lines.joined(separator: [0x0D, 0x0A]))
        let base64Length = (canonical.count + 2) / 3 * 4
        let useQuoted = quoted.utf8.count <= base64Length + base64Length / 76 * 2
        return Part(
            headers: [
                "Content-Type: text/\(subtype); charset=utf-8",
                "Content-Transfer-Encoding: " + (useQuoted ? "quoted-printable" : "base64"),
            ],
            content: useQuoted ? quoted : Base64.encode(canonical, lineLength: 76)
        )
    }

    /// A multipart entity whose boundary derives from `seed`, so it is deterministic; it starts
    /// with `=_`, which neither quoted-printable nor base64 can produce, and is checked anyway.
    static func multipart(_ subtype: String, _ parts: [Part], seed: String) -> Part {
        var attempt = 0
        var boundary: String
        repeat {
            let salt = attempt == 0 ? "" : "/\(attempt)"
            boundary = "=_convene_\(subtype.prefix(3))_" + MessageID.digest("\(seed)/\(subtype)\(salt)")
            attempt += 1
        } while parts.contains(where: { part in
            part.content.contains(boundary) || part.headers.contains { $0.contains(boundary) }
        })
        var content = ""
        for part in parts {
            content += "--\(boundary)\r\n" + part.headers.joined(separator: "\r\n") + "\r\n\r\n" + part.content + "\r\n"
        }
        content += "--\(boundary)--"
        return Part(
            headers: [header("Content-Type", [.atom("multipart/\(subtype);"), .atom("boundary=\"\(boundary)\"")])],
            content: content
        )
    }

    /// A text's lines as UTF-8, split at CRLF, CR or LF.
    static func canonicalLines(_ text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        var previousWasCR = false
        for byte in text.utf8 {
            if byte == 0x0A && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                lines.append(line)
                line = []
            } else {
                line.append(byte)
            }
        }
        lines.append(line)
        return lines
    }

    /// Quoted-printable (RFC 2045 §6.7).
    enum QuotedPrintable {
        /// Encodes lines of bytes; the result's lines are joined by CRLF and are at most 76
        /// characters, soft line breaks included. A UTF-8 sequence is never split across lines,
        /// so the encoded text stays legible.
        static func encode(lines: [[UInt8]]) -> String {
            lines.flatMap(encode(line:)).joined(separator: "\r\n")
        }

        static func encode(line: [UInt8]) -> [String] {
            var units: [String] = []
            var index = 0
            while index < line.count {
                let length = sequenceLength(line, at: index)
                var unit = ""
                for position in index..<(index + length) {
                    unit += encode(byte: line[position], atEndOfLine: position == line.count - 1)
                }
                units.append(unit)
                index += length
            }
            var physical: [String] = []
            var current = ""
            for (position, unit) in units.enumerated() {
                // Room for the `=` of a soft line break, unless nothing follows on this line.
                let limit = position == units.count - 1 ? 76 : 75
                if current.utf8.count + unit.utf8.count > limit {
                    physical.append(current + "=")
                    current = unit
                } else {
                    current += unit
                }
            }
            physical.append(current)
            return physical
        }

        private static func encode(byte: UInt8, atEndOfLine: Bool) -> String {
            switch byte {
            case 0x21...0x3C, 0x3E...0x7E:
                return String(UnicodeScalar(byte))
            case 0x20 where !atEndOfLine, 0x09 where !atEndOfLine:
                return String(UnicodeScalar(byte))
            default:
                return "=" + hexByte(byte)
            }
        }

        /// The length of the UTF-8 sequence starting at `index`, or 1 if it is not one.
        private static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
            let lead = bytes[index]
            let length = switch lead {
            case 0xC2...0xDF: 2
            case 0xE0...0xEF: 3
            case 0xF0...0xF4: 4
            default: 1
            }
            guard index + length <= bytes.count else { return 1 }
            for position in (index + 1)..<(index + length) where bytes[position] & 0xC0 != 0x80 {
                return 1
            }
            return length
        }
    }

    /// Base64 (RFC 4648), written here so the output does not depend on a Foundation
    /// implementation's line-wrapping options.
    enum Base64 {
        private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

        /// Encodes bytes, in lines of `lineLength` characters joined by CRLF (one line if nil).
        static func encode(_ bytes: [UInt8], lineLength: Int? = nil) -> String {
            var output: [UInt8] = []
            output.reserveCapacity((bytes.count + 2) / 3 * 4)
            var index = 0
            while index < bytes.count {
                let remaining = bytes.count - index
                let b0 = bytes[index]
                let b1 = remaining > 1 ? bytes[index + 1] : 0
                let b2 = remaining > 2 ? bytes[index + 2] : 0
                output.append(alphabet[Int(b0 >> 2)])
                output.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
                output.append(remaining > 1 ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
                output.append(remaining > 2 ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
                index += 3
            }
            guard let lineLength, output.count > lineLength else {
                return String(decoding: output, as: UTF8.self)
            }
            var wrapped: [UInt8] = []
            for start in stride(from: 0, to: output.count, by: lineLength) {
                if start > 0 { wrapped += [0x0D, 0x0A] }
                wrapped += output[start..<min(start + lineLength, output.count)]
            }
            return String(decoding: wrapped, as: UTF8.self)
        }
    }

    static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
    }
}

// MARK: - Headers

extension MailRenderer {
    /// The longest header line we write: RFC 2047 caps lines holding encoded-words at 76.
    static let headerLineLimit = 76

    /// A piece of a header field body, joined to the next by one space (where a fold may go).
    enum HeaderPiece: Equatable {
        /// Written as is, never split.
        case atom(String)
        /// Non-ASCII or otherwise unsafe text, written as RFC 2047 encoded-words.
        case encoded(String)
    }

    /// A header field, folded at `limit` where its pieces allow.
    static func header(_ name: String, _ pieces: [HeaderPiece], limit: Int = headerLineLimit) -> String {
        var lines: [String] = []
        var line = name + ":"
        var lineHasToken = false
        func put(_ token: String) {
            // Fold before a token that does not fit, even the first one if it fits on a line
            // of its own (RFC 5322 allows folding white space right after the colon).
            let fits = line.utf8.count + 1 + token.utf8.count <= limit
            if !fits && (lineHasToken || 1 + token.utf8.count <= limit) {
                lines.append(line)
                line = " " + token
            } else {
                line += " " + token
            }
            lineHasToken = true
        }
        for piece in pieces {
            switch piece {
            case .atom(let atom):
                put(atom)
            case .encoded(let text):
                let scheme = EncodedWord.Scheme.best(for: Array(text.utf8))
                var units = EncodedWord.units(of: text)[...]
                while let first = units.first {
                    var available = limit - line.utf8.count - 1
                    if lineHasToken && available < EncodedWord.overhead + scheme.length(of: first) {
                        lines.append(line)
                        line = ""
                        lineHasToken = false
                        available = limit - 1
                    }
                    let maximum = min(EncodedWord.maximumLength, available)
                    var bytes: [UInt8] = []
                    var taken = 0
                    for unit in units {
                        if taken > 0 && EncodedWord.overhead + scheme.length(of: bytes + unit) > maximum { break }
                        bytes += unit
                        taken += 1
                    }
                    units = units.dropFirst(taken)
                    put(EncodedWord.make(bytes, scheme: scheme))
                }
            }
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    /// RFC 2047 encoded-words, `=?UTF-8?Q?…?=` or `=?UTF-8?B?…?=`.
    enum EncodedWord {
        /// The length of `=?UTF-8?Q?` and `?=`.
        static let overhead = 12
        /// RFC 2047 §2: an encoded-word is at most 75 characters.
        static let maximumLength = 75

        enum Scheme {
            case q, b

            /// Q, which stays legible, unless B is shorter by 5 or more (Python's `email` rule):
            /// Q for mostly-Latin text, B for Arabic, Chinese, Cyrillic.
            static func best(for bytes: [UInt8]) -> Scheme {
                Scheme.q.length(of: bytes) - Scheme.b.length(of: bytes) < 5 ? .q : .b
            }

            func length(of bytes: [UInt8]) -> Int {
                switch self {
                case .q: bytes.reduce(0) { $0 + (EncodedWord.isQSafe($1) || $1 == 0x20 ? 1 : 3) }
                case .b: (bytes.count + 2) / 3 * 4
                }
            }
        }

        /// The text cut where an encoded-word may end: between characters (grapheme clusters),
        /// or between scalars of a cluster too long for one word; never inside a UTF-8 sequence.
        static func units(of text: String) -> [[UInt8]] {
            var units: [[UInt8]] = []
            for character in text {
                let bytes = Array(String(character).utf8)
                if bytes.count <= 16 {
                    units.append(bytes)
                } else {
                    units += character.unicodeScalars.map { Array(String($0).utf8) }
                }
            }
            return units
        }

        static func make(_ bytes: [UInt8], scheme: Scheme) -> String {
            switch scheme {
            case .b:
                return "=?UTF-8?B?" + Base64.encode(bytes) + "?="
            case .q:
                var text = "=?UTF-8?Q?"
                for byte in bytes {
                    if byte == 0x20 {
                        text += "_"
                    } else if isQSafe(byte) {
                        text.unicodeScalars.append(UnicodeScalar(byte))
                    } else {
                        text += "=" + hexByte(byte)
                    }
                }
                return text + "?="
            }
        }

        /// The characters RFC 2047 §5(3) lets a Q encoded-word carry literally even in a phrase,
        /// so one rule serves both `Subject` and display names.
        static func isQSafe(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "*"),
                UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"):
                true
            default:
                false
            }
        }
    }

    /// Pieces of an unstructured field (`Subject`): plain words when the text is simple
    /// printable ASCII, otherwise encoded-words (which keep every space exactly).
    static func unstructured(_ text: String) -> [HeaderPiece] {
        let text = headerSafe(text)
        if text.isEmpty { return [] }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        let plain = text.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }
            && !text.contains("=?")
            && words.allSatisfy { !$0.isEmpty && $0.utf8.count <= 60 }
        return plain ? words.map { .atom(String($0)) } : [.encoded(text)]
    }

    /// Pieces of an address list, mailboxes separated by commas.
    static func addressList(_ mailboxes: [Mailbox]) -> [HeaderPiece] {
        var pieces: [HeaderPiece] = []
        for (index, mailbox) in mailboxes.enumerated() {
            var mailboxPieces = self.mailboxPieces(mailbox)
            if index < mailboxes.count - 1, case .atom(let address) = mailboxPieces[mailboxPieces.count - 1] {
                mailboxPieces[mailboxPieces.count - 1] = .atom(address + ",")
            }
            pieces += mailboxPieces
        }
        return pieces
    }

    /// `Name <address>`, `"Name, with specials" <address>`, encoded-words `<address>`, or the
    /// bare address when there is no name.
    static func mailboxPieces(_ mailbox: Mailbox) -> [HeaderPiece] {
        let address = addressSpec(mailbox.email)
        let name = headerSafe(mailbox.name ?? "").split(separator: " ").joined(separator: " ")
        if name.isEmpty { return [.atom(address)] }
        let display: [HeaderPiece]
        if !name.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) {
            display = [.encoded(name)]
        } else if !name.contains("=?") && name.unicodeScalars.allSatisfy({ $0 == " " || isAtext($0) }) {
            display = name.split(separator: " ").map { .atom(String($0)) }
        } else {
            var quoted = "\""
            for scalar in name.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { quoted += "\\" }
                quoted.unicodeScalars.append(scalar)
            }
            display = [.atom(quoted + "\"")]
        }
        return display + [.atom("<\(address)>")]
    }

    /// An address with what could break the header (spaces, controls, angle brackets, commas)
    /// removed. Addresses are expected to be ASCII; one that is not is written as UTF-8
    /// (RFC 6532), which SMTPUTF8 servers accept.
    static func addressSpec(_ email: String) -> String {
        var address = ""
        address.unicodeScalars.append(contentsOf: email.unicodeScalars.filter { scalar in
            scalar.value > 0x20 && !(0x7F...0x9F).contains(scalar.value) && !scalar.properties.isWhitespace
                && !"<>,;\"()[]\\".unicodeScalars.contains(scalar)
        })
        return address.isEmpty ? "invalid@invalid.invalid" : address
    }

    /// Text with control characters (CR and LF among them) replaced by spaces, so that no
    /// value can end a header or start another.
    static func headerSafe(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let isControl = value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
            result.unicodeScalars.append(isControl ? " " : scalar)
        }
        return result
    }

    /// RFC 5322 `atext`.
    static func isAtext(_ scalar: UnicodeScalar) -> Bool {
        guard scalar.isASCII else { return false }
        if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { return true }
        return "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
    }

    /// A `Content-Language` value: the tag's letters, digits and hyphens, or nil if none.
    static func languageTag(_ language: String) -> String? {
        var tag = ""
        tag.unicodeScalars.append(contentsOf: language.unicodeScalars.filter { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-")
        })
        return tag.isEmpty ? nil : tag
    }
}

// MARK: - Dates

extension MailRenderer {
    /// A date's calendar fields in UTC, computed without a `Calendar` or `DateFormatter`, so that
    /// no locale or time-zone setting of the machine can change them.
    struct CivilTime: Equatable {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
        /// 0 is Sunday.
        var weekday: Int

        init(_ date: Date) {
            // Years 1 to 9999, so every field has its fixed width.
            let seconds = Int(min(max(date.timeIntervalSince1970, -62_135_596_800), 253_402_300_799).rounded(.down))
            let days = (seconds - (((seconds % 86_400) + 86_400) % 86_400)) / 86_400
            let secondOfDay = seconds - days * 86_400
            hour = secondOfDay / 3600
            minute = secondOfDay % 3600 / 60
            second = secondOfDay % 60
            weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday.
            // Howard Hinnant's `civil_from_days`.
            let shifted = days + 719_468
            let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
            let dayOfEra = shifted - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let monthIndex = (5 * dayOfYear + 2) / 153
            day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
            month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
            year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        }

        /// `Tue, 28 May 2024 07:00:00 +0000` (RFC 5322 §3.3).
        var rfc5322: String {
            let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "\(weekdays[weekday]), \(pad(day, 2)) \(months[month - 1]) \(pad(year, 4)) "
                + "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)) +0000"
        }

        /// `20240528T070000Z` (RFC 5545 §3.3.5, UTC form).
        var iCalendarUTC: String {
            "\(pad(year, 4))\(pad(month, 2))\(pad(day, 2))T\(pad(hour, 2))\(pad(minute, 2))\(pad(second, 2))Z"
        }

        private func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
    }
}
