import ConveneTestSupport
import Foundation
import Testing

@testable import Seat

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An SVG chart read back with XMLParser: its root's attributes, its text as lines with their
/// estimated boxes, its shapes' extents, and its seats' groups.
final class ParsedChart: NSObject, XMLParserDelegate {
    /// An axis-aligned rectangle.
    struct Box: CustomStringConvertible {
        var minX: Double
        var minY: Double
        var maxX: Double
        var maxY: Double

        func intersects(_ other: Box) -> Bool {
            minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
        }

        var description: String { "(\(minX), \(minY))–(\(maxX), \(maxY))" }
    }

    /// A line of text as drawn: where, anchored how, at what size, saying what.
    struct TextLine {
        var x: Double
        var y: Double
        /// The physical anchor: `start` is the left-hand end, whatever the direction.
        var anchor: String
        var size: Double
        var content: String
        /// The id of the seat group it is in, if any.
        var seat: String?

        /// Its box by the chart's own estimate of text width, 0.8 em up and 0.25 em down.
        var box: Box {
            let width = SeatingChart.estimatedWidth(of: content, fontSize: size)
            let left =
                switch anchor {
                case "end": x - width
                case "middle": x - width / 2
                default: x
                }
            return Box(minX: left, minY: y - 0.8 * size, maxX: left + width, maxY: y + 0.25 * size)
        }
    }

    /// A seat's group.
    struct Seat {
        var id: String
        var title = ""
        var circle: (x: Double, y: Double, r: Double)?
        /// The texts in it: the number, then the name, each as its lines.
        var texts: [[TextLine]] = []
    }

    var root: [String: String] = [:]
    var documentTitle = ""
    var lines: [TextLine] = []
    var shapes: [Box] = []
    var seats: [Seat] = []
    var fontSizes: [Double] = []

    private var elements: [String] = []
    private var groups: [String] = []
    private var text: (x: Double, y: Double, anchor: String, size: Double, lines: [TextLine], content: String)?
    private var span: TextLine?
    private var titleText: String?
    private var rightToLeft = false

    var viewBox: Box {
        let numbers = (root["viewBox"] ?? "").split(separator: " ").compactMap { Double($0) }
        guard numbers.count == 4 else { return Box(minX: 0, minY: 0, maxX: 0, maxY: 0) }
        return Box(minX: numbers[0], minY: numbers[1], maxX: numbers[0] + numbers[2], maxY: numbers[1] + numbers[3])
    }

    /// The seat groups by id.
    var seatsByID: [String: Seat] {
        Dictionary(seats.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func parse(_ svg: String) throws -> ParsedChart {
        let chart = ParsedChart()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = chart
        let parsed = parser.parse()
        try #require(parsed, "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)")
        return chart
    }

    private func double(_ attributes: [String: String], _ name: String) -> Double {
        attributes[name].flatMap(Double.init) ?? 0
    }

    private func physical(_ anchor: String) -> String {
        guard rightToLeft else { return anchor }
        return anchor == "start" ? "end" : anchor == "end" ? "start" : anchor
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(name)
        switch name {
        case "svg":
            root = attributes
            rightToLeft = attributes["direction"] == "rtl"
        case "g":
            groups.append(attributes["id"] ?? "")
            if let id = attributes["id"], id.hasPrefix("seat-") { seats.append(Seat(id: id)) }
        case "title":
            titleText = ""
        case "text":
            let size = double(attributes, "font-size")
            fontSizes.append(size)
            text = (
                double(attributes, "x"), double(attributes, "y"), physical(attributes["text-anchor"] ?? "start"), size, [], ""
            )
        case "tspan":
            if let text {
                span = TextLine(
                    x: double(attributes, "x"), y: double(attributes, "y"), anchor: text.anchor, size: text.size, content: "",
                    seat: nil)
            }
        case "circle":
            let x = double(attributes, "cx"), y = double(attributes, "cy"), r = double(attributes, "r")
            shapes.append(Box(minX: x - r, minY: y - r, maxX: x + r, maxY: y + r))
            if groups.last?.hasPrefix("seat-") == true, !seats.isEmpty { seats[seats.count - 1].circle = (x, y, r) }
        case "rect":
            let x = double(attributes, "x"), y = double(attributes, "y")
            shapes.append(
                Box(minX: x, minY: y, maxX: x + double(attributes, "width"), maxY: y + double(attributes, "height")))
        case "line":
            let x1 = double(attributes, "x1"), y1 = double(attributes, "y1")
            let x2 = double(attributes, "x2"), y2 = double(attributes, "y2")
            shapes.append(Box(minX: min(x1, x2), minY: min(y1, y2), maxX: max(x1, x2), maxY: max(y1, y2)))
        case "polygon":
            let numbers = (attributes["points"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).compactMap {
                Double($0)
            }
            let xs = stride(from: 0, to: numbers.count, by: 2).map { numbers[$0] }
            let ys = stride(from: 1, to: numbers.count, by: 2).map { numbers[$0] }
            shapes.append(Box(minX: xs.min() ?? 0, minY: ys.min() ?? 0, maxX: xs.max() ?? 0, maxY: ys.max() ?? 0))
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if titleText != nil {
            titleText! += string
        } else if span != nil {
            span!.content += string
        } else if text != nil {
            text!.content += string
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        elements.removeLast()
        let seat = groups.last.flatMap { $0.hasPrefix("seat-") ? $0 : nil }
        switch name {
        case "g":
            groups.removeLast()
        case "title":
            if elements.last == "svg" {
                documentTitle = titleText ?? ""
            } else if seat != nil, !seats.isEmpty {
                seats[seats.count - 1].title = titleText ?? ""
            }
            titleText = nil
        case "tspan":
            if var line = span {
                line.seat = seat
                text?.lines.append(line)
            }
            span = nil
        case "text":
            guard let text else { break }
            let textLines =
                text.lines.isEmpty
                ? [TextLine(x: text.x, y: text.y, anchor: text.anchor, size: text.size, content: text.content, seat: seat)]
                : text.lines
            lines.append(contentsOf: textLines)
            if seat != nil, !seats.isEmpty { seats[seats.count - 1].texts.append(textLines) }
            self.text = nil
        default:
            break
        }
    }
}

@Suite("seating chart")
struct SeatingChartTests {
    /// The French names of the 193 Member States of the United Nations.
    static let memberStates: [String] = {
        guard let url = Bundle.module.url(forResource: "member-states-fr", withExtension: "txt", subdirectory: "Fixtures"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").map(String.init)
    }()

    /// The `count` longest Member States' names, longest first (ties alphabetically), or names
    /// made from them with a number when more are asked for than there are.
    static func longNames(_ count: Int) -> [String] {
        let longest = memberStates.sorted { ($0.count, $1) > ($1.count, $0) }
        return (0..<count).map { index in
            index < longest.count ? longest[index] : "\(longest[index % longest.count]) \(index / longest.count + 1)"
        }
    }

    static func chart(
        _ names: [String], _ layout: SeatingChart.Layout, language: String = "fr", seatsPerRow: Int? = nil,
        title: String = "Table ronde A"
    ) -> SeatingChart {
        let places = names.enumerated().map { SeatingChart.Place(number: $0 + 1, id: "D\($0 + 1)", name: $1) }
        return SeatingChart(
            title: title, subtitle: "Événement de haut niveau du SMSI+20 — CICG, Genève", places: places, layout: layout,
            seatsPerRow: seatsPerRow, language: language)
    }

    /// Whether the lines of a wrapped name joined back, with a space where the name had one,
    /// give the name.
    static func joins(_ lines: [String], into name: String) -> Bool {
        var rest = Substring(name)
        for (index, line) in lines.enumerated() {
            if index > 0, rest.first == " " { rest = rest.dropFirst() }
            guard rest.hasPrefix(line) else { return false }
            rest = rest.dropFirst(line.count)
        }
        return rest.isEmpty
    }

    /// The first two lines of text whose boxes intersect, if any, found by a sweep from left to right.
    static func firstOverlap(_ lines: [ParsedChart.TextLine]) -> (ParsedChart.TextLine, ParsedChart.TextLine)? {
        let boxes = lines.map(\.box)
        let order = boxes.indices.sorted { boxes[$0].minX < boxes[$1].minX }
        for (position, a) in order.enumerated() {
            for b in order[(position + 1)...] {
                if boxes[b].minX >= boxes[a].maxX { break }
                if boxes[a].intersects(boxes[b]) { return (lines[a], lines[b]) }
            }
        }
        return nil
    }

    static let markupAndScripts = [
        "Trinité & Tobago <essai>", "Côte d'Ivoire", "La \"République\" d'en face", "République démocratique populaire lao",
        "المملكة العربية السعودية", "大不列颠及北爱尔兰联合王国", "Ελληνική Δημοκρατία", "Российская Федерация",
        "Åland & Ñandú <\"'>", "São Tomé-et-Príncipe",
    ]

    @Test(
        "every layout gives well-formed XML, even with markup characters and names in other scripts",
        arguments: SeatingChart.Layout.allCases)
    func wellFormed(layout: SeatingChart.Layout) throws {
        let svg = Self.chart(Self.markupAndScripts, layout, title: "Plan <A> & \"B\" d'honneur").svg
        let chart = try ParsedChart.parse(svg)
        #expect(chart.documentTitle == "Plan <A> & \"B\" d'honneur")
        #expect(chart.root["lang"] == "fr")
        for (index, name) in Self.markupAndScripts.enumerated() {
            let seat = try #require(chart.seatsByID["seat-\(index + 1)"])
            #expect(seat.title == "\(index + 1). \(name)")
            #expect(Self.joins(seat.texts.last?.map(\.content) ?? [], into: name), "seat \(index + 1): \(seat.texts)")
        }
    }

    @Test("characters XML forbids are replaced, so the chart still parses", arguments: SeatingChart.Layout.allCases)
    func forbiddenCharacters(layout: SeatingChart.Layout) throws {
        let chart = try ParsedChart.parse(Self.chart(["Bell\u{7}e \u{1}Île", "Tab\there"], layout).svg)
        #expect(chart.seatsByID["seat-1"]?.title == "1. Bell\u{FFFD}e \u{FFFD}Île")
    }

    @Test("every place shows its number and its full name", arguments: SeatingChart.Layout.allCases)
    func everyPlace(layout: SeatingChart.Layout) throws {
        let names = Self.memberStates
        try #require(names.count == 193)
        let chart = try ParsedChart.parse(Self.chart(names, layout).svg)
        #expect(chart.seats.count == 193)
        #expect(Set(chart.seats.map(\.id)).count == 193, "seat ids are unique")
        for (index, name) in names.enumerated() {
            let seat = try #require(chart.seatsByID["seat-\(index + 1)"])
            try #require(seat.texts.count == 2, "seat \(index + 1) has a number and a name")
            #expect(seat.texts[0].map(\.content) == ["\(index + 1)"])
            let nameLines = seat.texts[1].map(\.content)
            #expect(Self.joins(nameLines, into: name), "seat \(index + 1): \(nameLines) is not \(name)")
            #expect(nameLines.count <= 3)
            #expect(seat.title == "\(index + 1). \(name)")
        }
    }

    static let sizes = SeatingChart.Layout.allCases.flatMap { layout in [12, 60, 193].map { (layout, $0) } }

    @Test("no two labels overlap, by the chart's own estimate of text width", arguments: sizes)
    func noOverlap(layout: SeatingChart.Layout, count: Int) throws {
        let chart = try ParsedChart.parse(Self.chart(Self.longNames(count), layout).svg)
        #expect(chart.seats.count == count)
        if let (a, b) = Self.firstOverlap(chart.lines) {
            Issue.record("'\(a.content)' \(a.box) overlaps '\(b.content)' \(b.box)")
        }
    }

    @Test("everything lies inside the view box", arguments: sizes)
    func insideViewBox(layout: SeatingChart.Layout, count: Int) throws {
        let chart = try ParsedChart.parse(Self.chart(Self.longNames(count), layout).svg)
        let view = chart.viewBox
        #expect(view.maxX > 0 && view.maxY > 0)
        for box in chart.lines.map(\.box) + chart.shapes {
            #expect(
                box.minX >= view.minX && box.minY >= view.minY && box.maxX <= view.maxX && box.maxY <= view.maxY,
                "\(box) is outside the view box \(view)")
        }
        // The title is wider than a small room: it sets the width, and stays inside too.
        let wide = try ParsedChart.parse(Self.chart(["Iraq"], layout, title: String(repeating: "Titre très long ", count: 12)).svg)
        for box in wide.lines.map(\.box) + wide.shapes {
            #expect(box.minX >= 0 && box.maxX <= wide.viewBox.maxX && box.minY >= 0 && box.maxY <= wide.viewBox.maxY)
        }
    }

    @Test(
        "an Arabic chart runs right to left, with names in other scripts, and its labels still do not overlap",
        arguments: SeatingChart.Layout.allCases)
    func rightToLeft(layout: SeatingChart.Layout) throws {
        let names = [
            "المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية", "جمهورية لاو الديمقراطية الشعبية", "الإمارات العربية المتحدة",
            "سانت فنسنت وجزر غرينادين", "المملكة العربية السعودية", "جمهورية الكونغو الديمقراطية", "الأردن", "مصر",
            "大不列颠及北爱尔兰联合王国", "Saint-Vincent-et-les Grenadines", "العراق", "اليمن", "جمهورية تنزانيا المتحدة",
        ]
        let svg = Self.chart(names, layout, language: "ar").svg
        let chart = try ParsedChart.parse(svg)
        #expect(chart.root["direction"] == "rtl")
        #expect(chart.root["lang"] == "ar")
        #expect(Self.firstOverlap(chart.lines) == nil)
        let view = chart.viewBox
        for box in chart.lines.map(\.box) {
            #expect(box.minX >= 0 && box.maxX <= view.maxX && box.minY >= 0 && box.maxY <= view.maxY)
        }
    }

    @Test("rooms of one to five places are drawn whole, without overlaps", arguments: SeatingChart.Layout.allCases)
    func smallRooms(layout: SeatingChart.Layout) throws {
        for count in 1...5 {
            let chart = try ParsedChart.parse(Self.chart(Self.longNames(count), layout).svg)
            #expect(chart.seats.count == count)
            #expect(Self.firstOverlap(chart.lines) == nil, "\(count) places")
            let view = chart.viewBox
            for box in chart.lines.map(\.box) + chart.shapes {
                #expect(box.minX >= 0 && box.maxX <= view.maxX && box.minY >= 0 && box.maxY <= view.maxY, "\(count) places")
            }
        }
    }

    @Test("text is never smaller than 11 units", arguments: SeatingChart.Layout.allCases)
    func fontSizes(layout: SeatingChart.Layout) throws {
        let chart = try ParsedChart.parse(Self.chart(Self.longNames(30), layout).svg)
        #expect(!chart.fontSizes.isEmpty)
        #expect(chart.fontSizes.allSatisfy { $0 >= 11 })
    }

    @Test("the same chart renders to the same bytes", arguments: SeatingChart.Layout.allCases)
    func deterministic(layout: SeatingChart.Layout) {
        let names = Self.longNames(60)
        let first = Self.chart(names, layout).svg
        #expect(first == Self.chart(names, layout).svg)
        let chart = Self.chart(names, layout)
        #expect(chart.svg == chart.svg)
    }

    @Test("with no one to seat, the chart says so", arguments: SeatingChart.Layout.allCases)
    func empty(layout: SeatingChart.Layout) throws {
        let french = try ParsedChart.parse(Self.chart([], layout).svg)
        #expect(french.seats.isEmpty)
        #expect(french.lines.map(\.content).contains("Aucune délégation à placer."))
        let english = try ParsedChart.parse(Self.chart([], layout, language: "en").svg)
        #expect(english.lines.map(\.content).contains("No delegation to seat."))
        #expect(Self.firstOverlap(english.lines) == nil)
    }

    @Test("at a round table seat 1 is at the top and numbers run clockwise, names outside and level")
    func roundTableGeometry() throws {
        let chart = try ParsedChart.parse(Self.chart(Self.longNames(12), .roundTable).svg)
        let seats = chart.seatsByID
        let centres = try (1...12).map { try #require(seats["seat-\($0)"]?.circle) }
        let centreX = centres.map(\.x).reduce(0, +) / 12
        let centreY = centres.map(\.y).reduce(0, +) / 12
        #expect(abs(centres[0].x - centreX) < 0.1 && centres[0].y < centreY, "seat 1 at the top")
        #expect(centres[6].y > centreY && abs(centres[6].x - centreX) < 0.1, "seat 7 at the bottom")
        #expect(centres[3].x > centreX && abs(centres[3].y - centreY) < 0.1, "seat 4 on the right: clockwise")
        #expect(centres[9].x < centreX, "seat 10 on the left")
        let anchors = try (1...12).map { try #require(seats["seat-\($0)"]?.texts.last?.first?.anchor) }
        #expect(anchors[0] == "middle" && anchors[6] == "middle")
        #expect(anchors[1...5].allSatisfy { $0 == "start" })
        #expect(anchors[7...11].allSatisfy { $0 == "end" })
        // Every name is farther from the centre than its seat's edge.
        for (index, centre) in centres.enumerated() {
            let label = try #require(seats["seat-\(index + 1)"]?.texts.last?.first)
            let seatDistance = ((centre.x - centreX) * (centre.x - centreX) + (centre.y - centreY) * (centre.y - centreY)).squareRoot()
            let labelDistance = ((label.x - centreX) * (label.x - centreX) + (label.y - centreY) * (label.y - centreY)).squareRoot()
            #expect(labelDistance > seatDistance + centre.r)
        }
    }

    @Test("the round table grows with the number of seats")
    func roundTableGrows() throws {
        func radius(_ count: Int) throws -> Double {
            let chart = try ParsedChart.parse(Self.chart(Self.longNames(count), .roundTable).svg)
            let seats = chart.seatsByID
            let top = try #require(seats["seat-1"]?.circle)
            let bottom = try #require(seats["seat-\(count / 2 + 1)"]?.circle)
            return (bottom.y - top.y) / 2
        }
        #expect(try radius(60) > radius(12))
        #expect(try radius(193) > radius(60))
    }

    @Test("a U is numbered down the left arm, along the base and up the right arm, open towards the chair")
    func uShapeGeometry() throws {
        let chart = try ParsedChart.parse(Self.chart(Self.longNames(24), .uShape).svg)
        let seats = chart.seatsByID
        let centres = try (1...24).map { try #require(seats["seat-\($0)"]?.circle) }
        let leftX = centres[0].x
        let left = centres.prefix { abs($0.x - leftX) < 0.1 }
        let rightX = try #require(centres.last).x
        let right = centres.reversed().prefix { abs($0.x - rightX) < 0.1 }
        let base = centres[left.count..<(24 - right.count)]
        #expect(left.count == right.count && left.count > 0 && !base.isEmpty)
        #expect(zip(left, left.dropFirst()).allSatisfy { $0.y < $1.y }, "left arm from top to bottom")
        #expect(zip(base, base.dropFirst()).allSatisfy { $0.x < $1.x && $0.y == $1.y }, "base from left to right")
        #expect(base.allSatisfy { $0.y > left.last!.y && $0.x > leftX && $0.x < rightX }, "base below, between the arms")
        #expect(zip(right, right.dropFirst()).allSatisfy { $0.y < $1.y }, "right arm from bottom to top")
        #expect(chart.lines.contains { $0.content == "Présidence" && $0.y < centres[0].y }, "the chair at the open end")
        let anchors = try (1...24).map { try #require(seats["seat-\($0)"]?.texts.last?.first?.anchor) }
        #expect(anchors.prefix(left.count).allSatisfy { $0 == "end" })
        #expect(anchors.suffix(right.count).allSatisfy { $0 == "start" })
    }

    @Test("a theatre fills rows left to right from the front, under the podium")
    func theatreGeometry() throws {
        let chart = try ParsedChart.parse(Self.chart(Self.longNames(10), .theatre, seatsPerRow: 4).svg)
        let seats = chart.seatsByID
        let centres = try (1...10).map { try #require(seats["seat-\($0)"]?.circle) }
        #expect(centres[0..<4].allSatisfy { $0.y == centres[0].y } && centres[4].y > centres[0].y)
        #expect(zip(centres[0..<3], centres[1..<4]).allSatisfy { $0.x < $1.x })
        #expect(centres[4].x == centres[0].x && centres[8].x == centres[0].x && centres[8].y > centres[4].y)
        #expect(chart.lines.contains { $0.content == "Tribune" && $0.y < centres[0].y })
        // Names go under their seats, centred.
        for (index, centre) in centres.enumerated() {
            let name = try #require(seats["seat-\(index + 1)"]?.texts.last)
            #expect(name.allSatisfy { $0.anchor == "middle" && $0.x == centre.x && $0.y > centre.y + centre.r })
        }
        // By default ⌈√n⌉ seats to a row, at most 10.
        let nine = try ParsedChart.parse(Self.chart(Self.longNames(9), .theatre).svg).seatsByID
        #expect(nine["seat-3"]?.circle?.y == nine["seat-1"]?.circle?.y && nine["seat-4"]!.circle!.y > nine["seat-3"]!.circle!.y)
        let many = try ParsedChart.parse(Self.chart(Self.longNames(193), .theatre).svg).seatsByID
        #expect(many["seat-10"]?.circle?.y == many["seat-1"]?.circle?.y && many["seat-11"]!.circle!.y > many["seat-10"]!.circle!.y)
    }

    @Test(
        "rooms of hundreds of places at a round table or in a U still render, without overlaps",
        arguments: [SeatingChart.Layout.roundTable, .uShape])
    func largeRooms(layout: SeatingChart.Layout) throws {
        let chart = try ParsedChart.parse(Self.chart(Self.longNames(500), layout).svg)
        #expect(chart.seats.count == 500)
        #expect(Self.firstOverlap(chart.lines) == nil)
    }

    @Test("10,000 places in a theatre render quickly")
    func tenThousand() {
        let chart = Self.chart(Self.longNames(10_000), .theatre)
        let clock = ContinuousClock()
        var svg = ""
        let elapsed = clock.measure { svg = chart.svg }
        #expect(svg.hasSuffix("</svg>\n"))
        // Well under a second in a release build; a debug build is several times slower.
        #expect(elapsed < .seconds(5), "took \(elapsed)")
    }

    static let eight = [
        "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord", "Rwanda", "Sainte-Lucie", "Saint-Kitts-et-Nevis",
        "Saint-Vincent-et-les Grenadines", "Samoa", "République démocratique populaire lao", "Sao Tomé-et-Principe",
    ]

    @Test("the chart of eight places, as reviewed", arguments: SeatingChart.Layout.allCases)
    func snapshot(layout: SeatingChart.Layout) throws {
        try expectSnapshot(Self.chart(Self.eight, layout).svg, named: "seating-chart-\(layout.rawValue).svg", in: .module)
    }
}
