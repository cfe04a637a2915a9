/// Why a YAML text could not be read, and where.
///
/// Prints like a compiler diagnostic: `workflows/x.yaml:3:9: error: undefined alias 'defaults'`;
/// ``Diagnostic/rendered(source:)`` on ``diagnostic`` adds the line and a caret.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, for code that reacts to some of them; new kinds may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable, Hashable {
            case syntax
            case multipleDocuments
            case undefinedAlias
            case recursiveAlias
            case aliasExpansionLimit
            case nestingLimit
            case duplicateKey
            case invalidMerge
            case invalidTaggedValue
        }

        private var kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// The text is not well-formed YAML (reported by libyaml).
        public static let syntax = Code(.syntax)
        /// The stream holds more than one document.
        public static let multipleDocuments = Code(.multipleDocuments)
        /// An alias names no anchor defined before it.
        public static let undefinedAlias = Code(.undefinedAlias)
        /// An alias refers to a collection that contains it.
        public static let recursiveAlias = Code(.recursiveAlias)
        /// Aliases would expand into more than ``YAMLParser/aliasExpansionLimit`` nodes.
        public static let aliasExpansionLimit = Code(.aliasExpansionLimit)
        /// Collections nest deeper than ``YAMLParser/nestingLimit``.
        public static let nestingLimit = Code(.nestingLimit)
        /// A mapping has the same key twice.
        public static let duplicateKey = Code(.duplicateKey)
        /// The value of a merge key `<<` is not a mapping or a list of mappings.
        public static let invalidMerge = Code(.invalidMerge)
        /// A node's explicit tag does not fit its content, such as `!!int twelve`.
        public static let invalidTaggedValue = Code(.invalidTaggedValue)

        /// The code's name, such as `duplicateKey`.
        public var description: String { kind.rawValue }
    }

    /// The kind of problem.
    public var code: Code
    /// The message and its place, printable like a compiler's.
    public var diagnostic: Diagnostic

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of problem.
    ///   - location: where it is.
    ///   - message: what it is, in one sentence without a final full stop.
    public init(_ code: Code, at location: SourceLocation, _ message: String) {
        self.code = code
        self.diagnostic = Diagnostic(.error, at: location, message)
    }

    /// Where the problem is.
    public var location: SourceLocation { diagnostic.location }

    /// What the problem is.
    public var message: String { diagnostic.message }

    /// `file:line:column: error: message`.
    public var description: String { diagnostic.description }
}
