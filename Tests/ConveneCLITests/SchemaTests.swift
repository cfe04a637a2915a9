import Foundation
import Testing

@Suite("convene schema")
struct SchemaTests {
    /// Runs the schema validator (Python's jsonschema, YAML 1.2 core schema) on workflows.
    func validate(_ schema: URL, _ workflows: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", CLI.fixture("schema/validate.py").path, schema.path] + workflows
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test("every workflow under workflows/ validates against the schema; a bad one is flagged where an editor would flag it")
    func workflowsValidate() throws {
        // The reference workflow uses the badges example, which must be on the path.
        let r = try CLI.run(["schema"], environment: try CLI.referenceEnvironment())
        #expect(r.status == 0, "\(r.stderr)")
        let schema = try CLI.temporaryDirectory().appendingPathComponent("workflow.schema.json")
        try r.stdout.write(to: schema, atomically: true, encoding: .utf8)
        // Every plugin's configuration is in it.
        #expect(r.stdout.contains("\"const\" : \"seat@1\"") && r.stdout.contains("Seed of the draw by lot"))

        let folder = CLI.packageRoot.appendingPathComponent("workflows")
        let workflows = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            .map { folder.appendingPathComponent($0).appendingPathComponent("workflow.yaml").path }
            .filter { FileManager.default.fileExists(atPath: $0) }
        #expect(!workflows.isEmpty)
        let good = try validate(schema, workflows + [CLI.fixture("mini/workflow.yaml").path])
        #expect(good.status == 0, "\(good.output)")

        let bad = try validate(schema, [CLI.fixture("bad-workflow/workflow.yaml").path])
        #expect(bad.status == 1)
        for line in [
            "steps/0/uses: 'invit@1' is not one of", "steps/1: Additional properties are not allowed ('whne' was unexpected)",
            "steps/3/with: Additional properties are not allowed ('sed' was unexpected)", "tracks/workshop/access: 'private' is not one of",
        ] {
            #expect(bad.output.contains(line), "missing: \(line)\n\(bad.output)")
        }
    }
}
