import ConveneYAML
import Testing

@Suite("Duplicate keys")
struct DuplicateKeyTests {
    @Test("a duplicate key is an error at the second key, naming the first key's line")
    func duplicate() throws {
        let error = try #require(parseError("name: a\nwhen: x\nname: b\n"))
        #expect(error.code == .duplicateKey)
        #expect(error.location == at(3, 1))
        #expect(error.message == "duplicate key 'name' (first defined at line 1)")
    }

    @Test("a duplicate key in a nested flow mapping is located precisely")
    func flowDuplicate() throws {
        let error = try #require(parseError("steps:\n  - with: {a: 1, b: 2, a: 3}\n"))
        #expect(error.code == .duplicateKey)
        #expect(error.location == at(2, 24))
        #expect(error.message.contains("line 2"))
    }

    @Test(
        "keys that resolve to the same value are duplicates",
        arguments: [
            ("1", "01"), ("1", "0x1"), ("1", "!!int '1'"), ("~", "null"), ("true", "True"),
            ("a", "'a'"), ("a", "\"a\""),
        ])
    func sameValue(_ first: String, _ second: String) throws {
        let error = try #require(parseError("\(first): x\n\(second): y\n"))
        #expect(error.code == .duplicateKey)
        #expect(error.location == at(2, 1))
    }

    @Test(
        "keys of different types are distinct, even when written alike",
        arguments: [("1", "'1'"), ("true", "'true'"), ("1", "1.0")])
    func differentTypes(_ first: String, _ second: String) throws {
        let root = try document("\(first): x\n\(second): y\n")
        #expect(root.mapping?.count == 2)
    }

    @Test("equal complex keys are duplicates")
    func complexKeys() throws {
        let error = try #require(parseError("? [a, b]\n: 1\n? [a, b]\n: 2\n"))
        #expect(error.code == .duplicateKey)
        #expect(error.location == at(3, 3))
    }

    @Test("two merge keys in one mapping are duplicates")
    func twoMergeKeys() throws {
        let error = try #require(parseError("a: &a {x: 1}\nm:\n  <<: *a\n  <<: *a\n"))
        #expect(error.code == .duplicateKey)
        #expect(error.location == at(4, 3))
    }
}
