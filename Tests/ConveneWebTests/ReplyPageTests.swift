import ConveneCore
import ConveneKit
import ConveneWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("reply page")
struct ReplyPageTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The mini workflow with a reply page, its invitations sent, and a server for it.
    struct Campaign {
        var workflow: Workflow
        var ledger: Ledger
        var links: ReplyLinks
        var now: Date

        func server(at now: Date? = nil) -> ReplyServer {
            let at = now ?? self.now
            return ReplyServer(workflow: workflow, ledger: ledger, links: links, clock: { at })
        }

        func token(_ delegation: String) -> String {
            links.token(for: delegation, expires: workflow.replyPage!.expires)
        }
    }

    static func campaign() throws -> Campaign {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("convene-web-\(UUID().uuidString)")
        let source = packageRoot.appendingPathComponent("Tests/ConveneCLITests/Fixtures/mini")
        try FileManager.default.copyItem(at: source, to: folder)
        let file = folder.appendingPathComponent("workflow.yaml")
        let yaml = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "tracks:\n", with: "reply-page:\n  url: https://convene.example.org/reply/mini\ntracks:\n")
            .replacingOccurrences(of: "    capacity: 2\n", with: "    capacity: 2\n    accompanying: 2\n")
            .replacingOccurrences(of: "languages: [en, fr]", with: "languages: [en, fr, ar]")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let plugins = PluginRegistry(searchPath: PluginRegistry.searchPath())
        let workflow = try WorkflowLoader(plugins: plugins).load(folder.path).workflow
        let ledger = try Ledger(url: folder.appendingPathComponent(".convene/ledger.sqlite"))
        let keys = SigningKeyStore(directory: folder.deletingLastPathComponent().appendingPathComponent("keys-\(UUID().uuidString)"))
        let engine = Engine(
            workflow: workflow, plugins: plugins, ledger: ledger, outbox: FileOutbox(directory: folder.appendingPathComponent(".convene/outbox")),
            artifactsDirectory: folder.appendingPathComponent(".convene/artifacts"), signingKeys: keys)
        let local = LocalTime(timeZone: workflow.event.timeZone)
        _ = try engine.tick(now: local.date(from: "2024-02-02T10:00")!)
        let links = try #require(try engine.replyLinks())
        return Campaign(workflow: workflow, ledger: ledger, links: links, now: local.date(from: "2024-02-10T12:00")!)
    }

    func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    @Test("a personal link opens a page in the delegation's language with a form per track it was invited to")
    func opensThePage() async throws {
        let campaign = try Self.campaign()
        let app = Application(router: campaign.server().router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/reply/mini/\(campaign.token("FRA"))", method: .get) { response in
                #expect(response.status == .ok)
                let page = text(response)
                #expect(page.contains("<html lang=\"fr\">"))
                #expect(page.contains("<h1>Mini-sommet</h1>"))
                #expect(page.contains("<legend>Plénière</legend>") && page.contains("<legend>Table ronde</legend>"))
                #expect(page.contains("name=\"round-table.accompanying\" min=\"0\" max=\"2\""))
                #expect(page.contains("name=\"form-token\""))
                #expect(page.contains("<label for=\"plenary-name\">Nom de la personne qui participera</label>"))
            }
            // Arabic reads right to left.
            try await client.execute(uri: "/reply/mini/\(campaign.token("EGY"))", method: .get) { response in
                #expect(text(response).contains("<html lang=\"ar\" dir=\"rtl\">"))
            }
        }
    }

    @Test("a reply sent through the form is recorded with the provenance web, and shown back")
    func recordsAReply() async throws {
        let campaign = try Self.campaign()
        let app = Application(router: campaign.server().router())
        try await app.test(.router) { client in
            var formToken = ""
            try await client.execute(uri: "/reply/mini/\(campaign.token("FRA"))", method: .get) { response in
                let page = text(response)
                let range = try #require(page.range(of: "name=\"form-token\" value=\""))
                formToken = String(page[range.upperBound...].prefix { $0 != "\"" })
            }
            let body = [
                "form-token=\(formToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                "plenary.answer=confirm", "plenary.speaking=yes",
                "round-table.answer=substitute", "round-table.substitute_name=Jeanne+Dupont", "round-table.substitute_title=Ambassadrice",
                "round-table.substitute_rank=head-of-delegation", "round-table.accompanying=1",
            ].joined(separator: "&")
            try await client.execute(
                uri: "/reply/mini/\(campaign.token("FRA"))", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .ok)
                let page = text(response)
                #expect(page.contains("Merci : votre réponse a été enregistrée."))
                #expect(page.contains("Enregistré à ce jour : Je me ferai représenter (Jeanne Dupont)"))
            }
        }
        let states = try campaign.ledger.states(tracks: ["plenary", "round-table"])["FRA"]
        #expect(states?["plenary"]?.reply?.answer == .confirm && states?["plenary"]?.reply?.speakingRequested == true)
        let substitute = try #require(states?["round-table"]?.reply)
        #expect(substitute.source == "web" && substitute.substitute?.name == "Jeanne Dupont" && substitute.accompanying == 1)
        #expect(substitute.receivedAt == campaign.now)
        let trail = try campaign.ledger.auditTrail(delegation: "FRA").filter { $0.action == "reply" }
        #expect(trail.count == 2 && trail.allSatisfy { $0.actor == "web" })
    }

    @Test("an altered, foreign or expired link gets a page that says so and shows no data; a form without its token, or too large, is refused")
    func refusals() async throws {
        let campaign = try Self.campaign()
        let token = campaign.token("FRA")
        let altered = String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A")
        let app = Application(router: campaign.server().router())
        try await app.test(.router) { client in
            for bad in [altered, "FRA.1.xyz", "not-a-token", campaign.token("GBR").replacingOccurrences(of: "GBR", with: "FRA")] {
                try await client.execute(uri: "/reply/mini/\(bad)", method: .get) { response in
                    #expect(response.status == .notFound, "\(bad)")
                    let page = text(response)
                    // In the event's fallback language: an invalid link says nothing of whose it was.
                    #expect(page.contains("This link is not valid."))
                    #expect(!page.contains("France") && !page.contains("<form"))
                }
            }
            try await client.execute(
                uri: "/reply/mini/\(token)", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "plenary.answer=decline")
            ) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(
                uri: "/reply/mini/\(token)", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: String(repeating: "x", count: ReplyServer.bodyLimit + 1))
            ) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
        #expect(try campaign.ledger.states(tracks: ["plenary"])["FRA"]?["plenary"]?.reply == nil, "nothing recorded")

        // After the link's expiry (30 days after the deadline), a clear page and no data.
        let late = Application(router: campaign.server(at: campaign.workflow.replyPage!.expires.addingTimeInterval(60)).router())
        try await late.test(.router) { client in
            try await client.execute(uri: "/reply/mini/\(token)", method: .get) { response in
                #expect(response.status == .gone)
                #expect(text(response).contains("This link has expired.") && !text(response).contains("<form"))
            }
        }
    }

    @Test("the organisers' view needs its token, and shows the counts per track and the replies")
    func adminView() async throws {
        let campaign = try Self.campaign()
        try campaign.ledger.record(
            reply: Reply(sequence: 0, track: "plenary", answer: .decline, receivedAt: campaign.now, source: "web"), delegation: "GBR",
            enteredBy: "web", document: nil, at: campaign.now)
        let app = Application(router: campaign.server().router(adminToken: "s3cret"))
        try await app.test(.router) { client in
            for uri in ["/admin", "/admin?token=wrong", "/admin/artifacts/seating-round-table.csv?token=wrong"] {
                try await client.execute(uri: uri, method: .get) { response in #expect(response.status == .forbidden, "\(uri)") }
            }
            try await client.execute(uri: "/admin?token=s3cret", method: .get) { response in
                #expect(response.status == .ok)
                let page = text(response)
                #expect(page.contains("<tr><th scope=\"row\">Plenary</th><td>0</td><td>4</td>"), "4 invited on the plenary")
                #expect(page.contains("<td>United Kingdom</td><td>plenary</td><td>decline</td>"))
            }
            try await client.execute(uri: "/admin/artifacts/nothing.csv?token=s3cret", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
