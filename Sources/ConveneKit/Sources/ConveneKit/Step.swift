public import Foundation

/// A step of a workflow: given a batch of invitees, it returns the effects to apply.
///
/// A step does no I/O of its own: the runtime reads the ledger, calls ``run(_:)``, and applies the
/// returned effects in one transaction. That keeps a step pure, testable and idempotent: the
/// same batch always yields the same effects.
public protocol Step: Sendable {
    /// What the step is, which version, and what configuration it takes.
    static var manifest: StepManifest { get }

    /// Makes the step from its configuration.
    /// - Parameter configuration: the step's `with:`, checked against ``StepManifest/configuration``
    ///   with defaults filled in.
    /// - Throws: ``StepError`` when the configuration is valid in shape but unusable.
    init(configuration: ConfigValue) throws

    /// Runs the step over one batch.
    /// - Parameter batch: the event, the tracks, the occurrence, the clock and the invitees.
    /// - Returns: the effects to apply; an invitee may get none.
    /// - Throws: ``StepError`` to fail the whole batch; nothing of it is applied.
    func run(_ batch: StepBatch) throws -> [Effect]

    /// Runs the step's follow-up over some of the invitees of a batch already applied, for a
    /// step whose manifest declares one (``StepManifest/followUp``).
    ///
    /// A step that takes every invitee at once (a seating plan) decides for all of them in
    /// ``run(_:)``, and writes to each of them here, a part at a time, so that tens of thousands
    /// of letters are never all in memory. Each invitee carries its state on the step's tracks as
    /// ``run(_:)`` left it (its status, its ``TrackState/placement``). The runtime runs the
    /// follow-up once per delegation, also after a crash between the two; a step with a
    /// follow-up sends its messages from it, not from ``run(_:)``.
    /// - Parameter batch: the same occurrence and tracks, some of the invitees.
    /// - Returns: the effects to apply; by default none.
    func followUp(_ batch: StepBatch) throws -> [Effect]
}

extension Step {
    /// No follow-up.
    public func followUp(_ batch: StepBatch) throws -> [Effect] { [] }
}

/// Describes a step to the host: identity, versions and configuration schema.
public struct StepManifest: Sendable {
    /// The plugin id a workflow names in `uses:` (`invite` in `uses: invite@1`).
    public var id: String
    /// The step's semantic version; `uses:` pins its major.
    public var version: SemanticVersion
    /// One line on what the step does, shown by `convene plugins`.
    public var summary: String
    /// The shape of the step's `with:`.
    public var configuration: ConfigSchema
    /// The interface version the step was built for.
    public var apiVersion: Int32
    /// How the runtime groups invitees into batches.
    public var batching: Batching
    /// For a step that takes every invitee at once, how many invitees at most each call of its
    /// ``Step/followUp(_:)`` gets; `nil` for a step without a follow-up.
    public var followUp: Int?

    /// Creates a manifest.
    /// - Parameters:
    ///   - id: the plugin id named in `uses:`.
    ///   - version: the step's version.
    ///   - summary: one line on what it does.
    ///   - configuration: the shape of its `with:`; an object schema.
    ///   - batching: how invitees are grouped; a step that orders or counts them all (a seating
    ///     plan) asks for ``Batching/all``.
    public init(
        id: String, version: SemanticVersion, summary: String, configuration: ConfigSchema,
        batching: Batching = .chunks(of: 512)
    ) {
        self.id = id
        self.version = version
        self.summary = summary
        self.configuration = configuration
        self.apiVersion = conveneKitAPIVersion
        self.batching = batching
    }

    /// Creates a manifest for a step that takes every invitee at once and then follows up on
    /// them a part at a time (see ``Step/followUp(_:)``).
    /// - Parameters:
    ///   - id: the plugin id named in `uses:`.
    ///   - version: the step's version.
    ///   - summary: one line on what it does.
    ///   - configuration: the shape of its `with:`; an object schema.
    ///   - followUp: at most this many invitees per call of the follow-up.
    public init(id: String, version: SemanticVersion, summary: String, configuration: ConfigSchema, followUp: Int) {
        self.init(id: id, version: version, summary: summary, configuration: configuration, batching: .all)
        self.followUp = max(1, followUp)
    }

    /// How the runtime groups invitees into batches for one occurrence.
    public enum Batching: Sendable, Hashable {
        /// Independent invitees, at most this many per batch (and per transaction).
        case chunks(of: Int)
        /// Every matching invitee in one batch.
        case all
    }
}

/// A `major.minor.patch` version.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// Incompatible changes.
    public var major: Int
    /// Compatible additions.
    public var minor: Int
    /// Fixes.
    public var patch: Int

    /// Creates a version.
    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (a: Self, b: Self) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }
}

/// A step's refusal to run, shown to the operator with the step's id.
public struct StepError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in the operator's terms.
    public var message: String

    /// Creates an error.
    /// - Parameter message: what went wrong.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// What a step is given to run: one occurrence of its schedule over some invitees.
public struct StepBatch: Sendable {
    /// The event.
    public var event: EventInfo
    /// The tracks this step is applied to (a step may cover several at once).
    public var tracks: [TrackInfo]
    /// Which firing of the step's schedule this is.
    public var occurrence: Occurrence
    /// The clock's time for this tick.
    public var now: Date
    /// The invitees whose condition holds, each at most once.
    public var invitees: [Invitee]

    /// Creates a batch.
    public init(event: EventInfo, tracks: [TrackInfo], occurrence: Occurrence, now: Date, invitees: [Invitee]) {
        self.event = event
        self.tracks = tracks
        self.occurrence = occurrence
        self.now = now
        self.invitees = invitees
    }
}

/// One firing of a step's schedule.
public struct Occurrence: Sendable, Hashable {
    /// Stable id, part of every idempotency key (`at`, `before-14d`, `reply-42`).
    public var id: String
    /// When it was due, in UTC.
    public var dueAt: Date
    /// Position among the schedule's firings, from 0.
    public var index: Int
    /// How many firings the schedule has (1 for `at:`, the number of offsets for `before: [...]`).
    public var count: Int

    /// Whether this is the schedule's last firing (the last reminder, say).
    public var isLast: Bool { index == count - 1 }

    /// Creates an occurrence.
    public init(id: String, dueAt: Date, index: Int = 0, count: Int = 1) {
        self.id = id
        self.dueAt = dueAt
        self.index = index
        self.count = count
    }
}

/// A delegation with its state on the tracks of the batch.
public struct Invitee: Sendable {
    /// Who.
    public var delegation: Delegation
    /// State per track id, for the batch's tracks.
    public var states: [String: TrackState]
    /// For steps run `on: reply`, the reply this run answers.
    public var trigger: Reply?
    /// The delegation's personal reply link, when the workflow has a reply page: signed by the
    /// runtime, bound to the delegation and the event, and expiring some time after the reply
    /// deadline. A letter may print it; a step cannot make one.
    public var replyLink: URL?

    /// Creates an invitee.
    public init(delegation: Delegation, states: [String: TrackState], trigger: Reply? = nil) {
        self.init(delegation: delegation, states: states, trigger: trigger, replyLink: nil)
    }

    /// Creates an invitee with a reply link.
    public init(delegation: Delegation, states: [String: TrackState], trigger: Reply?, replyLink: URL?) {
        self.delegation = delegation
        self.states = states
        self.trigger = trigger
        self.replyLink = replyLink
    }

    /// The state on a track, `.notInvited` when the ledger has none.
    public func state(on track: String) -> TrackState {
        states[track] ?? TrackState()
    }
}
