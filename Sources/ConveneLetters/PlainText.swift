// Byte-level versions of the text tidying and HTML making in LetterSupport.swift.
//
// The reference versions work on Characters (grapheme clusters), which costs a grapheme break
// test per character. These work on UTF-8 bytes, and are used only on texts where the two give
// the same result: texts whose ASCII scalars (and, for subjects, whitespace scalars) are each a
// grapheme cluster of their own. That fails only with a carriage return (CR LF is one cluster), a
// combining mark or other extender right after one of them, or a prepended concatenation mark
// right before one; such texts take the reference path.
//
// No scalar outside ASCII is canonically equivalent to the ASCII characters these functions look
// for (`& < > " - space tab newline`), nor to a no-break space, so comparing bytes is comparing
// Characters once the clusters are known to be single scalars.

/// Whether a scalar may extend the cluster before it (Grapheme_Cluster_Break Extend, ZWJ or
/// SpacingMark). Conservative: a scalar it lets through never extends; one it flags is checked.
@inline(__always)
private func mayExtend(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .spacingMark, .enclosingMark, .format, .modifierSymbol, .modifierLetter, .unassigned,
        .surrogate, .privateUse:
        return true
    default:
        return scalar.value == 0xE33 || scalar.value == 0xEB3  // Thai and Lao AM are spacing marks
    }
}

/// Whether a scalar may join the cluster after it (Grapheme_Cluster_Break Prepend). Conservative.
@inline(__always)
private func mayPrepend(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .format, .spacingMark, .nonspacingMark, .unassigned: return true
    case .otherLetter: return scalar.value == 0xD4E || scalar.value >= 0x11000
    default: return false
    }
}

/// Whether a scalar is a letter or punctuation of a common script block that holds no mark, no
/// format character and no prepended character: one that neither extends nor prepends.
@inline(__always)
private func isPlain(_ v: UInt32) -> Bool {
    if v < 0x2B0 { return true }  // Latin, Latin-1 and Latin Extended
    if v < 0x700 {
        return (0x370..<0x483).contains(v) || (0x48A..<0x591).contains(v)  // Greek, Cyrillic, Armenian
            || (0x620..<0x64B).contains(v) || (0x660..<0x670).contains(v) || (0x671..<0x6D6).contains(v)  // Arabic
    }
    if v < 0x3000 { return (0x2010..<0x2028).contains(v) }  // general punctuation
    return (0x3000..<0x302A).contains(v) || (0x3041..<0x3099).contains(v) || (0x30A0..<0x3100).contains(v)
        || (0x4E00..<0xA000).contains(v) || (0xAC00..<0xD7A4).contains(v) || (0xFF01..<0xFF9E).contains(v)
}

/// Whether a scalar has the White_Space property (as `Unicode.Scalar.Properties.isWhitespace`).
@inline(__always)
func isWhitespaceScalar(_ v: UInt32) -> Bool {
    if v < 0x80 { return v == 0x20 || (0x09...0x0D).contains(v) }
    return v == 0x85 || v == 0xA0 || v == 0x1680 || (0x2000...0x200A).contains(v) || v == 0x2028 || v == 0x2029
        || v == 0x202F || v == 0x205F || v == 0x3000
}

/// Whether two scalars side by side make one grapheme cluster (the exact test, for flagged pairs).
private func join(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
    var pair = String()
    pair.unicodeScalars.append(a)
    pair.unicodeScalars.append(b)
    return pair.count == 1
}

/// Decodes the scalar that starts at `i` in valid UTF-8, with its length.
@inline(__always)
private func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: UInt32, length: Int) {
    let b0 = UInt32(bytes[i])
    if b0 < 0x80 { return (b0, 1) }
    if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), 2) }
    if b0 < 0xF0 {
        return ((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F), 3)
    }
    return (
        (b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
            | UInt32(bytes[i + 3] & 0x3F), 4
    )
}

/// Whether every ASCII scalar of `text` (and every whitespace scalar, if `whitespace`) is a
/// grapheme cluster on its own, and `text` holds no carriage return.
func scalarsAreClusters(_ text: String, whitespace: Bool = false) -> Bool {
    withBytes(text) { bytes in
        var previous: UInt32 = 0
        var previousMatters = false
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte < 0x80 {
                if byte == 0x0D { return false }
                // An ASCII scalar never extends the one before it; the one before may prepend.
                if i > 0, previous >= 0x80, !isPlain(previous), let p = Unicode.Scalar(previous), mayPrepend(p),
                    join(p, Unicode.Scalar(byte))
                {
                    return false
                }
                previous = UInt32(byte)
                previousMatters = true
                i += 1
                continue
            }
            let (value, length) = decode(bytes, i)
            let matters = whitespace && isWhitespaceScalar(value)
            if i > 0, let scalar = Unicode.Scalar(value), let p = Unicode.Scalar(previous) {
                if previousMatters, !isPlain(value), mayExtend(scalar), join(p, scalar) { return false }
                if matters, previous >= 0x80, !isPlain(previous), mayPrepend(p), join(p, scalar) { return false }
            }
            previous = value
            previousMatters = matters
            i += length
        }
        return true
    }
}

/// Appends `bytes` HTML-escaped (`& < > "`) to `out`.
@inline(__always)
private func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to out: inout [UInt8]) {
    var start = range.lowerBound
    var i = range.lowerBound
    while i < range.upperBound {
        let byte = bytes[i]
        let replacement: StaticString
        switch byte {
        case UInt8(ascii: "&"): replacement = "&amp;"
        case UInt8(ascii: "<"): replacement = "&lt;"
        case UInt8(ascii: ">"): replacement = "&gt;"
        case UInt8(ascii: "\""): replacement = "&quot;"
        default:
            i += 1
            continue
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
        out.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
        i += 1
        start = i
    }
    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<range.upperBound]))
}

@inline(__always)
private func append(_ text: StaticString, to out: inout [UInt8]) {
    out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
}

/// Runs `body` on the UTF-8 bytes of `text`, copying them only if the string is not contiguous.
@inline(__always)
private func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
    var copy = text
    return copy.withUTF8(body)
}

/// ``htmlAlternative(of:language:)`` on bytes, for a text that passed ``scalarsAreClusters(_:whitespace:)``.
func fastHTMLAlternative(of text: String, language: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count + text.utf8.count / 8 + 160)
    append("<!DOCTYPE html>\n<html lang=\"", to: &out)
    withBytes(language) { appendEscaped($0, 0..<$0.count, to: &out) }
    append("\"", to: &out)
    if language == "ar" { append(" dir=\"rtl\"", to: &out) }
    append(">\n<head><meta charset=\"utf-8\"></head>\n<body>\n", to: &out)
    withBytes(text) { bytes in
        let n = bytes.count
        // The lines of the paragraph or list being gathered, as byte ranges (without "- ").
        var prose: [Range<Int>] = []
        var items: [Range<Int>] = []
        func flush() {
            if !prose.isEmpty {
                append("<p>", to: &out)
                for (k, line) in prose.enumerated() {
                    if k > 0 { append("<br>\n", to: &out) }
                    if isBareWebAddress(UnsafeBufferPointer(rebasing: bytes[line])) {
                        append("<a href=\"", to: &out)
                        appendEscaped(bytes, line, to: &out)
                        append("\">", to: &out)
                        appendEscaped(bytes, line, to: &out)
                        append("</a>", to: &out)
                    } else {
                        appendEscaped(bytes, line, to: &out)
                    }
                }
                append("</p>\n", to: &out)
            }
            if !items.isEmpty {
                append("<ul>\n", to: &out)
                for item in items {
                    append("<li>", to: &out)
                    appendEscaped(bytes, item, to: &out)
                    append("</li>\n", to: &out)
                }
                append("</ul>\n", to: &out)
            }
            prose.removeAll(keepingCapacity: true)
            items.removeAll(keepingCapacity: true)
        }
        // Blocks are separated by "\n\n", searched left to right without overlap, as
        // `components(separatedBy:)` does; empty blocks are skipped.
        var blockStart = 0
        while blockStart <= n {
            var blockEnd = blockStart
            while blockEnd + 1 < n, !(bytes[blockEnd] == 0x0A && bytes[blockEnd + 1] == 0x0A) { blockEnd += 1 }
            if blockEnd + 1 >= n { blockEnd = n }
            if blockEnd > blockStart {
                // Lines, empty ones omitted.
                var lineStart = blockStart
                while lineStart < blockEnd {
                    var lineEnd = lineStart
                    while lineEnd < blockEnd, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                    if lineEnd > lineStart {
                        if lineEnd - lineStart >= 2, bytes[lineStart] == UInt8(ascii: "-"),
                            bytes[lineStart + 1] == UInt8(ascii: " ")
                        {
                            if !prose.isEmpty { flush() }
                            items.append((lineStart + 2)..<lineEnd)
                        } else {
                            if !items.isEmpty { flush() }
                            prose.append(lineStart..<lineEnd)
                        }
                    }
                    lineStart = lineEnd + 1
                }
                flush()
            }
            blockStart = blockEnd + 2
        }
    }
    append("</body>\n</html>\n", to: &out)
    return String(decoding: out, as: UTF8.self)
}

/// ``tidyBody(_:)`` on bytes, for a text that passed ``scalarsAreClusters(_:whitespace:)``.
func fastTidyBody(_ text: String) -> String {
    withBytes(text) { bytes in
        let n = bytes.count
        var out: [UInt8] = []
        out.reserveCapacity(n + 1)
        var hasLines = false  // a non-empty line was written
        var pendingBlank = false  // one blank line to write before the next non-empty one
        var lineStart = 0
        while lineStart <= n {
            var lineEnd = lineStart
            while lineEnd < n, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var end = lineEnd
            while end > lineStart, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            if end == lineStart {
                if hasLines { pendingBlank = true }
            } else {
                if hasLines {
                    out.append(0x0A)
                    if pendingBlank { out.append(0x0A) }
                }
                pendingBlank = false
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lineStart..<end]))
                hasLines = true
            }
            lineStart = lineEnd + 1
        }
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }
}

/// ``tidySubject(_:)`` on bytes, for a text that passed ``scalarsAreClusters(_:whitespace:)``
/// with `whitespace`.
func fastTidySubject(_ text: String) -> String {
    withBytes(text) { bytes in
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        var i = 0
        while i < bytes.count {
            let (value, length) = decode(bytes, i)
            if isWhitespaceScalar(value), value != 0xA0, value != 0x202F {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]))
            }
            i += length
        }
        return String(decoding: out, as: UTF8.self)
    }
}
