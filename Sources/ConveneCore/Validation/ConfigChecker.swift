internal import ConveneKit
internal import ConveneYAML
internal import Foundation

/// Checks a step's `with:` against its plugin's ``ConfigSchema`` and turns it into a
/// ``ConfigValue``: defaults filled in, template files read, every mismatch a diagnostic at its
/// place in the workflow.
struct ConfigChecker {
    /// Names of the event's dates, for `.dateName`.
    var dateNames: [String]
    /// Languages the event offers, for `.language` and `.perLanguage`.
    var languages: [String]
    /// Where template paths are relative to.
    var directory: URL
    /// How paths under ``directory`` are printed.
    var displayDirectory: String

    /// Checks `node` (absent: `nil`) against `schema`.
    func check(_ node: YAMLNode?, against schema: ConfigSchema, at location: SourceLocation, path: String, into diagnostics: inout Diagnostics) -> ConfigValue {
        guard let node else {
            if case .object = schema { return check(object: nil, schema, at: location, path: path, &diagnostics) }
            return .null
        }
        if case .object = schema { return check(object: node, schema, at: location, path: path, &diagnostics) }
        return value(node, schema, path: path, &diagnostics)
    }

    private func check(object node: YAMLNode?, _ schema: ConfigSchema, at location: SourceLocation, path: String, _ diagnostics: inout Diagnostics) -> ConfigValue {
        guard case .object(let fields) = schema else { return .null }
        var result: [String: ConfigValue] = [:]
        if let node {
            guard let pairs = diagnostics.checkMapping(node, path, allowed: fields.map(\.name)) else { return .null }
            for pair in pairs {
                guard let key = pair.key.string, let field = fields.first(where: { $0.name == key }) else { continue }
                result[key] = value(pair.value, field.schema, path: "\(path).\(key)", &diagnostics)
            }
        }
        for field in fields where result[field.name] == nil {
            if let defaultValue = field.defaultValue {
                result[field.name] = defaultValue
            } else if field.isRequired {
                diagnostics.error("\(path) is missing the key '\(field.name)' (\(field.schema.kindDescription))", at: node?.location ?? location)
            }
        }
        return .object(result)
    }

    private func value(_ node: YAMLNode, _ schema: ConfigSchema, path: String, _ diagnostics: inout Diagnostics) -> ConfigValue {
        func mismatch() -> ConfigValue {
            diagnostics.error("\(path) must be \(schema.kindDescription), not \(node.kindDescription)", at: node.location)
            return .null
        }
        switch schema {
        case .string(let oneOf):
            guard let s = node.scalar.flatMap({ $0.value == .null ? nil : $0.text }) else { return mismatch() }
            if let oneOf, !oneOf.contains(s) {
                diagnostics.error("\(path) must be \(schema.kindDescription), not '\(s)'\(didYouMean(s, among: oneOf))", at: node.location)
                return .null
            }
            return .string(s)
        case .integer(let min, let max):
            guard case .int(let i)? = node.scalar?.value else { return mismatch() }
            if let min, i < min { diagnostics.error("\(path) must be at least \(min)", at: node.location) }
            if let max, i > max { diagnostics.error("\(path) must be at most \(max)", at: node.location) }
            return .int(i)
        case .boolean:
            guard case .bool(let b)? = node.scalar?.value else { return mismatch() }
            return .bool(b)
        case .offset:
            guard let s = node.string else { return mismatch() }
            guard CalendarOffset(s) != nil else {
                diagnostics.error("\(path): '\(s)' is not an offset such as 14d, 36h, 2w or 90m", at: node.location)
                return .null
            }
            return .string(s)
        case .dateName:
            guard let s = node.string else { return mismatch() }
            guard dateNames.contains(s) else {
                diagnostics.error("\(path): unknown date '\(s)'\(didYouMean(s, among: dateNames))", at: node.location)
                return .null
            }
            return .string(s)
        case .language:
            guard let s = node.string else { return mismatch() }
            guard languages.contains(s) else {
                diagnostics.error("\(path): '\(s)' is not one of the event's languages (\(languages.joined(separator: ", ")))", at: node.location)
                return .null
            }
            return .string(s)
        case .template:
            guard let relative = node.string else { return mismatch() }
            let url = URL(fileURLWithPath: relative, relativeTo: directory)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                diagnostics.error("\(path): cannot read the template '\(relative)'", at: node.location)
                return .null
            }
            do {
                _ = try LetterTemplate(text)
            } catch {
                let shown = displayDirectory.isEmpty ? relative : "\(displayDirectory)/\(relative)"
                diagnostics.register(source: text, for: shown)
                diagnostics.error("template syntax: \(error.message)", at: SourceLocation(file: shown, line: error.line, column: error.column))
            }
            return .string(text)
        case .list(let element):
            guard let items = node.sequence else {
                // A single value where a list is expected is a list of one.
                if node.scalar != nil { return .list([value(node, element, path: "\(path)[0]", &diagnostics)]) }
                return mismatch()
            }
            return .list(items.enumerated().map { value($1, element, path: "\(path)[\($0)]", &diagnostics) })
        case .perLanguage(let element):
            guard let pairs = diagnostics.checkMapping(node, path, allowed: languages) else { return .null }
            var result: [String: ConfigValue] = [:]
            for pair in pairs {
                guard let key = pair.key.string, languages.contains(key) else { continue }
                result[key] = value(pair.value, element, path: "\(path).\(key)", &diagnostics)
            }
            return .object(result)
        case .object:
            return check(object: node, schema, at: node.location, path: path, &diagnostics)
        }
    }
}
