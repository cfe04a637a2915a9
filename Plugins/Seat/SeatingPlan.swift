import ConveneKit
import Foundation

/// The seating of one track: who sits where, who waits, and the documents that say so.
struct SeatingPlan {
    let track: TrackInfo
    let draw: Draw
    /// The seated delegations, first seat first.
    let seats: [NameCollation.Entry]
    /// The delegations beyond the track's capacity, in order of reply.
    let waitList: [NameCollation.Entry]

    /// Seats the delegations on a track.
    /// - Parameters:
    ///   - track: the track.
    ///   - invitees: the batch's invitees; those with a state on the track are on it.
    ///   - alphabetical: every delegation of the batch, in alphabetical order.
    ///   - draw: the draw by lot, made among `alphabetical`.
    init(track: TrackInfo, invitees: [Invitee], alphabetical: [NameCollation.Entry], draw: Draw) {
        self.track = track
        self.draw = draw
        var replied: [String: Date] = [:]
        for invitee in invitees {
            guard let state = invitee.states[track.id] else { continue }
            replied[invitee.delegation.id] = state.reply?.receivedAt ?? .distantFuture
        }
        let present = alphabetical.filter { replied[$0.delegation.id] != nil }
        var seated = present
        var waiting: [NameCollation.Entry] = []
        if let capacity = track.capacity {
            // First come, first seated: by the time of the reply, then by id.
            let byReply = present.sorted {
                let a = replied[$0.delegation.id, default: .distantFuture]
                let b = replied[$1.delegation.id, default: .distantFuture]
                return a != b ? a < b : $0.delegation.id < $1.delegation.id
            }
            let chosen = Set(byReply.prefix(max(0, capacity)).map(\.delegation.id))
            seated = present.filter { chosen.contains($0.delegation.id) }
            waiting = byReply.filter { !chosen.contains($0.delegation.id) }
        }
        // `seated` keeps the alphabetical order, so the first seat is the first delegation at or
        // after the one drawn, wrapping round past the end of the alphabet.
        let position = Dictionary(uniqueKeysWithValues: alphabetical.enumerated().map { ($1.delegation.id, $0) })
        let start =
            draw.position.flatMap { drawn in seated.firstIndex { position[$0.delegation.id, default: 0] >= drawn } }
            ?? 0
        seats = Array(seated[start...] + seated[..<start])
        waitList = waiting
    }

    /// The plan as CSV (RFC 4180): `seat,id,name`, one row per seat.
    var csv: String {
        var lines = ["seat,id,name"]
        for (index, entry) in seats.enumerated() {
            lines.append(
                [String(index + 1), entry.delegation.id, entry.name].map(Self.csvField).joined(separator: ","))
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// The plan for people to read: the draw, the order, the seats and the wait-list.
    func markdown(event: EventInfo, language: String) -> String {
        let languageName = Locale(identifier: "en").localizedString(forLanguageCode: language) ?? language
        var lines = [
            "# Seating plan: \(Self.escape(track.name(in: language)))",
            "",
            "\(Self.escape(event.name(in: language))) (\(Self.escape(event.reference))), track `\(track.id)`.",
            "",
            "- Order: alphabetical by name in \(languageName) (`\(language)`), starting from the delegation "
                + "drawn by lot and wrapping round past the end of the alphabet.",
        ]
        if let drawn = draw.drawn, let position = draw.position {
            lines.append(
                "- Drawn by lot: \(Self.escape(drawn.name)) (\(drawn.delegation.id)), number \(position + 1) of the "
                    + "\(draw.count) delegations in alphabetical order, with seed \(draw.seed) (SplitMix64).")
        }
        if let first = seats.first {
            let isDrawn = first.delegation.id == draw.drawn?.delegation.id
            lines.append(
                "- First seat: \(Self.escape(first.name)) (\(first.delegation.id))"
                    + (isDrawn ? "." : ", the first delegation on this track after the one drawn."))
        }
        let capacity = track.capacity.map { " (capacity \($0))" } ?? ""
        lines.append("- Seats: \(seats.count)\(capacity); wait-listed: \(waitList.count).")
        lines.append("")
        if seats.isEmpty {
            lines.append("No delegation to seat.")
        } else {
            for (index, entry) in seats.enumerated() {
                lines.append("\(index + 1). \(Self.escape(entry.name)) (\(entry.delegation.id))")
            }
        }
        if !waitList.isEmpty {
            lines += ["", "## Wait-list, in order of reply", ""]
            for (index, entry) in waitList.enumerated() {
                lines.append("\(index + 1). \(Self.escape(entry.name)) (\(entry.delegation.id))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text with Markdown's emphasis, link and code characters escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_[]<>#|".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
