public import Foundation
public import Testing

/// Compares a rendered text (a letter, a chart, a badge sheet) with its reviewed snapshot, a file
/// in the `Fixtures/` resources of the calling test target.
///
/// With `CONVENE_RECORD_SNAPSHOTS=1` in the environment it writes the text to the `Fixtures/`
/// folder beside the calling test file instead, for review in the diff. The test target copies
/// that folder as resources: `.testTarget(…, resources: [.copy("Fixtures")])`.
/// - Parameters:
///   - text: what the test rendered.
///   - name: the snapshot's file name.
///   - bundle: the test target's resources (`Bundle.module`).
/// - Throws: when a snapshot cannot be read or recorded.
public func expectSnapshot(
    _ text: String, named name: String, in bundle: Bundle, sourceFile: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    if ProcessInfo.processInfo.environment["CONVENE_RECORD_SNAPSHOTS"] == "1" {
        let folder = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().appendingPathComponent("Fixtures")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return
    }
    guard let url = bundle.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
        Issue.record("no snapshot \(name); record it with CONVENE_RECORD_SNAPSHOTS=1 and review it", sourceLocation: sourceLocation)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(text == expected, "\(name) differs from its reviewed snapshot", sourceLocation: sourceLocation)
}
