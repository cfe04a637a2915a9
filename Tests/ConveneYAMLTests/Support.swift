import ConveneYAML
import Foundation
import Testing

/// The file name every test document is parsed under.
let testFile = "test.yaml"

/// Parses a text that must hold one document.
func document(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> YAMLNode {
    try #require(try YAMLParser.parse(text, file: testFile), sourceLocation: sourceLocation)
}

/// The value node of `v: <text>`, to see how a scalar written in a block mapping resolves.
func resolved(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> YAMLNode {
    try #require(try document("v: \(text)\n", sourceLocation: sourceLocation)["v"], sourceLocation: sourceLocation)
}

/// The error that parsing `text` must throw.
@discardableResult
func parseError(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> YAMLError? {
    #expect(throws: YAMLError.self, sourceLocation: sourceLocation) { try YAMLParser.parse(text, file: testFile) }
}

/// A location in the test file.
func at(_ line: Int, _ column: Int) -> ConveneYAML.SourceLocation {
    ConveneYAML.SourceLocation(file: testFile, line: line, column: column)
}

/// The text of a file under the test target's `Fixtures/` folder.
func fixture(_ name: String) throws -> String {
    let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    return try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
}

extension YAMLNode {
    /// The scalar texts of a sequence, for compact expectations.
    var texts: [String]? { sequence?.map { $0.scalar?.text ?? "?" } }

    /// The scalar key texts of a mapping, in order.
    var keys: [String]? { mapping?.map { $0.key.scalar?.text ?? "?" } }
}
