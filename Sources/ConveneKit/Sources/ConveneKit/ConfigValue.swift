/// A step's configuration (`with:`), as the host hands it over after checking it.
public enum ConfigValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ConfigValue])
    case object([String: ConfigValue])

    /// The value of a key of an object, `.null` when absent or not an object.
    public subscript(key: String) -> ConfigValue {
        if case .object(let fields) = self { return fields[key] ?? .null }
        return .null
    }

    /// The string, if this is one.
    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer, if this is one.
    public var int: Int? {
        if case .int(let i) = self { return i }
        return nil
    }

    /// The boolean, if this is one.
    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements, if this is a list.
    public var list: [ConfigValue]? {
        if case .list(let l) = self { return l }
        return nil
    }

    /// The fields, if this is an object.
    public var object: [String: ConfigValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
}

/// The shape of a configuration value, declared by a step's manifest and checked by
/// `convene validate` before anything runs.
public indirect enum ConfigSchema: Sendable {
    /// A string, optionally one of a fixed set.
    case string(oneOf: [String]? = nil)
    /// An integer within bounds.
    case integer(min: Int? = nil, max: Int? = nil)
    /// `true` or `false`.
    case boolean
    /// A calendar offset such as `14d`, `36h`, `2w` (see ``CalendarOffset``).
    case offset
    /// The name of one of the event's dates (`deadlines.reply`).
    case dateName
    /// A language code the event offers.
    case language
    /// A path, relative to the workflow, of a Mustache template; the host reads it and hands
    /// the step the template's text.
    case template
    /// A list whose elements all have a shape.
    case list(ConfigSchema)
    /// A mapping from language codes the event offers to values of a shape.
    case perLanguage(ConfigSchema)
    /// A mapping with known keys.
    case object([ConfigField])

    /// A one-word description for error messages (`a string`, `a list`).
    public var kindDescription: String {
        switch self {
        case .string(let oneOf):
            if let oneOf { return "one of " + oneOf.map { "'\($0)'" }.joined(separator: ", ") }
            return "a string"
        case .integer: return "an integer"
        case .boolean: return "a boolean"
        case .offset: return "an offset such as 14d"
        case .dateName: return "the name of an event date"
        case .language: return "a language code"
        case .template: return "a template path"
        case .list: return "a list"
        case .perLanguage: return "a mapping by language"
        case .object: return "a mapping"
        }
    }
}

/// A key of an object schema.
public struct ConfigField: Sendable {
    /// The key.
    public var name: String
    /// Its shape.
    public var schema: ConfigSchema
    /// Whether the key must be given.
    public var isRequired: Bool
    /// The value used when the key is absent.
    public var defaultValue: ConfigValue?
    /// One line on what it does, for `convene plugins` and editors.
    public var summary: String

    /// Creates a field.
    public init(
        _ name: String, _ schema: ConfigSchema, required: Bool = false, default defaultValue: ConfigValue? = nil,
        summary: String = ""
    ) {
        self.name = name
        self.schema = schema
        self.isRequired = required
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

// Literals, so that a test (or a host) writes a configuration as it would read in YAML:
// `["greeting": ["en": "Hello"], "seed": 7]`.
extension ConfigValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    /// A string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A number with a fraction.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A list.
    public init(arrayLiteral elements: ConfigValue...) { self = .list(elements) }
    /// An object; a key given twice keeps its last value.
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
}
