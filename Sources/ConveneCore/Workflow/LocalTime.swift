public import Foundation

/// Reads and writes local dates and times (`2024-02-29`, `2024-02-29T23:59`, `2024-02-29 23:59:30`)
/// in an event's time zone.
public struct LocalTime: Sendable {
    /// The Gregorian calendar in the event's time zone.
    public let calendar: Calendar

    /// Creates a reader for a time zone.
    public init(timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The instant a local date (midnight) or date-time names, or `nil` if the text is neither.
    /// - Parameter text: `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS]`.
    public func date(from text: String) -> Date? {
        let s = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= s.count else { return nil }
            var n = 0
            for c in s[range] {
                guard (0x30...0x39).contains(c) else { return nil }
                n = n * 10 + Int(c - 0x30)
            }
            return n
        }
        guard s.count >= 10, s[4] == 0x2D, s[7] == 0x2D, let year = number(0..<4), let month = number(5..<7),
            let day = number(8..<10)
        else { return nil }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        if s.count > 10 {
            guard s[10] == 0x54 || s[10] == 0x20, s.count == 16 || s.count == 19, s[13] == 0x3A,
                let hour = number(11..<13), let minute = number(14..<16)
            else { return nil }
            components.hour = hour
            components.minute = minute
            if s.count == 19 {
                guard s[16] == 0x3A, let second = number(17..<19) else { return nil }
                components.second = second
            }
        }
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(components.hour!),
            (0...59).contains(components.minute!), (0...59).contains(components.second!),
            let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day
        else { return nil }
        return date
    }

    /// `2024-02-29 23:59` in the time zone.
    public func string(from date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }
}
