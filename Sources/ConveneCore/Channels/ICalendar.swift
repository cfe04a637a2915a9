public import ConveneKit
public import Foundation

/// Writes calendar entries as an iCalendar object (RFC 5545) for a letter's `event.ics`.
///
/// The object's method is `PUBLISH` (RFC 5546): the letter announces the dates, and the
/// invitee's reply goes through the campaign (web form, note verbale), not through an iTIP
/// `REPLY` to an organizer's calendar, which `REQUEST` would ask for (with `ATTENDEE`s and
/// RSVP buttons that would answer to an outbox). Times are written in UTC form
/// (`20240528T070000Z`), which needs no `VTIMEZONE` and which every client shows in the
/// reader's own zone; ``CalendarEntry/timeZone`` is therefore not needed here.
public enum ICalendar {
    /// The `PRODID` of the objects Convene writes.
    public static let productID = "-//Convene//Convene//EN"

    /// Renders entries as one `VCALENDAR` with one `VEVENT` each.
    ///
    /// Text values are escaped (`\\`, `\;`, `\,`, `\n`), content lines are folded at 75 octets
    /// between UTF-8 sequences, and lines end with CRLF. An entry whose end is not after its
    /// start gets no `DTEND` (RFC 5545 requires it to be later). The output is a function of
    /// the arguments alone.
    /// - Parameters:
    ///   - entries: The events; RFC 5545 wants at least one.
    ///   - stamp: The `DTSTAMP`: when the object was made (the message's date).
    ///   - organizer: The `ORGANIZER`, which `PUBLISH` requires; nil to leave it out.
    /// - Returns: The iCalendar text, ending with CRLF.
    public static func render(_ entries: [CalendarEntry], stamp: Date, organizer: Mailbox?) -> String {
        var out = ByteWriter(capacity: 640 * entries.count + 256)
        append(entries, stamp: stamp, organizer: organizer, to: &out)
        return out.string
    }

    /// Appends ``render(_:stamp:organizer:)``'s text as UTF-8.
    static func append(_ entries: [CalendarEntry], stamp: Date, organizer: Mailbox?, to out: inout ByteWriter) {
        out.append("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
        out.append(productID)
        out.append("\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n")
        let dtstamp = MailRenderer.CivilTime(stamp)
        let organizerLine = organizer.map(organizerLine)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { buffer in
            var line = ByteWriter(lending: buffer)
            appendEvents(entries, stamp: dtstamp, organizerLine: organizerLine, line: &line, to: &out)
        }
        out.append("END:VCALENDAR\r\n")
    }

    /// Appends one `VEVENT` per entry; `line` is scratch.
    private static func appendEvents(
        _ entries: [CalendarEntry], stamp dtstamp: MailRenderer.CivilTime, organizerLine: [UInt8]?,
        line: inout ByteWriter, to out: inout ByteWriter
    ) {
        for entry in entries {
            out.append("BEGIN:VEVENT\r\n")
            let uid = entry.uid.isEmpty
                ? MessageID.digest("\(entry.summary)/\(entry.start.timeIntervalSince1970)") + "@convene"
                : entry.uid
            appendTextLine("UID:", uid, line: &line, to: &out)
            out.append("DTSTAMP:")
            dtstamp.appendICalendarUTC(to: &out)
            out.append("\r\nDTSTART:")
            MailRenderer.CivilTime(entry.start).appendICalendarUTC(to: &out)
            out.appendCRLF()
            if entry.end > entry.start {
                out.append("DTEND:")
                MailRenderer.CivilTime(entry.end).appendICalendarUTC(to: &out)
                out.appendCRLF()
            }
            appendTextLine("SUMMARY:", entry.summary, line: &line, to: &out)
            if !entry.location.isEmpty {
                appendTextLine("LOCATION:", entry.location, line: &line, to: &out)
            }
            if let organizerLine {
                organizerLine.withUnsafeBufferPointer { appendFolded($0, to: &out) }
            }
            out.append("END:VEVENT\r\n")
        }
    }

    /// Appends the content line `name` + a TEXT value, folded, with its CRLF; `line` is scratch.
    static func appendTextLine(_ name: StaticString, _ value: String, line: inout ByteWriter, to out: inout ByteWriter) {
        line.count = 0
        line.append(name)
        ByteScan.withUTF8(value) { appendEscapedText($0, to: &line) }
        line.withBytes { appendFolded($0, to: &out) }
    }

    /// Appends a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks
    /// escaped; other control characters, which TEXT cannot hold, become spaces.
    static func appendEscapedText(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
        guard let source = bytes.baseAddress else { return }
        let count = bytes.count
        out.reserve(2 * count + 8)
        let target = out.base + out.count
        var written = 0
        var index = 0
        var previousWasCR = false
        while index < count {
            // Eight bytes at a time while none needs escaping.
            if index &+ 8 <= count {
                let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
                var special = ByteScan.bytesBelow(0x20, in: word) | ByteScan.bytesBelow(1, in: word ^ ByteScan.lanes(0x7F))
                special |= ByteScan.bytesBelow(1, in: word ^ ByteScan.lanes(UInt8(ascii: "\\")))
                special |= ByteScan.bytesBelow(1, in: word ^ ByteScan.lanes(UInt8(ascii: ";")))
                special |= ByteScan.bytesBelow(1, in: word ^ ByteScan.lanes(UInt8(ascii: ",")))
                if special == 0 {
                    UnsafeMutableRawPointer(target + written).storeBytes(of: word, as: UInt64.self)
                    written &+= 8
                    index &+= 8
                    previousWasCR = false
                    continue
                }
            }
            let byte = source[index]
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: ";"), UInt8(ascii: ","):
                target[written] = UInt8(ascii: "\\")
                target[written &+ 1] = byte
                written &+= 2
            case 0x0D:
                target[written] = UInt8(ascii: "\\")
                target[written &+ 1] = UInt8(ascii: "n")
                written &+= 2
            case 0x0A:
                if !previousWasCR {
                    target[written] = UInt8(ascii: "\\")
                    target[written &+ 1] = UInt8(ascii: "n")
                    written &+= 2
                }
            case 0x09:
                target[written] = byte
                written &+= 1
            case 0..<0x20, 0x7F:
                target[written] = 0x20
                written &+= 1
            default:
                target[written] = byte
                written &+= 1
            }
            previousWasCR = byte == 0x0D
            index &+= 1
        }
        out.count &+= written
    }

    /// Appends a content line folded (RFC 5545 §3.1), with its CRLF: at most 75 octets a line,
    /// continuation lines start with a space, and a fold never falls inside a UTF-8 sequence.
    static func appendFolded(_ line: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
        var start = 0
        var room = 75
        out.reserve(line.count + line.count / 74 * 3 + 5)
        while line.count - start > room {
            var cut = start + room
            while line[cut] & 0xC0 == 0x80 { cut -= 1 }
            out.append(UnsafeBufferPointer(rebasing: line[start..<cut]))
            out.append("\r\n ")
            start = cut
            room = 74
        }
        out.append(UnsafeBufferPointer(rebasing: line[start...]))
        out.appendCRLF()
    }

    /// A parameter value (RFC 5545 §3.2), quoted when it holds `:`, `;` or `,`, with RFC 6868
    /// caret escapes for what a quoted value cannot hold (`"`, line breaks, `^` itself).
    static func parameterValue(_ text: String) -> String {
        var value = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "^": value += "^^"
            case "\"": value += "^'"
            case "\n", "\r": value += "^n"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    value += " "
                } else {
                    value.unicodeScalars.append(scalar)
                }
            }
        }
        return value.contains(where: { ":;,".contains($0) }) ? "\"\(value)\"" : value
    }

    /// The `ORGANIZER` content line (unfolded): `ORGANIZER;CN=name:mailto:address`, the name's
    /// runs of white space made one space.
    static func organizerLine(_ organizer: Mailbox) -> [UInt8] {
        var line = ByteWriter(capacity: 128)
        line.append("ORGANIZER")
        let name = organizer.name ?? ""
        if let value = commonNameValue(name) {
            if !value.isEmpty {
                line.append(";CN=")
                line.append(value)
            }
        } else {
            let name = name.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            if !name.isEmpty {
                line.append(";CN=")
                line.append(parameterValue(name))
            }
        }
        line.append(":mailto:")
        line.append(MailRenderer.addressSpec(organizer.email))
        return line.bytes
    }

    /// Unicode White_Space beyond ASCII (what `Character.isWhitespace` tests of a character's
    /// first scalar); checked against the standard library by the tests.
    static func isNonASCIIWhitespace(_ value: UInt32) -> Bool {
        switch value {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// ``parameterValue(_:)`` of a name with its runs of white space made one space, from the
    /// name's bytes; nil when characters are not all single scalars, or there are controls
    /// (which `Character` may group), for the `String` path.
    private static func commonNameValue(_ name: String) -> [UInt8]? {
        ByteScan.withUTF8(name) { bytes -> [UInt8]? in
            var value: [UInt8] = []
            value.reserveCapacity(bytes.count + 2)
            value.append(UInt8(ascii: "\""))  // removed below unless needed
            var needsQuotes = false
            var pendingSpace = false
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                var length = 1
                var isWhitespace = false
                if byte < 0x80 {
                    if byte < 0x20 { return nil }
                    isWhitespace = byte == 0x20
                } else {
                    length = byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                    var scalar = UInt32(byte) & (0xFF >> (length + 1))
                    for position in (index + 1)..<(index + length) { scalar = scalar << 6 | UInt32(bytes[position] & 0x3F) }
                    guard MailRenderer.EncodedWord.isClusterOnItsOwn(scalar) else { return nil }
                    isWhitespace = isNonASCIIWhitespace(scalar)
                }
                if isWhitespace {
                    pendingSpace = value.count > 1
                } else {
                    if pendingSpace { value.append(0x20) }
                    pendingSpace = false
                    switch byte {
                    case UInt8(ascii: "^"): value += [UInt8(ascii: "^"), UInt8(ascii: "^")]
                    case UInt8(ascii: "\""): value += [UInt8(ascii: "^"), UInt8(ascii: "'")]
                    case 0x7F: value.append(0x20)
                    case UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: ","):
                        needsQuotes = true
                        value.append(byte)
                    default:
                        for position in index..<(index + length) { value.append(bytes[position]) }
                    }
                }
                index += length
            }
            if value.count == 1 { return [] }
            if needsQuotes {
                value.append(UInt8(ascii: "\""))
            } else {
                value.removeFirst()
            }
            return value
        }
    }
}
