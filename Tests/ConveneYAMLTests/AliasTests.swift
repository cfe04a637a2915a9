import ConveneYAML
import Testing

@Suite("Anchors and aliases")
struct AliasTests {
    @Test("an alias expands to a copy of the anchored node")
    func expansion() throws {
        let root = try document(
            """
            base: &base
              channel: outbox
              languages: [fr, en]
            copy: *base
            name: &n Geneva
            again: *n
            """)
        #expect(root["copy"]?.content == root["base"]?.content)
        #expect(root["copy"]?["languages"]?.texts == ["fr", "en"])
        #expect(root["again"]?.string == "Geneva")
    }

    @Test("an expanded alias is located at the alias, its inner nodes where they were written")
    func aliasLocation() throws {
        let root = try document("base: &b {x: 1}\ncopy: *b\n")
        #expect(root["copy"]?.location == at(2, 7))
        #expect(root["copy"]?["x"]?.location == at(1, 14))
    }

    @Test("a later anchor with the same name shadows the earlier one for later aliases")
    func shadowing() throws {
        let root = try document("- &a first\n- *a\n- &a second\n- *a\n")
        #expect(root.texts == ["first", "first", "second", "second"])
    }

    @Test("an anchor redefined inside its own collection is the one later aliases see")
    func innerShadowing() throws {
        let root = try document("- &a [&a inner, *a]\n- *a\n")
        #expect(root.sequence?[0].texts == ["inner", "inner"])
        #expect(root.sequence?[1].string == "inner")
    }

    @Test("an undefined alias is an error at the alias, with a suggestion")
    func undefinedAlias() throws {
        let error = try #require(parseError("defaults: &defaults {a: 1}\nwith: *defualts\n"))
        #expect(error.code == .undefinedAlias)
        #expect(error.location == at(2, 7))
        #expect(error.message == "undefined alias 'defualts' (did you mean 'defaults'?)")
    }

    @Test("an alias used before its anchor is undefined")
    func aliasBeforeAnchor() throws {
        let error = try #require(parseError("a: *x\nb: &x 1\n"))
        #expect(error.code == .undefinedAlias)
        #expect(error.location == at(1, 4))
    }

    @Test("an alias inside the collection it names is refused")
    func recursiveAlias() throws {
        let error = try #require(parseError("a: &loop\n  self: *loop\n"))
        #expect(error.code == .recursiveAlias)
        #expect(error.location == at(2, 9))
    }

    @Test("a billion laughs document fails in milliseconds, at the alias that crosses the cap")
    func billionLaughs() throws {
        let text = try fixture("billion-laughs.yaml")
        let clock = ContinuousClock()
        var error: YAMLError?
        let elapsed = clock.measure { error = parseError(text) }
        #expect(error?.code == .aliasExpansionLimit)
        #expect(error?.message == "document expands aliases into more than 100000 nodes")
        #expect(error?.location == at(7, 8))
        #expect(elapsed < .milliseconds(50))
    }

    @Test("a deep chain of aliases of aliases is capped too")
    func aliasChain() throws {
        var text = "a0: &a0 [x, x]\n"
        for level in 1...40 { text += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]\n" }
        let error = try #require(parseError(text))
        #expect(error.code == .aliasExpansionLimit)
    }

    @Test("expansion below the cap is accepted")
    func belowCap() throws {
        let items = Array(repeating: "x", count: 999).joined(separator: ", ")
        var text = "list: &l [\(items)]\ncopies:\n"
        for _ in 0..<99 { text += "  - *l\n" }  // 99 × 1,000 nodes = 99,000
        let root = try document(text)
        #expect(root["copies"]?.sequence?.count == 99)
        #expect(root["copies"]?.sequence?.last?.sequence?.count == 999)
        #expect(YAMLParser.aliasExpansionLimit == 100_000)
    }
}
