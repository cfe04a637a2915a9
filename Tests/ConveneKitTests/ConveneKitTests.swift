import ConveneKit
import Foundation
import Testing

@Suite("ConveneKit")
struct ConveneKitTests {
    @Test("offsets read 14d, 36h, 2w and 90m and refuse anything else")
    func offsets() {
        #expect(CalendarOffset("14d") == CalendarOffset(14, .days))
        #expect(CalendarOffset("36h") == CalendarOffset(36, .hours))
        #expect(CalendarOffset("2w") == CalendarOffset(2, .weeks))
        #expect(CalendarOffset("90m") == CalendarOffset(90, .minutes))
        for bad in ["", "d", "14", "14x", "-3d", "1.5d", "٣d", "14 d"] {
            #expect(CalendarOffset(bad) == nil, "\(bad)")
        }
    }

    @Test("three days before a deadline keeps the wall-clock time across the change to summer time")
    func offsetsAcrossDST() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Europe/Zurich"))
        // 2 April 2024 23:59 in Zurich (CEST); summer time began on 31 March.
        let deadline = try #require(calendar.date(from: DateComponents(year: 2024, month: 4, day: 2, hour: 23, minute: 59)))
        let reminder = CalendarOffset(3, .days).apply(to: deadline, sign: -1, in: calendar)
        let c = calendar.dateComponents([.month, .day, .hour, .minute], from: reminder)
        #expect((c.month, c.day, c.hour, c.minute) == (3, 30, 23, 59))
        #expect(deadline.timeIntervalSince(reminder) == 3 * 86400 - 3600)
    }

    @Test("French salutations follow the minister's gender; unknown ranks get Excellence")
    func salutations() {
        #expect(Salutation.opening(for: Principal(name: "A", title: "", gender: .female, rank: "minister"), in: "fr") == "Madame la Ministre,")
        #expect(Salutation.opening(for: Principal(name: "B", title: "", gender: .male, rank: "minister"), in: "fr") == "Monsieur le Ministre,")
        #expect(Salutation.opening(for: Principal(name: "C", title: "", gender: .male, rank: "head-of-state"), in: "fr") == "Excellence,")
        #expect(Salutation.opening(for: Principal(name: "D", title: "", gender: .unspecified), in: "en") == "Excellency,")
    }

    @Test("a letter template renders plain text unescaped and reports a syntax error's line and column")
    func templates() throws {
        let template = try LetterTemplate("Dear {{name}},\n{{#tracks}}- {{.}}\n{{/tracks}}")
        #expect(template.render(["name": "Ministre <X> & Co", "tracks": ["A", "B"]]) == "Dear Ministre <X> & Co,\n- A\n- B\n")
        let html = try LetterTemplate("<p>{{name}}</p>", kind: .html)
        #expect(html.render(["name": "<b>"]) == "<p>&lt;b&gt;</p>")
        #expect(throws: LetterTemplate.SyntaxError.self) { try LetterTemplate("line one\n{{#open}} never closed") }
        do {
            _ = try LetterTemplate("line one\n{{#open}} never closed")
        } catch {
            #expect(error.line == 2)
        }
    }
}
