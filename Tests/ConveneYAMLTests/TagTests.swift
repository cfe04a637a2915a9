import ConveneYAML
import Testing

@Suite("Explicit tags")
struct TagTests {
    @Test("!!str, !!int, !!float, !!bool and !!null are honoured whatever the quoting")
    func coreTags() throws {
        let root = try document(
            """
            str: !!str 12
            int: !!int "12"
            octal: !!int 0o17
            float: !!float 1
            real: !!float '2.5'
            bool: !!bool "true"
            null: !!null ''
            verbatim: !<tag:yaml.org,2002:int> 7
            """)
        #expect(root["str"]?.scalar?.value == .string("12"))
        #expect(root["str"]?.tag == "tag:yaml.org,2002:str")
        #expect(root["int"]?.scalar?.value == .int(12))
        #expect(root["int"]?.tag == "tag:yaml.org,2002:int")
        #expect(root["octal"]?.int == 15)
        #expect(root["float"]?.scalar?.value == .float(1))
        #expect(root["float"]?.tag == "tag:yaml.org,2002:float")
        #expect(root["real"]?.double == 2.5)
        #expect(root["bool"]?.scalar?.value == .bool(true))
        #expect(root["null"]?.scalar?.value == .null)
        #expect(root["null"]?.tag == "tag:yaml.org,2002:null")
        #expect(root["verbatim"]?.int == 7)
    }

    @Test("an explicit !!int on a non-integer is an error at the node")
    func intMismatch() throws {
        let error = try #require(parseError("retries: 3\ncount: !!int twelve\n"))
        #expect(error.code == .invalidTaggedValue)
        #expect(error.location == at(2, 8))
        #expect(error.message == "'twelve' is not an integer, but is tagged !!int")
        #expect(error.description == "test.yaml:2:8: error: 'twelve' is not an integer, but is tagged !!int")
    }

    @Test(
        "a value that does not fit its explicit core tag is refused",
        arguments: ["!!int 1.5", "!!int yes", "!!float abc", "!!bool yes", "!!bool 1", "!!null x", "!!null 0"])
    func mismatches(_ text: String) throws {
        let error = try #require(parseError("v: \(text)"))
        #expect(error.code == .invalidTaggedValue)
        #expect(error.location == at(1, 4))
    }

    @Test("an explicit !!int too large for Int is refused")
    func intOverflow() throws {
        let error = try #require(parseError("v: !!int 99999999999999999999"))
        #expect(error.code == .invalidTaggedValue)
        #expect(error.message.contains("does not fit"))
    }

    @Test("!!seq and !!map must tag a list and a mapping")
    func collectionTags() throws {
        let root = try document("a: !!seq [1]\nb: !!map {x: 1}\n")
        #expect(root["a"]?.tag == "tag:yaml.org,2002:seq")
        #expect(root["b"]?.tag == "tag:yaml.org,2002:map")

        for text in ["v: !!map [1]", "v: !!seq {a: 1}", "v: !!str [1]", "v: !!seq x", "v: !!map x"] {
            let error = try #require(parseError(text))
            #expect(error.code == .invalidTaggedValue)
            #expect(error.location == at(1, 4))
        }
    }

    @Test("unknown local tags are kept and resolved as strings")
    func localTags() throws {
        let root = try document("password: !secret 1234\nlist: !pairs [a, b]\n")
        #expect(root["password"]?.tag == "!secret")
        #expect(root["password"]?.scalar?.value == .string("1234"))
        #expect(root["list"]?.tag == "!pairs")
        #expect(root["list"]?.texts == ["a", "b"])
    }

    @Test("the non-specific tag ! makes a plain scalar a string")
    func nonSpecificTag() throws {
        let node = try resolved("! 12")
        #expect(node.scalar?.value == .string("12"))
        #expect(node.tag == "tag:yaml.org,2002:str")
    }

    @Test("untagged nodes get the resolved core tag")
    func resolvedTags() throws {
        let root = try document("a: [x]\nb: {y: 1}\nc: x\n")
        #expect(root.tag == "tag:yaml.org,2002:map")
        #expect(root["a"]?.tag == "tag:yaml.org,2002:seq")
        #expect(root["b"]?["y"]?.tag == "tag:yaml.org,2002:int")
        #expect(root["c"]?.tag == "tag:yaml.org,2002:str")
    }

    @Test("a tag directive's handle is expanded")
    func tagDirective() throws {
        let root = try document("%TAG !c! tag:convene.example,2024:\n---\nv: !c!secret x\n")
        #expect(root["v"]?.tag == "tag:convene.example,2024:secret")
    }
}
