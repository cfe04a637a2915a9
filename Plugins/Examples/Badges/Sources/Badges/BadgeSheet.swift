/// A sheet of name badges for one track, as SVG: two columns of 90 × 55 mm badges on a sheet
/// 210 mm wide (A4's width), each with a dashed line to cut along, under a heading with the
/// event, the track and a key of the categories. Lengths are in millimetres.
struct BadgeSheet {
    /// Colours and labels of the categories.
    struct Style: Sendable {
        /// `#RRGGBB` per category.
        var colours: [BadgeCategory: String]
        /// Labels per language and category.
        var labels: [String: [BadgeCategory: String]]

        /// The labels in a language, else in English.
        func labels(in language: String) -> [BadgeCategory: String] {
            labels[language] ?? labels["en"] ?? [:]
        }
    }

    var event: String
    var track: String
    var language: String
    var badges: [Badge]
    var style: Style

    static let badgeWidth = 90.0
    static let badgeHeight = 55.0
    static let margin = 10.0
    static let gap = 10.0
    static let rowGap = 5.0
    static let headingHeight = 22.0
    static let sheetWidth = 2 * margin + 2 * badgeWidth + gap
    /// The room for text on a badge, between its side margins.
    static let textWidth = badgeWidth - 2 * 5.0
    static let fonts = "DejaVu Sans, Verdana, sans-serif"

    /// The sheet as an SVG document.
    var svg: String {
        let rows = (badges.count + 1) / 2
        let height = Self.margin + Self.headingHeight + Double(rows) * (Self.badgeHeight + Self.rowGap) - Self.rowGap + Self.margin
        let labels = style.labels(in: language)
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(Self.sheetWidth))mm" height="\(n(height))mm" \
            viewBox="0 0 \(n(Self.sheetWidth)) \(n(height))" font-family="\(Self.fonts)" xml:lang="\(escaped(language))">
            <rect width="100%" height="100%" fill="#FFFFFF"/>

            """
        // The heading: the event, the track, and each category's colour with its label and count.
        let width = Self.sheetWidth - 2 * Self.margin
        out += text(TextFit.fit(event, width: width, largest: 5, smallest: 3, maxLines: 1, bold: true), x: Self.margin, top: Self.margin, anchor: "start", weight: "bold", fill: "#111111")
        out += text(TextFit.fit(track, width: width, largest: 4, smallest: 2.5, maxLines: 1), x: Self.margin, top: Self.margin + 7, anchor: "start", fill: "#333333")
        var x = Self.margin
        for category in BadgeCategory.allCases {
            let count = badges.filter { $0.category == category }.count
            guard count > 0 else { continue }
            let label = "\(labels[category] ?? category.rawValue) \(count)"
            out += "<rect x=\"\(n(x))\" y=\"\(n(Self.margin + 13.5))\" width=\"4\" height=\"4\" rx=\"0.6\" fill=\"\(colour(category))\"/>\n"
            let block = TextFit.fit(label, width: 50, largest: 3.2, smallest: 3.2, maxLines: 1)
            out += text(block, x: x + 5.5, top: Self.margin + 13.8, anchor: "start", fill: "#333333")
            x += 5.5 + (block.widths.first ?? 0) + 6
        }
        for (index, badge) in badges.enumerated() {
            let left = Self.margin + Double(index % 2) * (Self.badgeWidth + Self.gap)
            let top = Self.margin + Self.headingHeight + Double(index / 2) * (Self.badgeHeight + Self.rowGap)
            out += self.badge(badge, label: labels[badge.category] ?? badge.category.rawValue, left: left, top: top)
        }
        return out + "</svg>\n"
    }

    /// One badge, drawn in a group moved to its place: a band in the category's colour with its
    /// label; the name, large, and the title under it; the delegation's name above a thin band
    /// with the track.
    func badge(_ badge: Badge, label: String, left: Double, top: Double) -> String {
        let w = Self.badgeWidth, h = Self.badgeHeight, centre = w / 2
        let fill = colour(badge.category)
        var out = "<g transform=\"translate(\(n(left)) \(n(top)))\" data-delegation=\"\(escaped(badge.delegation))\" data-category=\"\(badge.category.rawValue)\">\n"
        out += "<rect width=\"\(n(w))\" height=\"\(n(h))\" rx=\"3\" fill=\"#FFFFFF\" stroke=\"#9E9E9E\" stroke-width=\"0.25\" stroke-dasharray=\"1.5 1\"/>\n"
        out += "<path d=\"M0 12V3A3 3 0 0 1 3 0H\(n(w - 3))A3 3 0 0 1 \(n(w)) 3V12Z\" fill=\"\(fill)\"/>\n"
        out += "<path d=\"M0 49H\(n(w))V\(n(h - 3))A3 3 0 0 1 \(n(w - 3)) \(n(h))H3A3 3 0 0 1 0 \(n(h - 3))Z\" fill=\"\(fill)\"/>\n"
        out += text(TextFit.fit(label, width: Self.textWidth, largest: 4.4, smallest: 3, maxLines: 1, bold: true), x: centre, top: 3.2, weight: "bold", fill: "#FFFFFF", spacing: true)
        out += text(TextFit.fit(track, width: Self.textWidth, largest: 2.6, smallest: 2, maxLines: 1), x: centre, top: 49.9, fill: "#FFFFFF")
        // The delegation sits above the lower band; the name and the title share the room above
        // it, the name as large as the two allow.
        let delegation = TextFit.fit(badge.delegationName, width: Self.textWidth, largest: 4.6, smallest: 3, maxLines: 2, bold: true)
        let delegationTop = 47.5 - delegation.height
        let room = delegationTop - 1.5 - 14.5
        var name = TextFit.Block(lines: [], size: 0, widths: [])
        var title = name
        for largest in stride(from: 7.0, through: 3.5, by: -0.5) {
            name = TextFit.fit(badge.name, width: Self.textWidth, largest: largest, smallest: min(largest, 4), maxLines: 3, bold: true, oneLineDown: 0.75)
            title = TextFit.fit(badge.title, width: Self.textWidth, largest: min(3.4, largest * 0.6), smallest: 2.4, maxLines: 2)
            if name.height + 1 + title.height <= room { break }
        }
        // Set a little above the middle of the room, where the eye expects a name.
        let nameTop = 14.5 + max(0, room - (name.height + 1 + title.height)) * 0.4
        out += text(name, x: centre, top: nameTop, weight: "bold", fill: "#111111")
        out += text(title, x: centre, top: nameTop + name.height + 1, fill: "#424242")
        out += text(delegation, x: centre, top: delegationTop, weight: "bold", fill: fill)
        return out + "</g>\n"
    }

    /// The lines of a block, one `<text>` each, from `top` down; a line estimated wider than the
    /// room is set smaller, to fit it. (Not squeezed with `textLength`, which not every renderer
    /// honours.)
    func text(_ block: TextFit.Block, x: Double, top: Double, anchor: String = "middle", weight: String? = nil, fill: String, spacing: Bool = false) -> String {
        var out = ""
        let room = anchor == "middle" ? Self.textWidth : Self.sheetWidth - 2 * Self.margin
        for (i, line) in block.lines.enumerated() {
            // The baseline sits about four fifths of the size below the top of the line.
            let baseline = top + Double(i) * block.size * TextFit.leading + block.size * 0.85
            let size = block.widths[i] > room ? (block.size * room / block.widths[i] * 20).rounded(.down) / 20 : block.size
            var attributes = "x=\"\(n(x))\" y=\"\(n(baseline))\" font-size=\"\(n(size))\""
            if anchor != "start" { attributes += " text-anchor=\"\(anchor)\"" }
            if let weight { attributes += " font-weight=\"\(weight)\"" }
            if spacing { attributes += " letter-spacing=\"0.3\"" }
            if TextFit.isRightToLeft(line) { attributes += " direction=\"rtl\"" }
            out += "<text \(attributes) fill=\"\(fill)\">\(escaped(line))</text>\n"
        }
        return out
    }

    func colour(_ category: BadgeCategory) -> String {
        style.colours[category] ?? category.defaultColour
    }

    /// A length with at most two decimals and no trailing zeros, the same on every machine.
    func n(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let whole = abs(hundredths) / 100, fraction = abs(hundredths) % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        return fraction % 10 == 0 ? "\(sign)\(whole).\(fraction / 10)" : "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
