/// A scalar node's text, how it was written, and what it means under the YAML 1.2 core schema.
///
/// Only untagged *plain* scalars are resolved by their look: `~`, `null` and the empty scalar are
/// null, `true`/`false` (in three casings) are booleans, `12`, `0o14` and `0xC` are integers,
/// `1.5`, `1e3`, `.inf` and `.nan` are floats, and everything else is a string. `yes`, `no`,
/// `on` and `off` are strings, as YAML 1.2 says. Quoted and block scalars are always strings
/// unless an explicit tag (`!!int "12"`) says otherwise.
public struct YAMLScalar: Sendable, Hashable {
    /// How a scalar was written in the source.
    public enum Style: Sendable, Hashable {
        /// Unquoted: `name: Geneva`.
        case plain
        /// In single quotes: `'Geneva'`.
        case singleQuoted
        /// In double quotes, with escapes: `"Gen\u00e8ve"`.
        case doubleQuoted
        /// A literal block scalar, line breaks kept: `|`.
        case literal
        /// A folded block scalar, line breaks folded into spaces: `>`.
        case folded
    }

    /// What a scalar means once its tag is resolved.
    public enum Value: Sendable, Hashable {
        /// `~`, `null`, `Null`, `NULL` or nothing at all.
        case null
        /// `true`, `True`, `TRUE`, `false`, `False` or `FALSE`.
        case bool(Bool)
        /// A decimal (`010` is ten), `0o` octal or `0x` hexadecimal integer that fits in an `Int`.
        case int(Int)
        /// A floating-point number, including `.inf`, `-.inf` and `.nan`; also an untagged integer
        /// too large for an `Int`.
        case float(Double)
        /// Anything else.
        case string(String)
    }

    /// The scalar's content after YAML's unquoting, unescaping and folding.
    public var text: String
    /// How the scalar was written.
    public var style: Style
    /// What the scalar means.
    public var value: Value

    /// Creates a scalar from its parts, resolving nothing.
    /// - Parameters:
    ///   - text: the content.
    ///   - style: how it was written.
    ///   - value: what it means.
    public init(text: String, style: Style, value: Value) {
        self.text = text
        self.style = style
        self.value = value
    }

    /// Creates an untagged scalar, resolving a plain one with the YAML 1.2 core schema.
    /// - Parameters:
    ///   - text: the content.
    ///   - style: how it was written; anything but ``Style/plain`` makes a string.
    public init(resolving text: String, style: Style = .plain) {
        self.init(text: text, style: style, value: style == .plain ? CoreSchema.resolve(text) : .string(text))
    }
}

/// The YAML 1.2 core schema's tags and the regular expressions that resolve plain scalars,
/// written as byte matchers so that resolving a large file costs next to nothing.
enum CoreSchema {
    static let strTag = "tag:yaml.org,2002:str"
    static let intTag = "tag:yaml.org,2002:int"
    static let floatTag = "tag:yaml.org,2002:float"
    static let boolTag = "tag:yaml.org,2002:bool"
    static let nullTag = "tag:yaml.org,2002:null"
    static let seqTag = "tag:yaml.org,2002:seq"
    static let mapTag = "tag:yaml.org,2002:map"
    static let mergeTag = "tag:yaml.org,2002:merge"
    static let prefix = "tag:yaml.org,2002:"

    /// The tag a resolved value stands for.
    static func tag(of value: YAMLScalar.Value) -> String {
        switch value {
        case .null: nullTag
        case .bool: boolTag
        case .int: intTag
        case .float: floatTag
        case .string: strTag
        }
    }

    /// A tag as a user writes it: `!!int` for the YAML namespace, the tag itself otherwise.
    static func shortForm(_ tag: String) -> String {
        tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
    }

    /// The value of an untagged plain scalar.
    static func resolve(_ text: String) -> YAMLScalar.Value {
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            if isNull(text) { return .null }
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
            if let bool = bool(text) { return .bool(bool) }
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            switch integer(text) {
            case .int(let value): return .int(value)
            case .tooLarge(let approximation): return .float(approximation)
            case .none: if let float = float(text) { return .float(float) }
            }
        default:
            break
        }
        return .string(text)
    }

    /// `null | Null | NULL | ~ | ` (empty).
    static func isNull(_ text: String) -> Bool {
        let count = text.utf8.count
        guard count <= 1 || count == 4 else { return false }
        return switch text {
        case "", "~", "null", "Null", "NULL": true
        default: false
        }
    }

    /// `true | True | TRUE | false | False | FALSE`.
    static func bool(_ text: String) -> Bool? {
        let count = text.utf8.count
        guard count == 4 || count == 5 else { return nil }
        return switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// What an integer-looking scalar turned out to be.
    enum IntegerMatch {
        case int(Int)
        /// It is an integer by the schema but does not fit in an `Int`; the nearest `Double`.
        case tooLarge(Double)
    }

    /// `[-+]? [0-9]+ | 0o [0-7]+ | 0x [0-9a-fA-F]+`, or `nil` when the text is no integer.
    static func integer(_ text: String) -> IntegerMatch? {
        let bytes = text.utf8
        var digits = bytes[...]
        if let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            digits = digits.dropFirst()
        } else if bytes.count > 2, bytes.first == UInt8(ascii: "0") {
            let marker = bytes[bytes.index(after: bytes.startIndex)]
            let rest = bytes.dropFirst(2)
            if marker == UInt8(ascii: "o") {
                guard rest.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }) else { return nil }
                return Int(Substring(rest), radix: 8).map(IntegerMatch.int) ?? .tooLarge(approximate(rest, radix: 8))
            }
            if marker == UInt8(ascii: "x") {
                guard rest.allSatisfy(isHexDigit) else { return nil }
                return Int(Substring(rest), radix: 16).map(IntegerMatch.int) ?? .tooLarge(approximate(rest, radix: 16))
            }
        }
        guard !digits.isEmpty, digits.allSatisfy(isDigit) else { return nil }
        return Int(text).map(IntegerMatch.int) ?? .tooLarge(Double(text) ?? .infinity)
    }

    /// The value of octal or hexadecimal digits (already checked), rounded to a `Double`.
    private static func approximate(_ digits: Substring.UTF8View, radix: Int) -> Double {
        digits.reduce(0.0) { total, byte in
            let digit =
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
                default: byte - UInt8(ascii: "0")
                }
            return total * Double(radix) + Double(digit)
        }
    }

    /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`,
    /// `[-+]? ( \.inf | \.Inf | \.INF )` or `\.nan | \.NaN | \.NAN`.
    static func float(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        let bytes = Array(text.utf8)
        var i = 0
        func digitRun() -> Int {
            let start = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            return i - start
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        let integerDigits = digitRun()
        var fractionDigits = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            fractionDigits = digitRun()
        }
        guard integerDigits > 0 || fractionDigits > 0 else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digitRun() > 0 else { return nil }
        }
        guard i == bytes.count else { return nil }
        return Double(text)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
