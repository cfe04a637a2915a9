/// One test of a compiled condition: plain data, so that running it copies and counts nothing.
///
/// A compiled condition is a decision graph: each instruction tests one field and names the
/// instruction to run next when the test holds and when it fails, or a final answer. `and`, `or`
/// and `not` become those links, so they cost nothing at run time and short-circuit for free.
/// Strings and integer lists live in the program's constant pools.
struct ConditionInstruction: Sendable {
    enum Opcode: UInt8, Sendable {
        /// The field is `.bool(true)`.
        case isTrue
        /// The field is `.null`.
        case isNull
        /// The field is `.bool(operand != 0)`.
        case equalsBool
        /// The field is `.int(operand)`.
        case equalsInt
        /// The field is `.string(strings[operand])`.
        case equalsString
        /// Field `slot` equals field `operand`.
        case equalFields
        /// The field is an `.int` that orders against `operand`.
        case orderInt
        /// The field is a `.string` that orders against `strings[operand]`.
        case orderString
        /// Fields `slot` and `operand` are of one type and order.
        case orderFields
        /// The field is `.bool(b)` with bit `b` of `operand` set (bit 0 false, bit 1 true).
        case memberBool
        /// The field is `.int(n)`, n in `integers[operand ..< operand + count]`.
        case memberInt
        /// The field is `.string(s)`, s in `strings[operand ..< operand + count]`.
        case memberString
    }

    var opcode: Opcode
    /// For a member test: whether the list holds `null`.
    var includesNull = false
    var comparison = ConditionComparison.equal
    var slot = 0
    var operand = 0
    var count = 0
    /// What runs next when the test holds: an instruction's index, or a final answer.
    var ifTrue = ConditionProgram.no
    /// What runs next when the test fails: an instruction's index, or a final answer.
    var ifFalse = ConditionProgram.no
}

/// A checked condition as a decision graph of instructions, with constant pools.
struct ConditionProgram: Sendable {
    /// The final answer "holds", where an instruction index could stand.
    static let yes = -1
    /// The final answer "does not hold", where an instruction index could stand.
    static let no = -2

    private(set) var instructions: ContiguousArray<ConditionInstruction> = []
    private(set) var strings: ContiguousArray<String> = []
    private(set) var integers: ContiguousArray<Int> = []
    /// The first instruction to run, or a final answer for a constant condition.
    private(set) var entry = ConditionProgram.no

    /// Compiles a checked condition.
    init(_ node: ConditionNode) {
        entry = emit(node, ifTrue: Self.yes, ifFalse: Self.no)
    }

    // MARK: - Compiling

    /// Compiles `node` to continue at `ifTrue` or `ifFalse`.
    ///
    /// The right operand of `and` and `or` is compiled first, so that the left one can link to it.
    /// - Returns: where to start evaluating `node`.
    private mutating func emit(_ node: ConditionNode, ifTrue: Int, ifFalse: Int) -> Int {
        switch node {
        case .constant(let value):
            return value ? ifTrue : ifFalse
        case .test(let test):
            var instruction = compile(test)
            instruction.ifTrue = ifTrue
            instruction.ifFalse = ifFalse
            instructions.append(instruction)
            return instructions.count - 1
        case .not(let inner):
            return emit(inner, ifTrue: ifFalse, ifFalse: ifTrue)
        case .and(let a, let b):
            let right = emit(b, ifTrue: ifTrue, ifFalse: ifFalse)
            return emit(a, ifTrue: right, ifFalse: ifFalse)
        case .or(let a, let b):
            let right = emit(b, ifTrue: ifTrue, ifFalse: ifFalse)
            return emit(a, ifTrue: ifTrue, ifFalse: right)
        }
    }

    private mutating func compile(_ test: ConditionTest) -> ConditionInstruction {
        switch test {
        case .isTrue(let slot):
            return .init(opcode: .isTrue, slot: slot)
        case .equals(let slot, .null):
            return .init(opcode: .isNull, slot: slot)
        case .equals(let slot, .bool(let value)):
            return .init(opcode: .equalsBool, slot: slot, operand: value ? 1 : 0)
        case .equals(let slot, .int(let value)):
            return .init(opcode: .equalsInt, slot: slot, operand: value)
        case .equals(let slot, .string(let value)):
            return .init(opcode: .equalsString, slot: slot, operand: pool(value))
        case .equalFields(let a, let b):
            return .init(opcode: .equalFields, slot: a, operand: b)
        case .orderInt(let slot, let op, let value):
            return .init(opcode: .orderInt, comparison: op, slot: slot, operand: value)
        case .orderString(let slot, let op, let value):
            return .init(opcode: .orderString, comparison: op, slot: slot, operand: pool(value))
        case .orderFields(let a, let op, let b):
            return .init(opcode: .orderFields, comparison: op, slot: a, operand: b)
        case .member(let slot, let values):
            return member(slot, values)
        }
    }

    /// The checker gives a list whose values are all of the field's type, or null.
    private mutating func member(_ slot: Int, _ values: [ConditionValue]) -> ConditionInstruction {
        var instruction = ConditionInstruction(opcode: .memberString, slot: slot)
        var bools = 0
        let start = (strings.count, integers.count)
        for value in values {
            switch value {
            case .null:
                instruction.includesNull = true
            case .bool(let b):
                instruction.opcode = .memberBool
                bools |= b ? 2 : 1
            case .int(let n):
                instruction.opcode = .memberInt
                integers.append(n)
            case .string(let s):
                strings.append(s)
            }
        }
        switch instruction.opcode {
        case .memberBool:
            instruction.operand = bools
        case .memberInt:
            instruction.operand = start.1
            instruction.count = integers.count - start.1
        default:
            instruction.operand = start.0
            instruction.count = strings.count - start.0
        }
        return instruction
    }

    private mutating func pool(_ string: String) -> Int {
        strings.append(string)
        return strings.count - 1
    }

    // MARK: - Running

    /// Runs the program.
    /// - Parameter value: the value of the field in a slot.
    /// - Returns: whether the condition holds.
    func run(_ value: (Int) -> ConditionValue) -> Bool {
        var next = entry
        while next >= 0 {
            let instruction = instructions[next]
            let holds: Bool
            switch instruction.opcode {
            case .isTrue:
                if case .bool(true) = value(instruction.slot) { holds = true } else { holds = false }
            case .isNull:
                if case .null = value(instruction.slot) { holds = true } else { holds = false }
            case .equalsBool:
                if case .bool(let b) = value(instruction.slot) {
                    holds = b == (instruction.operand != 0)
                } else {
                    holds = false
                }
            case .equalsInt:
                if case .int(let n) = value(instruction.slot) {
                    holds = n == instruction.operand
                } else {
                    holds = false
                }
            case .equalsString:
                if case .string(let s) = value(instruction.slot) {
                    holds = s == strings[instruction.operand]
                } else {
                    holds = false
                }
            case .equalFields:
                holds = value(instruction.slot) == value(instruction.operand)
            case .orderInt:
                if case .int(let n) = value(instruction.slot) {
                    holds = instruction.comparison.holds(n, instruction.operand)
                } else {
                    holds = false
                }
            case .orderString:
                if case .string(let s) = value(instruction.slot) {
                    holds = instruction.comparison.holds(s, strings[instruction.operand])
                } else {
                    holds = false
                }
            case .orderFields:
                holds = Self.order(
                    value(instruction.slot), instruction.comparison, value(instruction.operand))
            case .memberBool:
                switch value(instruction.slot) {
                case .bool(let b): holds = instruction.operand & (b ? 2 : 1) != 0
                case .null: holds = instruction.includesNull
                default: holds = false
                }
            case .memberInt:
                switch value(instruction.slot) {
                case .int(let n): holds = Self.pool(integers, instruction, contains: n)
                case .null: holds = instruction.includesNull
                default: holds = false
                }
            case .memberString:
                switch value(instruction.slot) {
                case .string(let s): holds = Self.pool(strings, instruction, contains: s)
                case .null: holds = instruction.includesNull
                default: holds = false
                }
            }
            next = holds ? instruction.ifTrue : instruction.ifFalse
        }
        return next == Self.yes
    }

    /// Whether the list of a member instruction holds `element`.
    ///
    /// An index loop, because slicing the pool would retain its buffer on every evaluation.
    @inline(__always)
    private static func pool<Element: Equatable>(
        _ pool: ContiguousArray<Element>, _ instruction: ConditionInstruction,
        contains element: Element
    ) -> Bool {
        var index = instruction.operand
        let end = index + instruction.count
        while index < end {
            if pool[index] == element { return true }
            index += 1
        }
        return false
    }

    /// Orders two values of one type; null or mixed types never order.
    private static func order(_ a: ConditionValue, _ op: ConditionComparison, _ b: ConditionValue)
        -> Bool
    {
        switch (a, b) {
        case (.int(let x), .int(let y)): op.holds(x, y)
        case (.string(let x), .string(let y)): op.holds(x, y)
        default: false
        }
    }
}
