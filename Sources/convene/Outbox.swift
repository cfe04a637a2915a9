import ArgumentParser
import ConveneCore
import ConveneKit
import Foundation

struct Outbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the messages with their delivery state; retry the deferred and failed ones.",
        discussion: """
            States: queued, delivered (to the outbox folder), sending, sent (with the mail server's \
            reply), deferred (refused for now, retried later with backoff) and failed (refused for \
            good, never retried on its own). --retry puts the deferred and failed messages back in \
            the queue and sends them at once; with --dry-run it only says what it would send.
            """)

    @OptionGroup var options: WorkflowOptions
    @OptionGroup var state: StateOptions
    @Option(help: "Only messages in this state.") var only: String?
    @Flag(help: "Put deferred and failed messages back in the queue and deliver them now.") var retry = false
    @Flag(help: "With --retry: list what would be sent, send nothing.") var dryRun = false
    @Option(help: "The clock's time for --retry (default: now).") var now: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (workflow, _) = try options.load()
        if dryRun, !retry { throw InputError("--dry-run goes with --retry") }
        let ledger = try state.openLedger(workflow)
        if retry {
            let now = try self.now.map { try parseTime($0, workflow, option: "--now") } ?? Date()
            let waiting = try ledger.messages().filter { ["deferred", "failed", "queued", "sending"].contains($0.state) }
            if dryRun {
                for m in waiting { Console.out("would send #\(m.sequence) \(m.fileName) (\(m.state))") }
                Console.out("\(waiting.count) message\(waiting.count == 1 ? "" : "s") would be sent; nothing was sent")
                return
            }
            let requeued = try ledger.retry()
            do {
                if let smtp = workflow.smtp {
                    let report = try SMTPDelivery(settings: smtp, sender: workflow.sender.email).deliver(from: ledger, at: now)
                    Console.out("\(requeued) put back in the queue; \(report.sent) sent, \(report.deferred) deferred, \(report.failed) failed")
                } else {
                    let written = try FileOutbox(directory: state.outboxURL(workflow)).deliver(from: ledger, at: now)
                    Console.out("\(requeued) put back in the queue; \(written) delivered to \(state.outboxURL(workflow).path)")
                }
            } catch {
                Console.error("error: \(error)")
                throw ExitCode.failure
            }
            return
        }
        var messages = try ledger.messages()
        if let only { messages = messages.filter { $0.state == only } }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            Console.out(String(decoding: try encoder.encode(messages), as: UTF8.self))
            return
        }
        guard !messages.isEmpty else {
            Console.out("no messages")
            return
        }
        let local = LocalTime(timeZone: workflow.event.timeZone)
        var rows = [["#", "state", "attempts", "delegation", "file", "server's reply / next attempt"]]
        for m in messages {
            var note = m.serverReply ?? ""
            if let next = m.nextAttempt { note += (note.isEmpty ? "" : "; ") + "again at \(local.string(from: next))" }
            rows.append([String(m.sequence), m.state, String(m.attempts), m.delegation, m.fileName, note])
        }
        Console.out(TextTable.render(rows))
    }
}
