internal import ConveneKit
public import Foundation
internal import Crypto

/// A whole campaign run on a simulated clock over a fresh ledger: every firing of the timeline
/// and every reply at its own time, in order, as `convene run` would have met them.
///
/// The simulation keeps its ledger, outbox and artifacts in a folder of its own, emptied first,
/// and signs reply links with a key derived from its seed, so that two simulations of the same
/// workflow with the same replies and seed write the same bytes.
public struct Simulation: Sendable {
    /// The workflow.
    public var workflow: Workflow
    /// Its plugins.
    public var plugins: PluginRegistry
    /// Where the ledger, the outbox and the artifacts go.
    public var folder: URL
    /// Fixes the reply links' signing key (and the replies made up when none are given).
    public var seed: UInt64

    /// Creates a simulation.
    public init(workflow: Workflow, plugins: PluginRegistry, folder: URL, seed: UInt64) {
        // A simulation sends nothing: its outbox folder stands in for any mail server.
        var offline = workflow
        offline.smtp = nil
        self.workflow = offline
        self.plugins = plugins
        self.folder = folder
        self.seed = seed
    }

    /// The ledger's file.
    public var ledgerURL: URL { folder.appendingPathComponent("ledger.sqlite") }
    /// The outbox folder.
    public var outboxURL: URL { folder.appendingPathComponent("outbox", isDirectory: true) }
    /// The artifacts folder.
    public var artifactsURL: URL { folder.appendingPathComponent("artifacts", isDirectory: true) }

    /// The file that marks a folder as a simulation's, which a new simulation may empty.
    static let marker = ".convene-simulation"

    /// What happened on one day of the simulation, for progress reports.
    public struct Day: Sendable {
        /// The day's last tick.
        public var at: Date
        /// Replies recorded that day.
        public var replies: Int
        /// Messages delivered that day.
        public var messages: Int
        /// Messages delivered since the start.
        public var totalMessages: Int
    }

    /// Runs the campaign.
    /// - Parameters:
    ///   - replies: the replies to apply, each at its time of receipt.
    ///   - from: the first moment simulated; by default the first firing.
    ///   - to: the last moment simulated; by default the end of the last track.
    ///   - progress: called after each simulated day that had something to do.
    /// - Returns: the summary.
    /// - Throws: ``SimulationError`` for a folder that is not a simulation's, ``LedgerError``,
    ///   ``EngineError`` or ``SigningKeyError``.
    public func run(
        replies: [ReplyImport.Row], from: Date? = nil, to: Date? = nil, progress: (Day) -> Void = { _ in }
    ) throws -> SimulationSummary {
        try prepareFolder()
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("convene-simulation-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: keys) }
        let store = SigningKeyStore(directory: keys)
        if workflow.replyPage != nil { try store.keep(signingKey, for: workflow.id) }

        let ledger = try Ledger(url: ledgerURL)
        let engine = Engine(
            workflow: workflow, plugins: plugins, ledger: ledger, outbox: FileOutbox(directory: outboxURL),
            artifactsDirectory: artifactsURL, signingKeys: store)
        let timeline = Planner(workflow: workflow).timeline()
        let start = from ?? timeline.first?.occurrence.dueAt ?? replies.map(\.reply.receivedAt).min() ?? Date()
        let end = to ?? workflow.tracks.map(\.end).max() ?? start
        // The moments something happens: each firing, each reply; in order, replies first.
        let pending = replies.enumerated().sorted { ($0.element.reply.receivedAt, $0.offset) < ($1.element.reply.receivedAt, $1.offset) }
            .map(\.element).filter { $0.reply.receivedAt >= start && $0.reply.receivedAt <= end }
        let moments = Set(timeline.map(\.occurrence.dueAt) + pending.map(\.reply.receivedAt)).filter { $0 >= start && $0 <= end }.sorted()

        try ledger.bind(workflowID: workflow.id)
        try ledger.syncRoster(workflow.delegations, digest: workflow.rosterDigest, at: start)
        var next = 0
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = workflow.event.timeZone
        var day: Day?
        var total = 0
        for moment in moments {
            var due: [(delegation: String, reply: Reply, document: String?)] = []
            while next < pending.count, pending[next].reply.receivedAt <= moment {
                due.append((pending[next].delegation, pending[next].reply, pending[next].document))
                next += 1
            }
            if !due.isEmpty { _ = try ledger.importReplies(due, enteredBy: "simulation", at: moment) }
            let report = try engine.tick(now: moment)
            total += report.delivered
            if let current = day, !calendar.isDate(current.at, inSameDayAs: moment) {
                progress(current)
                day = nil
            }
            var today = day ?? Day(at: moment, replies: 0, messages: 0, totalMessages: 0)
            today.at = moment
            today.replies += due.count
            today.messages += report.delivered
            today.totalMessages = total
            day = today
        }
        if let day { progress(day) }
        return try summary(ledger: ledger, from: start, to: end, ticks: moments.count, applied: next, given: replies.count)
    }

    /// The reply links' key: derived from the workflow's id and the seed, never a real one.
    var signingKey: SigningKey {
        let digest = SHA256.hash(data: Data("convene simulation \(workflow.id) \(seed)".utf8))
        return SigningKey(bytes: Data(digest))!
    }

    /// Empties the folder if it is a simulation's, makes it if there is none.
    func prepareFolder() throws(SimulationError) {
        let files = FileManager.default
        let marker = folder.appendingPathComponent(Self.marker)
        if files.fileExists(atPath: folder.path) {
            let contents = (try? files.contentsOfDirectory(atPath: folder.path)) ?? []
            guard contents.isEmpty || files.fileExists(atPath: marker.path) else {
                throw SimulationError("\(folder.path) is not empty and holds no earlier simulation; choose another --out")
            }
            for name in contents { try? files.removeItem(at: folder.appendingPathComponent(name)) }
        }
        do {
            try files.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("a simulation of \(workflow.id); `convene simulate` empties this folder\n".utf8).write(to: marker)
        } catch {
            throw SimulationError("cannot make \(folder.path): \(error.localizedDescription)")
        }
    }

    /// What the simulated campaign did, per track, from the ledger.
    func summary(ledger: Ledger, from: Date, to: Date, ticks: Int, applied: Int, given: Int) throws -> SimulationSummary {
        let trackIDs = workflow.tracks.map(\.id)
        let states = try ledger.states(tracks: trackIDs)
        var reached: [String: [ParticipationStatus: Set<String>]] = [:]
        for entry in try ledger.auditTrail() where entry.action == "status" {
            guard let track = entry.track, let delegation = entry.delegation,
                let target = entry.detail.components(separatedBy: " → ").last.flatMap(ParticipationStatus.init(rawValue:))
            else { continue }
            reached[track, default: [:]][target, default: []].insert(delegation)
        }
        let late = try ledger.lateReplies(after: workflow.event.dates["deadlines.reply"] ?? .distantFuture)
        var tracks: [SimulationSummary.Track] = []
        for track in workflow.tracks {
            var summary = SimulationSummary.Track(id: track.id)
            summary.invited = reached[track.id]?[.invited]?.count ?? 0
            summary.reminded = reached[track.id]?[.reminded]?.count ?? 0
            for (_, byTrack) in states {
                guard let state = byTrack[track.id] else { continue }
                switch state.reply?.answer {
                case .confirm: summary.confirmed += 1
                case .decline: summary.declined += 1
                case .substitute: summary.substituted += 1
                case nil: break
                }
                if state.status == .seated { summary.seated += 1 }
                if state.status == .waitListed { summary.waitListed += 1 }
                if let turn = state.placement?.turn {
                    if turn.isReached { summary.speakingSlots += 1 } else { summary.notReached += 1 }
                }
            }
            summary.late = late[track.id] ?? 0
            tracks.append(summary)
        }
        let artifacts = ((try? FileManager.default.contentsOfDirectory(atPath: artifactsURL.path)) ?? []).sorted()
        let messages = ((try? FileManager.default.contentsOfDirectory(atPath: outboxURL.path)) ?? []).filter { $0.hasSuffix(".eml") }.count
        return SimulationSummary(
            workflow: workflow.id, from: from, to: to, ticks: ticks, replies: applied, repliesOutside: given - applied,
            messages: messages, tracks: tracks, folder: folder.path, outbox: outboxURL.path,
            artifacts: artifacts.map { artifactsURL.appendingPathComponent($0).path })
    }
}

/// What a simulated campaign did.
public struct SimulationSummary: Sendable, Codable {
    /// Per track.
    public struct Track: Sendable, Codable {
        /// The track's id.
        public var id: String
        /// Delegations invited, reminded at least once.
        public var invited = 0, reminded = 0
        /// Delegations whose latest reply confirms, declines, sends a substitute.
        public var confirmed = 0, declined = 0, substituted = 0
        /// Delegations that replied after the reply deadline.
        public var late = 0
        /// Delegations seated, wait-listed at the end.
        public var seated = 0, waitListed = 0
        /// Turns on the speakers' list the track's time reaches, and those it does not.
        public var speakingSlots = 0, notReached = 0

        init(id: String) { self.id = id }
    }

    /// The workflow's id.
    public var workflow: String
    /// The first and last moments simulated.
    public var from: Date, to: Date
    /// How many moments had something due.
    public var ticks: Int
    /// Replies applied, and replies outside the simulated span.
    public var replies: Int, repliesOutside: Int
    /// Messages in the outbox.
    public var messages: Int
    /// Per track, in the workflow's order.
    public var tracks: [Track]
    /// The simulation's folder, its outbox, and the artifacts written.
    public var folder: String, outbox: String, artifacts: [String]

    /// The summary as aligned text, with the paths of what the simulation produced.
    public func table(timeZone: TimeZone) -> String {
        let local = LocalTime(timeZone: timeZone)
        var lines = [
            "simulated \(workflow) from \(local.string(from: from)) to \(local.string(from: to)) (\(timeZone.identifier)): "
                + "\(ticks) moments, \(replies) repl\(replies == 1 ? "y" : "ies"), \(messages) message\(messages == 1 ? "" : "s")"
        ]
        if repliesOutside > 0 { lines.append("\(repliesOutside) repl\(repliesOutside == 1 ? "y" : "ies") fell outside the span and were not applied") }
        var rows = [["track", "invited", "reminded", "confirmed", "declined", "substituted", "late", "seated", "wait-listed", "speaking slots"]]
        for t in tracks {
            let speaking = t.notReached > 0 ? "\(t.speakingSlots) (+\(t.notReached) not reached)" : String(t.speakingSlots)
            rows.append([
                t.id, String(t.invited), String(t.reminded), String(t.confirmed), String(t.declined), String(t.substituted), String(t.late),
                String(t.seated), String(t.waitListed), speaking,
            ])
        }
        lines.append(TextTable.render(rows))
        lines.append("outbox: \(outbox)")
        for artifact in artifacts { lines.append("wrote \(artifact)") }
        return lines.joined(separator: "\n")
    }
}

/// A simulation that cannot start.
public struct SimulationError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
