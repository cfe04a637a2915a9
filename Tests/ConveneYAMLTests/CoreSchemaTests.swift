import ConveneYAML
import Testing

@Suite("YAML 1.2 core schema")
struct CoreSchemaTests {
    @Test("~, null, Null, NULL and the empty scalar are null", arguments: ["~", "null", "Null", "NULL", ""])
    func null(_ text: String) throws {
        let node = try resolved(text)
        #expect(node.scalar?.value == .null)
        #expect(node.tag == "tag:yaml.org,2002:null")
        #expect(node.isNull)
        #expect(node.kindDescription == "null")
    }

    @Test(
        "true and false in three casings are booleans",
        arguments: [
            ("true", true), ("True", true), ("TRUE", true), ("false", false), ("False", false), ("FALSE", false),
        ])
    func bool(_ text: String, _ expected: Bool) throws {
        let node = try resolved(text)
        #expect(node.scalar?.value == .bool(expected))
        #expect(node.bool == expected)
        #expect(node.tag == "tag:yaml.org,2002:bool")
    }

    @Test(
        "yes and no stay strings under the YAML 1.2 core schema",
        arguments: ["yes", "no", "Yes", "NO", "on", "off", "On", "OFF", "y", "n", "Y", "N", "tRUE", "nULL"])
    func yamlOneOneBooleansAreStrings(_ text: String) throws {
        let node = try resolved(text)
        #expect(node.scalar?.value == .string(text))
        #expect(node.string == text)
        #expect(node.tag == "tag:yaml.org,2002:str")
    }

    @Test(
        "decimal, 0o octal and 0x hexadecimal are integers, and 010 is ten",
        arguments: [
            ("0", 0), ("12", 12), ("-12", -12), ("+12", 12), ("010", 10), ("-010", -10), ("0o17", 15), ("0o0", 0),
            ("0x1F", 31), ("0xff", 255), ("9223372036854775807", Int.max),
        ])
    func int(_ text: String, _ expected: Int) throws {
        let node = try resolved(text)
        #expect(node.scalar?.value == .int(expected))
        #expect(node.int == expected)
        #expect(node.tag == "tag:yaml.org,2002:int")
        #expect(node.kindDescription == "an integer")
    }

    @Test(
        "floats, including .inf and .nan forms, are floats",
        arguments: [
            ("1.5", 1.5), ("-1.5", -1.5), ("+.5", 0.5), ("1.", 1.0), ("1e3", 1000.0), ("1.5E-2", 0.015), ("-0.0", -0.0),
            (".inf", .infinity), (".Inf", .infinity), ("+.INF", .infinity),
            ("-.inf", -.infinity), ("-.Inf", -.infinity),
        ])
    func float(_ text: String, _ expected: Double) throws {
        let node = try resolved(text)
        #expect(node.scalar?.value == .float(expected))
        #expect(node.double == expected)
        #expect(node.tag == "tag:yaml.org,2002:float")
        #expect(node.kindDescription == "a number")
    }

    @Test(".nan, .NaN and .NAN are the float NaN", arguments: [".nan", ".NaN", ".NAN"])
    func nan(_ text: String) throws {
        let node = try resolved(text)
        #expect(node.double?.isNaN == true)
        #expect(node.tag == "tag:yaml.org,2002:float")
    }

    @Test(
        "what only resembles a number, null or boolean stays a string",
        arguments: [
            "1_000", "0b101", "+0x1F", "-0o7", "0o8", "0x", "0o", "1.2.3", "12e", "e3", ".", "+", "--", "..inf", "inf",
            "nan", "NaN", ".NaN.", "0x1G", "1 2", "2024-02-29", "12:30", "~~", "nulls", "truely", "Geneva",
        ])
    func lookalikes(_ text: String) throws {
        let node = try resolved(text)
        #expect(node.scalar?.value == .string(text))
        #expect(node.tag == "tag:yaml.org,2002:str")
    }

    @Test("an untagged integer too large for Int becomes a float")
    func hugeInteger() throws {
        #expect(try resolved("123456789012345678901234567890").double == 123456789012345678901234567890.0)
        #expect(try resolved("0x10000000000000000").scalar?.value == .float(0x1p64))
        #expect(try resolved("0o2000000000000000000000").scalar?.value == .float(0x1p64))
    }

    @Test(
        "quoted and block scalars are always strings",
        arguments: [
            ("'12'", "12", YAMLScalar.Style.singleQuoted), ("\"true\"", "true", .doubleQuoted),
            ("'~'", "~", .singleQuoted),
            ("\"\"", "", .doubleQuoted), ("|\n  12\n", "12\n", .literal), (">\n  null\n", "null\n", .folded),
        ])
    func quotedAndBlockScalars(_ source: String, _ text: String, _ style: YAMLScalar.Style) throws {
        let node = try resolved(source)
        #expect(node.scalar == YAMLScalar(text: text, style: style, value: .string(text)))
        #expect(node.tag == "tag:yaml.org,2002:str")
        #expect(node.kindDescription == "a string")
    }

    @Test("a plain scalar records the plain style and its text as written")
    func plainStyle() throws {
        let node = try resolved("0x1F")
        #expect(node.scalar?.style == .plain)
        #expect(node.scalar?.text == "0x1F")
    }

    @Test("YAMLScalar(resolving:) applies the same schema as the parser")
    func resolvingInitialiser() {
        #expect(YAMLScalar(resolving: "010").value == .int(10))
        #expect(YAMLScalar(resolving: "yes").value == .string("yes"))
        #expect(YAMLScalar(resolving: "12", style: .doubleQuoted).value == .string("12"))
    }
}
