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
///
/// The renderer is on the campaign's hot path (one call per letter), so it writes UTF-8 bytes
/// straight into one buffer, in order, with no intermediate strings for the bodies.
public enum MailRenderer {
    /// Renders a message.
    /// - Parameters:
    ///   - message: What a step asked to send.
    ///   - envelope: Sender, message id and date.
    /// - Returns: The message's bytes, CRLF line endings, ending with CRLF.
    public static func render(_ message: OutgoingMessage, envelope: MailEnvelope) -> [UInt8] {
        let messageID = MessageID.sanitizedBytes(envelope.messageID)
        let bodySize = message.text.utf8.count + (message.html?.utf8.count ?? 0)
        // Enough for quoted-printable of Latin text or base64, usually; beyond, the writer
        // moves to memory of its own and the result is copied out of it.
        let estimate = 2048 + bodySize + bodySize / 2 + 1024 * message.calendar.count
        var grown: [UInt8]?
        let bytes = [UInt8](unsafeUninitializedCapacity: estimate) { buffer, initializedCount in
            var out = ByteWriter(lending: buffer)
            write(message, envelope: envelope, messageID: messageID, to: &out)
            if out.ownsMemory {
                grown = out.bytes
                initializedCount = 0
            } else {
                initializedCount = out.count
            }
        }
        return grown ?? bytes
    }

    /// Writes the message ``render(_:envelope:)`` returns.
    static func write(_ message: OutgoingMessage, envelope: MailEnvelope, messageID: [UInt8], to out: inout ByteWriter) {
        out.append("Date: ")
        CivilTime(envelope.date).appendRFC5322(to: &out)
        out.appendCRLF()
        appendAddressHeader("From", [envelope.from], to: &out)
        if message.to.isEmpty {
            var folder = HeaderFolder("To", to: &out)
            folder.putAtom("undisclosed-recipients:;", to: &out)
            out.appendCRLF()
        } else {
            appendAddressHeader("To", message.to, to: &out)
        }
        if !message.cc.isEmpty {
            appendAddressHeader("Cc", message.cc, to: &out)
        }
        if let replyTo = message.replyTo {
            appendAddressHeader("Reply-To", [replyTo], to: &out)
        }
        appendUnstructuredHeader("Subject", message.subject, to: &out)
        var folder = HeaderFolder("Message-ID", limit: 78, to: &out)
        folder.beginToken(length: messageID.count + 2, to: &out)
        out.append(UInt8(ascii: "<"))
        out.append(messageID)
        out.append(UInt8(ascii: ">"))
        out.append("\r\nMIME-Version: 1.0\r\n")
        if let language = languageTag(message.language) {
            out.append("Content-Language: ")
            out.append(language)
            out.appendCRLF()
        }
        appendBody(of: message, envelope: envelope, seed: messageID, to: &out)
        out.appendCRLF()
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
        let prefix = readablePrefix(idempotencyKey, maximumLength: max(8, min(40, 36 - domain.count)))
        var id = ByteWriter(capacity: prefix.count + domain.count + 28)
        id.append(prefix)
        id.append(UInt8(ascii: "."))
        appendBase32(fnv1a128(idempotencyKey), to: &id)
        id.append(UInt8(ascii: "@"))
        id.append(domain)
        return id.string
    }

    /// The 128-bit FNV-1a digest of a string's UTF-8, as 32 lowercase hex digits.
    static func digest(_ text: String) -> String {
        var out = ByteWriter(capacity: 32)
        appendHex(fnv1a128(text), to: &out)
        return out.string
    }

    /// The 128-bit FNV-1a offset basis, as high and low halves.
    static var fnvOffsetBasis: (high: UInt64, low: UInt64) { (0x6c62_272e_07bb_0142, 0x62b8_2175_6295_c58d) }

    /// The 128-bit FNV-1a digest of a string's UTF-8, as high and low halves.
    static func fnv1a128(_ text: String) -> (high: UInt64, low: UInt64) {
        fnv1a128(text.utf8, continuing: fnvOffsetBasis)
    }

    /// Continues a 128-bit FNV-1a digest over more bytes.
    static func fnv1a128(
        _ bytes: some Sequence<UInt8>, continuing state: (high: UInt64, low: UInt64)
    ) -> (high: UInt64, low: UInt64) {
        // FNV-1a 128: offset basis and prime from the FNV reference; the prime is 2^88 + 0x13B.
        var (high, low) = state
        let primeHigh: UInt64 = 1 << 24
        let primeLow: UInt64 = 0x13B
        for byte in bytes {
            low ^= UInt64(byte)
            let product = low.multipliedFullWidth(by: primeLow)
            high = product.high &+ high &* primeLow &+ low &* primeHigh
            low = product.low
        }
        return (high, low)
    }

    /// Appends a 128-bit value as 32 lowercase hex digits.
    static func appendHex(_ value: (high: UInt64, low: UInt64), to out: inout ByteWriter) {
        let digits: StaticString = "0123456789abcdef"
        out.reserve(32)
        for shift in stride(from: 60, through: 0, by: -4) {
            out.appendUnchecked(digits.utf8Start[Int(value.high >> UInt64(shift) & 0xF)])
        }
        for shift in stride(from: 60, through: 0, by: -4) {
            out.appendUnchecked(digits.utf8Start[Int(value.low >> UInt64(shift) & 0xF)])
        }
    }

    /// 128 bits in RFC 4648 base32, lowercase and unpadded: 26 characters.
    static func base32(_ value: (high: UInt64, low: UInt64)) -> String {
        var out = ByteWriter(capacity: 26)
        appendBase32(value, to: &out)
        return out.string
    }

    /// Appends ``base32(_:)``.
    static func appendBase32(_ value: (high: UInt64, low: UInt64), to out: inout ByteWriter) {
        let alphabet: StaticString = "abcdefghijklmnopqrstuvwxyz234567"
        out.reserve(26)
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
            out.appendUnchecked(alphabet.utf8Start[Int(chunk & 0x1F)])
        }
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

    /// ``sanitized(_:)`` as UTF-8, without going through `String` for an ASCII id.
    static func sanitizedBytes(_ id: String) -> [UInt8] {
        let result = ByteScan.withUTF8(id) { bytes -> [UInt8]? in
            var kept = 0
            for byte in bytes {
                // Non-ASCII white space needs the scalar's properties.
                if byte >= 0x80 { return nil }
                if byte > 0x20 && byte != 0x7F && byte != UInt8(ascii: "<") && byte != UInt8(ascii: ">") { kept &+= 1 }
            }
            if kept == bytes.count { return Array(bytes) }
            return bytes.filter { $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
        } ?? Array(sanitized(id).utf8)
        return result.isEmpty ? Array(make(idempotencyKey: "", domain: "").utf8) : result
    }

    /// The key's letters, digits, `-` and `_`, every other run of characters one `.`, shortened
    /// to `maximumLength` by keeping the first segment and as many of the last as fit.
    private static func readablePrefix(_ key: String, maximumLength: Int) -> [UInt8] {
        var prefix: [UInt8] = []
        prefix.reserveCapacity(key.utf8.count)
        for byte in key.utf8 {
            // Letters, digits, `-` and `_` are ASCII, so bytes decide; any other scalar, ASCII or
            // not, joins a run that becomes one `.` (its UTF-8 bytes are all 0x80 or more).
            if isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") {
                prefix.append(byte)
            } else if let last = prefix.last, last != UInt8(ascii: ".") {
                prefix.append(UInt8(ascii: "."))
            }
        }
        while prefix.last == UInt8(ascii: ".") { prefix.removeLast() }
        if prefix.isEmpty { return Array("convene".utf8) }
        guard prefix.count > maximumLength else { return prefix }
        // Keep the first segment (the workflow) and the last ones (step, occurrence, delegation):
        // the kept last segments are the suffix from one of the dots.
        let firstEnd = prefix.firstIndex(of: UInt8(ascii: ".")) ?? prefix.count
        let headLength = min(firstEnd, maximumLength)
        var tailStart = prefix.count
        var segmentEnd = prefix.count
        while segmentEnd > firstEnd, let dot = prefix[firstEnd..<segmentEnd].lastIndex(of: UInt8(ascii: ".")) {
            guard headLength + (prefix.count - tailStart) + (segmentEnd - dot) <= maximumLength else { break }
            tailStart = dot
            segmentEnd = dot
        }
        return Array(prefix[..<headLength] + prefix[tailStart...])
    }

    private static func sanitizedDomain(_ domain: String) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(domain.utf8.count)
        for scalar in domain.unicodeScalars {
            if scalar == "." {
                if let last = result.last, last != UInt8(ascii: ".") { result.append(UInt8(ascii: ".")) }
            } else if scalar.isASCII && (isAlphanumeric(UInt8(scalar.value)) || scalar == "-") {
                result.append(UInt8(scalar.value))
            } else {
                result.append(UInt8(ascii: "-"))
            }
        }
        while result.last == UInt8(ascii: ".") { result.removeLast() }
        return result.isEmpty ? Array("convene.invalid".utf8) : result
    }

    /// An ASCII letter or digit (what `isAlphabetic` or `"0"..."9"` accept among ASCII scalars).
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            false
        }
    }
}

// MARK: - Output buffer

/// The growable byte buffer a message is written into.
///
/// It writes through a raw pointer, so that the encoders can check capacity once per chunk
/// (``reserve(_:)``) rather than once per byte. It starts either in memory of its own or in
/// memory it is lent (the uninitialized storage of the array ``MailRenderer/render(_:envelope:)``
/// returns, which then needs no copy); growing moves it to memory of its own.
struct ByteWriter: ~Copyable {
    /// The start of the buffer; valid up to `count` (written) and `capacity` (allocated).
    private(set) var base: UnsafeMutablePointer<UInt8>
    /// The number of bytes written. Lowering it discards the bytes after it.
    var count = 0
    private(set) var capacity: Int
    /// Whether `base` was allocated here (and is deallocated here), rather than lent.
    private(set) var ownsMemory: Bool

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        ownsMemory = true
    }

    /// A writer into memory that outlives it.
    init(lending buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress!
        capacity = buffer.count
        ownsMemory = false
    }

    deinit {
        if ownsMemory { base.deallocate() }
    }

    /// Makes room for `extra` more bytes past `count`.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    @inline(never)
    private mutating func grow(to needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        if ownsMemory { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsMemory = true
    }

    /// Appends a byte there is room for (see ``reserve(_:)``).
    @inline(__always)
    mutating func appendUnchecked(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        appendUnchecked(byte)
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    mutating func append(_ text: String) {
        ByteScan.withUTF8(text) { append($0) }
    }

    mutating func appendCRLF() {
        reserve(2)
        appendUnchecked(0x0D)
        appendUnchecked(0x0A)
    }

    /// `value` in decimal, zero-padded to `width` digits (2 or 4; it must have no more).
    mutating func appendDigits(_ value: Int, width: Int) {
        let pairs: StaticString = """
            00010203040506070809101112131415161718192021222324252627282930313233343536373839\
            40414243444546474849505152535455565758596061626364656667686970717273747576777879\
            8081828384858687888990919293949596979899
            """
        reserve(4)
        if width == 4 {
            let high = value / 100
            (base + count).initialize(from: pairs.utf8Start + 2 * (high % 100), count: 2)
            count += 2
        }
        (base + count).initialize(from: pairs.utf8Start + 2 * (value % 100), count: 2)
        count += 2
    }

    /// What was written.
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    /// What was written, as text.
    var string: String {
        String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }

    /// Calls `body` with what was written.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        body(UnsafeBufferPointer(start: base, count: count))
    }
}

/// Helpers for reading text as bytes, eight at a time where possible.
enum ByteScan {
    /// Calls `body` with a string's UTF-8, in place when the string is stored contiguously.
    @inline(__always)
    static func withUTF8<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        return copy.withUTF8(body)
    }

    /// Eight copies of a byte in a word, for testing eight bytes at once.
    @inline(__always)
    static func lanes(_ byte: UInt8) -> UInt64 {
        UInt64(byte) &* 0x0101_0101_0101_0101
    }

    /// Zero exactly when no byte of `word` is less than `limit` (at most 0x80); otherwise the
    /// lowest set bit is the high bit of the first such byte (those above it may be spurious).
    @inline(__always)
    static func bytesBelow(_ limit: UInt8, in word: UInt64) -> UInt64 {
        (word &- ByteScan.lanes(limit)) & ~word & ByteScan.lanes(0x80)
    }
}

// MARK: - Body

extension MailRenderer {
    /// Appends the message's body entity: its header lines, the blank line, and its content
    /// (without the CRLF that ends the message).
    static func appendBody(of message: OutgoingMessage, envelope: MailEnvelope, seed: [UInt8], to out: inout ByteWriter) {
        guard !message.calendar.isEmpty else {
            appendTextOrAlternative(message, seed: seed, to: &out)
            return
        }
        let boundary = appendMultipartHeader("mixed", seed: seed, to: &out)
        appendDelimiter(boundary, to: &out)
        appendTextOrAlternative(message, seed: seed, to: &out)
        out.appendCRLF()
        appendDelimiter(boundary, to: &out)
        var folder = HeaderFolder("Content-Type", to: &out)
        folder.putAtom("text/calendar;", to: &out)
        folder.putAtom("charset=utf-8;", to: &out)
        folder.putAtom("method=PUBLISH;", to: &out)
        folder.putAtom("name=\"event.ics\"", to: &out)
        out.append("\r\nContent-Disposition: attachment; filename=\"event.ics\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 640 * message.calendar.count + 256) { buffer in
            var calendar = ByteWriter(lending: buffer)
            ICalendar.append(message.calendar, stamp: envelope.date, organizer: envelope.from, to: &calendar)
            calendar.withBytes { Base64.append($0, wrapped: true, to: &out) }
        }
        out.appendCRLF()
        appendDelimiter(boundary, closing: true, to: &out)
    }

    /// The text part alone, or `multipart/alternative` of the text and the HTML.
    static func appendTextOrAlternative(_ message: OutgoingMessage, seed: [UInt8], to out: inout ByteWriter) {
        guard let html = message.html else {
            appendTextPart(message.text, subtype: "plain", to: &out)
            return
        }
        let boundary = appendMultipartHeader("alternative", seed: seed, to: &out)
        appendDelimiter(boundary, to: &out)
        appendTextPart(message.text, subtype: "plain", to: &out)
        out.appendCRLF()
        appendDelimiter(boundary, to: &out)
        appendTextPart(html, subtype: "html", to: &out)
        out.appendCRLF()
        appendDelimiter(boundary, closing: true, to: &out)
    }

    /// Appends the `Content-Type` header of a multipart entity and the blank line after it, and
    /// returns the boundary, which derives from `seed` so that it is deterministic.
    ///
    /// The boundary starts with `=_`, which neither quoted-printable (where `=` is followed by a
    /// hex digit or a line break) nor base64 (where `=` only pads the end) can produce, and which
    /// no fixed header here contains; the only other boundary inside a part is the nested
    /// `=_convene_alt_…`, which differs from `=_convene_mix_…`. So no part can contain it, and
    /// it need not be searched for.
    static func appendMultipartHeader(_ subtype: StaticString, seed: [UInt8], to out: inout ByteWriter) -> [UInt8] {
        var digest = seed.withUnsafeBufferPointer { MessageID.fnv1a128($0, continuing: MessageID.fnvOffsetBasis) }
        digest = MessageID.fnv1a128(CollectionOfOne(UInt8(ascii: "/")), continuing: digest)
        digest = subtype.withUTF8Buffer { MessageID.fnv1a128($0, continuing: digest) }
        let bytes = [UInt8](unsafeUninitializedCapacity: 46) { buffer, initializedCount in
            var boundary = ByteWriter(lending: buffer)
            boundary.append("=_convene_")
            subtype.withUTF8Buffer { boundary.append(UnsafeBufferPointer(rebasing: $0.prefix(3))) }
            boundary.append(UInt8(ascii: "_"))
            MessageID.appendHex(digest, to: &boundary)
            initializedCount = boundary.count
        }

        var folder = HeaderFolder("Content-Type", to: &out)
        folder.beginToken(length: 11 + subtype.utf8CodeUnitCount, to: &out)
        out.append("multipart/")
        out.append(subtype)
        out.append(UInt8(ascii: ";"))
        folder.beginToken(length: 11 + bytes.count, to: &out)
        out.append("boundary=\"")
        out.append(bytes)
        out.append("\"\r\n\r\n")
        return bytes
    }

    /// `--boundary` and CRLF, or `--boundary--` when `closing`.
    static func appendDelimiter(_ boundary: [UInt8], closing: Bool = false, to out: inout ByteWriter) {
        out.append("--")
        out.append(boundary)
        out.append(closing ? "--" : "\r\n")
    }

    /// Appends a UTF-8 text part in canonical form (CRLF line breaks): its headers, the blank
    /// line and its content, quoted-printable unless base64 is shorter (as it is for scripts
    /// that are mostly multi-byte: Arabic, Chinese, Russian).
    static func appendTextPart(_ text: String, subtype: StaticString, to out: inout ByteWriter) {
        out.append("Content-Type: text/")
        out.append(subtype)
        out.append("; charset=utf-8\r\nContent-Transfer-Encoding: ")
        let mark = out.count
        ByteScan.withUTF8(text) { bytes in
            // Quoted-printable takes at least one character per canonical byte, and two more per
            // non-ASCII byte; when that alone exceeds base64, base64 wins without trying. Worth
            // counting when a sample from the middle (past any ASCII markup) is that non-ASCII.
            let sampleStart = max(0, bytes.count / 2 - 128)
            let sample = UnsafeBufferPointer(rebasing: bytes[sampleStart..<min(bytes.count, sampleStart + 256)])
            if 6 * countNonASCII(sample) > sample.count {
                let nonASCII = countNonASCII(bytes)
                if bytes.count + 2 * nonASCII > base64Budget(bytes.count) {
                    let base64 = withCanonical(bytes) { canonical in
                        guard canonical.count + 2 * nonASCII > base64Budget(canonical.count) else { return false }
                        out.append("base64\r\n\r\n")
                        Base64.append(canonical, wrapped: true, to: &out)
                        return true
                    }
                    if base64 { return }
                }
            }
            out.append("quoted-printable\r\n\r\n")
            let start = out.count
            let canonicalLength = QuotedPrintable.append(bytes, splittingLines: true, to: &out)
            if out.count - start > base64Budget(canonicalLength) {
                out.count = mark
                out.append("base64\r\n\r\n")
                withCanonical(bytes) { Base64.append($0, wrapped: true, to: &out) }
            }
        }
    }

    /// Calls `body` with a text in canonical form (CRLF line breaks), in temporary memory.
    static func withCanonical<R>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + bytes.count / 16 + 64) { buffer in
            var canonical = ByteWriter(lending: buffer)
            appendCanonical(bytes, to: &canonical)
            return canonical.withBytes(body)
        }
    }

    /// The length that quoted-printable must not exceed for a canonical text of `length` bytes:
    /// its base64 length, plus two per 76 characters for the line breaks.
    static func base64Budget(_ length: Int) -> Int {
        let base64Length = (length + 2) / 3 * 4
        return base64Length + base64Length / 76 * 2
    }

    /// The number of bytes of 0x80 or more.
    static func countNonASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let start = bytes.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(start)
        var total = 0
        var index = 0
        // Each byte lane counts up to 255 high bits before it is summed.
        while index + 8 <= bytes.count {
            var lanesSum: UInt64 = 0
            let end = min(bytes.count & ~7, index + 8 * 255)
            while index < end {
                lanesSum &+= (raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & ByteScan.lanes(0x80)) >> 7
                index += 8
            }
            // Byte lanes to 16-bit lanes (each at most 510), then their sum in the top lane.
            let pairs = (lanesSum & 0x00FF_00FF_00FF_00FF) &+ (lanesSum >> 8 & 0x00FF_00FF_00FF_00FF)
            total += Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) >> 48)
        }
        while index < bytes.count {
            if start[index] >= 0x80 { total += 1 }
            index += 1
        }
        return total
    }

    /// Appends a text with every line break (CRLF, CR or LF) made CRLF.
    static func appendCanonical(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        let count = bytes.count
        if memchr(source, 0x0D, count) == nil {
            // LF only, as text usually is: copy between line feeds.
            var start = 0
            while let found = memchr(source + start, 0x0A, count &- start) {
                let end = UnsafeRawPointer(found) - UnsafeRawPointer(source)
                out.append(UnsafeBufferPointer(start: source + start, count: end &- start))
                out.appendCRLF()
                start = end &+ 1
            }
            out.append(UnsafeBufferPointer(start: source + start, count: count &- start))
            return
        }
        var index = 0
        while index < count {
            let chunkEnd = min(count, index + 1024)
            out.reserve(2 * (chunkEnd - index) + 16)
            let target = out.base + out.count
            var written = 0
            while index < chunkEnd {
                if index + 8 <= count {
                    let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
                    if ByteScan.bytesBelow(0x0E, in: word) == 0 {
                        UnsafeMutableRawPointer(target + written).storeBytes(of: word, as: UInt64.self)
                        written += 8
                        index += 8
                        continue
                    }
                }
                let byte = source[index]
                index += 1
                if byte == 0x0D || byte == 0x0A {
                    target[written] = 0x0D
                    target[written + 1] = 0x0A
                    written += 2
                    if byte == 0x0D && index < count && source[index] == 0x0A { index += 1 }
                } else {
                    target[written] = byte
                    written += 1
                }
            }
            out.count += written
        }
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
            var out = ByteWriter(capacity: lines.reduce(0) { $0 + $1.count + 2 })
            for (index, line) in lines.enumerated() {
                if index > 0 { out.appendCRLF() }
                line.withUnsafeBufferPointer { _ = append($0, splittingLines: false, to: &out) }
            }
            return out.string
        }

        /// Appends bytes encoded as in ``encode(lines:)``.
        ///
        /// With `splittingLines`, the bytes are a text whose line breaks (CRLF, CR or LF) become
        /// CRLF; without, they are one line, and CR and LF are encoded like other controls.
        /// - Returns: The length of the text in canonical form (with CRLF line breaks).
        static func append(_ bytes: UnsafeBufferPointer<UInt8>, splittingLines: Bool, to out: inout ByteWriter) -> Int {
            escapes.withUnsafeBufferPointer { escapes in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { buffer in
                    var long = ByteWriter(lending: buffer)
                    return append(bytes, splittingLines: splittingLines, escapes: escapes.baseAddress!, long: &long, to: &out)
                }
            }
        }

        /// Each line is encoded whole (every byte literal or `=XX`), then, if longer than 76
        /// characters, cut into physical lines: the original greedy rule (a unit goes on the line
        /// if it fits in 75 characters, 76 for the line's last) amounts to cutting at the last
        /// unit boundary within 75 characters unless the rest fits in 76. A unit is a literal
        /// character or the escapes of one byte or of one UTF-8 sequence, so boundaries can be
        /// read off the encoded text (`=8X` to `=BX` continue a sequence) as long as the line is
        /// valid UTF-8; a line that is not is encoded unit by unit.
        private static func append(
            _ bytes: UnsafeBufferPointer<UInt8>, splittingLines: Bool, escapes: UnsafePointer<UInt32>,
            long: inout ByteWriter, to out: inout ByteWriter
        ) -> Int {
            guard let source = bytes.baseAddress else { return 0 }
            let count = bytes.count
            var index = 0
            var loneBreaks = 0
            while true {
                let lineStart = index
                let lineOut = out.count
                var irregular = false
                var atBreak = false
                while !atBreak && index < count {
                    // Up to 3 characters per byte (the last unit may end 3 bytes past the chunk),
                    // and the 8 bytes a word store writes.
                    let chunkEnd = index &+ min(count &- index, 1024)
                    out.reserve(3 &* (chunkEnd &- index) &+ 32)
                    let target = out.base
                    var written = out.count
                    // Where an 8-byte load stops being in bounds.
                    let wordLimit = min(chunkEnd, count &- 7)
                    while index < chunkEnd {
                        // Printable ASCII other than `=`, eight bytes at a time.
                        while index < wordLimit {
                            let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
                            UnsafeMutableRawPointer(target + written).storeBytes(of: word, as: UInt64.self)
                            let equals = word ^ ByteScan.lanes(UInt8(ascii: "="))
                            let unsafe = (word | (word &+ ByteScan.lanes(1)) | ByteScan.bytesBelow(0x20, in: word)
                                | ByteScan.bytesBelow(1, in: equals))
                                & ByteScan.lanes(0x80)
                            if unsafe != 0 {
                                let safe = unsafe.trailingZeroBitCount &>> 3
                                index &+= safe
                                written &+= safe
                                break
                            }
                            index &+= 8
                            written &+= 8
                        }
                        guard index < chunkEnd else { break }
                        let byte = source[index]
                        // Most often an accented letter: a valid 2-byte sequence.
                        if byte &- 0xC2 < 0x1E && index &+ 1 < count && source[index &+ 1] & 0xC0 == 0x80 {
                            let raw = UnsafeMutableRawPointer(target + written)
                            raw.storeBytes(of: escapes[Int(byte)], as: UInt32.self)
                            raw.storeBytes(of: escapes[Int(source[index &+ 1])], toByteOffset: 3, as: UInt32.self)
                            written &+= 6
                            index &+= 2
                            continue
                        }
                        if byte &- 0x20 < 0x5F && byte != UInt8(ascii: "=") || byte == 0x09 {
                            target[written] = byte  // a space or tab that ends the line is encoded below
                            written &+= 1
                            index &+= 1
                            continue
                        }
                        if splittingLines && (byte == 0x0A || byte == 0x0D) {
                            atBreak = true
                            break
                        }
                        var length = 1
                        if byte >= 0xE0 && byte <= 0xF4 {
                            length = byte < 0xF0 ? 3 : 4
                            if index &+ length > count || source[index &+ 1] & 0xC0 != 0x80 || source[index &+ 2] & 0xC0 != 0x80
                                || length == 4 && source[index &+ 3] & 0xC0 != 0x80 {
                                length = 1
                            }
                        }
                        if length == 1 && byte >= 0x80 { irregular = true }
                        for position in index..<(index &+ length) {
                            UnsafeMutableRawPointer(target + written)
                                .storeBytes(of: escapes[Int(source[position])], as: UInt32.self)
                            written &+= 3
                        }
                        index &+= length
                    }
                    out.count = written
                }
                let lineEnd = index
                if irregular {
                    out.count = lineOut
                    appendUnits(UnsafeBufferPointer(start: source + lineStart, count: lineEnd &- lineStart), to: &out)
                } else {
                    if lineEnd > lineStart, source[lineEnd &- 1] == 0x20 || source[lineEnd &- 1] == 0x09 {
                        out.count &-= 1
                        out.reserve(4)
                        UnsafeMutableRawPointer(out.base + out.count)
                            .storeBytes(of: escapes[Int(source[lineEnd &- 1])], as: UInt32.self)
                        out.count &+= 3
                    }
                    let length = out.count &- lineOut
                    if length > 76 {
                        long.count = 0
                        long.append(UnsafeBufferPointer(start: out.base + lineOut, count: length))
                        out.count = lineOut
                        out.reserve(length &+ 3 &* (length / 64 &+ 1))
                        let encoded = long.base
                        var start = 0
                        while length &- start > 76 {
                            var cut = start &+ 75
                            if encoded[cut &- 1] == UInt8(ascii: "=") {
                                cut &-= 1
                            } else if encoded[cut &- 2] == UInt8(ascii: "=") {
                                cut &-= 2
                            }
                            while encoded[cut] == UInt8(ascii: "=") && encoded[cut &+ 1] &- UInt8(ascii: "8") < 2
                                || encoded[cut] == UInt8(ascii: "=") && encoded[cut &+ 1] &- UInt8(ascii: "A") < 2 {
                                cut &-= 3  // inside a UTF-8 sequence
                            }
                            (out.base + out.count).initialize(from: encoded + start, count: cut &- start)
                            out.count &+= cut &- start
                            out.appendUnchecked(UInt8(ascii: "="))
                            out.appendUnchecked(0x0D)
                            out.appendUnchecked(0x0A)
                            start = cut
                        }
                        (out.base + out.count).initialize(from: encoded + start, count: length &- start)
                        out.count &+= length &- start
                    }
                }
                guard index < count else { break }
                out.appendCRLF()
                if source[index] == 0x0D && index &+ 1 < count && source[index &+ 1] == 0x0A {
                    index &+= 2
                } else {
                    index &+= 1
                    loneBreaks &+= 1
                }
            }
            return count &+ loneBreaks
        }

        /// Appends one line encoded unit by unit: the definition, for lines that are not valid
        /// UTF-8 (where the byte after a lead need not continue it).
        private static func appendUnits(_ line: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
            var column = 0
            var index = 0
            let count = line.count
            while index < count {
                let byte = line[index]
                var length = 1
                if byte >= 0xC2 && byte <= 0xF4 {
                    length = byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                    if index + length > count || line[(index + 1)..<(index + length)].contains(where: { $0 & 0xC0 != 0x80 }) {
                        length = 1
                    }
                }
                let end = index + length
                let literal = length == 1
                    && (byte &- 0x21 < 0x5E && byte != UInt8(ascii: "=") || (byte == 0x20 || byte == 0x09) && end < count)
                let width = literal ? 1 : 3 * length
                // Room for the `=` of a soft line break, unless nothing follows on this line.
                if column + width > (end == count ? 76 : 75) {
                    out.append("=\r\n")
                    column = 0
                }
                out.reserve(width + 1)
                if literal {
                    out.appendUnchecked(byte)
                } else {
                    for position in index..<end {
                        out.appendUnchecked(UInt8(ascii: "="))
                        out.appendUnchecked(hexDigits.utf8Start[Int(line[position] >> 4)])
                        out.appendUnchecked(hexDigits.utf8Start[Int(line[position] & 0x0F)])
                    }
                }
                column += width
                index = end
            }
        }
    }

    /// Base64 (RFC 4648), written here so the output does not depend on a Foundation
    /// implementation's line-wrapping options.
    enum Base64 {
        private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

        /// The two characters of each 12-bit value, the first in the low byte.
        private static let pairs: [UInt16] = (0..<4096).map { value in
            UInt16(alphabet.utf8Start[value >> 6]) | UInt16(alphabet.utf8Start[value & 0x3F]) << 8
        }

        /// Writes the 8 characters of the 6 bytes at `source` (which must have 8 readable).
        @inline(__always)
        private static func encodeSix(
            _ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, pairs: UnsafePointer<UInt16>
        ) {
            let value = UInt64(bigEndian: UnsafeRawPointer(source).loadUnaligned(as: UInt64.self))
            let raw = UnsafeMutableRawPointer(target)
            let first = pairs[Int(truncatingIfNeeded: value &>> 52)]
            let second = pairs[Int(truncatingIfNeeded: value &>> 40 & 0xFFF)]
            let third = pairs[Int(truncatingIfNeeded: value &>> 28 & 0xFFF)]
            let fourth = pairs[Int(truncatingIfNeeded: value &>> 16 & 0xFFF)]
            raw.storeBytes(of: first.littleEndian, as: UInt16.self)
            raw.storeBytes(of: second.littleEndian, toByteOffset: 2, as: UInt16.self)
            raw.storeBytes(of: third.littleEndian, toByteOffset: 4, as: UInt16.self)
            raw.storeBytes(of: fourth.littleEndian, toByteOffset: 6, as: UInt16.self)
        }

        /// Appends bytes encoded, in lines of 76 characters joined by CRLF when `wrapped`, in one
        /// line otherwise.
        static func append(_ bytes: UnsafeBufferPointer<UInt8>, wrapped: Bool, to out: inout ByteWriter) {
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
            let count = bytes.count
            let length = (count + 2) / 3 * 4
            out.reserve(length + (wrapped ? length / 76 * 2 + 2 : 0) + 8)
            let target = out.base + out.count
            var written = 0
            var index = 0
            pairs.withUnsafeBufferPointer { pairs in
                let pairs = pairs.baseAddress!
                if wrapped {
                    // Two lines at a time (114 bytes, 2 × 76 characters), while the last 6-byte
                    // load stays in bounds: 19 six-byte steps, the tenth straddling the break.
                    while count &- index >= 116 {
                        for _ in 0..<9 {
                            encodeSix(source + index, to: target + written, pairs: pairs)
                            index &+= 6
                            written &+= 8
                        }
                        encodeSix(source + index, to: target + written, pairs: pairs)
                        // Characters 4 to 7 move past the CRLF.
                        let second = UnsafeRawPointer(target + (written &+ 4)).loadUnaligned(as: UInt32.self)
                        UnsafeMutableRawPointer(target + (written &+ 4))
                            .storeBytes(of: UInt16(0x0A0D).littleEndian, as: UInt16.self)
                        UnsafeMutableRawPointer(target + (written &+ 6)).storeBytes(of: second, as: UInt32.self)
                        index &+= 6
                        written &+= 10
                        for _ in 0..<9 {
                            encodeSix(source + index, to: target + written, pairs: pairs)
                            index &+= 6
                            written &+= 8
                        }
                        if index < count {
                            target[written] = 0x0D
                            target[written &+ 1] = 0x0A
                            written &+= 2
                        }
                    }
                }
                while index &+ 3 <= count {
                    // One line of 19 groups (57 bytes, 76 characters), or everything unwrapped.
                    let groups = wrapped ? min(19, (count &- index) / 3) : (count &- index) / 3
                    // Two groups from one 8-byte load, while 8 bytes remain.
                    let doubles = min(groups >> 1, count &- index >= 8 ? (count &- index &- 2) / 6 : 0)
                    for _ in 0..<doubles {
                        encodeSix(source + index, to: target + written, pairs: pairs)
                        written &+= 8
                        index &+= 6
                    }
                    var group = doubles &* 2
                    while group < groups {
                        let value = Int(source[index]) << 16 | Int(source[index &+ 1]) << 8 | Int(source[index &+ 2])
                        let characters = UInt32(pairs[value >> 12]) | UInt32(pairs[value & 0xFFF]) << 16
                        UnsafeMutableRawPointer(target + written).storeBytes(of: characters.littleEndian, as: UInt32.self)
                        written &+= 4
                        index &+= 3
                        group &+= 1
                    }
                    if wrapped && groups == 19 && index < count {
                        target[written] = 0x0D
                        target[written &+ 1] = 0x0A
                        written &+= 2
                    }
                }
            }
            if index < count {
                let table = alphabet.utf8Start
                let b0 = source[index]
                let b1 = index + 1 < count ? source[index + 1] : 0
                target[written] = table[Int(b0 >> 2)]
                target[written + 1] = table[Int((b0 & 0x03) << 4 | b1 >> 4)]
                target[written + 2] = index + 1 < count ? table[Int((b1 & 0x0F) << 2)] : UInt8(ascii: "=")
                target[written + 3] = UInt8(ascii: "=")
                written += 4
            }
            out.count += written
        }
    }

    /// Uppercase hex digits, as quoted-printable and Q encoding write them.
    static let hexDigits: StaticString = "0123456789ABCDEF"

    /// `=XX` for each byte, in the low three bytes (the fourth is written and overwritten).
    static let escapes: [UInt32] = (0..<256).map { byte in
        UInt32(UInt8(ascii: "=")) | UInt32(hexDigits.utf8Start[byte >> 4]) << 8
            | UInt32(hexDigits.utf8Start[byte & 0x0F]) << 16
    }
}

// MARK: - Headers

extension MailRenderer {
    /// The longest header line we write: RFC 2047 caps lines holding encoded-words at 76.
    static let headerLineLimit = 76

    /// Writes a header field, folding it at `limit` between tokens (which are joined by one
    /// space, where a fold may go). The field starts at `Name:`; the caller ends it with CRLF.
    struct HeaderFolder {
        private var lineStart: Int
        private var lineHasToken = false
        private let limit: Int

        init(_ name: StaticString, limit: Int = headerLineLimit, to out: inout ByteWriter) {
            lineStart = out.count
            self.limit = limit
            out.append(name)
            out.append(UInt8(ascii: ":"))
        }

        /// Writes the space before a token of `length` bytes, which the caller then writes;
        /// folds before a token that does not fit, even the first one if it fits on a line of
        /// its own (RFC 5322 allows folding white space right after the colon).
        mutating func beginToken(length: Int, to out: inout ByteWriter) {
            let fits = out.count - lineStart + 1 + length <= limit
            out.reserve(3)
            if !fits && (lineHasToken || 1 + length <= limit) {
                out.appendUnchecked(0x0D)
                out.appendUnchecked(0x0A)
                lineStart = out.count
            }
            out.appendUnchecked(0x20)
            lineHasToken = true
        }

        /// Writes a token as is.
        mutating func putAtom(_ token: StaticString, to out: inout ByteWriter) {
            beginToken(length: token.utf8CodeUnitCount, to: &out)
            out.append(token)
        }

        /// Writes a token as is.
        mutating func putAtom(_ token: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
            beginToken(length: token.count, to: &out)
            out.append(token)
        }

        /// Writes text (UTF-8, no controls) as RFC 2047 encoded-words, each as long as the line
        /// and RFC 2047 allow, cut between characters (see ``EncodedWord/unitEnds(of:)``).
        /// - Parameter oneClusterPerScalar: Whether every scalar of the text is a character of
        ///   its own (see ``EncodedWord/isClusterOnItsOwn(_:)``), so units are scalars.
        mutating func putEncoded(_ text: UnsafeBufferPointer<UInt8>, oneClusterPerScalar: Bool, to out: inout ByteWriter) {
            let scheme = EncodedWord.Scheme.best(for: text)
            let unitEnds = oneClusterPerScalar ? nil : EncodedWord.unitEnds(of: String(decoding: text, as: UTF8.self))
            var unitIndex = 0
            /// The length of the scalar at `index`.
            func scalarLength(_ index: Int) -> Int {
                let lead = text[index]
                return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            }
            /// The end of the unit at `start` (the `unitIndex`th).
            func unitEnd(after start: Int) -> Int {
                if let unitEnds { return unitEnds[unitIndex] }
                return start &+ scalarLength(start)
            }
            var start = 0
            while start < text.count {
                // The first unit goes in this word whatever its length; on a new line if it does
                // not fit on this one.
                var end = unitEnd(after: start)
                var wordQLength = EncodedWord.qLength(of: text, start, end)
                var available = limit - (out.count - lineStart) - 1
                let firstLength = scheme == .q ? wordQLength : (end - start + 2) / 3 * 4
                if lineHasToken && available < EncodedWord.overhead + firstLength {
                    out.appendCRLF()
                    lineStart = out.count
                    lineHasToken = false
                    available = limit - 1
                }
                let maximum = min(EncodedWord.maximumLength, available) - EncodedWord.overhead
                unitIndex &+= 1
                if unitEnds == nil && scheme == .b {
                    // Units are scalars, and B takes ⌈n/3⌉·4 characters for n bytes: as many whole
                    // scalars as fit in ⌊maximum/4⌋·3 bytes.
                    var cut = start &+ max(0, maximum / 4 * 3)
                    if cut >= text.count {
                        end = text.count
                    } else {
                        while cut > end && text[cut] & 0xC0 == 0x80 { cut &-= 1 }
                        end = max(end, cut)
                    }
                } else if unitEnds == nil {
                    while end < text.count {
                        let length = scalarLength(end)
                        let width = length == 1 ? EncodedWord.qWidth(text[end]) : 3 &* length
                        if wordQLength &+ width > maximum { break }
                        wordQLength &+= width
                        end &+= length
                    }
                } else {
                    while end < text.count {
                        let next = unitEnd(after: end)
                        let nextQLength = wordQLength &+ EncodedWord.qLength(of: text, end, next)
                        if (scheme == .q ? nextQLength : (next &- start &+ 2) / 3 &* 4) > maximum { break }
                        end = next
                        wordQLength = nextQLength
                        unitIndex &+= 1
                    }
                }
                let length = scheme == .q ? wordQLength : (end - start + 2) / 3 * 4
                beginToken(length: EncodedWord.overhead + length, to: &out)
                EncodedWord.append(UnsafeBufferPointer(rebasing: text[start..<end]), scheme: scheme, to: &out)
                start = end
            }
        }
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
            static func best(for bytes: UnsafeBufferPointer<UInt8>) -> Scheme {
                let bLength = (bytes.count + 2) / 3 * 4
                // Q takes 3 characters for each non-ASCII byte, so often that decides.
                if bytes.count + 2 * MailRenderer.countNonASCII(bytes) - bLength >= 5 { return .b }
                return qLength(of: bytes, 0, bytes.count) - bLength < 5 ? .q : .b
            }
        }

        /// The characters RFC 2047 §5(3) lets a Q encoded-word carry literally even in a phrase
        /// (letters, digits, `!*+-/`), so one rule serves both `Subject` and display names; and
        /// the space, written `_`. Bit `n` stands for byte `n` (`n` < 128).
        private static let qLiteralLow: UInt64 = 0x03FF_AC03_0000_0000  // space ! * + - / 0-9
        private static let qLiteralHigh: UInt64 = 0x07FF_FFFE_07FF_FFFE  // A-Z a-z

        /// The length of a byte in Q encoding: 1, or 3 for `=XX`.
        @inline(__always)
        static func qWidth(_ byte: UInt8) -> Int {
            let mask = byte < 64 ? qLiteralLow : qLiteralHigh
            return byte < 128 && (mask >> UInt64(byte & 63)) & 1 != 0 ? 1 : 3
        }

        /// ``qWidth(_:)`` of every byte.
        private static let qWidths: [UInt8] = (0..<256).map { UInt8(qWidth(UInt8($0))) }

        /// The length of bytes `start..<end` in Q encoding.
        static func qLength(of bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
            qWidths.withUnsafeBufferPointer { widths in
                var length = 0
                for index in start..<end { length &+= Int(widths[Int(bytes[index])]) }
                return length
            }
        }

        /// Whether RFC 2047 §5(3) lets a Q encoded-word carry the byte literally.
        static func isQSafe(_ byte: UInt8) -> Bool {
            byte != 0x20 && qWidth(byte) == 1
        }

        /// The text cut where an encoded-word may end: between characters (grapheme clusters),
        /// or between scalars of a cluster too long for one word; never inside a UTF-8 sequence.
        /// - Returns: The UTF-8 offset where each unit ends, in order.
        static func unitEnds(of text: String) -> [Int] {
            var ends: [Int] = []
            var offset = 0
            for character in text {
                let length = character.utf8.count
                if length <= 16 {
                    offset += length
                    ends.append(offset)
                } else {
                    for scalar in character.unicodeScalars {
                        offset += UTF8.width(scalar)
                        ends.append(offset)
                    }
                }
            }
            return ends
        }

        /// Scalars that break from any neighbour in these ranges (Unicode Grapheme_Cluster_Break
        /// `Other` or `Control`, other than CR and LF); checked against the standard library by
        /// the tests.
        @inline(__always)
        static func isClusterOnItsOwn(_ value: UInt32) -> Bool {
            if value < 0x300 { return value >= 0x20 }  // Latin, IPA, spacing modifier letters
            if value < 0x2000 {
                switch value {
                case 0x370...0x482, 0x48A...0x52F,  // Greek, Cyrillic
                    0x60C, 0x61B, 0x61F, 0x620...0x64A, 0x660...0x66F, 0x671...0x6D5:  // Arabic
                    return true
                default:
                    return false
                }
            }
            switch value {
            case 0x4E00...0x9FFF, 0x3400...0x4DBF,  // CJK ideographs
                0x2000...0x200B, 0x200E...0x20CF,  // punctuation, super/subscripts, currency
                0x2100...0x2BFF,  // letterlike symbols, arrows, mathematical and technical
                0x3000...0x3029, 0x3030...0x303F, 0x3041...0x3096, 0x309B...0x30FF,  // CJK, kana
                0xFF01...0xFF9D:  // full-width forms, half-width katakana
                return true
            default:
                return false
            }
        }

        /// Appends the encoded-word holding `bytes`.
        static func append(_ bytes: UnsafeBufferPointer<UInt8>, scheme: Scheme, to out: inout ByteWriter) {
            switch scheme {
            case .b:
                out.append("=?UTF-8?B?")
                Base64.append(bytes, wrapped: false, to: &out)
            case .q:
                out.append("=?UTF-8?Q?")
                out.reserve(3 * bytes.count + 1)
                let target = out.base
                var written = out.count
                escapes.withUnsafeBufferPointer { escapes in
                    for byte in bytes {
                        if byte == 0x20 {
                            target[written] = UInt8(ascii: "_")
                            written &+= 1
                        } else if byte &- 0x21 < 0x5A && qWidth(byte) == 1 {
                            target[written] = byte
                            written &+= 1
                        } else {
                            UnsafeMutableRawPointer(target + written).storeBytes(of: escapes[Int(byte)], as: UInt32.self)
                            written &+= 3
                        }
                    }
                }
                out.count = written
            }
            out.append("?=")
        }
    }

    /// An unstructured field (`Subject`): plain words when the text is simple printable ASCII,
    /// otherwise encoded-words (which keep every space exactly).
    static func appendUnstructuredHeader(_ name: StaticString, _ value: String, to out: inout ByteWriter) {
        var folder = HeaderFolder(name, to: &out)
        let analysed = HeaderText(value)
        analysed.bytes.withUnsafeBufferPointer { text in
            guard !text.isEmpty else { return }
            // Plain: printable ASCII, no `=?`, words of 1 to 60 characters between single spaces.
            var plain = analysed.isPrintableASCII
            if plain {
                var wordLength = 0
                var previous: UInt8 = 0
                for byte in text {
                    if byte == 0x20 {
                        if wordLength == 0 { plain = false }
                        wordLength = 0
                    } else {
                        wordLength &+= 1
                        if wordLength > 60 || (previous == UInt8(ascii: "=") && byte == UInt8(ascii: "?")) { plain = false }
                    }
                    previous = byte
                }
                if wordLength == 0 { plain = false }
            }
            guard plain else {
                folder.putEncoded(text, oneClusterPerScalar: analysed.oneClusterPerScalar, to: &out)
                return
            }
            var start = 0
            for index in 0...text.count where index == text.count || text[index] == 0x20 {
                folder.putAtom(UnsafeBufferPointer(rebasing: text[start..<index]), to: &out)
                start = index &+ 1
            }
        }
        out.appendCRLF()
    }

    /// An address field: mailboxes separated by commas.
    static func appendAddressHeader(_ name: StaticString, _ mailboxes: [Mailbox], to out: inout ByteWriter) {
        var folder = HeaderFolder(name, to: &out)
        for (index, mailbox) in mailboxes.enumerated() {
            appendMailbox(mailbox, comma: index < mailboxes.count - 1, folder: &folder, to: &out)
        }
        out.appendCRLF()
    }

    /// `Name <address>`, `"Name, with specials" <address>`, encoded-words `<address>`, or the
    /// bare address when there is no name; then a comma if `comma`.
    static func appendMailbox(_ mailbox: Mailbox, comma: Bool, folder: inout HeaderFolder, to out: inout ByteWriter) {
        let address = addressSpec(mailbox.email)
        let suffix = comma ? 1 : 0
        let name = HeaderText(displayName: mailbox.name ?? "")
        name.bytes.withUnsafeBufferPointer { text in
            guard !text.isEmpty else { return }
            if !name.isPrintableASCII {
                folder.putEncoded(text, oneClusterPerScalar: name.oneClusterPerScalar, to: &out)
                return
            }
            var atoms = true
            var quotedLength = text.count + 2
            var previous: UInt8 = 0
            for byte in text {
                if byte != 0x20 && !isAtext(byte) || (previous == UInt8(ascii: "=") && byte == UInt8(ascii: "?")) {
                    atoms = false
                }
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { quotedLength &+= 1 }
                previous = byte
            }
            if atoms {
                var start = 0
                for index in 0...text.count where index == text.count || text[index] == 0x20 {
                    folder.putAtom(UnsafeBufferPointer(rebasing: text[start..<index]), to: &out)
                    start = index &+ 1
                }
            } else {
                folder.beginToken(length: quotedLength, to: &out)
                out.reserve(quotedLength)
                out.appendUnchecked(UInt8(ascii: "\""))
                for byte in text {
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.appendUnchecked(UInt8(ascii: "\\")) }
                    out.appendUnchecked(byte)
                }
                out.appendUnchecked(UInt8(ascii: "\""))
            }
        }
        let bracketed = name.bytes.isEmpty ? 0 : 2
        folder.beginToken(length: address.count + bracketed + suffix, to: &out)
        if bracketed > 0 { out.append(UInt8(ascii: "<")) }
        out.append(address)
        if bracketed > 0 { out.append(UInt8(ascii: ">")) }
        if comma { out.append(UInt8(ascii: ",")) }
    }

    /// Text for a header, as UTF-8 with control characters (CR and LF among them, C1 controls,
    /// and the line and paragraph separators) replaced by spaces, so that no value can end a
    /// header or start another; with what the encoders need to know of it, found in one pass.
    struct HeaderText {
        var bytes: [UInt8]
        /// Whether every byte is printable ASCII (0x20 to 0x7E).
        var isPrintableASCII = true
        /// Whether every scalar is a character of its own (see
        /// ``EncodedWord/isClusterOnItsOwn(_:)``), so that bytes alone tell where characters end.
        var oneClusterPerScalar = true

        /// Analyses header-safe text.
        init(_ text: String) {
            var isPrintableASCII = true
            var oneClusterPerScalar = true
            bytes = ByteScan.withUTF8(text) { source in
                [UInt8](unsafeUninitializedCapacity: source.count) { result, resultCount in
                    var written = 0
                    var index = 0
                    let count = source.count
                    while index < count {
                        // Eight printable ASCII bytes at once.
                        if index &+ 8 <= count {
                            let word = UnsafeRawPointer(source.baseAddress! + index).loadUnaligned(as: UInt64.self)
                            let unprintable = word | (word &+ ByteScan.lanes(1)) | ByteScan.bytesBelow(0x20, in: word)
                            if unprintable & ByteScan.lanes(0x80) == 0 {
                                UnsafeMutableRawPointer(result.baseAddress! + written).storeBytes(of: word, as: UInt64.self)
                                written &+= 8
                                index &+= 8
                                continue
                            }
                        }
                        let byte = source[index]
                        if byte < 0x80 {
                            let control = byte < 0x20 || byte == 0x7F
                            result[written] = control ? 0x20 : byte
                            written &+= 1
                            index &+= 1
                            continue
                        }
                        // Valid UTF-8: a lead byte and its continuation bytes.
                        if byte < 0xE0 {
                            let second = source[index &+ 1]
                            let value = UInt32(byte & 0x1F) << 6 | UInt32(second & 0x3F)
                            if value <= 0x9F {
                                result[written] = 0x20  // C1 controls
                                written &+= 1
                            } else {
                                isPrintableASCII = false
                                if value >= 0x300 && !EncodedWord.isClusterOnItsOwn(value) { oneClusterPerScalar = false }
                                result[written] = byte
                                result[written &+ 1] = second
                                written &+= 2
                            }
                            index &+= 2
                        } else if byte < 0xF0 {
                            let value = UInt32(byte & 0x0F) << 12 | UInt32(source[index &+ 1] & 0x3F) << 6
                                | UInt32(source[index &+ 2] & 0x3F)
                            if value == 0x2028 || value == 0x2029 {
                                result[written] = 0x20  // line and paragraph separators
                                written &+= 1
                            } else {
                                isPrintableASCII = false
                                if !EncodedWord.isClusterOnItsOwn(value) { oneClusterPerScalar = false }
                                result[written] = byte
                                result[written &+ 1] = source[index &+ 1]
                                result[written &+ 2] = source[index &+ 2]
                                written &+= 3
                            }
                            index &+= 3
                        } else {
                            isPrintableASCII = false
                            oneClusterPerScalar = false  // no supplementary-plane range is listed
                            for offset in 0..<4 { result[written &+ offset] = source[index &+ offset] }
                            written &+= 4
                            index &+= 4
                        }
                    }
                    resultCount = written
                }
            }
            self.isPrintableASCII = isPrintableASCII
            self.oneClusterPerScalar = oneClusterPerScalar
        }

        /// Analyses a display name, header-safe, with its runs of spaces made one and none at
        /// either end.
        init(displayName name: String) {
            self.init(name)
            var previous: UInt8 = 0x20
            var clean = true
            for byte in bytes {
                if byte == 0x20 && previous == 0x20 { clean = false }
                previous = byte
            }
            if bytes.isEmpty || clean && previous != 0x20 { return }
            if !oneClusterPerScalar {
                // A space followed by a combining mark is not a space character: split characters.
                let text = String(decoding: bytes, as: UTF8.self)
                bytes = Array(text.split(separator: " ").joined(separator: " ").utf8)
                return
            }
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count)
            for word in bytes.split(separator: 0x20) {
                if !result.isEmpty { result.append(0x20) }
                result += word
            }
            bytes = result
        }
    }

    /// ASCII bytes an address keeps (not controls, space, `<>,;"()[]\\` or DEL); bit `n` stands
    /// for byte `n`.
    private static let addressBytesLow: UInt64 = 0xA7FF_ECFA_0000_0000
    private static let addressBytesHigh: UInt64 = 0x7FFF_FFFF_C7FF_FFFF

    /// An address as UTF-8, with what could break the header (spaces, controls, angle
    /// brackets, commas) removed. Addresses are expected to be ASCII; one that is not is
    /// written as UTF-8 (RFC 6532), which SMTPUTF8 servers accept.
    static func addressSpec(_ email: String) -> [UInt8] {
        let address = ByteScan.withUTF8(email) { bytes -> [UInt8]? in
            var kept = 0
            for byte in bytes {
                if byte >= 0x80 { return nil }  // white space beyond ASCII needs the scalars' properties
                if ((byte < 64 ? addressBytesLow : addressBytesHigh) >> UInt64(byte & 63)) & 1 != 0 { kept &+= 1 }
            }
            if kept == bytes.count { return Array(bytes) }
            return bytes.filter { ((($0 < 64 ? addressBytesLow : addressBytesHigh) >> UInt64($0 & 63)) & 1) != 0 }
        } ?? addressSpecScalars(email)
        return address.isEmpty ? Array("invalid@invalid.invalid".utf8) : address
    }

    /// ``addressSpec(_:)`` for an address that is not ASCII.
    private static func addressSpecScalars(_ email: String) -> [UInt8] {
        var address = ""
        address.unicodeScalars.append(contentsOf: email.unicodeScalars.filter { scalar in
            scalar.value > 0x20 && !(0x7F...0x9F).contains(scalar.value) && !scalar.properties.isWhitespace
                && !"<>,;\"()[]\\".unicodeScalars.contains(scalar)
        })
        return Array(address.utf8)
    }

    /// RFC 5322 `atext`.
    static func isAtext(_ byte: UInt8) -> Bool {
        if MessageID.isAlphanumeric(byte) { return true }
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
            UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// A `Content-Language` value: the tag's ASCII letters, digits and hyphens, or nil if none.
    static func languageTag(_ language: String) -> [UInt8]? {
        let tag = language.utf8.filter { MessageID.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
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
            var out = ByteWriter(capacity: 31)
            appendRFC5322(to: &out)
            return out.string
        }

        /// `20240528T070000Z` (RFC 5545 §3.3.5, UTC form).
        var iCalendarUTC: String {
            var out = ByteWriter(capacity: 16)
            appendICalendarUTC(to: &out)
            return out.string
        }

        /// Appends ``rfc5322``.
        func appendRFC5322(to out: inout ByteWriter) {
            let weekdays: StaticString = "SunMonTueWedThuFriSat"
            let months: StaticString = "JanFebMarAprMayJunJulAugSepOctNovDec"
            out.append(UnsafeBufferPointer(start: weekdays.utf8Start + 3 * weekday, count: 3))
            out.append(", ")
            out.appendDigits(day, width: 2)
            out.append(0x20)
            out.append(UnsafeBufferPointer(start: months.utf8Start + 3 * (month - 1), count: 3))
            out.append(0x20)
            out.appendDigits(year, width: 4)
            out.append(0x20)
            out.appendDigits(hour, width: 2)
            out.append(UInt8(ascii: ":"))
            out.appendDigits(minute, width: 2)
            out.append(UInt8(ascii: ":"))
            out.appendDigits(second, width: 2)
            out.append(" +0000")
        }

        /// Appends ``iCalendarUTC``.
        func appendICalendarUTC(to out: inout ByteWriter) {
            out.appendDigits(year, width: 4)
            out.appendDigits(month, width: 2)
            out.appendDigits(day, width: 2)
            out.append(UInt8(ascii: "T"))
            out.appendDigits(hour, width: 2)
            out.appendDigits(minute, width: 2)
            out.appendDigits(second, width: 2)
            out.append(UInt8(ascii: "Z"))
        }
    }
}
