public import ConveneKit

extension Step {
    /// Makes the step from a `with:` as the runtime hands it over: the keys its manifest declares
    /// and does not receive get their defaults, at every depth, and a key it does not declare or
    /// a required key left out is refused.
    ///
    /// `convene validate` also checks each value's kind against the schema and reads template
    /// files; here a template is given as its text.
    /// - Parameter with: the step's configuration, an object; by default empty.
    /// - Returns: the configured step.
    /// - Throws: ``StepError`` for a key the schema does not declare or a missing required key,
    ///   and whatever the step's initialiser throws.
    public static func configured(_ with: ConfigValue = .object([:])) throws -> Self {
        try Self(configuration: ConfigDefaults.apply(manifest.configuration, to: with, path: "with"))
    }
}

/// Fills a configuration in from its schema, as the host does after checking it.
enum ConfigDefaults {
    static func apply(_ schema: ConfigSchema, to value: ConfigValue, path: String) throws -> ConfigValue {
        switch (schema, value) {
        case (.object(let fields), .object(let given)):
            if let unknown = given.keys.sorted().first(where: { key in !fields.contains { $0.name == key } }) {
                throw StepError("unknown key '\(unknown)' in \(path); the keys are \(fields.map(\.name).joined(separator: ", "))")
            }
            var result: [String: ConfigValue] = [:]
            for field in fields {
                if let value = given[field.name] {
                    result[field.name] = try apply(field.schema, to: value, path: "\(path).\(field.name)")
                } else if let defaultValue = field.defaultValue {
                    result[field.name] = defaultValue
                } else if field.isRequired {
                    throw StepError("\(path) is missing the key '\(field.name)' (\(field.schema.kindDescription))")
                }
            }
            return .object(result)
        case (.object, .null):
            return try apply(schema, to: .object([:]), path: path)
        case (.list(let element), .list(let items)):
            return .list(try items.enumerated().map { try apply(element, to: $1, path: "\(path)[\($0)]") })
        case (.perLanguage(let element), .object(let values)):
            var result: [String: ConfigValue] = [:]
            for (language, value) in values { result[language] = try apply(element, to: value, path: "\(path).\(language)") }
            return .object(result)
        default:
            return value
        }
    }
}
