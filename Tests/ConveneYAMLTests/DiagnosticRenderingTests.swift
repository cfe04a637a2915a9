import ConveneYAML
import Testing

@Suite("Diagnostics rendered with their line and caret")
struct DiagnosticRenderingTests {
    @Test("a line of a CRLF text is found and shown without its line end")
    func crlf() {
        let d = Diagnostic(at: SourceLocation(file: "w.yaml", line: 2, column: 3), "bad")
        #expect(d.rendered(source: "a: 1\r\nb: 2\r\nc: 3\r\n") == "w.yaml:2:3: error: bad\n2 | b: 2\n  |   ^")
    }

    @Test("a very long line is shown around the caret, which stays under its column")
    func longLine() {
        let line = String(repeating: "a", count: 500_000) + "X" + String(repeating: "b", count: 500_000)
        let d = Diagnostic(at: SourceLocation(file: "w.yaml", line: 1, column: 500_001), "bad")
        let rendered = d.rendered(source: line).split(separator: "\n")
        #expect(rendered.count == 3)
        #expect(rendered[1].count < 140)
        let caret = rendered[2].firstIndex(of: "^").map { rendered[2].distance(from: rendered[2].startIndex, to: $0) }
        let x = rendered[1].firstIndex(of: "X").map { rendered[1].distance(from: rendered[1].startIndex, to: $0) }
        #expect(caret != nil && caret == x)
    }

    @Test("control characters are shown as their pictures")
    func controls() {
        let d = Diagnostic(at: SourceLocation(file: "w.yaml", line: 1, column: 4), "bad")
        #expect(d.rendered(source: "ab\u{0}c") == "w.yaml:1:4: error: bad\n1 | ab\u{2400}c\n  |    ^")
    }
}
