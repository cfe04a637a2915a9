import ConveneKit
internal import ConveneLetters
import Foundation

/// The speakers' list of a track: one speaker per seated delegation that asked for speaking
/// time, by precedence then by the time of the request, in slots of a fixed length laid out over
/// the track's sittings (``TrackInfo/sittings``); those the track's time does not reach are
/// listed after, not dropped.
struct SpeakersList {
    /// A delegation's turn.
    struct Speaker {
        var delegation: NameCollation.Entry
        /// Who speaks: the substitute, if the delegation sent one, or the principal.
        var person: Principal
        /// The level of the speaker's rank on the ladder.
        var level: Int
        var requestedAt: Date
    }

    /// A turn with its time.
    struct Slot {
        var number: Int
        var start: Date
        var end: Date
        var speaker: Speaker
    }

    let track: TrackInfo
    let minutes: Int
    /// The turns that fit in the track's time.
    let slots: [Slot]
    /// The speakers the track's time does not reach, in order.
    let notReached: [Speaker]

    /// - Parameters:
    ///   - track: the track.
    ///   - seated: the delegations seated on it.
    ///   - invitees: the batch's invitees, with their replies.
    ///   - precedence: the ladder of ranks.
    ///   - minutes: the length of a turn.
    init(track: TrackInfo, seated: [NameCollation.Entry], invitees: [Invitee], precedence: Precedence, minutes: Int) {
        self.track = track
        self.minutes = minutes
        // Those who asked to speak, by id, found among the seated: a few, among tens of thousands.
        var requests: [String: TrackState] = [:]
        for invitee in invitees {
            if let state = invitee.states[track.id], state.reply?.speakingRequested == true, requests[invitee.delegation.id] == nil {
                requests[invitee.delegation.id] = state
            }
        }
        var speakers: [Speaker] = []
        for entry in seated {
            guard let state = requests[entry.delegation.id], let reply = state.reply else { continue }
            let substituted = state.status == .substituted || reply.answer == .substitute
            let person = substituted ? reply.substitute ?? entry.delegation.principal : entry.delegation.principal
            speakers.append(Speaker(delegation: entry, person: person, level: precedence.level(of: person.rank), requestedAt: reply.speakingRequestedAt ?? reply.receivedAt))
        }
        speakers.sort {
            if $0.level != $1.level { return $0.level < $1.level }
            if $0.requestedAt != $1.requestedAt { return $0.requestedAt < $1.requestedAt }
            return $0.delegation.delegation.id < $1.delegation.delegation.id
        }
        // Turns one after the other within each sitting of the track, from its first.
        let length = TimeInterval(max(1, minutes) * 60)
        var slots: [Slot] = []
        var rest = speakers[...]
        for sitting in track.sittings {
            var start = sitting.start
            while let speaker = rest.first, start.addingTimeInterval(length) <= sitting.end {
                slots.append(Slot(number: slots.count + 1, start: start, end: start.addingTimeInterval(length), speaker: speaker))
                start = start.addingTimeInterval(length)
                rest = rest.dropFirst()
            }
        }
        self.slots = slots
        notReached = Array(rest)
    }

    /// Whether anyone asked to speak.
    var isEmpty: Bool { slots.isEmpty && notReached.isEmpty }

    /// The list as CSV (RFC 4180): `slot,date,start,end,id,delegation,speaker,title,rank`, the
    /// date as `2024-05-28`; the speakers not reached follow with an empty slot, date and times.
    func csv(timeZone: TimeZone) -> String {
        let time = Self.clock(timeZone)
        let day = Self.day(timeZone)
        var out = "slot,date,start,end,id,delegation,speaker,title,rank\r\n"
        func row(_ slot: String, _ date: String, _ start: String, _ end: String, _ speaker: Speaker) {
            let fields = [
                slot, date, start, end, speaker.delegation.delegation.id, speaker.delegation.name, speaker.person.name,
                speaker.person.title, speaker.person.rank ?? "",
            ]
            out += fields.map(SeatingPlan.csvField).joined(separator: ",") + "\r\n"
        }
        for slot in slots { row(String(slot.number), day(slot.start), time(slot.start), time(slot.end), slot.speaker) }
        for speaker in notReached { row("", "", "", "", speaker) }
        return out
    }

    /// The list as a printable HTML page.
    func html(event: EventInfo, language: String) -> String {
        let time = Self.clock(event.timeZone)
        func e(_ text: String) -> String { htmlEscaped(text) }
        let title = "Speakers' list: \(track.name(in: language))"
        var page = "<!DOCTYPE html>\n<html lang=\"\(e(language))\"\(language == "ar" ? " dir=\"rtl\"" : "")>\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<title>\(e(title))</title>\n"
        page += "<style>body{font-family:serif;margin:2em}table{border-collapse:collapse;width:100%}"
        page += "th,td{border:1px solid #444;padding:.3em .5em;text-align:start}@media print{body{margin:0}}</style>\n"
        page += "</head>\n<body>\n<h1>\(e(title))</h1>\n"
        page += "<p>\(e(event.name(in: language))) (\(e(event.reference))): \(slots.count) turn\(slots.count == 1 ? "" : "s") of \(minutes) minutes"
        let day = Self.day(event.timeZone)
        let sittings = track.sittings.map { "\(day($0.start)) \(time($0.start))–\(time($0.end))" }.joined(separator: ", ")
        page += " in the sitting\(track.sittings.count == 1 ? "" : "s") of \(sittings) (\(e(event.timeZone.identifier))), by precedence then time of request.</p>\n"
        page += "<table>\n<thead><tr><th scope=\"col\">Turn</th><th scope=\"col\">Date</th><th scope=\"col\">Time</th><th scope=\"col\">Delegation</th><th scope=\"col\">Speaker</th></tr></thead>\n<tbody>\n"
        for slot in slots {
            let person = [slot.speaker.person.name, slot.speaker.person.title].filter { !$0.isEmpty }.joined(separator: ", ")
            page += "<tr><td>\(slot.number)</td><td>\(day(slot.start))</td><td>\(time(slot.start))–\(time(slot.end))</td><td>\(e(slot.speaker.delegation.name))</td><td>\(e(person))</td></tr>\n"
        }
        page += "</tbody>\n</table>\n"
        if !notReached.isEmpty {
            page += "<h2>Not reached in the time of the track</h2>\n<ol>\n"
            for speaker in notReached { page += "<li>\(e(speaker.delegation.name)): \(e(speaker.person.name))</li>\n" }
            page += "</ol>\n"
        }
        page += "</body>\n</html>\n"
        return page
    }

    /// `yyyy-MM-dd` in a time zone.
    static func day(_ timeZone: TimeZone) -> (Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return { date in
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let month = parts.month ?? 0, day = parts.day ?? 0
            return String(parts.year ?? 0) + (month < 10 ? "-0" : "-") + String(month) + (day < 10 ? "-0" : "-") + String(day)
        }
    }

    /// `HH:mm` in a time zone.
    static func clock(_ timeZone: TimeZone) -> (Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return { date in
            let parts = calendar.dateComponents([.hour, .minute], from: date)
            let hour = parts.hour ?? 0, minute = parts.minute ?? 0
            return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
        }
    }
}
