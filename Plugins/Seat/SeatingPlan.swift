import ConveneKit
import Foundation

/// Seats at most for the delegations whose roster `column` holds `value` (compared without
/// regard to case).
struct Quota: Sendable, Hashable {
    var column: String
    var value: String
    var seats: Int

    /// Whether a delegation belongs to the group.
    func contains(_ delegation: Delegation) -> Bool {
        guard let field = Self.value(of: column, in: delegation) else { return false }
        return field.caseInsensitiveCompare(value) == .orderedSame
    }

    /// A roster column's value for a delegation: the columns the roster loader keeps as
    /// properties (`id`, `language`, `principal_rank`, `principal_gender`), or a field.
    static func value(of column: String, in delegation: Delegation) -> String? {
        switch column {
        case "id": delegation.id
        case "language": delegation.language
        case "principal_rank": delegation.principal.rank
        case "principal_gender": delegation.principal.gender.rawValue
        default: delegation.fields[column]
        }
    }
}

/// The seating of one track: who sits where, who waits, and the documents that say so.
struct SeatingPlan {
    let track: TrackInfo
    let draw: Draw
    /// The seated delegations, first seat first.
    let seats: [NameCollation.Entry]
    /// The delegations beyond the track's capacity or their group's quota, in order of
    /// precedence, then of reply.
    let waitList: [NameCollation.Entry]
    /// The quotas, each with the seats its group took.
    let quotas: [(quota: Quota, seated: Int)]

    /// Seats the delegations on a track.
    /// - Parameters:
    ///   - track: the track.
    ///   - invitees: the batch's invitees; those with a state on the track are on it.
    ///   - alphabetical: every delegation of the batch: the members in alphabetical order, then the
    ///     observers in alphabetical order.
    ///   - members: how many of `alphabetical` are members; the observers follow them.
    ///   - draw: the draw by lot, made among the members.
    ///   - precedence: the ladder that decides who sits when there are more than the capacity.
    ///   - quotas: seats at most per group of delegations.
    init(
        track: TrackInfo, invitees: [Invitee], alphabetical: [NameCollation.Entry], members: Int, draw: Draw, precedence: Precedence,
        quotas: [Quota] = []
    ) {
        self.track = track
        self.draw = draw
        var claims: [String: (rank: Int, replied: Date)] = [:]
        claims.reserveCapacity(invitees.count)
        for invitee in invitees {
            guard let state = invitee.states[track.id] else { continue }
            // Who will sit: the substitute, at the substitute's rank, if the delegation sent one.
            let rank =
                state.status == .substituted || state.reply?.answer == .substitute
                ? state.reply?.substitute?.rank ?? invitee.delegation.principal.rank
                : invitee.delegation.principal.rank
            claims[invitee.delegation.id] = (precedence.level(of: rank), state.reply?.receivedAt ?? .distantFuture)
        }
        // Those on the track, in alphabetical order, with their place in the list of all, their
        // level on the ladder and the time of their reply.
        var present: [(position: Int, rank: Int, replied: Date)] = []
        present.reserveCapacity(claims.count)
        for (position, entry) in alphabetical.enumerated() {
            if let claim = claims[entry.delegation.id] { present.append((position, claim.rank, claim.replied)) }
        }
        var seated = present.map(\.position)
        var waiting: [Int] = []
        var taken = [Int](repeating: 0, count: quotas.count)
        if track.capacity != nil || !quotas.isEmpty {
            // Not first come, first seated: by precedence, then by the time of the reply, then by
            // id; a delegation sits while there is a seat and room in every group it belongs to.
            let ordered = present.sorted {
                if $0.rank != $1.rank { return $0.rank < $1.rank }
                if $0.replied != $1.replied { return $0.replied < $1.replied }
                return alphabetical[$0.position].delegation.id < alphabetical[$1.position].delegation.id
            }
            var free = track.capacity.map { max(0, $0) } ?? Int.max
            var chosen = [Bool](repeating: false, count: alphabetical.count)
            for place in ordered {
                let delegation = alphabetical[place.position].delegation
                let groups = quotas.indices.filter { quotas[$0].contains(delegation) }
                if free > 0, groups.allSatisfy({ taken[$0] < quotas[$0].seats }) {
                    chosen[place.position] = true
                    free -= 1
                    for group in groups { taken[group] += 1 }
                } else {
                    waiting.append(place.position)
                }
            }
            seated = seated.filter { chosen[$0] }
        }
        self.quotas = zip(quotas, taken).map { ($0, $1) }
        // `seated` keeps the alphabetical order, so the first seat is the first member at or after
        // the one drawn, wrapping round past the end of the alphabet; the observers follow.
        let seatedMembers = seated.filter { $0 < members }
        let start = draw.position.flatMap { drawn in seatedMembers.firstIndex { $0 >= drawn } } ?? 0
        seats = (seatedMembers[start...] + seatedMembers[..<start] + seated.filter { $0 >= members }).map { alphabetical[$0] }
        waitList = waiting.map { alphabetical[$0] }
    }

    /// The plan as CSV (RFC 4180): `seat,id,name`, one row per seat.
    var csv: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16 + seats.count * 48)
        bytes.append(contentsOf: "seat,id,name\r\n".utf8)
        for (index, entry) in seats.enumerated() {
            bytes.append(contentsOf: String(index + 1).utf8)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: Self.csvField(entry.delegation.id).utf8)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: Self.csvField(entry.name).utf8)
            bytes.append(contentsOf: "\r\n".utf8)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The plan as JSON, for other programs: the track, the draw (seed, language, delegation
    /// drawn), the capacity, the seats in order and the wait-list in order, one place per line.
    /// Written by hand, in a fixed key order, so that the same plan always gives the same bytes
    /// and a plan of tens of thousands of seats needs no tree of values in memory.
    func json(event: EventInfo, language: String) -> String {
        var out = "{\n"
        out += "  \"capacity\": \(track.capacity.map(String.init) ?? "null"),\n"
        out += "  \"draw\": {\"among\": \(draw.count), \"id\": \(Self.jsonString(draw.drawn?.delegation.id)), "
        out += "\"language\": \(Self.jsonString(language)), \"name\": \(Self.jsonString(draw.drawn?.name)), \"seed\": \(draw.seed)},\n"
        out += "  \"event\": \(Self.jsonString(event.reference)),\n"
        if !quotas.isEmpty {
            out += "  \"quotas\": ["
            out += quotas.map {
                "{\"column\": \(Self.jsonString($0.quota.column)), \"seated\": \($0.seated), \"seats\": \($0.quota.seats), \"value\": \(Self.jsonString($0.quota.value))}"
            }.joined(separator: ", ")
            out += "],\n"
        }
        func places(_ key: String, _ entries: [NameCollation.Entry], last: Bool) {
            out += "  \"\(key)\": ["
            for (index, entry) in entries.enumerated() {
                out += index == 0 ? "\n" : ",\n"
                out += "    {\"id\": \(Self.jsonString(entry.delegation.id)), \"name\": \(Self.jsonString(entry.name)), \"place\": \(index + 1)}"
            }
            out += entries.isEmpty ? "]" : "\n  ]"
            out += last ? "\n" : ",\n"
        }
        places("seats", seats, last: false)
        out += "  \"track\": \(Self.jsonString(track.id)),\n"
        places("waitList", waitList, last: true)
        out += "}\n"
        return out
    }

    /// A JSON string literal (RFC 8259), or `null`.
    static func jsonString(_ text: String?) -> String {
        guard let text else { return "null" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The plan for people to read: the draw, the order, the seats and the wait-list.
    /// - Parameter chartLimit: the most seats a chart is drawn for; the plan says when it has more.
    func markdown(event: EventInfo, language: String, chartLimit: Int = .max) -> String {
        let languageName = Locale(identifier: "en").localizedString(forLanguageCode: language) ?? language
        var text = ""
        text.reserveCapacity(1024)
        text += "# Seating plan: \(Self.escape(track.name(in: language)))\n"
        text += "\n"
        text += "\(Self.escape(event.name(in: language))) (\(Self.escape(event.reference))), track `\(track.id)`.\n"
        text += "\n"
        text += "- Order: alphabetical by name in \(languageName) (`\(language)`), starting from the delegation "
        text += "drawn by lot and wrapping round past the end of the alphabet.\n"
        if let drawn = draw.drawn, let position = draw.position {
            text += "- Drawn by lot: \(Self.escape(drawn.name)) (\(drawn.delegation.id)), number \(position + 1) of the "
            text += "\(draw.count) delegations in alphabetical order, with seed \(draw.seed) (SplitMix64).\n"
        }
        if let first = seats.first {
            let isDrawn = first.delegation.id == draw.drawn?.delegation.id
            text += "- First seat: \(Self.escape(first.name)) (\(first.delegation.id))"
            text += isDrawn ? ".\n" : ", the first delegation on this track after the one drawn.\n"
        }
        let capacity = track.capacity.map { " (capacity \($0))" } ?? ""
        text += "- Seats: \(seats.count)\(capacity); wait-listed: \(waitList.count).\n"
        if seats.count > chartLimit {
            text += "- No seating chart: \(seats.count) seats are more than the \(chartLimit) a chart is drawn for (`chart-limit`).\n"
        }
        for (quota, seated) in quotas {
            text += "- Quota: \(Self.escape(quota.column)) \(Self.escape(quota.value)), \(quota.seats) seat\(quota.seats == 1 ? "" : "s"); \(seated) taken.\n"
        }
        text += "\n"
        var bytes = Array(text.utf8)
        bytes.reserveCapacity(bytes.count + (seats.count + waitList.count) * 40 + 64)
        if seats.isEmpty {
            bytes.append(contentsOf: "No delegation to seat.\n".utf8)
        } else {
            for (index, entry) in seats.enumerated() {
                Self.appendRow(index + 1, entry, to: &bytes)
            }
        }
        if !waitList.isEmpty {
            bytes.append(contentsOf: "\n## Wait-list, in order of precedence, then of reply\n\n".utf8)
            for (index, entry) in waitList.enumerated() {
                Self.appendRow(index + 1, entry, to: &bytes)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// "12. Name (ID)" and a line break.
    private static func appendRow(_ number: Int, _ entry: NameCollation.Entry, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: String(number).utf8)
        bytes.append(contentsOf: ". ".utf8)
        bytes.append(contentsOf: escape(entry.name).utf8)
        bytes.append(contentsOf: " (".utf8)
        bytes.append(contentsOf: entry.delegation.id.utf8)
        bytes.append(contentsOf: ")\n".utf8)
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func csvField(_ field: String) -> String {
        // Most fields hold none of these bytes, and then no such Character either.
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text with Markdown's emphasis, link and code characters escaped.
    static func escape(_ text: String) -> String {
        // The characters escaped are ASCII, or U+1FEF, which is canonically a grave accent: text
        // with none of them is left as it is; ASCII text, whose Characters are its bytes (but for
        // CR LF, which is not escaped), is escaped byte by byte.
        var ascii = true
        var special = false
        for byte in text.utf8 {
            if byte >= 0x80 { ascii = false } else if markdownSpecial(byte) { special = true }
        }
        if !special, ascii || !text.unicodeScalars.contains("\u{1FEF}") { return text }
        if ascii {
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count + 8)
            for byte in text.utf8 {
                if markdownSpecial(byte) { out.append(UInt8(ascii: "\\")) }
                out.append(byte)
            }
            return String(decoding: out, as: UTF8.self)
        }
        var out = ""
        for character in text {
            if "\\`*_[]<>#|".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    private static func markdownSpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "#"), UInt8(ascii: "|"):
            return true
        default:
            return false
        }
    }
}
