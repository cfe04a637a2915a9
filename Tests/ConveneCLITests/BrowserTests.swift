import Foundation
import Testing

/// The reply page in a real browser: Debian's chromium driven through chromedriver by selenium
/// (Tests/ConveneCLITests/Fixtures/browser/reply_in_browser.py), against `convene serve`.
@Suite("reply page in a browser")
struct BrowserTests {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"

    /// A free TCP port on loopback.
    static func freePort() throws -> Int {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"]
        let output = Pipe()
        probe.standardOutput = output
        try probe.run()
        probe.waitUntilExit()
        return Int(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 18_080
    }

    @Test("an invitation's link opens the page; the form, filled and sent in the browser, is recorded and then acknowledged")
    func replyInABrowser() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.chromium), "chromium is needed (.ci/run installs it)")
        try #require(FileManager.default.isExecutableFile(atPath: Self.chromedriver), "chromedriver is needed (.ci/run installs it)")
        let port = try Self.freePort()
        let w = try CLI.copy(CLI.fixture("mini"), into: try CLI.temporaryDirectory())
        let file = w.appendingPathComponent("workflow.yaml")
        let yaml = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "tracks:\n", with: "reply-page:\n  url: http://127.0.0.1:\(port)/reply/mini\ntracks:\n")
            .replacingOccurrences(of: "languages: [en, fr]", with: "languages: [en, fr, ar]")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let keys = try CLI.temporaryDirectory().appendingPathComponent("keys")
        let environment = ["CONVENE_KEYS": keys.path, "CONVENE_ADMIN_TOKEN": "admin-token"]
        var r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"], environment: environment)
        #expect(r.status == 0, "\(r.stderr)")

        // France's link, from its invitation.
        let eml = try String(contentsOf: w.appendingPathComponent(".convene/outbox/invite-at-FRA.eml"), encoding: .utf8)
            .replacingOccurrences(of: "=\r\n", with: "")
        let pattern = try Regex("http://127\\.0\\.0\\.1:[0-9]+/reply/mini/FRA\\.[0-9]+\\.[A-Za-z0-9_-]{43}")
        let link = try #require(eml.firstMatch(of: pattern).map { String(eml[$0.range]) })
        func linkOf(_ delegation: String) throws -> String {
            let text = try String(contentsOf: w.appendingPathComponent(".convene/outbox/invite-at-\(delegation).eml"), encoding: .utf8)
                .replacingOccurrences(of: "=\r\n", with: "")
            // Arabic letters are base64-encoded: decode the parts to find the link.
            var runs: [String] = [], run = ""
            for line in text.split(separator: "\r\n", omittingEmptySubsequences: false) {
                if !line.isEmpty, line.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) }) {
                    run += line
                } else if !run.isEmpty {
                    runs.append(run)
                    run = ""
                }
            }
            let decoded = runs.compactMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }.joined() + text
            let any = try Regex("http://127\\.0\\.0\\.1:[0-9]+/reply/mini/\(delegation)\\.[0-9]+\\.[A-Za-z0-9_-]{43}")
            return try #require(decoded.firstMatch(of: any).map { String(decoded[$0.range]) })
        }
        let screenshots = CLI.packageRoot.appendingPathComponent(".build/screenshots")

        let server = Process()
        server.executableURL = CLI.executable
        server.arguments = ["serve", w.path, "--port", String(port), "--now", "2024-02-10T12:00"]
        var serverEnvironment = ProcessInfo.processInfo.environment
        for (key, value) in environment { serverEnvironment[key] = value }
        server.environment = serverEnvironment
        let serverOutput = Pipe()
        server.standardOutput = serverOutput
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        // Wait until it listens: it prints its address first.
        var started = Data()
        while !String(decoding: started, as: UTF8.self).contains("organisers' view") {
            let chunk = serverOutput.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            started += chunk
        }
        usleep(300_000)

        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        browser.arguments = [
            "python3", CLI.fixture("browser/reply_in_browser.py").path, link, "--driver", Self.chromedriver, "--browser", Self.chromium,
            "--other", try linkOf("GBR"), "--arabic", try linkOf("EGY"), "--admin", "http://127.0.0.1:\(port)/admin?token=admin-token",
            "--screenshots", screenshots.path,
        ]
        let output = Pipe()
        browser.standardOutput = output
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        let result = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        browser.waitUntilExit()
        #expect(browser.terminationStatus == 0, "\(result)")
        #expect(result.contains("\"language\": \"fr\""), "\(result)")
        #expect(result.contains("réponse a été enregistrée"), "\(result)")
        #expect(result.contains("\"replayed\": 403") && result.contains("\"arabic\": \"rtl\"") && result.contains("\"admin\": true"), "\(result)")
        for name in ["reply-page-fr.png", "reply-page-ar.png", "admin-fr.png", "admin-ar.png"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: screenshots.appendingPathComponent(name).path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "screenshot \(name)")
        }

        // The replies are in the ledger with the provenance web; the next run acknowledges them.
        r = try CLI.run(["history", w.path, "--delegation", "FRA", "--json"], environment: environment)
        #expect(r.stdout.contains("via web"), "\(r.stdout)")
        r = try CLI.run(["run", w.path, "--now", "2024-02-10T12:05"], environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        let acknowledgements = try FileManager.default.contentsOfDirectory(atPath: w.appendingPathComponent(".convene/outbox").path)
            .filter { $0.hasPrefix("acknowledge-") && $0.contains("-FRA") }
        #expect(acknowledgements.count == 2)
    }
}
