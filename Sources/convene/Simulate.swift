import ArgumentParser
import ConveneCore
import ConveneKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a whole campaign on a simulated clock over a fresh ledger, applying replies at their times.",
        discussion: """
            Every firing of the workflow's timeline and every reply is met at its own time, in order, \
            from --from (by default the first firing) to --to (by default the end of the last track). \
            Replies come from --replies (a registration export, as for `replies import`), else from \
            simulated-replies.csv beside the workflow, else are made up from --seed. The ledger, the \
            outbox and the artifacts go to --out (by default .convene/simulation/ beside the workflow), \
            emptied first; reply links are signed with a key derived from --seed, so that the same \
            workflow, replies and seed give byte-identical outputs. Ends with a summary per track.
            """)

    @OptionGroup var options: WorkflowOptions
    @Option(help: "The first moment simulated (default: the first firing).") var from: String?
    @Option(help: "The last moment simulated (default: the end of the last track).") var to: String?
    @Option(help: "A CSV export of replies (default: simulated-replies.csv beside the workflow, if any).") var replies: String?
    @Option(help: "Fixes the signing key of reply links, and the replies made up when there is no file.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Where the ledger, outbox and artifacts go (default: .convene/simulation/ beside the workflow).", valueName: "dir"))
    var out: String?
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() throws {
        let (workflow, registry) = try options.load()
        let from = try self.from.map { try parseTime($0, workflow, option: "--from") }
        let to = try self.to.map { try parseTime($0, workflow, option: "--to") }
        if let from, let to, to < from { throw InputError("--to is before --from") }
        let rows: [ReplyImport.Row]
        let fallback = workflow.directory.appendingPathComponent("simulated-replies.csv")
        let file = replies ?? (FileManager.default.fileExists(atPath: fallback.path) ? fallback.path : nil)
        if let file {
            do {
                rows = try ReplyImport.read(URL(fileURLWithPath: file), displayPath: file, workflow: workflow)
            } catch {
                Console.error(error.description)
                throw ExitCode.failure
            }
        } else {
            rows = ReplySample.replies(for: workflow, seed: seed)
        }
        let folder = out.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? workflow.stateDirectory.appendingPathComponent("simulation", isDirectory: true)
        let simulation = Simulation(workflow: workflow, plugins: registry, folder: folder, seed: seed)
        // Progress on a terminal only: piped, the summary alone.
        let terminal = isatty(STDERR_FILENO) != 0 && !json
        let local = LocalTime(timeZone: workflow.event.timeZone)
        let summary: SimulationSummary
        do {
            summary = try simulation.run(replies: rows, from: from, to: to) { day in
                guard terminal else { return }
                let date = String(local.string(from: day.at).prefix(10))
                FileHandle.standardError.write(
                    Data("\r\u{1B}[K\(date): \(day.replies) repl\(day.replies == 1 ? "y" : "ies"), \(day.messages) message\(day.messages == 1 ? "" : "s") (\(day.totalMessages) in all)".utf8))
            }
            if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        } catch {
            if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            Console.out(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            Console.out(summary.table(timeZone: workflow.event.timeZone))
        }
    }
}
