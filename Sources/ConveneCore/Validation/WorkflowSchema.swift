internal import ConveneKit
internal import Foundation

/// A JSON Schema (draft 2020-12) of the workflow language, with the configuration (`with:`) of
/// every loaded plugin, for editors: a YAML language server that reads it completes keys and
/// flags mistakes as the organiser types (`# yaml-language-server: $schema=…`).
///
/// The schema checks shapes; `convene validate` checks the rest (names of dates and tracks,
/// conditions, the roster).
public enum WorkflowSchema {
    /// The schema as a JSON object.
    /// - Parameter plugins: the plugins whose `uses:` and `with:` it describes.
    public static func schema(plugins: PluginRegistry) -> [String: Any] {
        let localTime: [String: Any] = [
            "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$",
            "description": "A local date or date-time in the event's time zone, such as 2024-02-02T10:00",
        ]
        let localOrName: [String: Any] = ["type": "string", "description": "A named date (deadlines.reply) or a local date-time"]
        let offset: [String: Any] = ["type": "string", "pattern": "^[0-9]+[mhdw]$", "description": "An offset: 90m, 36h, 14d, 2w"]
        let perLanguage: [String: Any] = [
            "description": "A text, or a text per language code",
            "oneOf": [["type": "string"], ["type": "object", "additionalProperties": ["type": "string"]]],
        ]
        let mailbox: [String: Any] = [
            "description": "An address, or a name and an address",
            "oneOf": [
                ["type": "string", "format": "email"],
                object(["name": ["type": "string"], "email": ["type": "string", "format": "email"]], required: ["email"]),
            ],
        ]
        let dates: [String: Any] = [
            "type": "object", "description": "Named dates, nested: deadlines: {reply: …} is deadlines.reply",
            "additionalProperties": ["oneOf": [localTime, ["$ref": "#/$defs/dates"]]],
        ]
        let event = object(
            [
                "reference": ["type": "string"], "name": perLanguage, "venue": ["type": "string"],
                "time-zone": ["type": "string", "description": "An IANA time zone such as Europe/Zurich"],
                "languages": ["type": "array", "items": ["type": "string"], "minItems": 1],
                "fallback-language": ["type": "string"], "contact": mailbox, "sender": mailbox,
                "signatories": ["type": "array", "items": object(["name": ["type": "string"], "title": perLanguage], required: ["name"])],
            ], required: ["name", "time-zone", "languages", "contact", "sender"])
        let session = object(["start": localTime, "end": localTime], required: ["start", "end"])
        let track = object(
            [
                "name": perLanguage, "start": localTime, "end": localTime,
                "access": ["enum": ["invitation", "public"]], "capacity": ["type": "integer", "minimum": 1],
                "accompanying": ["type": "integer", "minimum": 0], "sessions": ["type": "array", "items": session, "minItems": 1],
            ], required: ["name", "start", "end", "access"])
        let channel = object(
            [
                "type": ["enum": ["file", "smtp"]], "host": ["type": "string"], "port": ["type": "integer", "minimum": 1, "maximum": 65535],
                "security": ["enum": ["starttls", "tls", "none"]], "ca-file": ["type": "string"], "user": ["type": "string"],
                "password-env": ["type": "string"], "password-file": ["type": "string"], "rate": ["type": "integer", "minimum": 1],
                "retries": ["type": "integer", "minimum": 0], "backoff": offset,
            ], required: ["type"])
        let replyPage = object(["url": ["type": "string", "format": "uri"], "until": localOrName, "grace": offset], required: ["url"])

        // A step: its `uses:` among the loaded plugins, and for each its own `with:`.
        var uses: [String] = []
        var byPlugin: [[String: Any]] = []
        for loaded in plugins.plugins.sorted(by: { $0.manifest.id < $1.manifest.id }) {
            let reference = "\(loaded.manifest.id)@\(loaded.manifest.version.major)"
            guard !uses.contains(reference) else { continue }
            uses.append(reference)
            byPlugin.append([
                "if": ["properties": ["uses": ["const": reference]], "required": ["uses"]],
                "then": ["properties": ["with": configuration(loaded.manifest.configuration, summary: loaded.manifest.summary)]],
            ])
        }
        var step = object(
            [
                "id": ["type": "string"], "uses": ["enum": uses, "description": "A plugin and its major version"],
                "tracks": ["oneOf": [["const": "all"], ["type": "array", "items": ["type": "string"], "minItems": 1]]],
                "at": localOrName, "before": ["oneOf": [offset, ["type": "array", "items": offset]]],
                "after": ["oneOf": [offset, ["type": "array", "items": offset]]], "of": ["type": "string"],
                "on": ["const": "reply"], "when": ["type": "string", "description": "A condition on the delegation and its state"],
                "with": ["type": "object"],
            ], required: ["id", "uses"])
        step["allOf"] = byPlugin

        var root = object(
            [
                "convene": ["const": 1], "id": ["type": "string", "pattern": "^[A-Za-z0-9._-]+$"], "event": event,
                "roster": ["type": "string", "description": "The roster's CSV file, relative to the workflow"],
                "dates": ["$ref": "#/$defs/dates"], "reply-page": replyPage, "channel": channel,
                "ledger": ["type": "string", "description": "The ledger: a SQLite file relative to the workflow, or a postgres:// URL without its password"],
                "tracks": ["type": "object", "additionalProperties": track, "minProperties": 1],
                "steps": ["type": "array", "items": step],
            ], required: ["id", "event", "roster", "tracks", "steps"])
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        root["$id"] = "https://convene.example.org/schema/workflow.json"
        root["title"] = "Convene workflow"
        root["$defs"] = ["dates": dates]
        return root
    }

    /// The schema as JSON text, keys sorted.
    public static func json(plugins: PluginRegistry) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: schema(plugins: plugins), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func object(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        var schema: [String: Any] = ["type": "object", "properties": properties, "additionalProperties": false]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }

    /// A plugin's configuration schema in JSON Schema.
    static func configuration(_ schema: ConfigSchema, summary: String? = nil) -> [String: Any] {
        var out: [String: Any]
        switch schema {
        case .string(let oneOf): out = oneOf.map { ["enum": $0] } ?? ["type": "string"]
        case .integer(let min, let max):
            out = ["type": "integer"]
            if let min { out["minimum"] = min }
            if let max { out["maximum"] = max }
        case .boolean: out = ["type": "boolean"]
        case .offset: out = ["type": "string", "pattern": "^[0-9]+[mhdw]$"]
        case .dateName: out = ["type": "string", "description": "The name of an event date"]
        case .language: out = ["type": "string", "description": "A language code the event offers"]
        case .template: out = ["type": "string", "description": "A Mustache template file, relative to the workflow"]
        case .list(let element): out = ["type": "array", "items": configuration(element)]
        case .perLanguage(let element): out = ["type": "object", "additionalProperties": configuration(element)]
        case .object(let fields):
            var properties: [String: Any] = [:]
            for field in fields {
                var property = configuration(field.schema)
                if !field.summary.isEmpty { property["description"] = field.summary }
                properties[field.name] = property
            }
            out = object(properties, required: fields.filter(\.isRequired).map(\.name))
        }
        if let summary, out["description"] == nil { out["description"] = summary }
        return out
    }
}
