internal import ConveneKit
internal import ConveneYAML
public import Foundation

/// Reads a workflow file, checks everything that can be checked without running, and builds a
/// ``Workflow``. Every problem is reported, not only the first.
public struct WorkflowLoader: Sendable {
    /// The plugins `uses:` may name.
    public var plugins: PluginRegistry

    /// Creates a loader.
    public init(plugins: PluginRegistry) { self.plugins = plugins }

    /// The workflow file a command-line argument names: a YAML file, or a folder holding `workflow.yaml`.
    public static func workflowFile(_ argument: String) -> URL {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
            return URL(fileURLWithPath: argument, isDirectory: true).appendingPathComponent("workflow.yaml")
        }
        return URL(fileURLWithPath: argument)
    }

    /// The largest workflow file read, in bytes: hundreds of times a real campaign's, and small
    /// enough that a file made by mistake (a log, a dump) is refused at once rather than parsed.
    public static let sizeLimit = 4_000_000

    /// Loads and validates a workflow.
    /// - Parameter argument: a workflow file or a folder holding `workflow.yaml`, as the user wrote it.
    /// - Returns: the workflow and any warnings.
    /// - Throws: ``ValidationFailure`` with every error found.
    public func load(_ argument: String) throws(ValidationFailure) -> (workflow: Workflow, warnings: Diagnostics) {
        let url = Self.workflowFile(argument)
        let display = Self.displayPath(url, argument: argument)
        var diagnostics = Diagnostics()
        guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else {
            diagnostics.error("cannot read the workflow file '\(display)'", at: SourceLocation(file: display, line: 1, column: 1))
            throw ValidationFailure(diagnostics)
        }
        guard data.count <= Self.sizeLimit else {
            diagnostics.error(
                "the workflow file is \(data.count / 1_000_000) MB, more than a workflow's \(Self.sizeLimit / 1_000_000) MB at most",
                at: SourceLocation(file: display, line: 1, column: 1))
            throw ValidationFailure(diagnostics)
        }
        guard let text = diagnostics.text(of: data, file: display, what: "the workflow file") else { throw ValidationFailure(diagnostics) }
        diagnostics.register(source: text, for: display)
        let root: YAMLNode
        do {
            guard let node = try YAMLParser.parse(text, file: display) else {
                diagnostics.error("the workflow file is empty", at: SourceLocation(file: display, line: 1, column: 1))
                throw ValidationFailure(diagnostics)
            }
            root = node
        } catch let error as YAMLError {
            diagnostics.append(error.diagnostic)
            throw ValidationFailure(diagnostics)
        } catch {
            throw ValidationFailure(diagnostics)
        }
        var reader = Reader(root: root, file: url, display: display, plugins: plugins, diagnostics: diagnostics)
        let workflow = reader.read()
        if reader.diagnostics.hasErrors || workflow == nil { throw ValidationFailure(reader.diagnostics) }
        return (workflow!, reader.diagnostics)
    }

    /// The path to print for a file: as the user wrote it when possible.
    static func displayPath(_ url: URL, argument: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
            return (argument.hasSuffix("/") ? argument : argument + "/") + url.lastPathComponent
        }
        return argument
    }
}

/// One reading of a workflow document, accumulating diagnostics.
private struct Reader {
    let root: YAMLNode
    let file: URL
    let display: String
    let plugins: PluginRegistry
    var diagnostics: Diagnostics

    static let topKeys = ["convene", "id", "event", "roster", "dates", "reply-page", "channel", "ledger", "tracks", "steps"]
    static let channelKeys = ["type", "host", "port", "security", "ca-file", "user", "password-env", "password-file", "rate", "retries", "backoff"]
    static let replyPageKeys = ["url", "until", "grace"]
    static let eventKeys = ["reference", "name", "venue", "time-zone", "languages", "fallback-language", "contact", "sender", "signatories"]
    static let trackKeys = ["name", "start", "end", "access", "capacity", "accompanying", "sessions"]
    static let stepKeys = ["id", "uses", "tracks", "at", "before", "after", "of", "on", "when", "with"]
    /// The longest a track may last: a year covers any event's part, and a longer span is a
    /// typing mistake, which would otherwise make a session for each of thousands of days.
    static let longestTrackDays = 366

    init(root: YAMLNode, file: URL, display: String, plugins: PluginRegistry, diagnostics: Diagnostics) {
        self.root = root
        self.file = file
        self.display = display
        self.plugins = plugins
        self.diagnostics = diagnostics
    }

    /// Paths relative to the workflow, printed relative to where the user is.
    var displayDirectory: String {
        let dir = (display as NSString).deletingLastPathComponent
        return dir
    }

    mutating func read() -> Workflow? {
        guard diagnostics.checkMapping(root, "the workflow", allowed: Self.topKeys, required: ["id", "event", "roster", "tracks", "steps"]) != nil else { return nil }
        if let version = root["convene"], let v = diagnostics.integer(version, "convene"), v != 1 {
            diagnostics.error("this convene reads workflow format 1, not \(v)", at: version.location)
        }
        let id = diagnostics.string(root["id"], "id") ?? ""
        if let node = root["id"], !id.isEmpty, !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
            diagnostics.error("id '\(id)' may only hold ASCII letters, digits, '-', '_' and '.'", at: node.location)
        }
        guard let eventNode = root["event"], let (eventBase, sender) = readEvent(eventNode) else { return nil }
        let local = LocalTime(timeZone: eventBase.timeZone)
        var dates = readDates(root["dates"], local)
        var event = eventBase
        event.id = id
        let tracks = readTracks(root["tracks"], local, languages: event.languages)
        // Each track's start and end are named dates too: `before: [7d]` of `tracks.mrt.start`.
        for track in tracks {
            let location = root["tracks"]?[track.id]?.location ?? root.location
            dates["tracks.\(track.id).start"] = (track.start, location)
            dates["tracks.\(track.id).end"] = (track.end, location)
        }
        event.dates = dates.mapValues(\.date)
        let (delegations, columns, rosterURL) = readRoster(root["roster"], languages: event.languages)
        let schema = Self.conditionSchema(columns: columns, tracks: tracks.map(\.id))
        let steps = readSteps(root["steps"], local: local, dates: dates, tracks: tracks, event: event, schema: schema)
        let replyPage = root["reply-page"].flatMap { readReplyPage($0, local: local, dates: dates) }
        let smtp = root["channel"].flatMap { readChannel($0) }
        let ledger = root["ledger"].flatMap { readLedger($0, directory: file.deletingLastPathComponent()) }
        guard !diagnostics.hasErrors, let rosterURL else { return nil }
        var workflow = Workflow(
            id: id, file: file, event: event, sender: sender, rosterFile: rosterURL, delegations: delegations,
            rosterDigest: Self.digest(of: rosterURL), rosterColumns: columns, tracks: tracks, steps: steps,
            replyPage: replyPage)
        workflow.smtp = smtp
        workflow.ledger = ledger
        return workflow
    }

    /// `ledger:`: a SQLite file (relative to the workflow), or a `postgres://` URL. A password
    /// in the URL is refused: it comes from `CONVENE_LEDGER_PASSWORD`, `PGPASSWORD` or
    /// `~/.pgpass`, so that the workflow can be shared.
    mutating func readLedger(_ node: YAMLNode, directory: URL) -> LedgerLocation? {
        guard let text = diagnostics.string(node, "ledger") else { return nil }
        guard !text.isEmpty else {
            diagnostics.error("ledger: give a SQLite file or a postgres:// URL", at: node.location)
            return nil
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: text), components.host != nil else {
                diagnostics.error("ledger: '\(text)' is not a URL such as postgres://convene@db.example.org/campaign", at: node.location)
                return nil
            }
            if components.password != nil {
                diagnostics.error(
                    "ledger: the URL holds a password; remove it and set CONVENE_LEDGER_PASSWORD (or PGPASSWORD, or ~/.pgpass) instead",
                    at: node.location)
                return nil
            }
        } else if text.contains("://") {
            diagnostics.error("ledger: '\(text)' is neither a file nor a postgres:// URL", at: node.location)
            return nil
        }
        return LedgerLocation(text, relativeTo: directory)
    }

    /// `channel:`: `type` (`file`, the default, or `smtp`), and for `smtp`: `host`, `port` (587,
    /// or 465 with `security: tls`), `security` (`starttls`, `tls` or `none`), `user`,
    /// `password-env` or `password-file` (never the password itself), `rate` (per minute),
    /// `retries` and `backoff` (an offset such as 1m).
    mutating func readChannel(_ node: YAMLNode) -> SMTPSettings? {
        guard diagnostics.checkMapping(node, "channel", allowed: Self.channelKeys, required: ["type"]) != nil,
            let typeNode = node["type"], let type = diagnostics.string(typeNode, "channel.type")
        else { return nil }
        switch type {
        case "file":
            if let extra = node.mapping?.first(where: { $0.key.string != "type" }) {
                diagnostics.error("channel: a file channel takes no '\(extra.key.string ?? "")'", at: extra.key.location)
            }
            return nil
        case "smtp":
            break
        default:
            diagnostics.error("channel.type must be 'file' or 'smtp', not '\(type)'\(didYouMean(type, among: ["file", "smtp"]))", at: typeNode.location)
            return nil
        }
        guard let hostNode = node["host"], let host = diagnostics.string(hostNode, "channel.host"), !host.isEmpty else {
            diagnostics.error("channel: an smtp channel needs host:", at: node.location)
            return nil
        }
        var security = SMTPSettings.Security.starttls
        if let securityNode = node["security"], let text = diagnostics.string(securityNode, "channel.security") {
            if let parsed = SMTPSettings.Security(rawValue: text) { security = parsed } else {
                let names = SMTPSettings.Security.allCases.map(\.rawValue)
                diagnostics.error("channel.security must be one of \(names.joined(separator: ", ")), not '\(text)'\(didYouMean(text, among: names))", at: securityNode.location)
            }
        }
        let port = diagnostics.integer(node["port"], "channel.port") ?? (security == .tls ? 465 : 587)
        if !(1...65535).contains(port), let portNode = node["port"] { diagnostics.error("channel.port must be between 1 and 65535", at: portNode.location) }
        var settings = SMTPSettings(host: host, port: port, security: security)
        settings.user = node["user"].flatMap { diagnostics.string($0, "channel.user") }
        settings.passwordEnvironment = node["password-env"].flatMap { diagnostics.string($0, "channel.password-env") }
        settings.passwordFile = node["password-file"].flatMap { diagnostics.string($0, "channel.password-file") }.map {
            $0.hasPrefix("/") ? $0 : file.deletingLastPathComponent().appendingPathComponent($0).path
        }
        settings.caFile = node["ca-file"].flatMap { diagnostics.string($0, "channel.ca-file") }.map {
            $0.hasPrefix("/") ? $0 : file.deletingLastPathComponent().appendingPathComponent($0).path
        }
        if settings.passwordEnvironment != nil, settings.passwordFile != nil, let fileNode = node["password-file"] {
            diagnostics.error("channel: give password-env or password-file, not both", at: fileNode.location)
        }
        if let rate = diagnostics.integer(node["rate"], "channel.rate") {
            if rate < 1, let rateNode = node["rate"] { diagnostics.error("channel.rate must be at least 1 message a minute", at: rateNode.location) }
            settings.rate = rate
        }
        if let retries = diagnostics.integer(node["retries"], "channel.retries") {
            if retries < 0, let retriesNode = node["retries"] { diagnostics.error("channel.retries must be 0 or more", at: retriesNode.location) }
            settings.retries = retries
        }
        if let backoffNode = node["backoff"], let text = diagnostics.string(backoffNode, "channel.backoff") {
            if let offset = CalendarOffset(text) {
                settings.backoff = TimeInterval(offset.approximateMinutes * 60)
            } else {
                diagnostics.error("channel.backoff: '\(text)' is not an offset such as 1m, 30m or 2h", at: backoffNode.location)
            }
        }
        return settings
    }

    /// `reply-page:`: `url` (http or https), `until` (a named date or local date-time;
    /// `deadlines.reply` by default) and `grace` (an offset after it; 30 days by default).
    mutating func readReplyPage(_ node: YAMLNode, local: LocalTime, dates: [String: (date: Date, location: SourceLocation)]) -> ReplyPage? {
        guard diagnostics.checkMapping(node, "reply-page", allowed: Self.replyPageKeys, required: ["url"]) != nil,
            let urlNode = node["url"], let text = diagnostics.string(urlNode, "reply-page.url")
        else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host?.isEmpty == false, url.query == nil, url.fragment == nil
        else {
            diagnostics.error("reply-page.url: '\(text)' is not an http or https address without query or fragment", at: urlNode.location)
            return nil
        }
        var until: Date?
        if let untilNode = node["until"] {
            if let name = diagnostics.string(untilNode, "reply-page.until") {
                if let named = dates[name] {
                    until = named.date
                } else if let date = local.date(from: name) {
                    until = date
                } else {
                    diagnostics.error("reply-page.until: '\(name)' is neither a local date-time nor a named date\(didYouMean(name, among: dates.keys))", at: untilNode.location)
                }
            }
        } else if let deadline = dates["deadlines.reply"] {
            until = deadline.date
        } else {
            diagnostics.error("reply-page needs until: (the workflow names no deadlines.reply date)", at: node.location)
        }
        var grace: CalendarOffset? = CalendarOffset(30, .days)
        if let graceNode = node["grace"] {
            grace = diagnostics.string(graceNode, "reply-page.grace").flatMap { CalendarOffset($0) }
            if grace == nil, let text = graceNode.string {
                diagnostics.error("reply-page.grace: '\(text)' is not an offset such as 30d, 2w or 36h", at: graceNode.location)
            }
        }
        guard let until, let grace else { return nil }
        return ReplyPage(url: url, expires: grace.apply(to: until, sign: 1, in: local.calendar))
    }

    /// FNV-1a (64 bits) of a file's bytes, in hex; empty if it cannot be read.
    static func digest(of url: URL) -> String {
        guard let data = try? Data(contentsOf: url) else { return "" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        // Over the raw buffer: Data's own iterator costs more than the hashing.
        data.withUnsafeBytes { for byte in $0 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 } }
        return String(hash, radix: 16) + "-\(data.count)"
    }

    // MARK: event

    mutating func readEvent(_ node: YAMLNode) -> (EventInfo, Mailbox)? {
        guard diagnostics.checkMapping(node, "event", allowed: Self.eventKeys, required: ["name", "time-zone", "languages", "contact", "sender"]) != nil else { return nil }
        var languages = diagnostics.strings(node["languages"], "event.languages") ?? []
        if let langNode = node["languages"] {
            for (i, code) in languages.enumerated() where !(2...3).contains(code.count) || !code.allSatisfy({ $0.isASCII && $0.isLowercase }) {
                let item = langNode.sequence.flatMap { $0.count == languages.count ? $0[i] : nil } ?? langNode
                diagnostics.error("'\(code)' is not a language code such as 'fr' or 'en'", at: item.location)
            }
            if languages.isEmpty { diagnostics.error("event.languages must name at least one language", at: langNode.location) }
        }
        if languages.isEmpty { languages = ["en"] }
        var fallback = languages[0]
        if let fallbackNode = node["fallback-language"], let f = diagnostics.string(fallbackNode, "event.fallback-language") {
            if languages.contains(f) { fallback = f } else {
                diagnostics.error("event.fallback-language '\(f)' is not one of event.languages\(didYouMean(f, among: languages))", at: fallbackNode.location)
            }
        }
        var timeZone = TimeZone(identifier: "UTC")!
        if let tzNode = node["time-zone"], let name = diagnostics.string(tzNode, "event.time-zone") {
            if let tz = TimeZone(identifier: name) { timeZone = tz } else {
                diagnostics.error("unknown time zone '\(name)'\(didYouMean(name, among: TimeZone.knownTimeZoneIdentifiers))", at: tzNode.location)
            }
        }
        let names = diagnostics.perLanguage(node["name"], "event.name", languages: languages) ?? [:]
        let contact = readMailbox(node["contact"], "event.contact") ?? Mailbox(email: "invalid@example.org")
        let sender = readMailbox(node["sender"], "event.sender") ?? Mailbox(email: "invalid@example.org")
        var signatories: [Signatory] = []
        if let list = node["signatories"] {
            if let items = list.sequence {
                for item in items {
                    guard diagnostics.checkMapping(item, "a signatory", allowed: ["name", "title"], required: ["name"]) != nil else { continue }
                    let name = diagnostics.string(item["name"], "signatory name") ?? ""
                    let titles = diagnostics.perLanguage(item["title"], "signatory title", languages: languages) ?? [:]
                    signatories.append(Signatory(name: name, titles: titles))
                }
            } else {
                diagnostics.error("event.signatories must be a list, not \(list.kindDescription)", at: list.location)
            }
        }
        let event = EventInfo(
            id: "", reference: diagnostics.string(node["reference"], "event.reference") ?? "", names: names,
            venue: diagnostics.string(node["venue"], "event.venue") ?? "", timeZone: timeZone, languages: languages,
            fallbackLanguage: fallback, contact: contact, signatories: signatories, dates: [:])
        return (event, sender)
    }

    /// `name@host` or `{name: …, email: …}`.
    mutating func readMailbox(_ node: YAMLNode?, _ what: String) -> Mailbox? {
        guard let node else { return nil }
        let mailbox: Mailbox?
        if node.scalar != nil {
            mailbox = diagnostics.string(node, what).map { Mailbox(email: $0) }
        } else {
            guard diagnostics.checkMapping(node, what, allowed: ["name", "email"], required: ["email"]) != nil else { return nil }
            mailbox = diagnostics.string(node["email"], "\(what).email").map {
                Mailbox(name: diagnostics.string(node["name"], "\(what).name"), email: $0)
            }
        }
        if let mailbox, !RosterLoader.isPlausibleEmail(mailbox.email) {
            diagnostics.error("\(what): '\(mailbox.email)' is not an e-mail address", at: node["email"]?.location ?? node.location)
        }
        return mailbox
    }

    // MARK: dates

    mutating func readDates(_ node: YAMLNode?, _ local: LocalTime) -> [String: (date: Date, location: SourceLocation)] {
        var result: [String: (date: Date, location: SourceLocation)] = [:]
        guard let node else { return result }
        func walk(_ node: YAMLNode, prefix: String, _ diagnostics: inout Diagnostics) {
            guard let pairs = node.mapping else {
                diagnostics.error("dates must be a mapping of names to local dates, not \(node.kindDescription)", at: node.location)
                return
            }
            for pair in pairs {
                guard let key = diagnostics.string(pair.key, "a date name") else { continue }
                let name = prefix.isEmpty ? key : "\(prefix).\(key)"
                if pair.value.mapping != nil {
                    walk(pair.value, prefix: name, &diagnostics)
                } else if let text = diagnostics.string(pair.value, "date '\(name)'") {
                    if let date = local.date(from: text) {
                        result[name] = (date, pair.value.location)
                    } else {
                        diagnostics.error("date '\(name)': '\(text)' is not a local date such as 2024-02-29 or 2024-02-29T23:59", at: pair.value.location)
                    }
                }
            }
        }
        walk(node, prefix: "", &diagnostics)
        return result
    }

    // MARK: tracks

    mutating func readTracks(_ node: YAMLNode?, _ local: LocalTime, languages: [String]) -> [TrackInfo] {
        guard let node else { return [] }
        guard let pairs = node.mapping else {
            diagnostics.error("tracks must be a mapping of track ids to tracks, not \(node.kindDescription)", at: node.location)
            return []
        }
        if pairs.isEmpty { diagnostics.error("the workflow has no tracks", at: node.location) }
        var tracks: [TrackInfo] = []
        for pair in pairs {
            guard let id = diagnostics.string(pair.key, "a track id") else { continue }
            let t = pair.value
            guard diagnostics.checkMapping(t, "track '\(id)'", allowed: Self.trackKeys, required: ["name", "start", "end", "access"]) != nil else { continue }
            let names = diagnostics.perLanguage(t["name"], "tracks.\(id).name", languages: languages) ?? [:]
            let start = readTime(t["start"], "tracks.\(id).start", local)
            let end = readTime(t["end"], "tracks.\(id).end", local)
            var spanIsSound = true
            if let start, let end, end < start, let endNode = t["end"] {
                diagnostics.error("track '\(id)' ends before it starts", at: endNode.location)
            } else if let start, let end, end.timeIntervalSince(start) > Double(Self.longestTrackDays) * 86_400, let startNode = t["start"] {
                let days = Int(end.timeIntervalSince(start) / 86_400)
                diagnostics.error(
                    "track '\(id)' lasts \(days) days, from \(local.string(from: start)) to \(local.string(from: end)); a track lasts at most \(Self.longestTrackDays) days (is a year mistyped?)",
                    at: startNode.location)
                spanIsSound = false
            }
            var access = TrackInfo.Access.invitation
            if let accessNode = t["access"], let a = diagnostics.string(accessNode, "tracks.\(id).access") {
                if let parsed = TrackInfo.Access(rawValue: a) { access = parsed } else {
                    diagnostics.error("tracks.\(id).access must be 'invitation' or 'public', not '\(a)'\(didYouMean(a, among: ["invitation", "public"]))", at: accessNode.location)
                }
            }
            let capacity = diagnostics.integer(t["capacity"], "tracks.\(id).capacity")
            if let capacity, capacity < 1, let capNode = t["capacity"] {
                diagnostics.error("tracks.\(id).capacity must be at least 1", at: capNode.location)
            }
            let accompanying = diagnostics.integer(t["accompanying"], "tracks.\(id).accompanying")
            if let accompanying, accompanying < 0, let node = t["accompanying"] {
                diagnostics.error("tracks.\(id).accompanying must be 0 or more", at: node.location)
            }
            var track = TrackInfo(id: id, names: names, start: start ?? .distantPast, end: end ?? .distantPast, access: access, capacity: capacity)
            track.accompanying = accompanying
            if let start, let end, end > start, spanIsSound {
                track.sessions = readSessions(t["sessions"], track: id, start: start, end: end, local)
            }
            tracks.append(track)
        }
        return tracks
    }

    /// `tracks.ID.sessions`: a list of `{start, end}` local date-times, in order, within the
    /// track and apart. Without it, a track over several days sits each day from its start's
    /// clock time to its end's (27–28 May, 09:00–18:00: two sessions); a track within a day, from
    /// its start to its end.
    mutating func readSessions(_ node: YAMLNode?, track id: String, start: Date, end: Date, _ local: LocalTime) -> [DateInterval] {
        guard let node else { return Self.dailySessions(start: start, end: end, timeZone: local.calendar.timeZone) }
        guard let items = node.sequence else {
            diagnostics.error("tracks.\(id).sessions must be a list of {start, end}, not \(node.kindDescription)", at: node.location)
            return []
        }
        var sessions: [DateInterval] = []
        for (index, item) in items.enumerated() {
            let what = "tracks.\(id).sessions[\(index)]"
            guard diagnostics.checkMapping(item, what, allowed: ["start", "end"], required: ["start", "end"]) != nil,
                let from = readTime(item["start"], "\(what).start", local), let to = readTime(item["end"], "\(what).end", local)
            else { continue }
            if to <= from {
                diagnostics.error("\(what) ends before it starts", at: item["end"]?.location ?? item.location)
            } else if from < start || to > end {
                diagnostics.error("\(what) is not within the track (\(local.string(from: start)) to \(local.string(from: end)))", at: item.location)
            } else if let last = sessions.last, from < last.end {
                diagnostics.error("\(what) starts before the session before it ends", at: item["start"]?.location ?? item.location)
            } else {
                sessions.append(DateInterval(start: from, end: to))
            }
        }
        if items.isEmpty { diagnostics.error("tracks.\(id).sessions lists no session", at: node.location) }
        return sessions
    }

    /// One session a day from the start's clock time to the end's, for a track over several days
    /// whose end's clock time is after its start's; else none (the track sits without a break).
    static func dailySessions(start: Date, end: Date, timeZone: TimeZone) -> [DateInterval] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard !calendar.isDate(start, inSameDayAs: end) else { return [] }
        let from = calendar.dateComponents([.hour, .minute, .second], from: start)
        let to = calendar.dateComponents([.hour, .minute, .second], from: end)
        guard let fromDay = calendar.date(from: calendar.dateComponents([.year, .month, .day], from: start)),
            (to.hour!, to.minute!, to.second!) > (from.hour!, from.minute!, from.second!)
        else { return [] }
        var sessions: [DateInterval] = []
        var day = fromDay
        while day <= end {
            if let a = calendar.date(bySettingHour: from.hour!, minute: from.minute!, second: from.second!, of: day),
                let b = calendar.date(bySettingHour: to.hour!, minute: to.minute!, second: to.second!, of: day), a >= start, b <= end
            {
                sessions.append(DateInterval(start: a, end: b))
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        return sessions
    }

    mutating func readTime(_ node: YAMLNode?, _ what: String, _ local: LocalTime) -> Date? {
        guard let node, let text = diagnostics.string(node, what) else { return nil }
        guard let date = local.date(from: text) else {
            diagnostics.error("\(what): '\(text)' is not a local date such as 2024-05-27 or 2024-05-27T09:00", at: node.location)
            return nil
        }
        return date
    }

    // MARK: roster

    mutating func readRoster(_ node: YAMLNode?, languages: [String]) -> ([Delegation], [String], URL?) {
        guard let node, let path = diagnostics.string(node, "roster") else { return ([], [], nil) }
        let url = URL(fileURLWithPath: path, relativeTo: file.deletingLastPathComponent())
        let shown = displayDirectory.isEmpty ? path : "\(displayDirectory)/\(path)"
        guard FileManager.default.fileExists(atPath: url.path) else {
            diagnostics.error("roster file '\(path)' not found (looked for \(shown))", at: node.location)
            return ([], [], nil)
        }
        let (delegations, columns) = RosterLoader.load(url, displayPath: shown, diagnostics: &diagnostics)
        if delegations.isEmpty, !diagnostics.hasErrors {
            diagnostics.warning("the roster '\(path)' lists no delegation", at: node.location)
        }
        return (delegations, columns, url.standardizedFileURL)
    }

    // MARK: steps

    /// The fields a `when:` may read.
    static func conditionSchema(columns: [String], tracks: [String]) -> ConditionSchema {
        var fields: [String: ConditionType] = [
            "delegation.id": .string, "delegation.language": .string,
            "principal.name": .string, "principal.title": .string, "principal.rank": .string,
            "principal.gender": .enumeration("gender", cases: Gender.allCases.map(\.rawValue)),
            "state.status": .enumeration("status", cases: ParticipationStatus.allCases.map(\.rawValue)),
            "state.replied": .bool,
            "state.answer": .enumeration("answer", cases: ReplyAnswer.allCases.map(\.rawValue)),
            "state.reminders": .int,
            "state.speaking": .bool,
            "track.id": .enumeration("track", cases: tracks),
            "track.access": .enumeration("access", cases: TrackInfo.Access.allCases.map(\.rawValue)),
        ]
        for column in columns where fields["delegation.\(column)"] == nil { fields["delegation.\(column)"] = .string }
        return ConditionSchema(fields: fields)
    }

    mutating func readSteps(
        _ node: YAMLNode?, local: LocalTime, dates: [String: (date: Date, location: SourceLocation)],
        tracks: [TrackInfo], event: EventInfo, schema: ConditionSchema
    ) -> [WorkflowStep] {
        guard let node else { return [] }
        guard let items = node.sequence else {
            diagnostics.error("steps must be a list, not \(node.kindDescription)", at: node.location)
            return []
        }
        let checker = ConfigChecker(
            dateNames: dates.keys.sorted(), languages: event.languages, directory: file.deletingLastPathComponent(),
            displayDirectory: displayDirectory)
        var steps: [WorkflowStep] = []
        var seen: [String: SourceLocation] = [:]
        for item in items {
            guard diagnostics.checkMapping(item, "a step", allowed: Self.stepKeys, required: ["id", "uses"]) != nil else { continue }
            guard let id = diagnostics.string(item["id"], "step id") else { continue }
            if let first = seen[id], let idNode = item["id"] {
                diagnostics.error("step id '\(id)' is already used on line \(first.line)", at: idNode.location)
            }
            seen[id] = item.location
            let trackIDs = readStepTracks(item["tracks"], tracks: tracks)
            let schedule = readSchedule(item, stepID: id, local: local, dates: dates)
            var condition: Condition?
            if let whenNode = item["when"], let text = diagnostics.string(whenNode, "when") {
                do {
                    condition = try Condition(text, schema: schema)
                } catch {
                    let quoted = whenNode.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
                    var at = whenNode.location
                    if !text.contains("\n") { at.column += error.column - 1 + (quoted ? 1 : 0) }
                    diagnostics.error("when: \(error.message)", at: at)
                }
            }
            guard let usesNode = item["uses"], let uses = diagnostics.string(usesNode, "uses") else { continue }
            guard let reference = parseReference(uses, at: usesNode.location) else { continue }
            guard let loaded = plugins.plugin(id: reference.id, major: reference.major) else {
                let same = plugins.plugins.filter { $0.manifest.id == reference.id }
                if !same.isEmpty {
                    let majors = same.map { "\($0.manifest.id)@\($0.manifest.version.major)" }.joined(separator: ", ")
                    diagnostics.error("no plugin '\(reference)': found only \(majors)", at: usesNode.location)
                } else {
                    let suggestion = didYouMean(reference.id, among: plugins.plugins.map(\.manifest.id))
                    var message = "unknown plugin '\(reference.id)'\(suggestion)"
                    if suggestion.isEmpty {
                        message += ": none was found beside convene, in CONVENE_PLUGIN_PATH or in --plugins (`convene plugins` lists what is there)"
                    }
                    if !plugins.problems.isEmpty { message += "; refused: " + plugins.problems.map(\.description).joined(separator: "; ") }
                    diagnostics.error(message, at: usesNode.location)
                }
                continue
            }
            let configuration = checker.check(item["with"], against: loaded.manifest.configuration, at: item.location, path: "with", into: &diagnostics)
            if case .onReply = schedule, case .all = loaded.manifest.batching {
                diagnostics.error("step '\(id)': \(reference) orders all its invitees together and cannot run on: reply", at: item.location)
            }
            if !diagnostics.hasErrors {
                do {
                    _ = try loaded.plugin.makeStep(configuration: configuration)
                } catch {
                    diagnostics.error("step '\(id)': \(reference) refuses its configuration: \(error)", at: item["with"]?.location ?? item.location)
                }
            }
            steps.append(
                WorkflowStep(
                    id: id, plugin: reference, tracks: trackIDs, schedule: schedule ?? .onReply,
                    condition: condition, configuration: configuration, location: item.location))
        }
        return steps
    }

    mutating func parseReference(_ text: String, at location: SourceLocation) -> PluginReference? {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let major = Int(parts[1]), major >= 0 else {
            diagnostics.error("uses: '\(text)' must name a plugin and its major version, such as 'invite@1'", at: location)
            return nil
        }
        return PluginReference(id: String(parts[0]), major: major)
    }

    mutating func readStepTracks(_ node: YAMLNode?, tracks: [TrackInfo]) -> [String] {
        let all = tracks.map(\.id)
        guard let node else { return all }
        if node.string == "all" { return all }
        guard let ids = diagnostics.strings(node, "tracks") else { return all }
        for (i, id) in ids.enumerated() where !all.contains(id) {
            let at = node.sequence.map { $0[i].location } ?? node.location
            diagnostics.error("unknown track '\(id)'\(didYouMean(id, among: all))", at: at)
        }
        if ids.isEmpty { diagnostics.error("tracks must name at least one track", at: node.location) }
        return ids.filter { all.contains($0) }
    }

    mutating func readSchedule(
        _ item: YAMLNode, stepID: String, local: LocalTime, dates: [String: (date: Date, location: SourceLocation)]
    ) -> Schedule? {
        let given = ["at", "before", "after", "on"].filter { item[$0] != nil }
        guard given.count == 1 else {
            if given.isEmpty {
                diagnostics.error("step '\(stepID)' has no schedule: give one of at:, before:/after: with of:, or on: reply", at: item.location)
            } else {
                diagnostics.error("step '\(stepID)' has several schedules (\(given.joined(separator: ", "))): give only one", at: item[given[1]]!.location)
            }
            return nil
        }
        switch given[0] {
        case "at":
            if let ofNode = item["of"] { diagnostics.error("of: goes with before: or after:, not at:", at: ofNode.location) }
            let node = item["at"]!
            guard let text = diagnostics.string(node, "at") else { return nil }
            if let named = dates[text] { return .at(named.date) }
            if let date = local.date(from: text) { return .at(date) }
            diagnostics.error("at: '\(text)' is neither a local date-time such as 2024-02-02T10:00 nor a named date\(didYouMean(text, among: dates.keys))", at: node.location)
            return nil
        case "on":
            let node = item["on"]!
            if node.string != "reply" {
                diagnostics.error("on: must be 'reply'", at: node.location)
                return nil
            }
            return .onReply
        default:
            let key = given[0]
            let node = item[key]!
            guard let ofNode = item["of"] else {
                diagnostics.error("\(key): needs of: naming the date it counts from", at: node.location)
                return nil
            }
            guard let anchor = diagnostics.string(ofNode, "of") else { return nil }
            if dates[anchor] == nil {
                diagnostics.error("of: unknown date '\(anchor)'\(didYouMean(anchor, among: dates.keys))", at: ofNode.location)
            }
            let texts = diagnostics.strings(node, key) ?? []
            var offsets: [Schedule.SignedOffset] = []
            for (i, text) in texts.enumerated() {
                guard let offset = CalendarOffset(text) else {
                    let at = node.sequence.map { $0[i].location } ?? node.location
                    diagnostics.error("\(key): '\(text)' is not an offset such as 14d, 36h, 2w or 90m", at: at)
                    continue
                }
                offsets.append(Schedule.SignedOffset(sign: key == "before" ? -1 : 1, offset: offset))
            }
            if Set(offsets).count != offsets.count {
                diagnostics.error("\(key): lists the same offset twice", at: node.location)
            }
            // Earliest firing first.
            offsets.sort { $0.sign * $0.offset.approximateMinutes < $1.sign * $1.offset.approximateMinutes }
            return .relative(anchor: anchor, offsets: offsets)
        }
    }
}
