import Foundation

/// A chart of the room as SVG: where each delegation of a seating plan sits, by number and name.
///
/// The chart draws the room in one of three ``Layout``s, with a title and a subtitle at the top,
/// and one group per place, `<g id="seat-N">` (N being the place's number), holding the seat
/// with its number, the delegation's name and a `<title>` with both, so that screen readers and
/// other programs find every seat. Names are never rotated nor shortened: long ones are written
/// beside their seat or wrapped under it, and the room grows to make room for them.
///
/// Layout needs the width of text without a font at hand, so it estimates it: 0.6 em per
/// character (a grapheme cluster), a little more than the average advance of a sans-serif
/// font's letters, so that the estimate errs on the wide side for names in mixed case; and 1 em
/// for the East Asian wide characters (ideographs, kana, Hangul, full-width forms). A line of
/// text is taken to reach 0.8 em above its baseline and 0.25 em below it.
/// ``estimatedWidth(of:fontSize:)`` is that estimate.
///
/// The same chart always gives the same bytes: coordinates are written with one decimal by
/// integer arithmetic, not by a locale, and nothing is iterated out of a hashed collection.
/// Rendering is linear in the number of places and their names' lengths.
struct SeatingChart: Sendable {
    /// How the room is arranged.
    enum Layout: String, CaseIterable, Sendable {
        /// Seats evenly spaced round a circular table, seat 1 at the top, numbered clockwise.
        case roundTable = "round-table"
        /// Tables on three sides of a U, open at the top towards the chair, numbered from the
        /// chair's end of the left arm, down the left arm, along the base and up the right arm.
        case uShape = "u-shape"
        /// Rows facing a podium at the top, filled left to right from the front row.
        case theatre
    }

    /// A seat and who sits in it.
    struct Place: Sendable {
        /// The seat's number, shown in the seat and used in its group's id (`seat-N`).
        var number: Int
        /// The delegation's id, recorded on the seat's group as `data-delegation`.
        var id: String
        /// The delegation's name, in the chart's language.
        var name: String
    }

    let title: String
    let subtitle: String
    let places: [Place]
    let layout: Layout
    let seatsPerRow: Int?
    let language: String

    /// Makes a chart.
    /// - Parameters:
    ///   - title: the chart's heading, and the SVG document's `<title>`.
    ///   - subtitle: a line under the title (the event, the date); omitted when empty.
    ///   - places: the places in seating order: the first is drawn as seat 1's position.
    ///   - layout: how the room is arranged.
    ///   - seatsPerRow: for ``Layout/theatre``, the seats in a row; by default ⌈√n⌉, at most 10.
    ///     Other layouts ignore it.
    ///   - language: the language of the names and of the chart (a BCP 47 tag such as `fr`),
    ///     written on the root element; in a right-to-left language (`ar`, `fa`, `he`, `ur`) the
    ///     text runs right to left and the names keep the sides they are drawn on.
    init(title: String, subtitle: String, places: [Place], layout: Layout, seatsPerRow: Int? = nil, language: String) {
        self.title = title
        self.subtitle = subtitle
        self.places = places
        self.layout = layout
        self.seatsPerRow = seatsPerRow
        self.language = language
    }

    /// The chart as a standalone SVG document.
    var svg: String {
        var drawing: Drawing
        if places.isEmpty {
            drawing = emptyRoom()
        } else {
            switch layout {
            case .roundTable: drawing = roundTable()
            case .uShape: drawing = uShape()
            case .theatre: drawing = theatre()
            }
        }
        return render(&drawing)
    }

    // MARK: - Measures

    /// The size of names, in user units.
    static let nameSize = 12.0
    /// The size of seat numbers.
    static let numberSize = 11.0
    static let titleSize = 20.0
    static let subtitleSize = 13.0
    /// The size of the captions of the room's furniture (the chair, the podium).
    static let captionSize = 13.0
    /// From one baseline to the next in a label.
    static let lineHeight = 1.3 * nameSize
    /// How far text reaches above its baseline, in em.
    static let ascent = 0.8
    /// How far text reaches below its baseline, in em.
    static let descent = 0.25
    /// The space between the drawing and the edges of the view box.
    static let margin = 24.0
    /// The space between a seat and its name, and between neighbouring columns of names.
    static let gap = 6.0
    /// Lines of a name wrapped under its seat, at most.
    static let maximumLines = 3
    /// Default cap on the seats in a theatre row.
    static let defaultMaximumSeatsPerRow = 10

    /// The estimated advance of text set at a size: 0.6 em per character, 1 em per East Asian
    /// wide character.
    /// - Parameters:
    ///   - text: the text, on one line.
    ///   - fontSize: its size in user units.
    /// - Returns: its width in user units.
    static func estimatedWidth(of text: some StringProtocol, fontSize: Double) -> Double {
        // In ASCII text every byte is a character (but for CR LF, which a line does not hold).
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return Double(text.utf8.count) * 0.6 * fontSize }
        var ems = 0.0
        for character in text {
            ems += isWide(character) ? 1.0 : 0.6
        }
        return ems * fontSize
    }

    /// Whether a character is East Asian wide: ideographs, kana, Hangul, full-width forms.
    private static func isWide(_ character: Character) -> Bool {
        guard let value = character.unicodeScalars.first?.value, value >= 0x1100 else { return false }
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The radius of a seat: room for its number, and at least 11 units.
    private var seatRadius: Double {
        var digits = 1
        for place in places {
            var count = place.number < 0 ? 2 : 1
            var rest = place.number.magnitude
            while rest >= 10 {
                rest /= 10
                count += 1
            }
            digits = max(digits, count)
        }
        return max(11, 0.3 * Self.numberSize * Double(digits) + 3)
    }

    /// The chart's language without its region or script (`fr` for `fr-CH`), lower-cased.
    private var baseLanguage: String {
        String(language.prefix { $0 != "-" && $0 != "_" }).lowercased()
    }

    private var isRightToLeft: Bool { ["ar", "fa", "he", "ur"].contains(baseLanguage) }

    // MARK: - Layouts

    /// Seats on a circle of radius R, seat i at the angle 2πi/n clockwise from the top. Each name
    /// is written level, from a point on its seat's ray just outside the seats: centred above the
    /// top seat and below the bottom one, starting from that point on the right half and ending
    /// on it on the left half. R grows linearly with n, so that by the table's centre two
    /// neighbours' names are two lines apart, and at 60° from it one line apart; nearer the top
    /// and bottom, where the seats crowd vertically, a name that would come within a line of the
    /// one before it (counting from the centre line outwards) is moved out along its seat's ray,
    /// joined to its seat by a thin line, until it is a line clear. The names of a side are then
    /// a line apart at least, and as the rays do not cross, neither do the lines; the top and
    /// bottom names go a line beyond the outermost names of both sides. With R as it is, the
    /// outermost names stand about a seventh of R farther out than the others.
    private func roundTable() -> Drawing {
        let n = places.count
        let r = seatRadius
        let h = Self.lineHeight
        let size = Self.nameSize
        let ring = max(110, Double(n) * (2 * r + 6) / (2 * Double.pi), Double(n) * h / Double.pi)
        let clear = ring + r + Self.gap
        let labelRadius = clear + size
        // The baseline that centres a line on a point.
        let centring = 0.35 * size

        var drawing = Drawing(capacity: n)
        let tableRadius = ring - r - 10
        drawing.furniture.append(.circle(x: 0, y: 0, r: tableRadius))
        drawing.include(minX: -tableRadius, minY: -tableRadius, maxX: tableRadius, maxY: tableRadius)
        for index in 0..<n {
            let angle = -Double.pi / 2 + 2 * Double.pi * Double(index) / Double(n)
            drawing.add(SeatMark(place: index, x: ring * cos(angle), y: ring * sin(angle), radius: r))
        }

        /// Writes a seat's name from the point at `distance` on its ray, with a line from the
        /// seat if that is beyond the usual distance; returns the name's baseline.
        func place(_ index: Int, at distance: Double, side: Double, in drawing: inout Drawing) -> Double {
            let seat = drawing.seats[index]
            let x = seat.x / ring * distance
            let y = seat.y / ring * distance
            drawing.setLabel(
                of: index, anchor: side > 0 ? .start : .end, lines: [Line(x: x, y: y + centring, range: nil)],
                name: places[index].name)
            if distance > labelRadius + 1 {
                let edge = (ring + r) / ring
                let end = (distance - 3) / ring
                drawing.seats[index].leader = Segment(
                    x1: seat.x * edge, y1: seat.y * edge, x2: seat.x * end, y2: seat.y * end)
            }
            return y + centring
        }

        // Each side from top to bottom: the right half by increasing index, the left by decreasing.
        let right = n > 2 ? Array(1..<((n + 1) / 2)) : []
        let left = n > 2 ? Array(((n / 2) + 1..<n).reversed()) : []
        var highest = Double.infinity
        var lowest = -Double.infinity
        for (side, indices) in [(1.0, right), (-1.0, left)] {
            let below = indices.filter { drawing.seats[$0].y >= 0 }
            let above = indices.filter { drawing.seats[$0].y < 0 }.reversed()
            // Outwards from the centre line: downwards below it, upwards above it.
            var previous = -Double.infinity
            for index in below {
                let sine = drawing.seats[index].y / ring
                var distance = labelRadius
                if labelRadius * sine + centring < previous + h, sine > 0.01 {
                    distance = (previous + h - centring) / sine
                }
                previous = place(index, at: distance, side: side, in: &drawing)
            }
            lowest = max(lowest, previous)
            if let first = below.first { previous = drawing.seats[first].lines[0].y } else { previous = Double.infinity }
            for index in above {
                let sine = drawing.seats[index].y / ring
                var distance = labelRadius
                if labelRadius * sine + centring > previous - h, sine < -0.01 {
                    distance = (previous - h - centring) / sine
                }
                previous = place(index, at: distance, side: side, in: &drawing)
                highest = min(highest, previous)
            }
        }
        func placeCentred(_ index: Int, baseline: Double, natural: Double, seatEdge: Double, labelEdge: Double) {
            drawing.setLabel(of: index, anchor: .middle, lines: [Line(x: 0, y: baseline, range: nil)], name: places[index].name)
            if abs(baseline - natural) > 1 {
                drawing.seats[index].leader = Segment(x1: 0, y1: seatEdge, x2: 0, y2: labelEdge)
            }
        }
        // The top and bottom names, centred, a line beyond the outermost names of the sides.
        let top = -clear - Self.descent * size
        let topBaseline = min(top, highest - h)
        placeCentred(
            0, baseline: topBaseline, natural: top, seatEdge: -ring - r, labelEdge: topBaseline + Self.descent * size + 2)
        if n % 2 == 0, n >= 2 {
            let bottom = clear + Self.ascent * size
            let bottomBaseline = max(bottom, lowest + h)
            placeCentred(
                n / 2, baseline: bottomBaseline, natural: bottom, seatEdge: ring + r,
                labelEdge: bottomBaseline - Self.ascent * size - 2)
        }
        return drawing
    }

    /// A U of tables open at the top, where the chair's table stands; delegations sit outside
    /// the U, facing in. The arms hold equal numbers of seats, one line-and-a-bit apart, with the
    /// names beside the seats, outside; the base holds about as many seats as make it as wide as
    /// the arms are long, in columns as wide as the widest name wrapped onto three lines, with
    /// the names wrapped under the seats. Seat 1 is at the chair's end of the left arm (as drawn);
    /// numbering runs down the left arm, along the base from left to right and up the right arm,
    /// so that the numbers follow each other round the U.
    private func uShape() -> Drawing {
        let n = places.count
        let r = seatRadius
        let size = Self.nameSize
        let table = 16.0
        let armPitch = max(2 * r + 6, Self.lineHeight + 6)
        let columns = Columns(places: places, r: r)
        // About as wide a base as long arms: b·pitch ≈ (n − b)/2·armPitch.
        var base = Int((Double(n) * armPitch / (2 * columns.pitch + armPitch)).rounded())
        base = max(base, n >= 3 ? 1 : 0)
        if (n - base) % 2 != 0 { base += 1 }
        base = min(base, n)
        let arm = (n - base) / 2
        let baseLength = max(Double(base) * columns.pitch, 80)
        let armLength = Double(max(arm, 1)) * armPitch

        var drawing = Drawing(capacity: n)
        drawing.furniture.append(
            .polygon([
                (-table, 0), (0, 0), (0, armLength), (baseLength, armLength), (baseLength, 0), (baseLength + table, 0),
                (baseLength + table, armLength + table), (-table, armLength + table),
            ]))
        drawing.include(minX: -table, minY: 0, maxX: baseLength + table, maxY: armLength + table)
        let chair = Self.chairCaption(baseLanguage)
        let chairWidth = max(baseLength + 2 * table, Self.estimatedWidth(of: chair, fontSize: Self.captionSize) + 24)
        drawing.addFurniture(caption: chair, centreX: baseLength / 2, top: -28 - 24, width: chairWidth, height: 28)

        let centring = 0.35 * size
        let leftX = -table - 4 - r
        let rightX = baseLength + table + 4 + r
        for k in 0..<arm {
            let y = (Double(k) + 0.5) * armPitch
            drawing.add(SeatMark(place: k, x: leftX, y: y, radius: r))
            drawing.setLabel(
                of: k, anchor: .end, lines: [Line(x: leftX - r - Self.gap, y: y + centring, range: nil)], name: places[k].name)
        }
        let baseY = armLength + table + 4 + r
        let baseStart = (baseLength - Double(base) * columns.pitch) / 2
        for j in 0..<base {
            let index = arm + j
            let x = baseStart + (Double(j) + 0.5) * columns.pitch
            drawing.add(SeatMark(place: index, x: x, y: baseY, radius: r))
            drawing.setLabel(
                of: index, anchor: .middle, lines: columns.lines(of: index, name: places[index].name, x: x, below: baseY + r),
                name: places[index].name)
        }
        for k in 0..<(n - arm - base) {
            let index = arm + base + k
            let y = armLength - (Double(k) + 0.5) * armPitch
            drawing.add(SeatMark(place: index, x: rightX, y: y, radius: r))
            drawing.setLabel(
                of: index, anchor: .start, lines: [Line(x: rightX + r + Self.gap, y: y + centring, range: nil)],
                name: places[index].name)
        }
        return drawing
    }

    /// Rows of seats under a podium, `seatsPerRow` to a row, filled from the front row, left to
    /// right; every column is as wide as the widest name wrapped onto three lines, and each name
    /// is wrapped under its seat, so that no name reaches its neighbour's.
    private func theatre() -> Drawing {
        let n = places.count
        let r = seatRadius
        let perRow = min(
            max(1, seatsPerRow ?? min(Int(Double(n).squareRoot().rounded(.up)), Self.defaultMaximumSeatsPerRow)), n)
        let columns = Columns(places: places, r: r)
        let rowHeight = 2 * r + 4 + Double(columns.lineCount) * Self.lineHeight + 14
        let width = Double(perRow) * columns.pitch

        var drawing = Drawing(capacity: n)
        let podium = Self.podiumCaption(baseLanguage)
        let podiumWidth = max(min(width, 320), Self.estimatedWidth(of: podium, fontSize: Self.captionSize) + 24)
        drawing.addFurniture(caption: podium, centreX: width / 2, top: -36 - 28, width: podiumWidth, height: 36)
        for index in 0..<n {
            let row = index / perRow
            let column = index % perRow
            let x = (Double(column) + 0.5) * columns.pitch
            let y = Double(row) * rowHeight + r
            drawing.add(SeatMark(place: index, x: x, y: y, radius: r))
            drawing.setLabel(
                of: index, anchor: .middle, lines: columns.lines(of: index, name: places[index].name, x: x, below: y + r),
                name: places[index].name)
        }
        return drawing
    }

    /// A room with no one in it: the message alone.
    private func emptyRoom() -> Drawing {
        var drawing = Drawing(capacity: 0)
        let message = Self.emptyMessage(baseLanguage)
        let width = Self.estimatedWidth(of: message, fontSize: Self.captionSize) + 48
        drawing.addFurniture(caption: message, centreX: 0, top: 0, width: width, height: 40)
        return drawing
    }

    // MARK: - Wrapping names

    /// Columns of names wrapped under their seats: as wide as the widest name on at most three
    /// lines, so that every name fits its column.
    private struct Columns {
        /// The width of a wrapped name's lines, at most.
        let width: Double
        /// From one column's centre to the next: the width and a gap, or a seat and a gap.
        let pitch: Double
        /// The most lines a name takes.
        let lineCount: Int
        /// Each place's name cut where lines may break.
        private let pieces: [[Piece]]

        init(places: [Place], r: Double) {
            pieces = places.map { Self.pieces(of: $0.name) }
            var width = 0.0
            for name in pieces {
                width = max(width, Self.narrowest(name))
            }
            var lineCount = 1
            for name in pieces {
                lineCount = max(lineCount, Self.breaks(name, width: width).count + 1)
            }
            self.width = width
            self.lineCount = lineCount
            pitch = max(width + 2 * SeatingChart.gap, 2 * r + 6)
        }

        /// The lines of the name of the place at `index`, centred on `x`, the first one's top at
        /// `top` plus a small gap.
        func lines(of index: Int, name: String, x: Double, below top: Double) -> [Line] {
            let pieces = pieces[index]
            let firstBaseline = top + 4 + SeatingChart.ascent * SeatingChart.nameSize
            guard !pieces.isEmpty else { return [Line(x: x, y: firstBaseline, range: nil)] }
            var starts = [0]
            starts.append(contentsOf: Self.breaks(pieces, width: width))
            var lines: [Line] = []
            lines.reserveCapacity(starts.count)
            for (number, start) in starts.enumerated() {
                let end = number + 1 < starts.count ? starts[number + 1] : pieces.count
                lines.append(
                    Line(
                        x: x, y: firstBaseline + Double(number) * SeatingChart.lineHeight,
                        range: pieces[start].range.lowerBound..<pieces[end - 1].range.upperBound))
            }
            return lines
        }

        /// A stretch of a name that is not broken: a word, a word up to its hyphen, an ideograph.
        struct Piece {
            var range: Range<String.Index>
            var width: Double
            /// Whether a space separates it from the next piece.
            var spaceAfter: Bool
        }

        static let spaceWidth = 0.6 * SeatingChart.nameSize

        /// A name cut where a line may break: at spaces (which a break swallows), after hyphens,
        /// and on either side of an East Asian wide character.
        static func pieces(of name: String) -> [Piece] {
            var pieces: [Piece] = []
            var start: String.Index?
            var width = 0.0
            func close(at end: String.Index, spaceAfter: Bool) {
                if let begun = start {
                    pieces.append(Piece(range: begun..<end, width: width, spaceAfter: spaceAfter))
                } else if spaceAfter, !pieces.isEmpty {
                    pieces[pieces.count - 1].spaceAfter = true
                }
                start = nil
                width = 0
            }
            let narrow = 0.6 * SeatingChart.nameSize
            let utf8 = name.utf8
            if utf8.allSatisfy({ $0 < 0x80 }) {
                // ASCII: a byte is a character, and only the ASCII spaces and the hyphen break.
                var index = utf8.startIndex
                while index < utf8.endIndex {
                    let byte = utf8[index]
                    let next = utf8.index(after: index)
                    if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                        close(at: index, spaceAfter: true)
                    } else {
                        if start == nil { start = index }
                        width += narrow
                        if byte == UInt8(ascii: "-") { close(at: next, spaceAfter: false) }
                    }
                    index = next
                }
            } else {
                var index = name.startIndex
                while index < name.endIndex {
                    let character = name[index]
                    let next = name.index(after: index)
                    let scalar = character.unicodeScalars.first!
                    if character.unicodeScalars.count == 1, isBreakingSpace(scalar) {
                        close(at: index, spaceAfter: true)
                    } else if isWide(character) {
                        close(at: index, spaceAfter: false)
                        start = index
                        width = SeatingChart.nameSize
                        close(at: next, spaceAfter: false)
                    } else {
                        if start == nil { start = index }
                        width += narrow
                        if scalar == "-" || scalar == "\u{2010}" { close(at: next, spaceAfter: false) }
                    }
                    index = next
                }
            }
            close(at: name.endIndex, spaceAfter: false)
            return pieces
        }

        /// Whether a line may break at a space: any but the no-break ones (U+00A0, U+2007, U+202F).
        static func isBreakingSpace(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x09...0x0D, 0x20, 0x85, 0x1680, 0x2000...0x2006, 0x2008...0x200A, 0x2028, 0x2029, 0x205F, 0x3000: true
            default: false
            }
        }

        /// Where lines start, after the first, when pieces are laid greedily into lines of at
        /// most `width` (a piece wider than that takes a line of its own).
        static func breaks(_ pieces: [Piece], width: Double) -> [Int] {
            var breaks: [Int] = []
            var line = -1.0
            for (k, piece) in pieces.enumerated() {
                if line < 0 {
                    line = piece.width
                    continue
                }
                let longer = line + (pieces[k - 1].spaceAfter ? spaceWidth : 0) + piece.width
                if longer > width {
                    breaks.append(k)
                    line = piece.width
                } else {
                    line = longer
                }
            }
            return breaks
        }

        /// The narrowest width at which pieces take at most three lines; greedy filling takes
        /// fewest lines at a width, and fewer as the width grows, so a bisection finds it.
        static func narrowest(_ pieces: [Piece]) -> Double {
            var widest = 0.0
            var total = 0.0
            for (k, piece) in pieces.enumerated() {
                widest = max(widest, piece.width)
                total += piece.width + (k + 1 < pieces.count && piece.spaceAfter ? spaceWidth : 0)
            }
            var low = max(widest, total / Double(SeatingChart.maximumLines))
            var high = total
            if breaks(pieces, width: low).count < SeatingChart.maximumLines { return low }
            // Widths are multiples of 0.6 units: a tenth of a unit is close enough.
            while high - low > 0.1 {
                let middle = (low + high) / 2
                if breaks(pieces, width: middle).count < SeatingChart.maximumLines { high = middle } else { low = middle }
            }
            return high
        }
    }

    // MARK: - Words of the room

    /// "Chair", in the six official languages of the United Nations; English otherwise.
    static func chairCaption(_ language: String) -> String {
        switch language {
        case "fr": "Présidence"
        case "es": "Presidencia"
        case "ru": "Председатель"
        case "ar": "الرئاسة"
        case "zh": "主席"
        default: "Chair"
        }
    }

    /// "Podium", in the six official languages of the United Nations; English otherwise.
    static func podiumCaption(_ language: String) -> String {
        switch language {
        case "fr": "Tribune"
        case "es": "Podio"
        case "ru": "Трибуна"
        case "ar": "المنصة"
        case "zh": "主席台"
        default: "Podium"
        }
    }

    /// What an empty chart says.
    static func emptyMessage(_ language: String) -> String {
        switch language {
        case "fr": "Aucune délégation à placer."
        case "es": "No hay ninguna delegación que sentar."
        case "ru": "Нет делегаций для рассадки."
        case "ar": "لا توجد وفود لإجلاسها."
        case "zh": "没有需要安排座位的代表团。"
        default: "No delegation to seat."
        }
    }

    // MARK: - Drawing

    /// Where text is anchored on the page, whatever the direction it runs in.
    enum Anchor {
        case start, middle, end
    }

    /// A line of a name: its anchor point and the part of the name it shows (all of it if nil).
    struct Line {
        var x: Double
        var y: Double
        var range: Range<String.Index>?
    }

    struct Segment {
        var x1: Double
        var y1: Double
        var x2: Double
        var y2: Double
    }

    /// A seat and its name.
    struct SeatMark {
        var place: Int
        var x: Double
        var y: Double
        var radius: Double
        var anchor = Anchor.middle
        var lines: [Line] = []
        var leader: Segment?
    }

    /// The room's furniture: tables, the chair, the podium.
    enum Furniture {
        case circle(x: Double, y: Double, r: Double)
        case polygon([(Double, Double)])
        case box(x: Double, y: Double, width: Double, height: Double, caption: String)
    }

    /// What a layout drew, in its own coordinates, and the box that holds it all.
    struct Drawing {
        var furniture: [Furniture] = []
        var seats: [SeatMark] = []
        var minX = Double.infinity
        var minY = Double.infinity
        var maxX = -Double.infinity
        var maxY = -Double.infinity

        init(capacity: Int) {
            seats.reserveCapacity(capacity)
        }

        mutating func include(minX: Double, minY: Double, maxX: Double, maxY: Double) {
            self.minX = min(self.minX, minX)
            self.minY = min(self.minY, minY)
            self.maxX = max(self.maxX, maxX)
            self.maxY = max(self.maxY, maxY)
        }

        /// Includes a line of text at a size, by the estimate of its width.
        mutating func include(text: some StringProtocol, x: Double, y: Double, anchor: Anchor, size: Double) {
            let width = SeatingChart.estimatedWidth(of: text, fontSize: size)
            let left =
                switch anchor {
                case .start: x
                case .middle: x - width / 2
                case .end: x - width
                }
            include(minX: left, minY: y - SeatingChart.ascent * size, maxX: left + width, maxY: y + SeatingChart.descent * size)
        }

        mutating func add(_ seat: SeatMark) {
            include(minX: seat.x - seat.radius, minY: seat.y - seat.radius, maxX: seat.x + seat.radius, maxY: seat.y + seat.radius)
            seats.append(seat)
        }

        mutating func setLabel(of index: Int, anchor: Anchor, lines: [Line], name: String) {
            seats[index].anchor = anchor
            seats[index].lines = lines
            for line in lines {
                let text = line.range.map { name[$0] } ?? name[...]
                include(text: text, x: line.x, y: line.y, anchor: anchor, size: SeatingChart.nameSize)
            }
        }

        /// A captioned box (the chair's table, the podium), centred on `centreX`.
        mutating func addFurniture(caption: String, centreX: Double, top: Double, width: Double, height: Double) {
            furniture.append(.box(x: centreX - width / 2, y: top, width: width, height: height, caption: caption))
            include(minX: centreX - width / 2, minY: top, maxX: centreX + width / 2, maxY: top + height)
        }
    }

    /// Writes the document: the header, the furniture and the seats, moved so that the view box
    /// starts at the origin with a margin round everything.
    private func render(_ drawing: inout Drawing) -> String {
        let titleWidth = Self.estimatedWidth(of: title, fontSize: Self.titleSize)
        let subtitleWidth = Self.estimatedWidth(of: subtitle, fontSize: Self.subtitleSize)
        let contentWidth = drawing.maxX - drawing.minX
        let width = max(contentWidth, titleWidth, subtitleWidth) + 2 * Self.margin
        let titleBaseline = Self.margin + Self.ascent * Self.titleSize
        var headerBottom = titleBaseline + Self.descent * Self.titleSize
        let subtitleBaseline = headerBottom + 6 + Self.ascent * Self.subtitleSize
        if !subtitle.isEmpty { headerBottom = subtitleBaseline + Self.descent * Self.subtitleSize }
        let dx = (width - contentWidth) / 2 - drawing.minX
        let dy = headerBottom + 2 * Self.margin - drawing.minY
        let height = drawing.maxY + dy + Self.margin

        // A seat's markup is about 320 bytes with its name twice (in its title and its label).
        var capacity = 1024 + title.utf8.count + subtitle.utf8.count
        for place in places { capacity += 320 + 2 * place.name.utf8.count + place.id.utf8.count }
        var out = Writer(capacity: capacity)
        out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        out.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 ")
        out.number(width)
        out.raw(" ")
        out.number(height)
        out.raw("\" width=\"")
        out.number(width)
        out.raw("\" height=\"")
        out.number(height)
        out.raw("\" lang=\"")
        out.escaped(language)
        out.raw("\" xml:lang=\"")
        out.escaped(language)
        out.raw("\"")
        if isRightToLeft { out.raw(" direction=\"rtl\"") }
        out.raw(" font-family=\"sans-serif\" role=\"img\">\n<title>")
        out.escaped(title)
        out.raw("</title>\n<desc>")
        if !subtitle.isEmpty {
            out.escaped(subtitle)
            out.raw(". ")
        }
        out.raw("Seating chart, ")
        out.raw(layout.rawValue)
        out.raw(", ")
        out.int(places.count)
        out.raw(places.count == 1 ? " place.</desc>\n" : " places.</desc>\n")
        out.raw("<rect x=\"0\" y=\"0\" width=\"")
        out.number(width)
        out.raw("\" height=\"")
        out.number(height)
        out.raw("\" fill=\"#ffffff\"/>\n")
        out.text(title, x: width / 2, y: titleBaseline, anchor: "middle", size: Self.titleSize, id: "chart-title", bold: true)
        if !subtitle.isEmpty {
            out.text(subtitle, x: width / 2, y: subtitleBaseline, anchor: "middle", size: Self.subtitleSize, id: "chart-subtitle")
        }

        out.raw("<g id=\"room\" fill=\"#eeeeee\" stroke=\"#555555\" stroke-width=\"1.5\">\n")
        for item in drawing.furniture {
            switch item {
            case .circle(let x, let y, let r):
                out.raw("<circle cx=\"")
                out.number(x + dx)
                out.raw("\" cy=\"")
                out.number(y + dy)
                out.raw("\" r=\"")
                out.number(r)
                out.raw("\"/>\n")
            case .polygon(let points):
                out.raw("<polygon points=\"")
                for (k, point) in points.enumerated() {
                    if k > 0 { out.raw(" ") }
                    out.number(point.0 + dx)
                    out.raw(",")
                    out.number(point.1 + dy)
                }
                out.raw("\"/>\n")
            case .box(let x, let y, let boxWidth, let boxHeight, let caption):
                out.raw("<rect x=\"")
                out.number(x + dx)
                out.raw("\" y=\"")
                out.number(y + dy)
                out.raw("\" width=\"")
                out.number(boxWidth)
                out.raw("\" height=\"")
                out.number(boxHeight)
                out.raw("\" rx=\"4\"/>\n")
                out.text(
                    caption, x: x + dx + boxWidth / 2, y: y + dy + boxHeight / 2 + 0.35 * Self.captionSize, anchor: "middle",
                    size: Self.captionSize, fill: true)
            }
        }
        out.raw("</g>\n<g id=\"seats\">\n")

        // Anchors are physical: in a right-to-left chart, start is the right-hand end.
        let startAnchor = isRightToLeft ? "end" : "start"
        let endAnchor = isRightToLeft ? "start" : "end"
        for seat in drawing.seats {
            let place = places[seat.place]
            out.raw("<g id=\"seat-")
            out.int(place.number)
            out.raw("\" data-delegation=\"")
            out.escaped(place.id)
            out.raw("\"><title>")
            out.int(place.number)
            out.raw(". ")
            out.escaped(place.name)
            out.raw("</title>")
            if let leader = seat.leader {
                out.raw("<line x1=\"")
                out.number(leader.x1 + dx)
                out.raw("\" y1=\"")
                out.number(leader.y1 + dy)
                out.raw("\" x2=\"")
                out.number(leader.x2 + dx)
                out.raw("\" y2=\"")
                out.number(leader.y2 + dy)
                out.raw("\" stroke=\"#999999\" stroke-width=\"0.75\"/>")
            }
            out.raw("<circle cx=\"")
            out.number(seat.x + dx)
            out.raw("\" cy=\"")
            out.number(seat.y + dy)
            out.raw("\" r=\"")
            out.number(seat.radius)
            out.raw("\" fill=\"#ffffff\" stroke=\"#333333\" stroke-width=\"1.5\"/>")
            out.raw("<text x=\"")
            out.number(seat.x + dx)
            out.raw("\" y=\"")
            out.number(seat.y + dy + 0.35 * Self.numberSize)
            out.raw("\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"bold\">")
            out.int(place.number)
            out.raw("</text>")
            let anchor =
                switch seat.anchor {
                case .start: startAnchor
                case .middle: "middle"
                case .end: endAnchor
                }
            if seat.lines.count == 1, let line = seat.lines.first {
                out.raw("<text x=\"")
                out.number(line.x + dx)
                out.raw("\" y=\"")
                out.number(line.y + dy)
                out.raw("\" text-anchor=\"")
                out.raw(anchor)
                out.raw("\" font-size=\"12\">")
                out.escaped(line.range.map { place.name[$0] } ?? place.name[...])
                out.raw("</text>")
            } else {
                out.raw("<text text-anchor=\"")
                out.raw(anchor)
                out.raw("\" font-size=\"12\">")
                for line in seat.lines {
                    out.raw("<tspan x=\"")
                    out.number(line.x + dx)
                    out.raw("\" y=\"")
                    out.number(line.y + dy)
                    out.raw("\">")
                    out.escaped(line.range.map { place.name[$0] } ?? place.name[...])
                    out.raw("</tspan>")
                }
                out.raw("</text>")
            }
            out.raw("</g>\n")
        }
        out.raw("</g>\n</svg>\n")
        return out.string
    }

    /// The document's bytes as they are written.
    private struct Writer {
        var bytes: [UInt8] = []

        init(capacity: Int) {
            bytes.reserveCapacity(capacity)
        }

        var string: String { String(decoding: bytes, as: UTF8.self) }

        mutating func raw(_ text: String) {
            bytes.append(contentsOf: text.utf8)
        }

        mutating func int(_ value: Int) {
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            let magnitude = value.magnitude
            var divisor: UInt = 1
            while magnitude / divisor >= 10 { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
                divisor /= 10
            }
        }

        /// A number with exactly one decimal, rounded half away from zero: the same bytes on
        /// every machine and in every locale.
        mutating func number(_ value: Double) {
            let tenths = Int((value * 10).rounded())
            if tenths < 0 { bytes.append(UInt8(ascii: "-")) }
            int(Int(tenths.magnitude / 10))
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0") + UInt8(tenths.magnitude % 10))
        }

        /// Text escaped for XML content and attribute values: the five markup characters as
        /// entities, and the characters XML 1.0 forbids (most controls, U+FFFE, U+FFFF) as U+FFFD.
        mutating func escaped(_ text: some StringProtocol) {
            let utf8 = text.utf8
            // Most names need no escaping: their bytes are copied as they are.
            let plain = !utf8.contains { byte in
                byte < 0x20 || byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 || byte == 0xEF
            }
            if plain {
                bytes.append(contentsOf: utf8)
                return
            }
            for scalar in text.unicodeScalars {
                switch scalar {
                case "&": raw("&amp;")
                case "<": raw("&lt;")
                case ">": raw("&gt;")
                case "\"": raw("&quot;")
                case "'": raw("&apos;")
                case "\t", "\n", "\r": bytes.append(UInt8(scalar.value))
                case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": raw("\u{FFFD}")
                default: bytes.append(contentsOf: UTF8.encode(scalar)!)
                }
            }
        }

        mutating func text(
            _ content: String, x: Double, y: Double, anchor: String, size: Double, id: String? = nil, bold: Bool = false,
            fill: Bool = false
        ) {
            raw("<text")
            if let id {
                raw(" id=\"")
                raw(id)
                raw("\"")
            }
            raw(" x=\"")
            number(x)
            raw("\" y=\"")
            number(y)
            raw("\" text-anchor=\"")
            raw(anchor)
            raw("\" font-size=\"")
            number(size)
            raw("\"")
            if bold { raw(" font-weight=\"bold\"") }
            // Inside the room's group, whose fill is the furniture's grey, text is filled black again.
            if fill { raw(" fill=\"#000000\" stroke=\"none\"") }
            raw(">")
            escaped(content)
            raw("</text>\n")
        }
    }
}
