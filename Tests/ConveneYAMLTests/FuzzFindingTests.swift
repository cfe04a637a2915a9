import ConveneYAML
import Testing

/// Inputs the fuzz targets (Fuzz/, see the README's "Fuzzing" section) found, each pinned where
/// it went wrong. The fuzz target checks that every location, of an error or of a node, is a real
/// place in the text: a line the text has, at most one column past that line's end.
@Suite("Fuzz findings")
struct FuzzFindingTests {
    @Test("what is missing at the end of a text without a final line break is placed after its last character")
    func endWithoutLineBreak() throws {
        // libyaml moves its mark to a line after the last at the end of the stream.
        let unclosed = try #require(parseError("a: ["))
        #expect(unclosed.code == .syntax)
        #expect(unclosed.location == at(1, 5))

        let accented = try #require(parseError("é: [ä"))
        #expect(accented.location == at(1, 6))

        let secondLine = try #require(parseError("a: 1\nb: {x"))
        #expect(secondLine.location == at(2, 6))

        // The fuzzer's first finding: `?`, a key with no value, whose empty nodes stood there.
        let root = try document("?")
        #expect(root.location == at(1, 1))
        #expect(root.mapping?[0].key.location == at(1, 2))
        #expect(root.mapping?[0].value.location == at(1, 2))
    }

    @Test("with a final line break, the end of the text is the start of the empty last line")
    func endWithLineBreak() throws {
        let error = try #require(parseError("a: [\n"))
        #expect(error.location == at(2, 1))
    }

    @Test("a control character is placed on the line that libyaml counts, after a lone CR too")
    func readerErrorAfterCarriageReturn() throws {
        // A lone CR ends a line for libyaml, and so for every other location it gives.
        let afterCR = try #require(parseError("\r-\u{4}"))
        #expect(afterCR.code == .syntax)
        #expect(afterCR.location == at(2, 2))
        #expect(afterCR.message == "control characters are not allowed (found U+0004)")

        let afterNEL = try #require(parseError("a: \"x\u{85}\u{4}\"\n"))
        #expect(afterNEL.location == at(2, 1))

        let afterCRLF = try #require(parseError("a: 1\r\nb: \u{4}\r\n"))
        #expect(afterCRLF.location == at(2, 4))
    }

    @Test("a control character's column does not count a byte order mark, as libyaml's columns do not")
    func readerErrorAfterByteOrderMark() throws {
        let error = try #require(parseError("\u{FEFF}a: \u{4}\n"))
        #expect(error.location == at(1, 4))

        let later = try #require(parseError("\u{FEFF}a: 1\nbé: \u{4}\n"))
        #expect(later.location == at(2, 5))
    }
}
