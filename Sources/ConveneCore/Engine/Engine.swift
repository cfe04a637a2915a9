internal import ConveneKit
public import Foundation

/// Runs what is due in a workflow at a moment, durably.
///
/// One tick: for every step, every live occurrence (or every unanswered reply, for `on: reply`),
/// the delegations not yet done whose condition holds, in batches; each batch's effects are
/// applied to the ledger in one transaction, and its new messages written to the outbox once
/// that transaction has committed. Commits and files run on threads of their own while the
/// engine runs the plugin over the next batch.
public struct Engine: Sendable {
    /// The workflow.
    public var workflow: Workflow
    /// The plugins its steps use.
    public var plugins: PluginRegistry
    /// The ledger.
    public var ledger: Ledger
    /// Where messages are delivered.
    public var outbox: FileOutbox
    /// Where artifacts are written.
    public var artifactsDirectory: URL
    /// Where the key that signs reply links is kept, for a workflow with a reply page.
    public var signingKeys: SigningKeyStore
    /// This runner, as its claims name it: several runners may share a ledger, each claiming
    /// blocks of each occurrence's work (see ``Claim``).
    public var runner = RunnerIdentity()
    /// The steps made from the workflow's plugins, kept from one tick to the next: making one
    /// compiles its templates.
    let instances = StepInstances()

    /// Creates an engine.
    public init(
        workflow: Workflow, plugins: PluginRegistry, ledger: Ledger, outbox: FileOutbox, artifactsDirectory: URL,
        signingKeys: SigningKeyStore = .standard()
    ) {
        self.workflow = workflow
        self.plugins = plugins
        self.ledger = ledger
        self.outbox = outbox
        self.artifactsDirectory = artifactsDirectory
        self.signingKeys = signingKeys
    }

    /// The signer of the workflow's reply links, if it has a reply page.
    /// - Throws: ``SigningKeyError`` if the key cannot be read or made.
    public func replyLinks() throws -> ReplyLinks? {
        guard let page = workflow.replyPage else { return nil }
        let key = try signingKeys.key(for: workflow.id, workflowDirectory: workflow.directory)
        return ReplyLinks(page: page.url, key: key, workflowID: workflow.id, eventReference: workflow.event.reference)
    }

    /// What a tick did.
    public struct TickReport: Sendable {
        /// Per step id: how many invitees its batches covered and how many messages it queued.
        public var steps: [(step: String, occurrence: String, invitees: Int, messages: Int)] = []
        /// Messages delivered in this tick, to the outbox folder or the mail server (including
        /// ones queued earlier).
        public var delivered = 0
        /// Messages a mail server refused for now, and for good, in this tick.
        public var deferred = 0, failed = 0
        /// Artifacts written.
        public var artifacts: [URL] = []
        /// Where the tick's time went.
        public var timings = TickTimings()

        /// An empty report, to add up the reports of several runners.
        public init() {}

        mutating func add(_ summary: CommitPipeline.Summary) {
            delivered += summary.delivered
            artifacts += summary.artifacts
            timings.ledger += summary.ledgerSeconds
        }
    }

    /// Runs one tick.
    /// - Parameter now: the clock's time.
    /// - Returns: what was done.
    /// - Throws: ``EngineError`` or ``LedgerError``; what was committed before stays committed.
    public func tick(now: Date) throws -> TickReport {
        var report = TickReport()
        var clock = Stopwatch()
        try ledger.bind(workflowID: workflow.id)
        try ledger.syncRoster(workflow.delegations, digest: workflow.rosterDigest, at: now)
        var states = StateTable(delegations: workflow.delegations, tracks: workflow.tracks.map(\.id))
        // Claims skip blocks another runner finished after this moment, with a fresher view.
        let loadedAt = Date()
        try ledger.loadStates(into: &states)
        if workflow.smtp == nil {
            // Files a killed run staged: moved in if their batch committed, deleted if not.
            report.delivered += try outbox.recover(ledger: ledger)
        }
        report.timings.loading += clock.lap()
        let planner = Planner(workflow: workflow)
        let pipeline = CommitPipeline(
            ledger: ledger, outbox: workflow.smtp == nil ? outbox : nil, artifactsDirectory: artifactsDirectory)
        let domain = workflow.sender.email.split(separator: "@").last.map(String.init) ?? "convene.invalid"
        let links = try replyLinks()
        let passedOver = PassedOver()
        do {
            for step in workflow.steps {
                guard let loaded = plugins.plugin(id: step.plugin.id, major: step.plugin.major) else {
                    throw EngineError("step '\(step.id)': no plugin \(step.plugin)")
                }
                let instance = try instances.step(step.id) { try loaded.plugin.makeStep(configuration: step.configuration) }
                let runner = StepRunner(
                    engine: self, step: step, step_: instance, manifest: loaded.manifest, file: loaded.file, now: now, domain: domain,
                    links: links, report: report, pipeline: pipeline, loaded: loadedAt, passedOver: passedOver)
                if case .onReply = step.schedule {
                    try runner.runReplies(states: &states, planner: planner)
                } else {
                    for planned in planner.live(step, at: now) {
                        try runner.run(planned, states: &states)
                    }
                }
                report = runner.report
            }
            clock.lap()
            report.add(try pipeline.finish())
            report.timings.outbox = pipeline.outboxSeconds
            report.timings.ledgerWait += clock.lap()
        } catch {
            pipeline.abandon()
            try? ledger.abandonClaims(runner: runner)
            throw error
        }
        // Whatever is still queued for the mail server goes now (or, for the outbox folder,
        // whatever a mail server channel left queued before the workflow dropped it), and so
        // do artifacts committed but never written.
        if let smtp = workflow.smtp {
            let sent = try SMTPDelivery(settings: smtp, sender: workflow.sender.email).deliver(from: ledger, at: now)
            report.delivered += sent.sent
            report.deferred += sent.deferred
            report.failed += sent.failed
        } else {
            report.delivered += try outbox.deliver(from: ledger, at: now)
        }
        let directory = artifactsDirectory
        for (name, content) in try ledger.missingArtifacts(exists: { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }) {
            report.artifacts.append(try FileOutbox.writeAtomically(Data(content.utf8), named: name, in: directory))
        }
        report.timings.ledgerWait += clock.lap()
        report.timings.total = clock.elapsedSinceStart
        return report
    }
}

/// Steps made by an engine, by workflow step id.
final class StepInstances: @unchecked Sendable {
    private let lock = NSLock()
    private var steps: [String: any Step] = [:]

    /// The step made earlier under `id`, or the one `make` makes.
    func step(_ id: String, make: () throws -> any Step) throws -> any Step {
        if let step = lock.withLock({ steps[id] }) { return step }
        let step = try make()
        lock.withLock { steps[id] = step }
        return step
    }
}

/// Where a tick's time went, in seconds of wall-clock time.
///
/// The engine's thread selects delegations, runs plugins and renders (on every core); the
/// ledger's transactions run on a thread of their own, and the outbox is written on a third,
/// alongside. ``ledgerWait`` is the time the engine waited for those two (their queues were
/// full, or it had to read the ledger, or the tick was ending).
public struct TickTimings: Sendable {
    /// The whole tick.
    public var total: Double = 0
    /// Syncing the roster into the ledger and reading the state of every delegation.
    public var loading: Double = 0
    /// Plugins' `run`.
    public var plugins: Double = 0
    /// Checking effects and rendering messages.
    public var rendering: Double = 0
    /// Ledger transactions, on the ledger's thread (overlapping the rest).
    public var ledger: Double = 0
    /// Writing the outbox's files, on the outbox's thread (overlapping the rest).
    public var outbox: Double = 0
    /// Waiting for the ledger and outbox threads.
    public var ledgerWait: Double = 0
    /// The rest of the engine's thread: choosing the delegations each occurrence is due for,
    /// and bookkeeping.
    public var other: Double { max(0, total - loading - plugins - rendering - ledgerWait) }
}

/// Measures the time between laps.
struct Stopwatch {
    private let start = DispatchTime.now().uptimeNanoseconds
    private var last = DispatchTime.now().uptimeNanoseconds

    /// Seconds since the previous lap (or the start), and starts the next lap.
    @discardableResult
    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e9
    }

    /// Seconds since the stopwatch was made.
    var elapsedSinceStart: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}

/// An engine failure: a plugin that misbehaved, a step that threw.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The blocks of work a runner could not claim in a tick (another runner held them), which it
/// passes over in the tick's later steps too: a later step must not run over delegations an
/// earlier one has not finished with. The next tick takes them up.
private final class PassedOver {
    var blocks = Set<Int>()
    /// An occurrence that takes every invitee at once was held: every block waits.
    var all = false
}

/// Runs one step's occurrences within a tick.
private final class StepRunner {
    let engine: Engine
    let step: WorkflowStep
    let step_: any Step
    let manifest: StepManifest
    /// The plugin's file, named in the errors its step causes.
    let file: URL
    let now: Date
    /// The right-hand side of Message-IDs.
    let domain: String
    /// Signs each invitee's reply link, if the workflow has a reply page.
    let links: ReplyLinks?
    var report: Engine.TickReport
    /// Commits batches and writes their messages to the outbox, alongside.
    let pipeline: CommitPipeline
    /// When the tick read the ledger's state (by the wall clock, as claims are).
    let loaded: Date
    /// The blocks this tick passes over.
    let passedOver: PassedOver
    /// The claim the batches being applied are done under, and whether the next is its last.
    private var claim: Claim?
    private var releasing = false
    /// Whether the claimed block's states were read again (another runner worked on the ledger).
    private var statesReadAgain = false

    init(
        engine: Engine, step: WorkflowStep, step_: any Step, manifest: StepManifest, file: URL, now: Date, domain: String,
        links: ReplyLinks?, report: Engine.TickReport, pipeline: CommitPipeline, loaded: Date, passedOver: PassedOver
    ) {
        self.passedOver = passedOver
        self.engine = engine
        self.step = step
        self.step_ = step_
        self.manifest = manifest
        self.file = file
        self.now = now
        self.domain = domain
        self.links = links
        self.report = report
        self.pipeline = pipeline
        self.loaded = loaded
    }

    var workflow: Workflow { engine.workflow }

    /// How errors name the step and its plugin.
    var blame: String { "step '\(step.id)' (\(step.plugin), \(file.path))" }

    var tracks: [TrackInfo] { step.tracks.compactMap { workflow.track($0) } }

    var chunkSize: Int? {
        if case .chunks(let n) = manifest.batching { return max(1, n) }
        return nil
    }

    /// Runs a time-based occurrence over every delegation not yet done whose condition holds.
    func run(_ planned: PlannedOccurrence, states: inout StateTable) throws {
        let runKey = planned.runKey
        try drain()
        if chunkSize == nil, try engine.ledger.isDone(runKey: runKey) {
            try followUp(planned, states: &states)
            return
        }
        let done = try engine.ledger.processed(runKey: runKey)
        let evaluator = ConditionEvaluator(condition: step.condition, tracks: tracks)
        let tracks = tracks.compactMap { track in states.index(ofTrack: track.id).map { (track, $0) } }
        let delegations = workflow.delegations
        // The roster positions of the invitees, in order: the delegations not yet done on
        // which the condition holds on one of the step's tracks.
        // Which of the step's tracks the condition holds on, per position, as bits: the
        // invitees are made from them without evaluating the condition again (unless the
        // block's states were read again, after another runner's work).
        var matchedTracks: [UInt64] = []
        let remembered = chunkSize != nil && tracks.count <= 64
        if remembered { matchedTracks = [UInt64](repeating: 0, count: delegations.count) }
        var positions: [Int] = []
        for (position, delegation) in delegations.enumerated() where done.isEmpty || !done.contains(delegation.id) {
            var bits: UInt64 = 0
            for (i, (track, index)) in tracks.enumerated() where evaluator.holds(delegation, states[position, index], track) {
                bits |= 1 << UInt64(min(i, 63))
                if !remembered { break }
            }
            guard bits != 0 else { continue }
            positions.append(position)
            if remembered { matchedTracks[position] = bits }
        }
        func invitee(_ position: Int, _ states: StateTable) -> Invitee {
            var matched: [String: TrackState] = [:]
            let bits = remembered && !statesReadAgain ? matchedTracks[position] : nil
            for (i, (track, index)) in tracks.enumerated() {
                let state = states[position, index]
                let holds = bits.map { $0 & (1 << UInt64(i)) != 0 } ?? evaluator.holds(delegations[position], state, track)
                if holds { matched[track.id] = state }
            }
            return Invitee(delegation: delegations[position], states: matched, trigger: nil, replyLink: replyLink(delegations[position].id))
        }
        var covered = 0, queued = 0
        if let chunkSize {
            try inClaimedBlocks(runKey: runKey, positions: positions, states: &states) { block, states in
                for (i, chunk) in block.chunked(chunkSize).enumerated() {
                    releasing = (i + 1) * chunkSize >= block.count
                    // Read again after another runner's work, a delegation may no longer qualify.
                    let invitees = chunk.map { invitee($0, states) }.filter { !$0.states.isEmpty }
                    queued += try apply(invitees, occurrence: planned.occurrence, runKey: { _ in runKey }, whole: nil, states: &states)
                    covered += invitees.count
                }
            }
        } else {
            // A step that takes every invitee at once: one runner claims the whole occurrence.
            guard let claim = try engine.ledger.claim(
                runKey: runKey, blocks: [Claim.wholeOccurrence], runner: engine.runner, loaded: loaded, limit: 1
            ).first else {
                passedOver.all = true
                report.steps.append((step.id, planned.occurrence.id + " (held by another runner)", 0, 0))
                return
            }
            // Another runner that held it may have finished it since this one read the ledger.
            if claim.takenOver, try engine.ledger.isDone(runKey: runKey) {
                try engine.ledger.release(claim, runner: engine.runner)
                try followUp(planned, states: &states)
                return
            }
            let invitees = positions.map { invitee($0, states) }
            positions = []
            self.claim = claim
            releasing = true
            defer { self.claim = nil }
            queued += try apply(invitees, occurrence: planned.occurrence, runKey: { _ in runKey }, whole: runKey, states: &states)
            covered += invitees.count
        }
        report.steps.append((step.id, planned.occurrence.id, covered, queued))
        if chunkSize == nil { try followUp(planned, states: &states) }
    }

    /// Calls `body` with the roster positions of each block of an occurrence's work this
    /// runner claims (see ``Claim``), in order, without those another runner, whose claim this
    /// one took over, had finished. `body` applies them in batches, the last of which releases
    /// the claim (`releasing`); a block left with no work is released here.
    func inClaimedBlocks(runKey: String, positions: [Int], states: inout StateTable, body: ([Int], inout StateTable) throws -> Void) throws {
        guard !passedOver.all else { return }
        var blocks: [(block: Int, positions: [Int])] = []
        for position in positions where !passedOver.blocks.contains(position / Claim.blockSize) {
            let block = position / Claim.blockSize
            if blocks.last?.block == block { blocks[blocks.count - 1].positions.append(position) } else { blocks.append((block, [position])) }
        }
        // One block at a time while other runners work, so that a lease covers one block's
        // batches; alone, a runner claims several at once, and saves the transactions.
        var perClaim = 1
        var next = 0
        while next < blocks.count {
            let round = blocks[next..<min(next + perClaim, blocks.count)]
            next += round.count
            let claims = try engine.ledger.claim(
                runKey: runKey, blocks: round.map(\.block), runner: engine.runner, loaded: loaded, limit: round.count)
            perClaim = claims.contains { $0.othersActive || $0.takenOver } ? 1 : 16
            for block in round.map(\.block) where !claims.contains(where: { $0.block == block }) { passedOver.blocks.insert(block) }
            for claim in claims {
                var work = round.first { $0.block == claim.block }!.positions
                let lower = claim.block * Claim.blockSize
                statesReadAgain = claim.takenOver || claim.othersActive
                if statesReadAgain {
                    // What other runners committed since this one read the ledger: the block's
                    // states, and the delegations a runner that died had finished.
                    try drain()
                    try engine.ledger.loadStates(into: &states, positions: lower..<(lower + Claim.blockSize))
                    let finished = try engine.ledger.processed(runKey: runKey, positions: lower..<(lower + Claim.blockSize))
                    work.removeAll { finished.contains(workflow.delegations[$0].id) }
                }
                guard !work.isEmpty else {
                    try engine.ledger.release(claim, runner: engine.runner)
                    continue
                }
                self.claim = claim
                defer { self.claim = nil }
                try body(work, &states)
            }
        }
    }

    /// Runs the follow-up of a step that takes every invitee at once, if it has one: over the
    /// delegations its occurrence covered and the follow-up has not, a part at a time, each with
    /// its state as the occurrence left it. Resumed at the next tick after a crash.
    func followUp(_ planned: PlannedOccurrence, states: inout StateTable) throws {
        guard let size = manifest.followUp else { return }
        let covered = planned.runKey
        let runKey = covered + "·follow-up"
        try drain()
        if try engine.ledger.isDone(runKey: runKey) { return }
        let selected = try engine.ledger.processed(runKey: covered)
        let done = try engine.ledger.processed(runKey: runKey)
        let tracks = tracks.compactMap { track in states.index(ofTrack: track.id).map { (track, $0) } }
        let delegations = workflow.delegations
        var positions: [Int] = []
        for (position, delegation) in delegations.enumerated()
        where selected.contains(delegation.id) && (done.isEmpty || !done.contains(delegation.id)) {
            positions.append(position)
        }
        var count = 0, queued = 0
        try inClaimedBlocks(runKey: runKey, positions: positions, states: &states) { block, states in
            for (i, chunk) in block.chunked(size).enumerated() {
                releasing = (i + 1) * size >= block.count
                let invitees = chunk.map { position in
                    var current: [String: TrackState] = [:]
                    for (track, index) in tracks { current[track.id] = states[position, index] }
                    return Invitee(delegation: delegations[position], states: current, trigger: nil, replyLink: replyLink(delegations[position].id))
                }
                queued += try apply(invitees, occurrence: planned.occurrence, runKey: { _ in runKey }, whole: nil, followUp: true, states: &states)
                count += invitees.count
            }
        }
        // Done once every delegation the occurrence covered has had its follow-up, by this
        // runner or another.
        try drain()
        if try engine.ledger.processed(runKey: runKey).isSuperset(of: selected) {
            _ = try apply([], occurrence: planned.occurrence, runKey: { _ in runKey }, whole: runKey, followUp: true, states: &states)
        }
        report.steps.append((step.id, planned.occurrence.id + " (follow-up)", count, queued))
    }

    /// Runs a reply-triggered step once per unanswered reply (one reply per delegation per batch).
    func runReplies(states: inout StateTable, planner: Planner) throws {
        let prefix = String(planner.runKey(step, occurrence: "").dropLast(1))
        try drain()
        var replies = try engine.ledger.unansweredReplies(runKeyPrefix: prefix, tracks: step.tracks)
        let evaluator = ConditionEvaluator(condition: step.condition, tracks: tracks)
        let occurrence = Occurrence(id: "reply", dueAt: now)
        var covered = 0, queued = 0
        while !replies.isEmpty {
            // Each round takes at most one reply per delegation, oldest first.
            var seen = Set<String>()
            // The round's reply of the delegation at each roster position, by index in `round`.
            var round: [(delegation: String, reply: Reply)] = []
            var replyAt = [Int32](repeating: -1, count: workflow.delegations.count)
            var positions: [Int] = []
            var rest: [(delegation: String, reply: Reply)] = []
            for r in replies {
                guard seen.insert(r.delegation).inserted else {
                    rest.append(r)
                    continue
                }
                guard let position = states.position(of: r.delegation) else { continue }
                replyAt[position] = Int32(round.count)
                round.append(r)
                positions.append(position)
            }
            replies = rest
            positions.sort()
            // Replies are claimed by their delegation's block, under the step's claim key; a
            // block taken over from another runner is read again for what it answered.
            try inClaimedBlocks(runKey: prefix + "·reply", positions: positions, states: &states) { block, states in
                var work = block
                if claim?.takenOver == true {
                    let open = Set(try engine.ledger.unansweredReplies(runKeyPrefix: prefix, tracks: step.tracks).map(\.reply.sequence))
                    work.removeAll { !open.contains(round[Int(replyAt[$0])].reply.sequence) }
                }
                let size = chunkSize ?? 512
                if work.isEmpty { releasing = true }
                for (i, chunk) in (work.isEmpty ? [[]] : work.chunked(size).map(Array.init)).enumerated() {
                    releasing = (i + 1) * size >= work.count
                    var invitees: [Invitee] = []
                    var keys: [String: String] = [:]
                    for position in chunk {
                        let r = round[Int(replyAt[position])]
                        guard let track = workflow.track(r.reply.track) else { continue }
                        let delegation = workflow.delegations[position]
                        var state = states.state(delegation.id, track.id)
                        state.reply = r.reply
                        keys[delegation.id] = "\(prefix)·reply-\(r.reply.sequence)"
                        guard evaluator.holds(delegation, state, track) else { continue }
                        invitees.append(
                            Invitee(delegation: delegation, states: [track.id: state], trigger: r.reply, replyLink: replyLink(delegation.id)))
                    }
                    queued += try apply(invitees, occurrence: occurrence, runKey: { keys[$0]! }, whole: nil, states: &states)
                    covered += invitees.count
                }
            }
        }
        if covered > 0 { report.steps.append((step.id, "on-reply", covered, queued)) }
    }

    /// At most this many messages are rendered and committed together.
    static let messagesPerCommit = 1024

    /// Runs the plugin over one batch and applies its effects in one transaction.
    /// - Returns: how many messages were queued.
    func apply(
        _ invitees: [Invitee], occurrence: Occurrence, runKey: (String) -> String, whole: String?, followUp: Bool = false,
        states: inout StateTable
    ) throws -> Int {
        var clock = Stopwatch()
        let batchInput = StepBatch(event: workflow.event, tracks: tracks, occurrence: occurrence, now: now, invitees: invitees)
        var effects: [Effect]
        do {
            if invitees.isEmpty && (whole == nil || followUp) {
                effects = []
            } else {
                effects = followUp ? try step_.followUp(batchInput) : try step_.run(batchInput)
            }
        } catch {
            throw EngineError("\(blame) failed at \(occurrence.id): \(error)")
        }
        report.timings.plugins += clock.lap()
        var batch = LedgerBatch(stepID: step.id, at: now)
        // Every batch checks the claim it is done under; the block's last releases it.
        batch.claim = claim.map { ($0, engine.runner) }
        batch.releasesClaim = releasing
        // By index, not by value: a step that takes every invitee at once has tens of thousands.
        var members: [String: Int] = [:]
        members.reserveCapacity(invitees.count)
        for (i, invitee) in invitees.enumerated() where members[invitee.delegation.id] == nil { members[invitee.delegation.id] = i }
        var newStates: [(String, String, ParticipationStatus)] = []
        var sends: [PendingMessage] = []
        for effect in effects {
            switch effect {
            case .send(let message):
                guard let invitee = members[message.delegation].map({ invitees[$0] }) else {
                    throw EngineError("\(blame) wrote to '\(message.delegation)', which is not in its batch")
                }
                guard !message.to.isEmpty else {
                    throw EngineError("\(blame) produced a message to '\(message.delegation)' without recipients")
                }
                if manifest.followUp != nil, !followUp {
                    throw EngineError("\(blame) wrote to '\(message.delegation)' from its run; a step with a follow-up writes from the follow-up")
                }
                let occurrenceID = invitee.trigger.map { "reply-\($0.sequence)" } ?? occurrence.id
                sends.append(PendingMessage(message: message, runKey: runKey(message.delegation), occurrence: occurrenceID))
            case .setStatus(let delegation, let track, let status):
                guard let invitee = members[delegation].map({ invitees[$0] }), invitee.states[track] != nil else {
                    throw EngineError("\(blame) set the status of '\(delegation)' on '\(track)', which is not in its batch")
                }
                let from = states.state(delegation, track).status
                batch.transitions.append(.init(delegation: delegation, track: track, from: from, to: status))
                newStates.append((delegation, track, status))
            case .place(let delegation, let track, let placement):
                guard let invitee = members[delegation].map({ invitees[$0] }), invitee.states[track] != nil else {
                    throw EngineError("\(blame) placed '\(delegation)' on '\(track)', which is not in its batch")
                }
                batch.placements.append((delegation, track, placement))
            case .publish(let artifact):
                guard !artifact.name.isEmpty, FileOutbox.safeFileName(artifact.name) == artifact.name else {
                    throw EngineError("\(blame) published an artifact with an unsafe name '\(artifact.name)'")
                }
                let key = "\(whole ?? runKey(""))·\(artifact.name)"
                batch.artifacts.append(.init(key: key, occurrence: occurrence.id, artifact: artifact))
            }
        }
        var fileNames = Set<String>(minimumCapacity: sends.count)
        func checkFileNames(_ messages: [LedgerBatch.Message]) throws {
            for m in messages where !fileNames.insert(m.fileName).inserted {
                throw EngineError("\(blame) produced two messages for '\(m.delegation)' with the same discriminator")
            }
        }
        // Keys, names and rendering are pure and the bulk of a batch's work: every core shares them.
        let (stepID, domain, sender, now) = (step.id, domain, workflow.sender, now)
        let prepare: @Sendable (PendingMessage) -> LedgerBatch.Message = { pending in pending.prepared(stepID: stepID, domain: domain, sender: sender, at: now) }
        var queued = 0
        if followUp, sends.count > Self.messagesPerCommit {
            // A follow-up that writes many messages has them committed a part at a time, before
            // the rest of its batch, so that their bytes are never all in memory. A crash in
            // between leaves only queued messages, which change no state: the follow-up runs
            // again for the same delegations, and the ledger keeps each message's key once. (A
            // step's own run is never split: a rerun after a new reply could plan differently.)
            // Last first, so that each part's messages are released as it goes.
            effects = []
            sends.reverse()
            while sends.count > Self.messagesPerCommit {
                let part = Array(sends.suffix(Self.messagesPerCommit).reversed())
                sends.removeLast(Self.messagesPerCommit)
                var messages = LedgerBatch(stepID: step.id, at: now)
                messages.claim = batch.claim
                messages.messages = parallelMap(part, prepare)
                try checkFileNames(messages.messages)
                queued += messages.messages.count
                try pipeline.submit(messages)
            }
            sends.reverse()
        }
        batch.messages = parallelMap(sends, prepare)
        try checkFileNames(batch.messages)
        queued += batch.messages.count
        batch.processed = invitees.map { (runKey($0.delegation.id), $0.delegation.id) }
        batch.occurrenceDone = whole
        report.timings.rendering += clock.lap()
        // The pipeline commits the batch, then writes its new messages to the outbox, while
        // the next batch runs. The states below are the engine's view for the rest of the
        // tick; if the commit fails, the tick fails with it.
        try pipeline.submit(batch)
        report.timings.ledgerWait += clock.lap()
        for (delegation, track, status) in newStates {
            states.apply(delegation, track, status: status)
        }
        for (delegation, track, placement) in batch.placements {
            states.setPlacement(delegation, track, placement)
        }
        return queued
    }

    /// A delegation's reply link, if the workflow has a reply page.
    func replyLink(_ delegation: String) -> URL? {
        guard let links, let page = workflow.replyPage else { return nil }
        return links.link(for: delegation, expires: page.expires)
    }

    /// Waits for the batches submitted so far to be committed, so that the ledger can be read.
    func drain() throws {
        var clock = Stopwatch()
        report.add(try pipeline.drain())
        report.timings.ledgerWait += clock.lap()
    }
}

/// A message a step asked to send, checked, before it has its key, file name and bytes.
private struct PendingMessage: Sendable {
    var message: OutgoingMessage
    var runKey: String
    var occurrence: String

    /// The message with its idempotency key, Message-ID, outbox file name and rendered bytes.
    func prepared(stepID: String, domain: String, sender: Mailbox, at now: Date) -> LedgerBatch.Message {
        var key = runKey + "·" + message.delegation
        var fileName = stepID + "-" + occurrence + "-" + message.delegation
        if !message.discriminator.isEmpty {
            key += "·" + message.discriminator
            fileName += "-" + message.discriminator
        }
        let messageID = MessageID.make(idempotencyKey: key, domain: domain)
        let content = MailRenderer.render(message, envelope: MailEnvelope(from: sender, messageID: messageID, date: now))
        // The envelope: every address of To and Cc, once.
        var recipients: [String] = []
        for mailbox in message.to + message.cc where !recipients.contains(mailbox.email) { recipients.append(mailbox.email) }
        return LedgerBatch.Message(
            key: key, messageID: messageID, delegation: message.delegation, occurrence: occurrence,
            fileName: FileOutbox.safeFileName(fileName) + ".eml", subject: message.subject, content: Data(content),
            recipients: recipients.joined(separator: "\n"))
    }
}

/// Evaluates a step's condition for a (delegation, track) pair without re-parsing: each field
/// the condition reads is bound once to an accessor.
struct ConditionEvaluator {
    let condition: Condition?
    let accessors: [(Delegation, TrackState, TrackInfo) -> ConditionValue]

    init(condition: Condition?, tracks: [TrackInfo]) {
        self.condition = condition
        accessors = (condition?.fields ?? []).map(Self.accessor)
    }

    func holds(_ delegation: Delegation, _ state: TrackState, _ track: TrackInfo) -> Bool {
        guard let condition else { return true }
        return condition.evaluate { accessors[$0](delegation, state, track) }
    }

    static func accessor(_ field: String) -> (Delegation, TrackState, TrackInfo) -> ConditionValue {
        func text(_ s: String?) -> ConditionValue { s.map { $0.isEmpty ? .null : .string($0) } ?? .null }
        switch field {
        case "delegation.id": return { d, _, _ in .string(d.id) }
        case "delegation.language": return { d, _, _ in .string(d.language) }
        case "principal.name": return { d, _, _ in text(d.principal.name) }
        case "principal.title": return { d, _, _ in text(d.principal.title) }
        case "principal.rank": return { d, _, _ in text(d.principal.rank) }
        case "principal.gender": return { d, _, _ in .string(d.principal.gender.rawValue) }
        case "state.status": return { _, s, _ in .string(s.status.rawValue) }
        case "state.replied": return { _, s, _ in .bool(s.hasReplied) }
        case "state.answer": return { _, s, _ in s.reply.map { .string($0.answer.rawValue) } ?? .null }
        case "state.reminders": return { _, s, _ in .int(s.remindersSent) }
        case "state.speaking": return { _, s, _ in .bool(s.reply?.speakingRequested ?? false) }
        case "track.id": return { _, _, t in .string(t.id) }
        case "track.access": return { _, _, t in .string(t.access.rawValue) }
        default:
            let column = String(field.dropFirst("delegation.".count))
            return { d, _, _ in text(RosterLoader.column(column, of: d)) }
        }
    }
}

/// Maps over an array on every core, keeping order.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    let workers = min(ProcessInfo.processInfo.activeProcessorCount, max(1, items.count / 16))
    guard workers > 1 else { return items.map(transform) }
    let results = ResultSlots<R>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var i = worker
        while i < items.count {
            results.set(i, transform(items[i]))
            i += workers
        }
    }
    return results.values()
}

/// Result slots written by index from several threads; each slot is written by one thread only.
private final class ResultSlots<R: Sendable>: @unchecked Sendable {
    private var slots: [R?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: R) { slots.withUnsafeMutableBufferPointer { $0[i] = value } }
    func values() -> [R] { slots.map { $0! } }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

