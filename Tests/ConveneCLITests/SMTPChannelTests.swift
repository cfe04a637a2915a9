import Foundation
import Testing

/// The SMTP channel against a real server on loopback: Python's aiosmtpd, started by each test,
/// recording every message it accepts.
@Suite("SMTP channel", .serialized)
struct SMTPChannelTests {
    /// A running SMTP sink; it stops when released (its standard input closes).
    final class Sink {
        let process = Process()
        let input = Pipe()
        let directory: URL
        let port: Int

        init(_ arguments: [String] = []) throws {
            directory = try CLI.temporaryDirectory("smtp-sink").appendingPathComponent("received")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", CLI.fixture("smtp/smtp-sink.py").path, "--dir", directory.path] + arguments
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { break }
                line += chunk
            }
            let text = String(decoding: line, as: UTF8.self)
            guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the SMTP sink did not start: \(text)"])
            }
            self.port = port
        }

        deinit {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }

        /// The messages received, in order.
        func messages() throws -> [(envelope: [String: Any], text: String)] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return try names.filter { $0.hasSuffix(".eml") }.sorted().map { name in
                let base = directory.appendingPathComponent(String(name.dropLast(4)))
                let envelope = try JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathExtension("json"))) as? [String: Any] ?? [:]
                return (envelope, try String(contentsOf: base.appendingPathExtension("eml"), encoding: .utf8))
            }
        }
    }

    /// The mini workflow, sending through the sink.
    func workspace(port: Int, extra: String = "") throws -> URL {
        let w = try CLI.copy(CLI.fixture("mini"), into: try CLI.temporaryDirectory())
        let file = w.appendingPathComponent("workflow.yaml")
        let yaml = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(
            of: "tracks:\n",
            with: "channel:\n  type: smtp\n  host: 127.0.0.1\n  port: \(port)\n  security: none\n  backoff: 1m\n\(extra)tracks:\n")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return w
    }

    func outbox(_ w: URL) throws -> [[String: Any]] {
        let r = try CLI.run(["outbox", w.path, "--json"])
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? []
    }

    @Test("invitations reach the server over one run: the envelope from the sender to To and Cc, the headers, the parts, the server's reply kept")
    func sends() throws {
        let sink = try Sink()
        let w = try workspace(port: sink.port)
        let r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("4 messages sent to 127.0.0.1:\(sink.port)"), "\(r.stdout)")
        let received = try sink.messages()
        #expect(received.count == 4)
        let france = try #require(received.first { $0.text.contains("To: ") && $0.text.contains("minister@fra.example.org") })
        #expect(france.envelope["from"] as? String == "noreply@example.org")
        #expect(Set(france.envelope["to"] as? [String] ?? []) == ["minister@fra.example.org", "focal@fra.example.org", "mission@fra.example.org"])
        #expect(france.text.contains("Subject: =?UTF-8?Q?Invitation=C2=A0=3A_Mini-sommet"), "the French subject is encoded")
        #expect(france.text.contains("multipart/alternative") && france.text.contains("text/calendar"))
        #expect(france.text.contains("Message-ID: <"))
        // Nothing is written to the outbox folder: the server has the messages.
        #expect(!FileManager.default.fileExists(atPath: w.appendingPathComponent(".convene/outbox/invite-at-FRA.eml").path))
        let states = try outbox(w)
        #expect(states.count == 4 && states.allSatisfy { $0["state"] as? String == "sent" })
        #expect((states.first?["serverReply"] as? String)?.hasPrefix("250 2.0.0 Ok: queued as SINK") == true, "\(states)")
        // Nothing twice: a second run sends nothing.
        _ = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"])
        #expect(try sink.messages().count == 4)
    }

    @Test("a server that answers 451 gets the message again after the backoff, with the same Message-ID; 550 fails it for good")
    func deferredThenSent() throws {
        let sink = try Sink(["--defer-first", "1", "--reject", "minister@egy.example.org"])
        let w = try workspace(port: sink.port)
        var r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1 deferred by the server"), "\(r.stdout)")
        #expect(r.stdout.contains("1 refused by the server"), "\(r.stdout)")
        var states = try outbox(w)
        let deferred = try #require(states.first { $0["state"] as? String == "deferred" })
        #expect((deferred["serverReply"] as? String)?.contains("451") == true, "\(deferred)")
        let failed = try #require(states.first { $0["state"] as? String == "failed" })
        #expect(failed["delegation"] as? String == "EGY")
        #expect((failed["serverReply"] as? String)?.contains("550") == true, "\(failed)")
        #expect(try sink.messages().count == 2)

        // Before the backoff has passed, nothing; after it, the deferred message goes.
        r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00:30"])
        #expect(try sink.messages().count == 2)
        r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:05"])
        #expect(r.status == 0, "\(r.stderr)")
        let received = try sink.messages()
        #expect(received.count == 3)
        let ids = received.compactMap { $0.text.split(separator: "\r\n").first { $0.hasPrefix("Message-ID:") } }
        #expect(Set(ids).count == 3)
        states = try outbox(w)
        #expect(states.first { $0["sequence"] as? Int == deferred["sequence"] as? Int }?["state"] as? String == "sent")
        #expect(states.first { $0["sequence"] as? Int == deferred["sequence"] as? Int }?["attempts"] as? Int == 2)
        // The failed one stays failed until an operator retries it.
        #expect(states.first { $0["delegation"] as? String == "EGY" }?["state"] as? String == "failed")
        r = try CLI.run(["outbox", w.path, "--retry", "--dry-run"])
        #expect(r.stdout.contains("would send") && r.stdout.contains("invite-at-EGY.eml"), "\(r.stdout)")
        #expect(try sink.messages().count == 3)
        r = try CLI.run(["outbox", w.path, "--retry", "--now", "2024-02-02T10:10"])
        #expect(r.stdout.contains("1 put back in the queue; 0 sent, 0 deferred, 1 failed"), "\(r.stdout)")
    }

    @Test("an unreachable server defers every message; the password comes from the environment, never the workflow")
    func unreachableAndPassword() throws {
        // A port nothing listens on.
        let closed = try Sink()
        let port = closed.port
        try closed.input.fileHandleForWriting.close()
        closed.process.waitUntilExit()
        let w = try workspace(port: port, extra: "  user: convene\n  password-env: CONVENE_TEST_SMTP_PASSWORD\n")
        var r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("$CONVENE_TEST_SMTP_PASSWORD is not set"), "\(r.stderr)")
        r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"], environment: ["CONVENE_TEST_SMTP_PASSWORD": "secret"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try outbox(w).allSatisfy { $0["state"] as? String == "deferred" })

        let bad = try workspace(port: 25, extra: "  password: secret\n")
        r = try CLI.run(["validate", bad.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("unknown key 'password' in channel"), "\(r.stderr)")
    }

    @Test("at most the rate per minute: 120 a minute sends four messages over at least a second and a half")
    func rate() throws {
        let sink = try Sink()
        let w = try workspace(port: sink.port, extra: "  rate: 120\n")
        let started = Date()
        let r = try CLI.run(["run", w.path, "--now", "2024-02-02T10:00"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try sink.messages().count == 4)
        #expect(Date().timeIntervalSince(started) >= 1.5)
    }

    @Test("runs killed with SIGKILL while sending resend at most the message in flight, with its Message-ID; every message arrives")
    func killedWhileSending() throws {
        let sink = try Sink()
        let w = try workspace(port: sink.port, extra: "  rate: 600\n")
        try CrashSafetyTests.roster(count: 60).write(to: w.appendingPathComponent("roster.csv"), atomically: true, encoding: .utf8)
        let arguments = ["run", w.path, "--now", "2024-02-02T10:00"]
        // 60 messages at 10 a second take six seconds: each kill lands mid-delivery.
        let kills = try CrashSafetyTests.killRepeatedly(arguments, times: 6, seed: 2024) { random in
            0.3 + Double(random % 700_000) / 1_000_000
        }
        #expect(kills >= 4)
        let final = try CLI.run(arguments)
        #expect(final.status == 0, "\(final.stderr)")
        let ids = try sink.messages().compactMap { $0.text.split(separator: "\r\n").first { $0.hasPrefix("Message-ID:") }.map(String.init) }
        #expect(Set(ids).count == 60, "every message arrives")
        #expect(ids.count - 60 <= kills, "at most the message in flight again per kill: \(ids.count - 60) resent, \(kills) kills")
        #expect(try outbox(w).allSatisfy { $0["state"] as? String == "sent" })
    }

    @Test("STARTTLS and implicit TLS, with the server's certificate checked against the configured authority")
    func tls() throws {
        // A certificate for 127.0.0.1, which is its own authority.
        let folder = try CLI.temporaryDirectory("tls")
        let cert = folder.appendingPathComponent("cert.pem"), key = folder.appendingPathComponent("key.pem")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.path, "-out", cert.path, "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)

        for (mode, security) in [("--starttls", "starttls"), ("--tls", "tls")] {
            let sink = try Sink([mode, cert.path, key.path])
            let trusted = try workspace(port: sink.port, extra: "  ca-file: \(cert.path)\n")
            let file = trusted.appendingPathComponent("workflow.yaml")
            try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "security: none", with: "security: \(security)")
                .write(to: file, atomically: true, encoding: .utf8)
            let r = try CLI.run(["run", trusted.path, "--now", "2024-02-02T10:00"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try sink.messages().count == 4, "\(security): \(r.stdout)")
        }
        // Without the authority, the certificate is refused and nothing is sent.
        let sink = try Sink(["--starttls", cert.path, key.path])
        let untrusted = try workspace(port: sink.port)
        let file = untrusted.appendingPathComponent("workflow.yaml")
        try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "security: none", with: "security: starttls")
            .write(to: file, atomically: true, encoding: .utf8)
        _ = try CLI.run(["run", untrusted.path, "--now", "2024-02-02T10:00"])
        #expect(try sink.messages().isEmpty)
        #expect(try outbox(untrusted).allSatisfy { $0["state"] as? String == "deferred" })
    }
}
