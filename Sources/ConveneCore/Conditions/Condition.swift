/// The type of a field that a condition can read.
public enum ConditionType: Sendable, Hashable {
    /// Text, compared exactly and ordered by Unicode scalar values.
    case string
    /// A whole number.
    case int
    /// `true` or `false`; a field of this type is a condition on its own.
    case bool
    /// One of a fixed set of strings, such as a ledger status.
    ///
    /// - Parameters:
    ///   - name: what one value is called in messages, e.g. `"status"`.
    ///   - cases: the values it may take, e.g. `["invited", "reminded", "confirmed"]`.
    case enumeration(String, cases: [String])
}

/// The value of a field when a condition is evaluated.
///
/// Values of an ``ConditionType/enumeration(_:cases:)`` field are ``string(_:)``.
public enum ConditionValue: Sendable, Hashable {
    /// No value, such as a blank roster cell. Any field may be null.
    case null
    /// A ``ConditionType/string`` or ``ConditionType/enumeration(_:cases:)`` value.
    case string(String)
    /// An ``ConditionType/int`` value.
    case int(Int)
    /// A ``ConditionType/bool`` value.
    case bool(Bool)
}

/// The fields that conditions may read, with their types.
public struct ConditionSchema: Sendable {
    /// Field paths, such as `state.replied` or `delegation.region`, and their types.
    public var fields: [String: ConditionType]

    /// Creates a schema.
    /// - Parameter fields: field paths and their types.
    public init(fields: [String: ConditionType]) {
        self.fields = fields
    }
}

/// Why a condition was rejected, and where in its text.
public struct ConditionError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, in one sentence without a final full stop.
    public var message: String
    /// The 1-based character offset of the offending token in the condition's text.
    public var column: Int

    /// Creates an error.
    /// - Parameters:
    ///   - message: what is wrong.
    ///   - column: the 1-based character offset of the offending token.
    public init(_ message: String, column: Int) {
        self.message = message
        self.column = column
    }

    /// `column N: message`.
    public var description: String { "column \(column): \(message)" }
}

/// A checked `when:` condition of a workflow step, compiled once and evaluated per invitee.
///
/// The language is small and typed:
///
/// ```
/// state.replied == false and delegation.region in ["Africa", "Europe"]
/// not state.replied
/// state.reminders < 2 or (delegation.language == "fr" and state.status == "invited")
/// ```
///
/// - Comparisons `==`, `!=` on operands of one type; `<`, `<=`, `>`, `>=` on integers and strings.
/// - `x in [value, ...]` and `x not in [value, ...]`.
/// - `not`, `and`, `or` (binding in that order, tightest first) and parentheses; `and` and `or`
///   short-circuit.
/// - Literals: `"text"` or `'text'` (escapes `\"`, `\'`, `\\`), integers such as `-3`, `true`,
///   `false`, `null`.
/// - Field paths `ident(.ident)*`, where an identifier may contain `-` after its first character.
///   A field of type ``ConditionType/bool`` is a condition on its own.
///
/// Any field may be null at run time. `== null` and `!= null` test for it; a null field is
/// unequal to every other value, fails every ordering (`<` and the like are false) and is false
/// as a condition on its own, so `not state.replied` holds for a blank `replied`.
public struct Condition: Sendable, CustomStringConvertible {
    /// The text the condition was parsed from.
    public let source: String
    /// The field paths the condition reads, without duplicates, in order of first use.
    ///
    /// ``evaluate(_:)`` asks for field `fields[i]` as slot `i`.
    public let fields: [String]
    /// The checked condition, compiled.
    let program: ConditionProgram

    /// Parses a condition and checks it against a schema.
    /// - Parameters:
    ///   - source: the condition's text, such as `state.replied == false`.
    ///   - schema: the fields the condition may read.
    /// - Throws: ``ConditionError`` for a syntax error, an unknown field, a type error or a
    ///   condition that is not true-or-false, with the column of the offending token.
    public init(_ source: String, schema: ConditionSchema) throws(ConditionError) {
        let syntax = try ConditionParser(source: source).parse()
        var checker = ConditionChecker(schema: schema)
        let node = try checker.check(syntax)
        self.source = source
        self.fields = checker.fields
        self.program = ConditionProgram(node)
    }

    /// Evaluates the condition for one record.
    ///
    /// Nothing is parsed, looked up by name or allocated here: the condition was compiled, when
    /// it was created, to a decision graph of typed tests over slots.
    /// - Parameter value: the value of the field in a slot; slot `i` is ``fields``[i].
    /// - Returns: whether the condition holds.
    public func evaluate(_ value: (Int) -> ConditionValue) -> Bool {
        program.run(value)
    }

    /// The condition's source text.
    public var description: String { source }
}
