internal import Mustache

/// A Mustache template for a letter or a message part.
///
/// Plain-text templates render values as they are; HTML templates escape them.
public struct LetterTemplate: Sendable {
    /// How rendered values are escaped.
    public enum Kind: Sendable {
        /// No escaping: subjects and plain-text bodies.
        case text
        /// HTML escaping.
        case html
    }

    /// Why a template could not be compiled, with the place in its text.
    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        /// 1-based line in the template.
        public var line: Int
        /// 1-based column in the template.
        public var column: Int
        /// What is wrong.
        public var message: String

        public var description: String { "\(line):\(column): \(message)" }
    }

    private let template: MustacheTemplate

    /// Compiles a template.
    /// - Parameters:
    ///   - source: the template's text.
    ///   - kind: how values are escaped.
    /// - Throws: ``SyntaxError`` with the line and column of the fault.
    public init(_ source: String, kind: Kind = .text) throws(SyntaxError) {
        let pragma = kind == .text ? "{{% CONTENT_TYPE: TEXT}}" : "{{% CONTENT_TYPE: HTML}}"
        do {
            template = try MustacheTemplate(string: pragma + source)
        } catch let error as MustacheTemplate.ParserError {
            let column = error.context.lineNumber == 1
                ? max(1, error.context.columnNumber - pragma.count) : error.context.columnNumber
            throw SyntaxError(line: error.context.lineNumber, column: column, message: "\(error.error)")
        } catch {
            throw SyntaxError(line: 1, column: 1, message: "\(error)")
        }
    }

    /// Renders the template.
    /// - Parameter values: the values the template names; nested dictionaries and arrays work
    ///   as Mustache sections.
    /// - Returns: the rendered text.
    public func render(_ values: [String: any Sendable]) -> String {
        template.render(values)
    }
}
