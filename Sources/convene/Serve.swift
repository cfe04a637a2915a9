import ArgumentParser
import ConveneCore
import ConveneKit
import ConveneWeb
import Foundation
import Hummingbird

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the reply page: delegations open their personal link, reply, and see what was recorded.",
        discussion: """
            Replies are recorded in the ledger with the provenance `web`; their acknowledgements go \
            out with the next `convene run`. Listens on 127.0.0.1 by default; put a TLS proxy in \
            front of it to serve the reply page's address.
            """)

    @OptionGroup var options: WorkflowOptions
    @OptionGroup var state: StateOptions
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @Option(help: "The clock's time (default: the real one), as 2024-02-10T12:00 in the event's time zone or ISO 8601: to try a campaign's links out.") var now: String?

    func run() throws {
        let (workflow, _) = try options.load()
        guard let replyPage = workflow.replyPage else {
            throw InputError("the workflow has no reply-page: there is nothing to serve")
        }
        let key = try SigningKeyStore.standard().key(for: workflow.id, workflowDirectory: workflow.directory)
        let links = ReplyLinks(page: replyPage.url, key: key, workflowID: workflow.id, eventReference: workflow.event.reference)
        let fixed = try now.map { try parseTime($0, workflow, option: "--now") }
        let server = ReplyServer(workflow: workflow, ledger: try state.openLedger(workflow), links: links, clock: { fixed ?? Date() })
        // The organisers' view: behind a token from the environment, or made now and printed.
        let adminToken = ProcessInfo.processInfo.environment["CONVENE_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (0..<4).map { _ in String(UInt64.random(in: 0 ... .max), radix: 36) }.joined()
        let app = Application(router: server.router(adminToken: adminToken), configuration: .init(address: .hostname(host, port: port)))
        Console.out("serving the reply page of \(workflow.id) on http://\(host):\(port)\(replyPage.url.path)/<token>")
        if ProcessInfo.processInfo.environment["CONVENE_ADMIN_TOKEN"] == nil {
            Console.out("organisers' view: http://\(host):\(port)/admin?token=\(adminToken)")
        } else {
            Console.out("organisers' view: http://\(host):\(port)/admin?token=$CONVENE_ADMIN_TOKEN")
        }
        let finished = DispatchSemaphore(value: 0)
        let failure = Failure()
        Task {
            do { try await app.runService() } catch { failure.set(error) }
            finished.signal()
        }
        finished.wait()
        if let error = failure.get() {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// The error the server stopped with, if any.
    final class Failure: @unchecked Sendable {
        private let lock = NSLock()
        private var error: (any Error)?
        func set(_ error: any Error) { lock.withLock { self.error = error } }
        func get() -> (any Error)? { lock.withLock { error } }
    }
}
