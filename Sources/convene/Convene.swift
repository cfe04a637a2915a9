import ArgumentParser
import ConveneCore
import ConveneKit
import ConveneYAML
import Foundation

@main
struct Convene: ParsableCommand {
    /// Runs the command, turning bad input found after parsing into `error: …` and exit status 1.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            exit(withError: error.report())
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "convene",
        abstract: "Run the invite, remind, confirm and seat life cycle of high-level events from YAML workflows.",
        version: conveneVersion,
        subcommands: [Validate.self, Plan.self, Run.self, Simulate.self, Serve.self, Status.self, History.self, Outbox.self, Plugins.self, Plugin.self, Schema.self, Replies.self]
    )
}

/// Where plugins are found, and how long an out-of-process plugin may take.
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("plugins"), help: ArgumentHelp("A further folder (or file) of step plugins; repeatable.", valueName: "dir"))
    var pluginDirectories: [String] = []

    @Option(
        name: .customLong("plugin-timeout"),
        help: ArgumentHelp(
            "Seconds an out-of-process plugin may take to answer one request before it is stopped (default: $CONVENE_PLUGIN_TIMEOUT, else 30).",
            valueName: "seconds"))
    var timeout: String?

    func validate() throws {
        if let timeout, ProcessPluginSettings.seconds(timeout) == nil {
            throw ValidationError("--plugin-timeout: '\(timeout)' is not a number of seconds greater than 0, such as 30 or 2.5")
        }
    }

    /// The plugins on the search path.
    /// - Parameter reportingProblems: whether files that were refused are printed as warnings.
    func registry(reportingProblems: Bool = true) throws -> PluginRegistry {
        var settings: ProcessPluginSettings
        do {
            settings = try ProcessPluginSettings(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw InputError("\(error)")
        }
        if let timeout = timeout.flatMap(ProcessPluginSettings.seconds) { settings.timeout = timeout }
        let registry = PluginRegistry(searchPath: PluginRegistry.searchPath(extra: pluginDirectories.map { URL(fileURLWithPath: $0) }), settings: settings)
        if reportingProblems {
            for problem in registry.problems { Console.error("warning: plugin \(problem)") }
        }
        return registry
    }
}

/// Options every command that reads a workflow takes.
struct WorkflowOptions: ParsableArguments {
    @Argument(help: "A workflow file, or a folder holding workflow.yaml.")
    var workflow: String

    @OptionGroup var plugins: PluginOptions

    /// The validated workflow; on bad input, prints every diagnostic and exits with status 1.
    func load() throws -> (Workflow, PluginRegistry) {
        let registry = try plugins.registry()
        do {
            let (workflow, warnings) = try WorkflowLoader(plugins: registry).load(workflow)
            if !warnings.all.isEmpty { Console.error(warnings.rendered()) }
            return (workflow, registry)
        } catch {
            Console.error(error.description)
            throw ExitCode.failure
        }
    }
}

/// Where the ledger and the outbox are.
struct StateOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The ledger: a SQLite file, or a postgres:// URL (its password from CONVENE_LEDGER_PASSWORD, PGPASSWORD or ~/.pgpass). Default: the workflow's ledger:, else .convene/ledger.sqlite beside the workflow.",
            valueName: "path-or-url"))
    var ledger: String?

    @Option(help: ArgumentHelp("The outbox folder of .eml files (default: .convene/outbox/ beside the workflow).", valueName: "dir"))
    var outbox: String?

    func ledgerLocation(_ workflow: Workflow) -> LedgerLocation {
        if let ledger { return LedgerLocation(ledger, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) }
        return workflow.ledger ?? .sqlite(workflow.stateDirectory.appendingPathComponent("ledger.sqlite"))
    }

    func outboxURL(_ workflow: Workflow) -> URL {
        outbox.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? workflow.stateDirectory.appendingPathComponent("outbox", isDirectory: true)
    }

    func artifactsURL(_ workflow: Workflow) -> URL {
        let base = ledgerLocation(workflow).fileURL?.deletingLastPathComponent() ?? workflow.stateDirectory
        return base.appendingPathComponent("artifacts", isDirectory: true)
    }

    func openLedger(_ workflow: Workflow) throws -> Ledger {
        do {
            return try Ledger(ledgerLocation(workflow))
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}

/// Reads `--now`, `--from`, `--to`: local times in the event's zone, or ISO 8601 with an offset.
func parseTime(_ text: String, _ workflow: Workflow, option: String) throws -> Date {
    if let date = LocalTime(timeZone: workflow.event.timeZone).date(from: text) { return date }
    let iso = ISO8601DateFormatter()
    if let date = iso.date(from: text) { return date }
    throw InputError("\(option): '\(text)' is not a date such as 2024-02-02T10:00 (in \(workflow.event.timeZone.identifier)) or 2024-02-02T09:00:00Z")
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a workflow, its roster, its plugins and its conditions without running anything.")

    @OptionGroup var options: WorkflowOptions

    func run() throws {
        let (workflow, _) = try options.load()
        Console.out("\(options.workflow): ok — \(workflow.delegations.count) delegations, \(workflow.tracks.count) tracks, \(workflow.steps.count) steps")
    }
}

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the timeline of what would happen, and to how many delegations, without writing anything.",
        discussion: """
            With --on DATE, shows instead exactly what `convene run --now DATE` would do at that moment, \
            per step and per track: the messages it would send, the status changes and placements it \
            would make, the artifacts it would publish. It runs the tick on a copy of the ledger in a \
            throwaway folder: no ledger, outbox, artifact or signing key is created or changed.

            A message counts on the tracks it concerns: for a step that runs on each reply, the \
            reply's track; otherwise the tracks on which the same step changed that delegation's \
            status or placement in that run (an invitation to two tracks counts on both). A message \
            that changes nothing, such as an attendance reminder, counts under the track "(all)".
            """)

    @OptionGroup var options: WorkflowOptions
    @OptionGroup var state: StateOptions
    @Option(help: "Show firings from this date.") var from: String?
    @Option(help: "Show firings up to this date.") var to: String?
    @Option(help: ArgumentHelp(
        "Show what a run at this moment would do, per step and track: 2024-02-02T10:00 in the event's time zone, or ISO 8601.",
        valueName: "date"))
    var on: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if on != nil, from != nil || to != nil {
            throw ValidationError("--on shows one moment; it cannot be combined with --from or --to")
        }
    }

    func run() throws {
        let (workflow, registry) = try options.load()
        if let on {
            try project(workflow, registry, at: try parseTime(on, workflow, option: "--on"))
            return
        }
        let from = try self.from.map { try parseTime($0, workflow, option: "--from") } ?? .distantPast
        let to = try self.to.map { try parseTime($0, workflow, option: "--to") } ?? .distantFuture
        // Counts reflect the campaign's state so far when it has a ledger; planning never creates one.
        var states: [String: [String: TrackState]] = [:]
        let location = state.ledgerLocation(workflow)
        if location.fileURL.map({ FileManager.default.fileExists(atPath: $0.path) }) ?? true {
            states = try state.openLedger(workflow).states(tracks: workflow.tracks.map(\.id))
        }
        let entries = PlanReport.make(workflow: workflow, states: states).filter { $0.dueAt >= from && $0.dueAt <= to }
        if json {
            Console.out(try PlanReport.json(entries))
        } else {
            Console.out(PlanReport.table(entries, workflow: workflow))
        }
    }

    /// Prints what a run at a moment would do, from a tick on a throwaway copy of the ledger.
    func project(_ workflow: Workflow, _ registry: PluginRegistry, at now: Date) throws {
        let projection: Projection
        do {
            projection = try Projection.make(workflow: workflow, plugins: registry, ledger: state.ledgerLocation(workflow), at: now)
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
        Console.out(json ? try projection.json() : projection.table())
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run one tick: every step occurrence that is due and not yet done, then deliver the outbox.")

    @OptionGroup var options: WorkflowOptions
    @OptionGroup var state: StateOptions
    @Option(help: "The clock's time (default: now), as 2024-02-02T10:00 in the event's time zone or ISO 8601.") var now: String?
    @Option(
        help: ArgumentHelp(
            "Seconds this runner's claim on a part of the work lasts without a commit renewing it: when several runners share a ledger, the time after which another takes over the part of one that died.",
            valueName: "seconds"))
    var lease: Double = 120

    func validate() throws {
        guard lease > 0, lease.isFinite else { throw ValidationError("--lease must be a positive number of seconds") }
    }

    func run() throws {
        let (workflow, registry) = try options.load()
        let now = try self.now.map { try parseTime($0, workflow, option: "--now") } ?? Date()
        var engine = Engine(
            workflow: workflow, plugins: registry, ledger: try state.openLedger(workflow),
            outbox: FileOutbox(directory: state.outboxURL(workflow)), artifactsDirectory: state.artifactsURL(workflow))
        engine.runner = RunnerIdentity(lease: lease)
        do {
            let report = try engine.tick(now: now)
            let local = LocalTime(timeZone: workflow.event.timeZone)
            Console.out("tick at \(local.string(from: now)) \(workflow.event.timeZone.identifier)")
            if report.steps.isEmpty { Console.out("  nothing due") }
            for s in report.steps {
                Console.out("  \(s.step) (\(s.occurrence)): \(s.invitees) delegation\(s.invitees == 1 ? "" : "s"), \(s.messages) message\(s.messages == 1 ? "" : "s") queued")
            }
            if let smtp = workflow.smtp {
                Console.out("  \(report.delivered) message\(report.delivered == 1 ? "" : "s") sent to \(smtp.host):\(smtp.port)")
                if report.deferred > 0 { Console.out("  \(report.deferred) deferred by the server, to be retried (convene outbox)") }
                if report.failed > 0 { Console.out("  \(report.failed) refused by the server (convene outbox)") }
            } else {
                Console.out("  \(report.delivered) message\(report.delivered == 1 ? "" : "s") delivered to \(state.outboxURL(workflow).path)")
            }
            for a in report.artifacts { Console.out("  wrote \(a.path)") }
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the audit trail: every status change, reply and roster change, oldest first.")

    @OptionGroup var options: WorkflowOptions
    @OptionGroup var state: StateOptions
    @Option(help: "Only this delegation.") var delegation: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (workflow, _) = try options.load()
        if let delegation, !workflow.delegations.contains(where: { $0.id == delegation }) {
            throw InputError("no delegation '\(delegation)' in the roster\(didYouMean(delegation, among: workflow.delegations.map(\.id)))")
        }
        let entries = try state.openLedger(workflow).auditTrail(delegation: delegation)
        let local = LocalTime(timeZone: workflow.event.timeZone)
        if json {
            let list: [[String: Any]] = entries.map { e in
                var item: [String: Any] = ["at": e.at.formatted(.iso8601), "actor": e.actor, "action": e.action, "detail": e.detail]
                if let d = e.delegation { item["delegation"] = d }
                if let t = e.track { item["track"] = t }
                return item
            }
            let data = try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys])
            Console.out(String(decoding: data, as: UTF8.self))
            return
        }
        guard !entries.isEmpty else {
            Console.out("no history yet")
            return
        }
        var rows = [["when (\(workflow.event.timeZone.identifier))", "who", "what", "delegation", "track", "detail"]]
        for e in entries {
            rows.append([local.string(from: e.at), e.actor, e.action, e.delegation ?? "", e.track ?? "", e.detail])
        }
        Console.out(TextTable.render(rows))
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Count delegations per track and status.")

    @OptionGroup var options: WorkflowOptions
    @OptionGroup var state: StateOptions
    @Option(help: "Only this track.") var track: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (workflow, _) = try options.load()
        var tracks = workflow.tracks.map(\.id)
        if let track {
            guard tracks.contains(track) else {
                throw InputError("unknown track '\(track)'; the workflow has \(tracks.joined(separator: ", "))")
            }
            tracks = [track]
        }
        let ledger = try state.openLedger(workflow)
        let counts = try ledger.statusCounts(tracks: tracks)
        let messages = try ledger.messageCounts()
        let replies = try ledger.replyCounts()
        if json {
            var object: [String: Any] = [:]
            for t in tracks {
                var c: [String: Int] = [:]
                for (status, n) in counts[t] ?? [:] where n > 0 { c[status.rawValue] = n }
                object[t] = ["statuses": c, "replies": replies[t] ?? 0]
            }
            let root: [String: Any] = ["workflow": workflow.id, "tracks": object, "messages": messages]
            let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
            Console.out(String(decoding: data, as: UTF8.self))
            return
        }
        let statuses = ParticipationStatus.allCases
        let header = ["track"] + statuses.map(\.rawValue) + ["replies"]
        var rows = [header]
        for t in tracks {
            rows.append([t] + statuses.map { String(counts[t]?[$0] ?? 0) } + [String(replies[t] ?? 0)])
        }
        Console.out(TextTable.render(rows))
        let m = messages.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        Console.out("messages: \(m.isEmpty ? "none" : m)")
    }
}

struct Plugins: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the step plugins found on the search path.")

    @OptionGroup var options: PluginOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let registry = try options.registry(reportingProblems: false)
        if json {
            let plugins = registry.plugins.map { loaded in
                var item: [String: Any] = [
                    "id": loaded.manifest.id, "version": loaded.manifest.version.description, "kind": loaded.kind.rawValue,
                    "file": loaded.file.path, "summary": loaded.manifest.summary,
                ]
                // A library is built against the SDK's API; an executable speaks the wire protocol.
                if loaded.kind == .library {
                    item["api"] = Int(loaded.manifest.apiVersion)
                } else {
                    item["protocol"] = ProcessPlugin.protocolVersion
                }
                return item
            }
            let refused = registry.problems.map { ["file": $0.file.path, "reason": $0.reason] }
            let data = try JSONSerialization.data(withJSONObject: ["plugins": plugins, "refused": refused], options: [.prettyPrinted, .sortedKeys])
            Console.out(String(decoding: data, as: UTF8.self))
        } else {
            var rows = [["id", "version", "kind", "file", "summary"]]
            for p in registry.plugins {
                rows.append([p.manifest.id, p.manifest.version.description, p.kind.rawValue, p.file.path, p.manifest.summary])
            }
            Console.out(TextTable.render(rows))
            for p in registry.problems { Console.out("refused: \(p)") }
        }
        if !registry.problems.isEmpty { throw ExitCode.failure }
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a JSON Schema of the workflow language, with the configuration of every plugin found.",
        discussion: """
            For editors: save it and name it in a workflow's first line, \
            `# yaml-language-server: $schema=workflow.schema.json`, to have keys completed and \
            mistakes flagged as you type. `convene validate` checks what a schema cannot.
            """)

    @OptionGroup var options: PluginOptions

    func run() throws {
        let registry = try options.registry()
        Console.out(try WorkflowSchema.json(plugins: registry))
    }
}
