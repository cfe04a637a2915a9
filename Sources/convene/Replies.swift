import ArgumentParser
import ConveneCore
import ConveneKit
import Foundation

struct Replies: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record delegations' replies.",
        subcommands: [Add.self, Import.self, Sample.self]
    )

    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print plausible replies to a workflow's invitations, made up from a seed, as a registration export.",
            discussion: """
                Most delegations reply before the deadline, some after it, some never; most confirm, \
                some decline, some send a substitute; some ask for speaking time, some change their \
                mind. The same workflow and seed give the same file, which `replies import` and \
                `simulate --replies` read.
                """)

        @OptionGroup var options: WorkflowOptions
        @Option(help: "Fixes every choice.") var seed: UInt64 = 1

        func run() throws {
            let (workflow, _) = try options.load()
            let text = ReplySample.csv(ReplySample.replies(for: workflow, seed: seed), workflow: workflow)
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the replies of a registration system's CSV export.",
            discussion: """
                Columns (header row, any order): delegation (or id), track, answer (confirm, decline, \
                substitute) and received (a local date-time in the event's time zone, or ISO 8601 with \
                an offset) are required; speaking (yes/no), speaking_requested, accompanying, substitute_name, substitute_title, \
                substitute_rank and document are read when present. Every row is checked first: one bad \
                row records nothing. Rows the ledger already holds are skipped, so a file may be imported \
                again.
                """)

        @OptionGroup var options: WorkflowOptions
        @OptionGroup var state: StateOptions
        @Argument(help: "The CSV file.") var file: String
        @Option(help: "Who imported it.") var by: String

        func run() throws {
            let (workflow, _) = try options.load()
            let rows: [ReplyImport.Row]
            do {
                rows = try ReplyImport.read(URL(fileURLWithPath: file), displayPath: file, workflow: workflow)
            } catch {
                Console.error(error.description)
                throw ExitCode.failure
            }
            let now = Date()
            let ledger = try state.openLedger(workflow)
            do {
                try ledger.bind(workflowID: workflow.id)
                try ledger.syncRoster(workflow.delegations, digest: workflow.rosterDigest, at: now)
                let (recorded, skipped) = try ledger.importReplies(
                    rows.map { ($0.delegation, $0.reply, $0.document) }, enteredBy: by, at: now)
                var summary = "recorded \(recorded.count) repl\(recorded.count == 1 ? "y" : "ies") from \(file)"
                if skipped > 0 { summary += "; \(skipped) already in the ledger" }
                Console.out(summary)
            } catch {
                Console.error("error: \(error)")
                throw ExitCode.failure
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a reply entered by staff from a letter or a note verbale.")

        @OptionGroup var options: WorkflowOptions
        @OptionGroup var state: StateOptions
        @Option(help: "The delegation's id.") var delegation: String
        @Option(help: "The track replied for.") var track: String
        @Option(help: "confirm, decline or substitute.") var answer: String
        @Flag(help: "Speaking time is requested.") var speaking = false
        @Option(help: "When speaking time was requested, if not when the reply was received (default: kept from the previous request).") var speakingRequested: String?
        @Option(help: "How many persons accompany the delegate, where the track allows.") var accompanying = 0
        @Option(help: "When the reply was received (default: now).") var received: String?
        @Option(help: "Who entered it.") var by: String
        @Option(help: "The document it comes from (a note verbale's reference).") var document: String?
        @Option(help: "The substitute's name, for substitute.") var substituteName: String?
        @Option(help: "The substitute's title.") var substituteTitle: String?
        @Option(help: "The substitute's rank.") var substituteRank: String?

        func run() throws {
            let (workflow, _) = try options.load()
            guard let trackInfo = workflow.track(track) else {
                throw InputError("unknown track '\(track)'; the workflow has \(workflow.tracks.map(\.id).joined(separator: ", "))")
            }
            if let problem = ReplyImport.accompanyingProblem(accompanying, on: trackInfo) {
                throw InputError("--accompanying: \(problem)")
            }
            guard workflow.delegations.contains(where: { $0.id == delegation }) else {
                throw InputError("no delegation '\(delegation)' in the roster")
            }
            guard let answer = ReplyAnswer(rawValue: answer) else {
                throw InputError("--answer must be confirm, decline or substitute, not '\(answer)'")
            }
            var substitute: Principal?
            if answer == .substitute {
                guard let name = substituteName else { throw InputError("--substitute-name is required with --answer substitute") }
                substitute = Principal(name: name, title: substituteTitle ?? "", gender: .unspecified, rank: substituteRank)
            }
            let now = Date()
            let received = try self.received.map { try parseTime($0, workflow, option: "--received") } ?? now
            let speakingAt = try speakingRequested.map { try parseTime($0, workflow, option: "--speaking-requested") }
            if speakingAt != nil, !speaking { throw InputError("--speaking-requested needs --speaking") }
            if let speakingAt, speakingAt > received { throw InputError("--speaking-requested: speaking time cannot be requested after the reply was received") }
            let ledger = try state.openLedger(workflow)
            do {
                try ledger.bind(workflowID: workflow.id)
                try ledger.syncRoster(workflow.delegations, digest: workflow.rosterDigest, at: now)
                var reply = Reply(
                    sequence: 0, track: track, answer: answer, speakingRequested: speaking, receivedAt: received, source: "staff",
                    substitute: substitute)
                reply.accompanying = accompanying
                reply.speakingRequestedAt = speakingAt
                let stored = try ledger.record(reply: reply, delegation: delegation, enteredBy: by, document: document, at: now)
                Console.out("recorded reply #\(stored.sequence): \(delegation) \(answer.rawValue) on \(track)")
            } catch {
                Console.error("error: \(error)")
                throw ExitCode.failure
            }
        }
    }
}
