public import Foundation

/// A span of calendar time written like `14d`, `36h`, `2w` or `90m`.
///
/// Days and weeks are calendar days in the event's time zone, so that "3 days before a deadline
/// at 23:59" is 23:59 three days earlier even across a change to summer time.
public struct CalendarOffset: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// The unit of an offset.
    public enum Unit: String, Sendable, Hashable, CaseIterable {
        case minutes = "m", hours = "h", days = "d", weeks = "w"
    }

    /// How many units.
    public var amount: Int
    /// Which unit.
    public var unit: Unit

    /// Creates an offset.
    public init(_ amount: Int, _ unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    /// Parses `14d`, `36h`, `2w`, `90m`.
    /// - Parameter text: the offset as written.
    /// - Returns: `nil` when the text is not an offset.
    public init?(_ text: String) {
        guard let last = text.last, let unit = Unit(rawValue: String(last)) else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let amount = Int(digits), amount <= 100_000
        else { return nil }
        self.init(amount, unit)
    }

    public var description: String { "\(amount)\(unit.rawValue)" }

    /// Length in minutes, for ordering offsets.
    public var approximateMinutes: Int {
        switch unit {
        case .minutes: amount
        case .hours: amount * 60
        case .days: amount * 1440
        case .weeks: amount * 10080
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.approximateMinutes < b.approximateMinutes }

    /// Moves a date by this offset, forwards or backwards, in a calendar.
    /// - Parameters:
    ///   - date: where to start.
    ///   - sign: `1` for after, `-1` for before.
    ///   - calendar: a Gregorian calendar in the event's time zone.
    /// - Returns: the moved date.
    public func apply(to date: Date, sign: Int, in calendar: Calendar) -> Date {
        let n = amount * sign
        let moved: Date? =
            switch unit {
            case .minutes: calendar.date(byAdding: .minute, value: n, to: date)
            case .hours: calendar.date(byAdding: .hour, value: n, to: date)
            case .days: calendar.date(byAdding: .day, value: n, to: date)
            case .weeks: calendar.date(byAdding: .day, value: 7 * n, to: date)
            }
        return moved ?? date
    }
}
