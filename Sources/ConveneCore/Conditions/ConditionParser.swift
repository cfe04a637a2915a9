import ConveneYAML
import Parsing

/// The tokens of the condition language, as swift-parsing parsers over UTF-8.
///
/// They only recognise; the recursive descent in ``ConditionParser`` decides what a failure
/// means, so that every error names what was expected and where. Names from swift-parsing are
/// qualified, so that a type of the same name elsewhere in ConveneCore cannot shadow them.
enum ConditionLexicon {
    typealias Input = Substring.UTF8View

    static func isWordStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
    }

    /// Roster columns may be named `focal-point`, so a hyphen may follow the first character.
    static func isWordContinuation(_ byte: UInt8) -> Bool {
        isWordStart(byte) || isDigit(byte) || byte == UInt8(ascii: "-")
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isOperatorCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: "&"), UInt8(ascii: "|"):
            true
        default: false
        }
    }

    /// Spaces, tabs and line breaks, which a folded YAML scalar may leave in a condition.
    static var whitespace:
        Parsing.Whitespace<PartialRangeFrom<Int>, Parsing.Conversions.Identity<Input>>
    {
        Parsing.Whitespace()
    }

    /// `[A-Za-z_][A-Za-z0-9_-]*`: an identifier or a keyword.
    static var word: some Parsing.Parser<Input, Input> {
        Parsing.Consumed {
            Parsing.Prefix(1, while: isWordStart)
            Parsing.Prefix(while: isWordContinuation)
        }
    }

    /// `ident(.ident)*`, with no space around the dots.
    static var fieldPath: some Parsing.Parser<Input, Input> {
        Parsing.Consumed {
            Parsing.Many(1...) { word } separator: { ".".utf8 }
        }
    }

    /// An optional minus and at least one digit.
    static var integer: some Parsing.Parser<Input, Input> {
        Parsing.Consumed {
            Parsing.Optionally { "-".utf8 }
            Parsing.Prefix(1..., while: isDigit)
        }
    }

    /// `==`, `!=`, `<=`, `<`, `>=`, `>` (the longest match wins).
    static var comparison: some Parsing.Parser<Input, ConditionComparison> {
        ConditionComparison.parser(of: Input.self)
    }

    /// A run of the characters that cannot occur in a string, nor end one.
    static func plainCharacters(quote: UInt8) -> some Parsing.Parser<Input, Input> {
        Parsing.Prefix { $0 != quote && $0 != UInt8(ascii: "\\") }
    }

    static let keywords: Set<Substring> = ["and", "or", "not", "in", "true", "false", "null"]
}

/// Parses the text of a condition into ``ConditionSyntax``.
///
/// Grammar, loosest binding first:
/// ```
/// disjunction := conjunction ("or" conjunction)*
/// conjunction := negation ("and" negation)*
/// negation    := "not" negation | "(" disjunction ")" | comparison
/// comparison  := operand (op operand | "in" list | "not" "in" list)?
/// list        := "[" literal ("," literal)* "]"
/// operand     := string | integer | "true" | "false" | "null" | path
/// ```
/// Operands of comparisons are fields and literals only; parentheses group conditions.
struct ConditionParser {
    typealias Input = Substring.UTF8View
    typealias Lexicon = ConditionLexicon

    /// The whole condition; the parser's positions are indices into it.
    let source: String

    /// Parses the whole source.
    /// - Returns: the syntax tree.
    /// - Throws: ``ConditionError`` at the first token that does not fit the grammar.
    func parse() throws(ConditionError) -> ConditionSyntax {
        var input = source[...].utf8
        skipWhitespace(&input)
        guard !input.isEmpty else { throw ConditionError("the condition is empty", column: 1) }
        let syntax = try disjunction(&input, after: nil)
        skipWhitespace(&input)
        guard input.isEmpty else { throw unexpected(input) }
        return syntax
    }

    // MARK: - Grammar

    private func disjunction(_ input: inout Input, after context: String?) throws(ConditionError)
        -> ConditionSyntax
    {
        var result = try conjunction(&input, after: context)
        while consumeKeyword("or", &input) {
            result = .or(result, try conjunction(&input, after: "or"))
        }
        return result
    }

    private func conjunction(_ input: inout Input, after context: String?) throws(ConditionError)
        -> ConditionSyntax
    {
        var result = try negation(&input, after: context)
        while consumeKeyword("and", &input) {
            result = .and(result, try negation(&input, after: "and"))
        }
        return result
    }

    private func negation(_ input: inout Input, after context: String?) throws(ConditionError)
        -> ConditionSyntax
    {
        if consumeKeyword("not", &input) {
            return .not(try negation(&input, after: "not"))
        }
        skipWhitespace(&input)
        guard input.first == UInt8(ascii: "(") else { return try comparison(&input, after: context) }
        let open = column(input)
        input.removeFirst()
        let inner = try disjunction(&input, after: "(")
        skipWhitespace(&input)
        guard input.first == UInt8(ascii: ")") else {
            throw expected("')' to close the '(' at column \(open)", after: nil, at: input)
        }
        input.removeFirst()
        var lookahead = input
        skipWhitespace(&lookahead)
        let next = lookahead
        if (try? Lexicon.comparison.parse(&lookahead)) != nil || consumeKeyword("in", &lookahead) {
            throw ConditionError(
                "a condition in parentheses cannot be compared; compare a field with a value",
                column: column(next)
            )
        }
        return inner
    }

    private func comparison(_ input: inout Input, after context: String?) throws(ConditionError)
        -> ConditionSyntax
    {
        let lhs = try operand(&input, expected: "a condition", after: context)
        skipWhitespace(&input)
        let operatorColumn = column(input)
        if let misuse = misuse(of: token(input)) {
            throw ConditionError(misuse, column: operatorColumn)
        }
        if let op = try? Lexicon.comparison.parse(&input) {
            let rhs = try operand(&input, expected: "a value", after: op.rawValue)
            var lookahead = input
            skipWhitespace(&lookahead)
            let next = lookahead
            if (try? Lexicon.comparison.parse(&lookahead)) != nil {
                throw ConditionError(
                    "comparisons cannot be chained; join them with 'and'", column: column(next))
            }
            return .comparison(lhs, op, rhs, column: operatorColumn)
        }
        if consumeKeyword("in", &input) {
            let elements = try list(&input, after: "in")
            return .membership(lhs, elements, negated: false)
        }
        var lookahead = input
        if consumeKeyword("not", &lookahead) {
            guard consumeKeyword("in", &lookahead) else {
                skipWhitespace(&lookahead)
                throw expected("'in'", after: "not", at: lookahead)
            }
            input = lookahead
            let elements = try list(&input, after: "not in")
            return .membership(lhs, elements, negated: true)
        }
        return .operand(lhs)
    }

    private func list(_ input: inout Input, after keyword: String) throws(ConditionError)
        -> [ConditionOperand]
    {
        skipWhitespace(&input)
        guard input.first == UInt8(ascii: "[") else {
            throw expected("'['", after: keyword, at: input)
        }
        input.removeFirst()
        skipWhitespace(&input)
        if input.first == UInt8(ascii: "]") {
            throw ConditionError("a list needs at least one value", column: column(input))
        }
        var elements: [ConditionOperand] = []
        var context = "["
        while true {
            let element = try operand(&input, expected: "a value", after: context)
            if case .field = element.kind {
                throw ConditionError(
                    "a list holds values, not fields such as '\(element.text)'",
                    column: element.column)
            }
            elements.append(element)
            skipWhitespace(&input)
            switch input.first {
            case UInt8(ascii: ","):
                input.removeFirst()
                context = ","
            case UInt8(ascii: "]"):
                input.removeFirst()
                return elements
            default:
                throw expected("',' or ']' after a value in the list", after: nil, at: input)
            }
        }
    }

    private func operand(
        _ input: inout Input, expected what: String, after context: String?
    ) throws(ConditionError) -> ConditionOperand {
        skipWhitespace(&input)
        let start = input
        let startColumn = column(input)
        func made(_ kind: ConditionOperand.Kind) -> ConditionOperand {
            ConditionOperand(
                kind: kind, column: startColumn,
                text: String(Substring(start[..<input.startIndex])))
        }
        guard let first = input.first else { throw expected(what, after: context, at: input) }
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            return made(.literal(.string(try string(&input))))
        }
        if first == UInt8(ascii: "-") || Lexicon.isDigit(first) {
            guard let digits = try? Lexicon.integer.parse(&input) else {
                throw ConditionError("expected digits after '-'", column: startColumn + 1)
            }
            guard let value = Int(Substring(digits)) else {
                throw ConditionError(
                    "the number \(Substring(digits)) is too large", column: startColumn)
            }
            return made(.literal(.int(value)))
        }
        guard Lexicon.isWordStart(first) else { throw expected(what, after: context, at: input) }
        var word = input
        switch (try? Lexicon.word.parse(&word)).map(Substring.init) {
        case "true"?:
            input = word
            return made(.literal(.bool(true)))
        case "false"?:
            input = word
            return made(.literal(.bool(false)))
        case "null"?:
            input = word
            return made(.literal(.null))
        case let keyword? where Lexicon.keywords.contains(keyword):
            throw expected(what, after: context, at: input)
        default:
            break
        }
        let path = (try? Lexicon.fieldPath.parse(&input)).map { String(Substring($0)) } ?? ""
        if input.first == UInt8(ascii: ".") {
            input.removeFirst()
            throw ConditionError("expected a field name after '.'", column: column(input))
        }
        return made(.field(path))
    }

    /// A quoted string, with the quote at the front of `input`.
    private func string(_ input: inout Input) throws(ConditionError) -> String {
        guard let quote = input.first else { preconditionFailure("string(_:) needs a quote") }
        let openColumn = column(input)
        input.removeFirst()
        var bytes: [UInt8] = []
        while true {
            if let run = try? Lexicon.plainCharacters(quote: quote).parse(&input) {
                bytes.append(contentsOf: run)
            }
            guard let next = input.first else {
                throw ConditionError(
                    "the string is not closed; expected a closing \(Character(Unicode.Scalar(quote)))",
                    column: openColumn)
            }
            input.removeFirst()
            if next == quote { return String(decoding: bytes, as: UTF8.self) }
            // `next` is a backslash.
            let escapeColumn = column(input) - 1
            guard let escaped = Substring(input).first else {
                throw ConditionError(
                    "the string is not closed; expected a closing \(Character(Unicode.Scalar(quote)))",
                    column: openColumn)
            }
            guard escaped == "\"" || escaped == "'" || escaped == "\\" else {
                throw ConditionError(
                    #"unknown escape '\\#(escaped)' in a string; only \", \' and \\ are allowed"#,
                    column: escapeColumn)
            }
            bytes.append(input.removeFirst())
        }
    }

    // MARK: - Tokens and positions

    private func skipWhitespace(_ input: inout Input) {
        _ = try? Lexicon.whitespace.parse(&input)
    }

    /// Consumes `keyword` (and the whitespace before it) if it is the next whole word.
    private func consumeKeyword(_ keyword: String, _ input: inout Input) -> Bool {
        var lookahead = input
        skipWhitespace(&lookahead)
        guard let word = try? Lexicon.word.parse(&lookahead), word.elementsEqual(keyword.utf8)
        else { return false }
        input = lookahead
        return true
    }

    /// The 1-based character offset of the front of `input` in ``source``.
    private func column(_ input: Input) -> Int {
        source[..<input.startIndex].count + 1
    }

    /// The token at the front of `input`, as the user wrote it, or `nil` at the end.
    private func token(_ input: Input) -> String? {
        guard let first = input.first else { return nil }
        var rest = input
        let text: Input?
        if Lexicon.isWordStart(first) {
            text = try? Lexicon.word.parse(&rest)
        } else if Lexicon.isDigit(first) || first == UInt8(ascii: "-") {
            text = try? Lexicon.integer.parse(&rest)
        } else if Lexicon.isOperatorCharacter(first) {
            text = try? Parsing.Prefix(while: Lexicon.isOperatorCharacter).parse(&rest)
        } else if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            rest.removeFirst()
            _ = try? Lexicon.plainCharacters(quote: first).parse(&rest)
            if !rest.isEmpty { rest.removeFirst() }
            text = input[..<rest.startIndex]
        } else {
            text = nil
        }
        if let text, !text.isEmpty { return String(Substring(text)) }
        return Substring(input).first.map(String.init)
    }

    /// A friendlier word for tokens that other languages use.
    private func misuse(of token: String?) -> String? {
        switch token {
        case "="?: "'=' is not an operator; use '==' to compare"
        case "&&"?: "use 'and' instead of '&&'"
        case "||"?: "use 'or' instead of '||'"
        case "!"?: "use 'not' instead of '!'"
        case "<>"?: "use '!=' instead of '<>'"
        default: nil
        }
    }

    private func expected(_ what: String, after context: String?, at input: Input) -> ConditionError {
        let found = token(input)
        if let misuse = misuse(of: found) { return ConditionError(misuse, column: column(input)) }
        var message = "expected \(what)"
        if let context { message += " after '\(context)'" }
        if let found { message += ", found '\(found)'" }
        return ConditionError(message, column: column(input))
    }

    private func unexpected(_ input: Input) -> ConditionError {
        let found = token(input) ?? ""
        if let misuse = misuse(of: found) { return ConditionError(misuse, column: column(input)) }
        var message = "unexpected '\(found)' after the end of the condition"
        let operators = ["and", "or", "not", "in"]
        if found.count >= 3 || operators.contains(found.lowercased()) {
            message += didYouMean(found, among: operators)
        }
        return ConditionError(message, column: column(input))
    }
}
