import ConveneYAML

/// A checked condition: fields resolved to slots, literals to values of the field's type.
indirect enum ConditionNode: Sendable {
    case constant(Bool)
    case test(ConditionTest)
    case not(ConditionNode)
    case and(ConditionNode, ConditionNode)
    case or(ConditionNode, ConditionNode)
}

/// One test of field values; what the evaluator runs.
enum ConditionTest: Sendable {
    /// The bool field is `true` (null is not).
    case isTrue(slot: Int)
    /// The field equals the value (`.null` included).
    case equals(slot: Int, ConditionValue)
    /// Two fields are equal (two nulls are).
    case equalFields(Int, Int)
    /// An integer field orders against a constant; null is never ordered.
    case orderInt(slot: Int, ConditionComparison, Int)
    /// A string field orders against a constant; null is never ordered.
    case orderString(slot: Int, ConditionComparison, String)
    /// Two fields of one type order; false if either is null.
    case orderFields(Int, ConditionComparison, Int)
    /// The field's value is one of these.
    case member(slot: Int, [ConditionValue])
}

/// Resolves the fields of a ``ConditionSyntax`` against a schema and checks its types.
struct ConditionChecker {
    let schema: ConditionSchema
    /// The fields read so far, in order of first use; a field's slot is its index here.
    private(set) var fields: [String] = []
    private var slots: [String: Int] = [:]

    init(schema: ConditionSchema) {
        self.schema = schema
    }

    /// Where a lone operand stands, for the message when it is not true-or-false.
    private enum Place {
        case whole, operand(of: String)
    }

    /// An operand once resolved: a field in a slot, or a literal value.
    private enum Resolved {
        case field(slot: Int, ConditionType, ConditionOperand)
        case literal(ConditionValue, ConditionOperand)

        var operand: ConditionOperand {
            switch self {
            case .field(_, _, let operand), .literal(_, let operand): operand
            }
        }

        /// The type, or `nil` for the literal `null`, which fits every type.
        var type: ConditionType? {
            switch self {
            case .field(_, let type, _): type
            case .literal(.null, _): nil
            case .literal(.string, _): .string
            case .literal(.int, _): .int
            case .literal(.bool, _): .bool
            }
        }

        var isNull: Bool {
            if case .literal(.null, _) = self { true } else { false }
        }
    }

    /// Checks a whole condition.
    /// - Returns: the checked tree, with constant parts folded.
    /// - Throws: ``ConditionError`` for an unknown field or a type error.
    mutating func check(_ syntax: ConditionSyntax) throws(ConditionError) -> ConditionNode {
        try condition(syntax, .whole)
    }

    private mutating func condition(_ syntax: ConditionSyntax, _ place: Place) throws(ConditionError)
        -> ConditionNode
    {
        switch syntax {
        case .operand(let operand):
            return try bare(resolve(operand), place)
        case .comparison(let lhs, let op, let rhs, let column):
            let left = try resolve(lhs)
            let right = try resolve(rhs)
            return op.isOrdering
                ? try ordering(left, op, right, column: column)
                : try equality(left, negated: op == .notEqual, right, column: column)
        case .membership(let lhs, let elements, let negated):
            let node = try membership(lhs, elements)
            return negated ? Self.not(node) : node
        case .not(let inner):
            return Self.not(try condition(inner, .operand(of: "not")))
        case .and(let a, let b):
            let left = try condition(a, .operand(of: "and"))
            return Self.and(left, try condition(b, .operand(of: "and")))
        case .or(let a, let b):
            let left = try condition(a, .operand(of: "or"))
            return Self.or(left, try condition(b, .operand(of: "or")))
        }
    }

    // MARK: - Operands

    private mutating func resolve(_ operand: ConditionOperand) throws(ConditionError) -> Resolved {
        switch operand.kind {
        case .literal(let value):
            return .literal(value, operand)
        case .field(let path):
            guard let type = schema.fields[path] else {
                // A lone word may be a misspelt literal, such as `flase`.
                let literals = path.contains(".") ? [] : ["true", "false", "null"]
                let known = schema.fields.keys.sorted() + literals
                throw ConditionError(
                    "unknown field '\(path)'\(didYouMean(path, among: known))",
                    column: operand.column)
            }
            if let slot = slots[path] { return .field(slot: slot, type, operand) }
            slots[path] = fields.count
            fields.append(path)
            return .field(slot: fields.count - 1, type, operand)
        }
    }

    /// A field or literal standing alone must be true-or-false.
    private func bare(_ resolved: Resolved, _ place: Place) throws(ConditionError) -> ConditionNode {
        switch resolved {
        case .field(let slot, .bool, _): return .test(.isTrue(slot: slot))
        case .literal(.bool(let value), _): return .constant(value)
        default: break
        }
        let operand = resolved.operand
        let what =
            resolved.isNull
            ? "null is not true or false"
            : "\(Self.quoted(operand)) is \(Self.article(resolved.type))"
        let message: String
        switch place {
        case .whole:
            if case .field = resolved {
                message = "\(what), not a condition; compare it with a value"
            } else {
                message = "\(what), not a condition"
            }
        case .operand(let keyword):
            let needs = keyword == "not" ? "a condition" : "a condition on each side"
            message = "'\(keyword)' needs \(needs), but \(what)"
        }
        throw ConditionError(message, column: operand.column)
    }

    // MARK: - Comparisons

    private func equality(_ lhs: Resolved, negated: Bool, _ rhs: Resolved, column: Int)
        throws(ConditionError) -> ConditionNode
    {
        let node: ConditionNode
        switch (lhs, rhs) {
        case (.literal(let a, _), .literal(let b, _)):
            if !lhs.isNull, !rhs.isNull, lhs.type != rhs.type {
                throw mismatch(lhs, rhs, column: column)
            }
            node = .constant(a == b)
        case (.field(let slot, let type, _), .literal(let value, let literal)),
            (.literal(let value, let literal), .field(let slot, let type, _)):
            try expect(value, literal, fits: type, else: mismatch(lhs, rhs, column: column))
            node = .test(.equals(slot: slot, value))
        case (.field(let a, let typeA, _), .field(let b, let typeB, _)):
            guard typeA == typeB else { throw mismatch(lhs, rhs, column: column) }
            node = a == b ? .constant(true) : .test(.equalFields(a, b))
        }
        return negated ? Self.not(node) : node
    }

    private func ordering(_ lhs: Resolved, _ op: ConditionComparison, _ rhs: Resolved, column: Int)
        throws(ConditionError) -> ConditionNode
    {
        for side in [lhs, rhs] where side.isNull {
            throw ConditionError(
                "null can only be compared with '==' or '!='", column: side.operand.column)
        }
        for side in [lhs, rhs] {
            switch side.type {
            case .bool?, .enumeration?:
                throw ConditionError(
                    "'\(op.rawValue)' does not apply to \(Self.quoted(side.operand))"
                        + " (\(Self.article(side.type))); only integers and strings are ordered",
                    column: column)
            default: continue
            }
        }
        guard lhs.type == rhs.type else { throw mismatch(lhs, rhs, column: column) }
        switch (lhs, rhs) {
        case (.literal(.int(let a), _), .literal(.int(let b), _)):
            return .constant(op.holds(a, b))
        case (.literal(.string(let a), _), .literal(.string(let b), _)):
            return .constant(op.holds(a, b))
        case (.field(let slot, _, _), .literal(let value, _)):
            return .test(Self.order(slot, op, value))
        case (.literal(let value, _), .field(let slot, _, _)):
            return .test(Self.order(slot, op.swapped, value))
        case (.field(let a, _, _), .field(let b, _, _)):
            return .test(.orderFields(a, op, b))
        default:
            preconditionFailure("ordering of \(lhs) and \(rhs) passed the type checks")
        }
    }

    private static func order(_ slot: Int, _ op: ConditionComparison, _ value: ConditionValue)
        -> ConditionTest
    {
        switch value {
        case .int(let n): .orderInt(slot: slot, op, n)
        case .string(let s): .orderString(slot: slot, op, s)
        default: preconditionFailure("only integers and strings are ordered")
        }
    }

    private mutating func membership(_ lhs: ConditionOperand, _ elements: [ConditionOperand])
        throws(ConditionError) -> ConditionNode
    {
        let left = try resolve(lhs)
        if left.isNull {
            throw ConditionError(
                "null cannot be looked for in a list; use '== null'", column: lhs.column)
        }
        var values: [ConditionValue] = []
        for element in elements {
            guard case .literal(let value) = element.kind else {
                preconditionFailure("the parser lets only literals into lists")
            }
            if let type = left.type {
                try expect(
                    value, element, fits: type,
                    else: ConditionError(
                        "the list for \(Self.quoted(lhs)) must hold \(Self.plural(type)), not"
                            + " \(element.text) (\(Self.article(Resolved.literal(value, element).type)))",
                        column: element.column))
            }
            if !values.contains(value) { values.append(value) }
        }
        switch left {
        case .literal(let value, _):
            return .constant(values.contains(value))
        case .field(let slot, _, _):
            return .test(.member(slot: slot, values))
        }
    }

    /// Checks that a literal may stand for a value of `type`.
    ///
    /// `null` fits every type; a string fits an enumeration only if it is one of its cases.
    private func expect(
        _ value: ConditionValue, _ literal: ConditionOperand, fits type: ConditionType,
        else error: @autoclosure () -> ConditionError
    ) throws(ConditionError) {
        switch (value, type) {
        case (.null, _), (.string, .string), (.int, .int), (.bool, .bool):
            return
        case (.string(let text), .enumeration(_, let cases)):
            guard cases.contains(text) else {
                throw ConditionError(
                    "'\(text)' is not \(Self.article(type))\(didYouMean(text, among: cases))",
                    column: literal.column)
            }
        default:
            throw error()
        }
    }

    private func mismatch(_ lhs: Resolved, _ rhs: Resolved, column: Int) -> ConditionError {
        ConditionError(
            "cannot compare \(Self.quoted(lhs.operand)) (\(Self.article(lhs.type)))"
                + " with \(Self.quoted(rhs.operand)) (\(Self.article(rhs.type)))",
            column: column)
    }

    // MARK: - Folding

    static func not(_ node: ConditionNode) -> ConditionNode {
        switch node {
        case .constant(let value): .constant(!value)
        case .not(let inner): inner
        default: .not(node)
        }
    }

    static func and(_ a: ConditionNode, _ b: ConditionNode) -> ConditionNode {
        switch (a, b) {
        case (.constant(false), _), (_, .constant(false)): .constant(false)
        case (.constant(true), _): b
        case (_, .constant(true)): a
        default: .and(a, b)
        }
    }

    static func or(_ a: ConditionNode, _ b: ConditionNode) -> ConditionNode {
        switch (a, b) {
        case (.constant(true), _), (_, .constant(true)): .constant(true)
        case (.constant(false), _): b
        case (_, .constant(false)): a
        default: .or(a, b)
        }
    }

    // MARK: - Wording

    /// A field in quotes, a literal as written.
    private static func quoted(_ operand: ConditionOperand) -> String {
        if case .field = operand.kind { "'\(operand.text)'" } else { operand.text }
    }

    /// "a string", "an integer", "a status"; `nil` is the type of `null`.
    private static func article(_ type: ConditionType?) -> String {
        switch type {
        case nil: "null"
        case .string?: "a string"
        case .int?: "an integer"
        case .bool?: "a boolean"
        case .enumeration(let name, _)?:
            (name.first.map { "aeiouAEIOU".contains($0) } ?? false) ? "an \(name)" : "a \(name)"
        }
    }

    private static func plural(_ type: ConditionType) -> String {
        switch type {
        case .string: "strings"
        case .int: "integers"
        case .bool: "true or false"
        case .enumeration(let name, _): "\(name) values"
        }
    }
}
