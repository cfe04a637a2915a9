public import ConveneYAML
internal import Foundation

/// The diagnostics of one validation, in the order found, with the sources needed to print them.
public struct Diagnostics: Sendable {
    /// Everything found, errors and warnings.
    public private(set) var all: [Diagnostic] = []
    /// The text of each file diagnostics point into, for carets.
    public private(set) var sources: [String: String] = [:]

    /// Creates an empty collection.
    public init() {}

    /// Whether any error was found.
    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// Remembers a file's text so that its diagnostics can show the offending line.
    public mutating func register(source: String, for file: String) { sources[file] = source }

    /// Adds an error.
    public mutating func error(_ message: String, at location: SourceLocation) {
        all.append(Diagnostic(.error, at: location, message))
    }

    /// Adds a warning.
    public mutating func warning(_ message: String, at location: SourceLocation) {
        all.append(Diagnostic(.warning, at: location, message))
    }

    /// Adds a diagnostic made elsewhere.
    public mutating func append(_ diagnostic: Diagnostic) { all.append(diagnostic) }

    /// A file's bytes as text (see ``SourceText``), or `nil` with the reason recorded at its
    /// place (the bytes are kept as the file's source, for the caret line).
    /// - Parameters:
    ///   - file: the file's name in messages.
    ///   - what: what the file is, in messages: `the roster file`.
    mutating func text(of data: Data, file: String, what: String) -> String? {
        do {
            return try SourceText.decode(data, file: file, what: what)
        } catch {
            register(source: String(decoding: data, as: UTF8.self), for: file)
            append(error.diagnostic)
            return nil
        }
    }

    /// Every diagnostic rendered with its line and caret, sorted by place, one blank line apart.
    public func rendered() -> String {
        all.sorted { $0.location < $1.location }
            .map { $0.rendered(source: sources[$0.location.file]) }
            .joined(separator: "\n")
    }
}

/// The failure of a command that read bad input: every diagnostic, printed like a compiler's.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    /// What was found.
    public var diagnostics: Diagnostics

    /// Creates a failure.
    public init(_ diagnostics: Diagnostics) { self.diagnostics = diagnostics }

    public var description: String {
        let count = diagnostics.all.filter { $0.severity == .error }.count
        return diagnostics.rendered() + "\n\(count) error\(count == 1 ? "" : "s")"
    }
}

extension Diagnostics {
    /// Checks a mapping's keys: unknown ones are errors with a "did you mean", missing required
    /// ones are errors at the mapping.
    /// - Returns: the mapping's pairs, or `nil` (with an error) when the node is not a mapping.
    @discardableResult
    mutating func checkMapping(
        _ node: YAMLNode, _ what: String, allowed: [String], required: [String] = []
    ) -> [YAMLPair]? {
        guard let pairs = node.mapping else {
            error("\(what) must be a mapping, not \(node.kindDescription)", at: node.location)
            return nil
        }
        for pair in pairs {
            guard let key = pair.key.string else {
                error("keys of \(what) must be strings, not \(pair.key.kindDescription)", at: pair.key.location)
                continue
            }
            if !allowed.contains(key) {
                error("unknown key '\(key)' in \(what)\(didYouMean(key, among: allowed))", at: pair.key.location)
            }
        }
        for key in required where node[key] == nil {
            error("\(what) is missing the key '\(key)'", at: node.location)
        }
        return pairs
    }

    /// A string-valued node's string, else an error.
    mutating func string(_ node: YAMLNode?, _ what: String) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar, case .string(let s) = scalar.value else {
            if let scalar = node.scalar, scalar.value != .null {
                // An unquoted number or boolean where text is expected reads naturally as that text.
                return scalar.text
            }
            error("\(what) must be a string, not \(node.kindDescription)", at: node.location)
            return nil
        }
        return s
    }

    /// An integer node's value, else an error.
    mutating func integer(_ node: YAMLNode?, _ what: String) -> Int? {
        guard let node else { return nil }
        guard let scalar = node.scalar, case .int(let i) = scalar.value else {
            error("\(what) must be an integer, not \(node.kindDescription)", at: node.location)
            return nil
        }
        return i
    }

    /// A list of strings, also accepting a single string.
    mutating func strings(_ node: YAMLNode?, _ what: String) -> [String]? {
        guard let node else { return nil }
        if node.scalar != nil { return string(node, what).map { [$0] } }
        guard let items = node.sequence else {
            error("\(what) must be a list of strings, not \(node.kindDescription)", at: node.location)
            return nil
        }
        return items.compactMap { string($0, "each of \(what)") }
    }

    /// A mapping from language codes to strings (`{en: …, fr: …}`); a single string counts for
    /// every language.
    mutating func perLanguage(_ node: YAMLNode?, _ what: String, languages: [String]) -> [String: String]? {
        guard let node else { return nil }
        if node.scalar != nil {
            guard let s = string(node, what) else { return nil }
            return Dictionary(uniqueKeysWithValues: languages.map { ($0, s) })
        }
        guard let pairs = checkMapping(node, what, allowed: languages) else { return nil }
        var result: [String: String] = [:]
        for pair in pairs {
            if let key = pair.key.string, let value = string(pair.value, "\(what).\(key)") { result[key] = value }
        }
        return result
    }
}
