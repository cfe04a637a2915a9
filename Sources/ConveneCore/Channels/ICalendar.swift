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
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:\(productID)",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
        ]
        let dtstamp = MailRenderer.CivilTime(stamp).iCalendarUTC
        for entry in entries {
            let uid = entry.uid.isEmpty
                ? MessageID.digest("\(entry.summary)/\(entry.start.timeIntervalSince1970)") + "@convene"
                : entry.uid
            lines += [
                "BEGIN:VEVENT",
                "UID:" + escapeText(uid),
                "DTSTAMP:" + dtstamp,
                "DTSTART:" + MailRenderer.CivilTime(entry.start).iCalendarUTC,
            ]
            if entry.end > entry.start {
                lines.append("DTEND:" + MailRenderer.CivilTime(entry.end).iCalendarUTC)
            }
            lines.append("SUMMARY:" + escapeText(entry.summary))
            if !entry.location.isEmpty {
                lines.append("LOCATION:" + escapeText(entry.location))
            }
            if let organizer {
                lines.append(organizerLine(organizer))
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped;
    /// other control characters, which TEXT cannot hold, become spaces.
    static func escapeText(_ text: String) -> String {
        var result = ""
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\r": result += "\\n"
            case "\n": if !previousWasCR { result += "\\n" }
            case "\t": result += "\t"
            default:
                let value = scalar.value
                if value < 0x20 || value == 0x7F {
                    result += " "
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
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

    /// Folds a content line (RFC 5545 §3.1): at most 75 octets a line, continuation lines start
    /// with a space, and a fold never falls inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var result = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let length = UTF8.width(scalar)
            if octets + length > 75 {
                result += "\r\n "
                octets = 1
            }
            result.unicodeScalars.append(scalar)
            octets += length
        }
        return result
    }

    private static func organizerLine(_ organizer: Mailbox) -> String {
        let name = (organizer.name ?? "").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        let parameters = name.isEmpty ? "" : ";CN=" + parameterValue(name)
        return "ORGANIZER\(parameters):mailto:\(MailRenderer.addressSpec(organizer.email))"
    }
}
