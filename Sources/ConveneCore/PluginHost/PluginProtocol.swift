internal import ConveneKit
internal import Foundation

/// The wire protocol between `convene` and an out-of-process step plugin, version 1.
///
/// Every message is a frame: a 4-byte big-endian length, then that many bytes of UTF-8 JSON
/// holding one object whose `type` says what it is. The host speaks first and the plugin answers
/// each request with exactly one frame:
///
/// | host sends | plugin answers |
/// | --- | --- |
/// | `hello` {protocol, convene} | `manifest` {protocol, manifest} |
/// | `configure` {configuration} | `ok`, or `error` {message} |
/// | `run` / `follow-up` {configuration, batch} | `effects` {effects}, or `error` {message} |
/// | `shutdown` | nothing: it exits |
///
/// The JSON shapes are written out in ConveneKit's guide, *Writing an out-of-process plugin*;
/// this file is their one implementation on the host's side. Keys the host does not know are
/// ignored, so that a plugin may send more than this version asks for.
enum PluginProtocol {
    /// The version this host speaks.
    static let version = 1

    /// Bytes of a frame's length prefix.
    static let headerSize = 4

    /// A frame: the length prefix, then the JSON.
    static func frame(_ message: JSONValue) throws -> [UInt8] {
        let body = try message.encoded()
        guard body.count <= Int(UInt32.max) else { throw WireError("", "the message is larger than 4 GiB") }
        let n = UInt32(body.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + body
    }

    /// The length a frame's prefix announces.
    static func length(_ header: [UInt8]) -> Int {
        header.reduce(0) { $0 << 8 | Int($1) }
    }

    // MARK: Host to plugin

    /// The first message: the protocol version and the host's version.
    static func hello() -> JSONValue {
        .object(["type": "hello", "protocol": .int(version), "convene": .string(conveneVersion)])
    }

    /// Asks the plugin whether it can use a configuration.
    static func configure(_ configuration: ConfigValue) -> JSONValue {
        .object(["type": "configure", "configuration": JSONValue(configuration)])
    }

    /// Asks the plugin to run (or follow up on) a batch.
    static func run(_ batch: StepBatch, configuration: ConfigValue, followUp: Bool) -> JSONValue {
        .object([
            "type": .string(followUp ? "follow-up" : "run"), "configuration": JSONValue(configuration),
            "batch": WireEncoding.batch(batch),
        ])
    }

    /// Tells the plugin to exit.
    static func shutdown() -> JSONValue { .object(["type": "shutdown"]) }

    // MARK: Plugin to host

    /// An answer, checked to be of one of the expected types; an `error` answer is returned as
    /// its message.
    enum Answer {
        case answer(WireReader)
        case refused(String)
    }

    /// Reads an answer frame's JSON.
    /// - Parameters:
    ///   - body: the frame's bytes.
    ///   - expected: the `type` the request calls for.
    static func answer(_ body: [UInt8], expected: String) throws -> Answer {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            throw WireError("", "is not JSON (\(Self.excerpt(body)))")
        }
        let message = WireReader(value, path: "")
        guard case .object = value else { throw WireError("", "is \(value.kindDescription), not a message object") }
        let type = try message.field("type").string()
        if type == "error" {
            let text = try message.optional("message")?.string() ?? ""
            return .refused(text.isEmpty ? "(no message)" : text)
        }
        guard type == expected else {
            throw WireError("type", "is '\(type)' where '\(expected)' (or 'error') was expected")
        }
        return .answer(message)
    }

    /// The start of some bytes, for an error message.
    static func excerpt(_ bytes: some Collection<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(60), as: UTF8.self)
        let printable = String(text.unicodeScalars.map { $0.properties.isWhitespace ? " " : ($0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0)) })
        return "'" + printable + (bytes.count > 60 ? "…" : "") + "'"
    }
}

/// The version of convene, as `convene --version` prints it and plugins are told in `hello`.
public let conveneVersion = "0.1.0"

// MARK: - JSON values

/// A JSON value, with the distinctions the protocol needs (integers apart from other numbers).
enum JSONValue: Sendable, Hashable, Codable, ExpressibleByStringLiteral {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(stringLiteral value: String) { self = .string(value) }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int.self) {
            self = .int(i)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }

    /// The UTF-8 JSON text, keys sorted.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    /// A configuration value as JSON.
    init(_ value: ConfigValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .list(let l): self = .array(l.map(JSONValue.init))
        case .object(let o): self = .object(o.mapValues(JSONValue.init))
        }
    }

    /// The value as a configuration value.
    var configValue: ConfigValue {
        switch self {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        case .array(let a): .list(a.map(\.configValue))
        case .object(let o): .object(o.mapValues(\.configValue))
        }
    }

    /// A date, as an ISO 8601 instant in UTC (`2024-02-02T09:00:00Z`, with a fraction of a
    /// second only when it has one).
    init(_ date: Date) {
        let whole = date.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970
        self = .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: !whole)))
    }

    /// An optional value, `null` when absent.
    init<T>(_ value: T?, _ transform: (T) -> JSONValue) {
        self = value.map(transform) ?? .null
    }

    /// A mapping of strings.
    init(_ strings: [String: String]) {
        self = .object(strings.mapValues(JSONValue.string))
    }

    /// For error messages: `a string`, `an object`.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}

/// A part of a plugin's answer that does not have the shape the protocol asks for.
struct WireError: Error, CustomStringConvertible {
    /// Where in the answer: `effects[2].to`; empty for the whole answer.
    var path: String
    /// What is wrong with it.
    var message: String

    init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    var description: String { path.isEmpty ? "its answer \(message)" : "\(path) \(message)" }
}

/// Reads a part of a plugin's answer, knowing where it is for error messages.
struct WireReader {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String) {
        self.value = value
        self.path = path
    }

    /// The path of one of its keys.
    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func mismatch(_ expected: String) -> WireError {
        WireError(path, "must be \(expected), not \(value.kindDescription)")
    }

    /// A key that must be present (and not null).
    func field(_ key: String) throws -> WireReader {
        guard let reader = optional(key) else { throw WireError(child(key), "is missing") }
        return reader
    }

    /// A key that may be absent or null.
    func optional(_ key: String) -> WireReader? {
        guard case .object(let fields) = value, let v = fields[key], v != .null else { return nil }
        return WireReader(v, path: child(key))
    }

    func string() throws -> String {
        guard case .string(let s) = value else { throw mismatch("a string") }
        return s
    }

    func int() throws -> Int {
        guard case .int(let i) = value else { throw mismatch("an integer") }
        return i
    }

    func bool() throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch("a boolean") }
        return b
    }

    func array() throws -> [WireReader] {
        guard case .array(let items) = value else { throw mismatch("a list") }
        return items.enumerated().map { WireReader($1, path: "\(path)[\($0)]") }
    }

    func strings() throws -> [String] { try array().map { try $0.string() } }

    /// An ISO 8601 instant with an offset (`Z` or `+02:00`), with or without a fraction of a second.
    func date() throws -> Date {
        let text = try string()
        for style in [Date.ISO8601FormatStyle(includingFractionalSeconds: false), Date.ISO8601FormatStyle(includingFractionalSeconds: true)] {
            if let date = try? style.parse(text) { return date }
        }
        throw WireError(path, "must be an ISO 8601 instant such as 2024-02-02T09:00:00Z, not '\(text)'")
    }

    /// A string that names a case of a `String` enumeration.
    func oneOf<E: RawRepresentable & CaseIterable>(_: E.Type) throws -> E where E.RawValue == String {
        let text = try string()
        guard let value = E(rawValue: text) else {
            throw WireError(path, "must be one of \(E.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")), not '\(text)'")
        }
        return value
    }
}

// MARK: - Host to plugin: what a step is given

/// The JSON of what a step is given, as the guide describes it.
enum WireEncoding {
    static func batch(_ batch: StepBatch) -> JSONValue {
        .object([
            "event": event(batch.event),
            "tracks": .array(batch.tracks.map(track)),
            "occurrence": .object([
                "id": .string(batch.occurrence.id), "due-at": JSONValue(batch.occurrence.dueAt),
                "index": .int(batch.occurrence.index), "count": .int(batch.occurrence.count),
            ]),
            "now": JSONValue(batch.now),
            "invitees": .array(batch.invitees.map(invitee)),
        ])
    }

    static func event(_ event: EventInfo) -> JSONValue {
        .object([
            "id": .string(event.id), "reference": .string(event.reference), "names": JSONValue(event.names),
            "venue": .string(event.venue), "time-zone": .string(event.timeZone.identifier),
            "languages": .array(event.languages.map(JSONValue.string)), "fallback-language": .string(event.fallbackLanguage),
            "contact": mailbox(event.contact),
            "signatories": .array(event.signatories.map { .object(["name": .string($0.name), "titles": JSONValue($0.titles)]) }),
            "dates": .object(event.dates.mapValues(JSONValue.init)),
        ])
    }

    static func track(_ track: TrackInfo) -> JSONValue {
        .object([
            "id": .string(track.id), "names": JSONValue(track.names), "start": JSONValue(track.start), "end": JSONValue(track.end),
            "access": .string(track.access.rawValue), "capacity": JSONValue(track.capacity, JSONValue.int),
            "accompanying": JSONValue(track.accompanying, JSONValue.int),
            "sessions": .array(track.sessions.map { .object(["start": JSONValue($0.start), "end": JSONValue($0.end)]) }),
        ])
    }

    static func invitee(_ invitee: Invitee) -> JSONValue {
        .object([
            "delegation": delegation(invitee.delegation),
            "states": .object(invitee.states.mapValues(state)),
            "trigger": JSONValue(invitee.trigger, reply),
            "reply-link": JSONValue(invitee.replyLink) { .string($0.absoluteString) },
        ])
    }

    static func delegation(_ d: Delegation) -> JSONValue {
        .object([
            "id": .string(d.id), "names": JSONValue(d.names), "language": .string(d.language),
            "principal": principal(d.principal),
            "addresses": .array(d.addresses.map { .object(["role": .string($0.role.rawValue), "name": JSONValue($0.mailbox.name, JSONValue.string), "email": .string($0.mailbox.email)]) }),
            "fields": JSONValue(d.fields),
        ])
    }

    static func principal(_ p: Principal) -> JSONValue {
        .object(["name": .string(p.name), "title": .string(p.title), "gender": .string(p.gender.rawValue), "rank": JSONValue(p.rank, JSONValue.string)])
    }

    static func state(_ s: TrackState) -> JSONValue {
        .object([
            "status": .string(s.status.rawValue), "reply": JSONValue(s.reply, reply), "reminders": .int(s.remindersSent),
            "placement": JSONValue(s.placement, placement),
        ])
    }

    static func reply(_ r: Reply) -> JSONValue {
        .object([
            "sequence": .int(Int(r.sequence)), "track": .string(r.track), "answer": .string(r.answer.rawValue),
            "speaking": .bool(r.speakingRequested), "speaking-requested-at": JSONValue(r.speakingRequestedAt, JSONValue.init),
            "received-at": JSONValue(r.receivedAt), "source": .string(r.source), "substitute": JSONValue(r.substitute, principal),
            "accompanying": .int(r.accompanying),
        ])
    }

    static func placement(_ p: Placement) -> JSONValue {
        .object([
            "seat": JSONValue(p.seat, JSONValue.int), "wait-list": JSONValue(p.waitList, JSONValue.int),
            "turn": JSONValue(p.turn) { .object(["number": .int($0.number), "start": JSONValue($0.start, JSONValue.init), "end": JSONValue($0.end, JSONValue.init)]) },
        ])
    }

    static func mailbox(_ m: Mailbox) -> JSONValue {
        .object(["name": JSONValue(m.name, JSONValue.string), "email": .string(m.email)])
    }
}

// MARK: - Plugin to host: manifests and effects

/// Reads a plugin's manifest and effects.
enum WireDecoding {
    /// A manifest: `{id, version, summary, configuration, batching, follow-up}`.
    static func manifest(_ m: WireReader) throws -> StepManifest {
        let id = try m.field("id").string()
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) else {
            throw WireError(m.child("id"), "must be letters, digits, '-', '_' or '.', not '\(id)'")
        }
        let versionReader = try m.field("version")
        let parts = try versionReader.string().split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, let major = parts[0], let minor = parts[1], let patch = parts[2], major >= 0, minor >= 0, patch >= 0 else {
            throw WireError(versionReader.path, "must be a version such as 1.0.0, not '\(try versionReader.string())'")
        }
        let summary = try m.optional("summary")?.string() ?? ""
        let configuration = try m.optional("configuration").map(schema) ?? .object([])
        guard case .object = configuration else {
            throw WireError(m.child("configuration"), "must be a schema of type 'object'")
        }
        var manifest = StepManifest(id: id, version: SemanticVersion(major, minor, patch), summary: summary, configuration: configuration)
        if let batching = m.optional("batching") {
            if case .string("all") = batching.value {
                manifest.batching = .all
            } else if case .int(let n) = batching.value, n >= 1 {
                manifest.batching = .chunks(of: n)
            } else {
                throw WireError(batching.path, "must be 'all' or a positive integer")
            }
        }
        if let followUp = m.optional("follow-up") {
            let n = try followUp.int()
            guard n >= 1, case .all = manifest.batching else {
                throw WireError(followUp.path, "must be a positive integer, for a plugin whose batching is 'all'")
            }
            manifest.followUp = n
        }
        return manifest
    }

    /// A configuration schema: `{type, …}` as the guide lists them.
    static func schema(_ s: WireReader) throws -> ConfigSchema {
        let typeReader = try s.field("type")
        switch try typeReader.string() {
        case "string": return .string(oneOf: try s.optional("one-of")?.strings())
        case "integer": return .integer(min: try s.optional("min")?.int(), max: try s.optional("max")?.int())
        case "boolean": return .boolean
        case "offset": return .offset
        case "date-name": return .dateName
        case "language": return .language
        case "template": return .template
        case "list": return .list(try schema(s.field("of")))
        case "per-language": return .perLanguage(try schema(s.field("of")))
        case "object":
            let fields = try s.optional("fields")?.array() ?? []
            return .object(try fields.map { f in
                ConfigField(
                    try f.field("name").string(), try schema(f), required: try f.optional("required")?.bool() ?? false,
                    default: f.optional("default")?.value.configValue, summary: try f.optional("summary")?.string() ?? "")
            })
        case let other:
            throw WireError(
                typeReader.path,
                "must be one of 'string', 'integer', 'boolean', 'offset', 'date-name', 'language', 'template', 'list', 'per-language', 'object', not '\(other)'")
        }
    }

    /// A list of effects.
    static func effects(_ list: WireReader) throws -> [Effect] {
        try list.array().map(effect)
    }

    static func effect(_ e: WireReader) throws -> Effect {
        let typeReader = try e.field("type")
        switch try typeReader.string() {
        case "send":
            return .send(OutgoingMessage(
                delegation: try e.field("delegation").string(), discriminator: try e.optional("discriminator")?.string() ?? "",
                to: try e.field("to").array().map(mailbox), cc: try e.optional("cc")?.array().map(mailbox) ?? [],
                replyTo: try e.optional("reply-to").map(mailbox), subject: try e.field("subject").string(),
                language: try e.field("language").string(), text: try e.field("text").string(), html: try e.optional("html")?.string(),
                calendar: try e.optional("calendar")?.array().map(calendarEntry) ?? []))
        case "set-status":
            return .setStatus(
                delegation: try e.field("delegation").string(), track: try e.field("track").string(),
                status: try e.field("status").oneOf(ParticipationStatus.self))
        case "publish":
            return .publish(Artifact(
                name: try e.field("name").string(), mediaType: try e.field("media-type").string(), content: try e.field("content").string()))
        case "place":
            let turn = try e.optional("turn").map { t in
                SpeakingTurn(number: try t.field("number").int(), start: try t.optional("start")?.date(), end: try t.optional("end")?.date())
            }
            return .place(
                delegation: try e.field("delegation").string(), track: try e.field("track").string(),
                placement: Placement(seat: try e.optional("seat")?.int(), waitList: try e.optional("wait-list")?.int(), turn: turn))
        case let other:
            throw WireError(typeReader.path, "is '\(other)', not one of the effects 'send', 'set-status', 'publish', 'place'")
        }
    }

    static func mailbox(_ m: WireReader) throws -> Mailbox {
        Mailbox(name: try m.optional("name")?.string(), email: try m.field("email").string())
    }

    static func calendarEntry(_ c: WireReader) throws -> CalendarEntry {
        CalendarEntry(
            uid: try c.field("uid").string(), summary: try c.field("summary").string(), start: try c.field("start").date(),
            end: try c.field("end").date(), location: try c.optional("location")?.string() ?? "",
            timeZone: try c.field("time-zone").string())
    }
}
