public import ConveneKit
internal import ConveneYAML
public import Foundation

/// Reads replies from a registration system's CSV export, checking every row against the
/// workflow before anything is recorded.
///
/// The header names the columns, in any order:
/// - `delegation` (or `id`), `track`, `answer` (`confirm`, `decline`, `substitute`) and
///   `received` (a local date-time in the event's time zone such as `2024-02-10T12:00`, or an
///   ISO 8601 time with its offset) are required;
/// - `speaking` (`yes`/`no`, `true`/`false`, `1`/`0`, blank for no), `speaking_requested` (when
///   speaking time was asked for, if the export records it apart from the reply; by default the
///   time of the first of the delegation's uninterrupted requests), `accompanying` (how many
///   persons come with the delegate, within what the track allows), `substitute_name`,
///   `substitute_title`, `substitute_rank` and `document` (the reference of the letter or note
///   verbale) are read when present.
///
/// Each reply's provenance is the source `csv-import` and, unless the row names one, the
/// document `FILE:LINE` it came from.
public enum ReplyImport {
    /// A reply read from a row.
    public struct Row: Sendable {
        /// The delegation replying.
        public var delegation: String
        /// The reply.
        public var reply: Reply
        /// The document it came from.
        public var document: String
    }

    static let required = ["delegation", "track", "answer", "received"]
    static let optional = ["speaking", "speaking_requested", "accompanying", "substitute_name", "substitute_title", "substitute_rank", "document"]

    /// Why a number of accompanying persons does not fit a track, or `nil` if it does.
    public static func accompanyingProblem(_ count: Int, on track: TrackInfo) -> String? {
        let allowed = track.accompanying ?? 0
        if count < 0 { return "the number of accompanying persons cannot be negative" }
        if count > 0, allowed == 0 { return "track '\(track.id)' takes no accompanying persons" }
        if count > allowed {
            return "track '\(track.id)' allows at most \(allowed) accompanying person\(allowed == 1 ? "" : "s"), not \(count)"
        }
        return nil
    }

    /// Reads a file.
    /// - Parameters:
    ///   - url: the CSV file.
    ///   - displayPath: the path to print in diagnostics and provenance.
    ///   - workflow: the workflow whose delegations and tracks the rows must name.
    /// - Returns: the replies in file order.
    /// - Throws: ``ValidationFailure`` with every problem found, each at its line and column.
    public static func read(_ url: URL, displayPath: String, workflow: Workflow) throws(ValidationFailure) -> [Row] {
        var diagnostics = Diagnostics()
        let start = SourceLocation(file: displayPath, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            diagnostics.error("cannot read the replies file '\(displayPath)'", at: start)
            throw ValidationFailure(diagnostics)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.error("the replies file is not UTF-8 text", at: start)
            throw ValidationFailure(diagnostics)
        }
        diagnostics.register(source: text, for: displayPath)
        let rows = parse(text, file: displayPath, workflow: workflow, diagnostics: &diagnostics)
        if diagnostics.hasErrors { throw ValidationFailure(diagnostics) }
        return rows
    }

    /// Parses CSV text; see ``read(_:displayPath:workflow:)``.
    static func parse(_ text: String, file: String, workflow: Workflow, diagnostics: inout Diagnostics) -> [Row] {
        guard let (records, header, opened) = CSVPlaces.open(text, file: file, what: "the replies file", diagnostics: &diagnostics)
        else { return [] }
        var reader = records
        var places = opened
        func at(_ line: Int, _ field: Int) -> SourceLocation { places.at(line, field) }
        var index: [String: Int] = [:]
        for (i, raw) in header.enumerated() {
            var name = RosterLoader.trimmed(raw).lowercased()
            if name == "id" { name = "delegation" }
            if !(required + optional).contains(name) {
                diagnostics.error(
                    "unknown column '\(raw)'\(didYouMean(name, among: required + optional)); the columns are \((required + optional).joined(separator: ", "))",
                    at: at(1, i))
            } else if index[name] != nil {
                diagnostics.error("column '\(name)' appears twice", at: at(1, i))
            } else {
                index[name] = i
            }
        }
        for name in required where index[name] == nil {
            diagnostics.error("the replies file has no '\(name)' column", at: at(1, 0))
        }
        if diagnostics.hasErrors { return [] }

        let delegations = Set(workflow.delegations.map(\.id))
        let tracks = workflow.tracks.map(\.id)
        let local = LocalTime(timeZone: workflow.event.timeZone)
        var rows: [Row] = []
        while let (fields, line) = CSVPlaces.next(&reader, file: file, diagnostics: &diagnostics) {
            if fields.count == 1, fields[0].isEmpty { continue }
            guard fields.count == header.count else {
                diagnostics.error(
                    "this row has \(fields.count) field\(fields.count == 1 ? "" : "s"), the header has \(header.count)",
                    at: at(line, min(fields.count, header.count) - 1))
                continue
            }
            func value(_ name: String) -> String {
                index[name].map { RosterLoader.trimmed(fields[$0]) } ?? ""
            }
            func error(_ column: String, _ message: String) {
                diagnostics.error("\(column): \(message)", at: at(line, index[column] ?? 0))
            }
            let before = diagnostics.all.count
            let delegation = value("delegation")
            if !delegations.contains(delegation) {
                error("delegation", delegation.isEmpty ? "the delegation is empty" : "no delegation '\(delegation)' in the roster\(didYouMean(delegation, among: delegations))")
            }
            let track = value("track")
            if !tracks.contains(track) {
                error("track", "unknown track '\(track)'\(didYouMean(track, among: tracks)); the workflow has \(tracks.joined(separator: ", "))")
            }
            let answer = ReplyAnswer(rawValue: value("answer").lowercased())
            if answer == nil { error("answer", "'\(value("answer"))' is not confirm, decline or substitute") }
            let receivedText = value("received")
            let received = local.date(from: receivedText) ?? (try? Date(receivedText, strategy: .iso8601))
            if received == nil {
                error("received", "'\(receivedText)' is not a date such as 2024-02-10T12:00 (in \(workflow.event.timeZone.identifier)) or 2024-02-10T11:00:00Z")
            }
            var speaking = false
            switch value("speaking").lowercased() {
            case "", "no", "false", "0", "n": speaking = false
            case "yes", "true", "1", "y": speaking = true
            default: error("speaking", "'\(value("speaking"))' is not yes or no")
            }
            var speakingAt: Date?
            let speakingAtText = value("speaking_requested")
            if !speakingAtText.isEmpty {
                speakingAt = local.date(from: speakingAtText) ?? (try? Date(speakingAtText, strategy: .iso8601))
                if speakingAt == nil {
                    error("speaking_requested", "'\(speakingAtText)' is not a date such as 2024-02-10T12:00 (in \(workflow.event.timeZone.identifier)) or 2024-02-10T11:00:00Z")
                } else if !speaking {
                    error("speaking_requested", "a time of request needs speaking set to yes")
                } else if let received, let speakingAt, speakingAt > received {
                    error("speaking_requested", "speaking time cannot be requested after the reply was received (\(receivedText))")
                }
            }
            var substitute: Principal?
            if answer == .substitute {
                if value("substitute_name").isEmpty {
                    error(index["substitute_name"] == nil ? "answer" : "substitute_name", "a substitution needs the substitute's name (column substitute_name)")
                } else {
                    let rank = value("substitute_rank")
                    substitute = Principal(
                        name: value("substitute_name"), title: value("substitute_title"), gender: .unspecified,
                        rank: rank.isEmpty ? nil : rank)
                }
            }
            var accompanying = 0
            let accompanyingText = value("accompanying")
            if !accompanyingText.isEmpty {
                if let n = Int(accompanyingText) {
                    accompanying = n
                    if let info = workflow.track(track), let problem = accompanyingProblem(n, on: info) { error("accompanying", problem) }
                } else {
                    error("accompanying", "'\(accompanyingText)' is not a number")
                }
            }
            guard diagnostics.all.count == before, let answer, let received else { continue }
            let document = value("document")
            var reply = Reply(
                sequence: 0, track: track, answer: answer, speakingRequested: speaking, receivedAt: received,
                source: "csv-import", substitute: substitute)
            reply.accompanying = accompanying
            reply.speakingRequestedAt = speakingAt
            rows.append(Row(delegation: delegation, reply: reply, document: document.isEmpty ? "\(file):\(line)" : document))
        }
        return rows
    }
}
