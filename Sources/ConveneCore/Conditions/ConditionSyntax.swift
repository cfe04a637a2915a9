/// A comparison operator of the condition language.
enum ConditionComparison: String, CaseIterable, Sendable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    /// Whether this is one of `<`, `<=`, `>`, `>=`.
    var isOrdering: Bool { self != .equal && self != .notEqual }

    /// The operator that gives the same answer with its operands swapped (`a < b` is `b > a`).
    var swapped: Self {
        switch self {
        case .equal, .notEqual: self
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        }
    }

    /// Applies an ordering operator to two comparable values.
    func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
        switch self {
        case .equal: a == b
        case .notEqual: a != b
        case .less: a < b
        case .lessOrEqual: a <= b
        case .greater: a > b
        case .greaterOrEqual: a >= b
        }
    }
}

/// A field path or a literal, with where it stands in the source.
struct ConditionOperand: Sendable {
    enum Kind: Sendable {
        case field(String)
        case literal(ConditionValue)
    }

    var kind: Kind
    /// 1-based column of its first character.
    var column: Int
    /// Its source text, for messages.
    var text: String
}

/// A parsed condition, before type checking.
indirect enum ConditionSyntax: Sendable {
    /// A lone field or literal used as a condition.
    case operand(ConditionOperand)
    case comparison(ConditionOperand, ConditionComparison, ConditionOperand, column: Int)
    /// `x in [...]`, or `x not in [...]` when negated.
    case membership(ConditionOperand, [ConditionOperand], negated: Bool)
    case not(ConditionSyntax)
    case and(ConditionSyntax, ConditionSyntax)
    case or(ConditionSyntax, ConditionSyntax)
}
