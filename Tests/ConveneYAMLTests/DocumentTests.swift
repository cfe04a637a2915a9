import ConveneYAML
import Testing

@Suite("Streams, documents and errors")
struct DocumentTests {
    @Test("a stream without a document parses to nil", arguments: ["", "\n\n", "# only a comment\n", "   "])
    func emptyStream(_ text: String) throws {
        #expect(try YAMLParser.parse(text, file: testFile) == nil)
    }

    @Test("an explicitly empty document is a null node")
    func emptyDocument() throws {
        #expect(try document("---\n").isNull)
        #expect(try document("--- # nothing\n...\n").isNull)
    }

    @Test("a second document is an error at its start")
    func secondDocument() throws {
        let error = try #require(parseError("a: 1\n---\nb: 2\n"))
        #expect(error.code == .multipleDocuments)
        #expect(error.location == at(2, 1))
        #expect(error.message.contains("more than one document"))

        let afterEnd = try #require(parseError("--- a\n...\n--- b\n"))
        #expect(afterEnd.code == .multipleDocuments)
        #expect(afterEnd.location == at(3, 1))
    }

    @Test("a document end marker followed by comments is still one document")
    func documentEndMarker() throws {
        #expect(try document("a: 1\n...\n# trailing\n")["a"]?.int == 1)
    }

    @Test("libyaml's syntax errors carry a 1-based line and column and render with a caret")
    func syntaxError() throws {
        let source = "steps:\n  - uses: a: b\n"
        let error = try #require(parseError(source))
        #expect(error.code == .syntax)
        #expect(error.location == at(2, 12))
        #expect(error.message == "mapping values are not allowed in this context")
        #expect(
            error.diagnostic.rendered(source: source) == """
                test.yaml:2:12: error: mapping values are not allowed in this context
                2 |   - uses: a: b
                  |            ^
                """)
    }

    @Test("libyaml's error context is named with its own line")
    func syntaxErrorContext() throws {
        let error = try #require(parseError("key: [a, b\nother: c\n"))
        #expect(error.code == .syntax)
        #expect(error.location.line == 2)
        #expect(error.message.hasSuffix("(while parsing a flow sequence at line 1, column 6)"))
    }

    @Test("a tab used as indentation is refused where it stands")
    func tabIndentation() throws {
        let error = try #require(parseError("a:\n\tb: 1\n"))
        #expect(error.code == .syntax)
        #expect(error.location == at(2, 1))
    }

    @Test("a control character is refused at its line and column")
    func controlCharacter() throws {
        let error = try #require(parseError("a: 1\nb: x\u{1}y\n"))
        #expect(error.code == .syntax)
        #expect(error.location == at(2, 5))
        #expect(error.message == "control characters are not allowed (found U+0001)")
    }

    @Test("node locations are the 1-based start marks of the nodes")
    func locations() throws {
        let root = try document(
            """
            # comment
            track:
              dates: [2024-05-27, 2024-05-28]
              steps:
                - uses: invite
                  with: !!map
                    a: "x"
            """)
        #expect(root.location == at(2, 1))
        #expect(root["track"]?.location == at(3, 3))
        #expect(root["track"]?["dates"]?.location == at(3, 10))
        #expect(root["track"]?["dates"]?.sequence?[1].location == at(3, 23))
        #expect(root["track"]?["steps"]?.location == at(5, 5))
        #expect(root["track"]?["steps"]?.sequence?[0].location == at(5, 7))
        #expect(root["track"]?["steps"]?.sequence?[0]["with"]?.location == at(6, 13))
        #expect(root["track"]?["steps"]?.sequence?[0]["with"]?["a"]?.location == at(7, 12))
        #expect(root.mapping?[0].key.location == at(2, 1))
    }

    @Test("columns count characters, as the caret of a rendered diagnostic does")
    func unicodeColumns() throws {
        let accented = try document("é: [ä, b]\n")
        #expect(accented["é"]?.sequence?[1].location == at(1, 8))

        // "e" + COMBINING ACUTE ACCENT is two Unicode scalars but one character.
        let combining = try document("ke\u{301}y: [x, y]\n")
        #expect(combining.mapping?[0].value.sequence?[1].location == at(1, 10))

        let emoji = try document("👍🏽: [x]\nnext: [y]\n")
        #expect(emoji.mapping?[0].value.sequence?[0].location == at(1, 5))
        #expect(emoji["next"]?.sequence?[0].location == at(2, 8))

        let source = "name: Ré\u{301}publique\nbad: *nope\n"
        let error = try #require(parseError(source))
        #expect(error.location == at(2, 6))
    }

    @Test("CRLF line endings locate lines and columns as LF does")
    func crlf() throws {
        let root = try document("a: 1\r\nb: [x, y]\r\n")
        #expect(root["b"]?.sequence?[1].location == at(2, 8))
        #expect(root["b"]?.texts == ["x", "y"])
    }

    @Test("collections may nest up to the limit and no deeper")
    func nestingLimit() throws {
        let limit = YAMLParser.nestingLimit
        let deepest = try document(String(repeating: "[", count: limit) + String(repeating: "]", count: limit))
        #expect(deepest.hashValue == deepest.hashValue)
        #expect(deepest == deepest)

        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        let error = try #require(parseError(tooDeep))
        #expect(error.code == .nestingLimit)
        #expect(error.location == at(1, limit + 1))
    }

    @Test("convenience accessors answer for the right kinds only")
    func conveniences() throws {
        let root = try document("name: Geneva\ncount: 3\nok: true\nlist: [a]\nmap: {404: gone}\nnone: ~\n")
        #expect(root["name"]?.string == "Geneva")
        #expect(root["count"]?.string == nil)
        #expect(root["count"]?.int == 3)
        #expect(root["count"]?.double == 3)
        #expect(root["ok"]?.bool == true)
        #expect(root["list"]?.sequence?.count == 1)
        #expect(root["list"]?.mapping == nil)
        #expect(root["list"]?["a"] == nil)
        #expect(root["map"]?["404"]?.string == "gone")
        #expect(root["none"]?.isNull == true)
        #expect(root["missing"] == nil)
        #expect(root["name"]?.scalar?.text == "Geneva")
        #expect(root.kindDescription == "a mapping")
        #expect(root["list"]?.kindDescription == "a list")
        #expect(root["ok"]?.kindDescription == "a boolean")
        #expect(root["name"]?.kindDescription == "a string")
    }

    @Test("the same text parsed twice gives equal trees, and error descriptions print like a compiler's")
    func valueSemantics() throws {
        #expect(try document("a: [1, 2]") == document("a: [1, 2]"))
        #expect(try document("a: [1, 2]") != document("a: [1, 3]"))
        let error = try #require(parseError("a: *x"))
        #expect("\(error)" == "test.yaml:1:4: error: undefined alias 'x'")
        #expect(error.diagnostic.severity == .error)
    }

    @Test("parsing many documents and errors in a row stays correct (events and parsers are freed)")
    func repeatedParses() throws {
        for index in 0..<2_000 {
            #expect(try document("i: \(index)\nlist: [a, b, {c: d}]\n")["i"]?.int == index)
            #expect(throws: YAMLError.self) { try YAMLParser.parse("a: [\(index)", file: testFile) }
        }
    }
}

@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("many tasks may parse at once: the parser keeps no shared state")
    func concurrentParses() async throws {
        let text = try fixture("workflow.yaml")
        let expected = try YAMLParser.parse(text, file: "workflow.yaml")
        let results = await withTaskGroup(of: YAMLNode?.self) { group in
            for _ in 0..<32 { group.addTask { try? YAMLParser.parse(text, file: "workflow.yaml") } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 32)
        #expect(results.allSatisfy { $0 == expected })
    }
}
