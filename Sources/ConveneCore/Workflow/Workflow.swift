public import ConveneKit
public import ConveneYAML
public import Foundation

/// A validated workflow: the event, its roster, its tracks and the steps to run on them.
public struct Workflow: Sendable {
    /// Stable id, the first part of every idempotency key.
    public var id: String
    /// The workflow file.
    public var file: URL
    /// The event as steps see it (dates resolved to instants).
    public var event: EventInfo
    /// The mailbox messages are sent from.
    public var sender: Mailbox
    /// The roster file.
    public var rosterFile: URL
    /// The delegations, in roster order.
    public var delegations: [Delegation]
    /// A digest of the roster file's bytes, so that a ledger can tell an unchanged roster
    /// without comparing every row.
    public var rosterDigest: String
    /// The roster's column names, in order.
    public var rosterColumns: [String]
    /// The tracks, in workflow order.
    public var tracks: [TrackInfo]
    /// The steps, in workflow order.
    public var steps: [WorkflowStep]
    /// Where delegations reply on the web, if the workflow has a reply page: each letter can then
    /// carry the delegation's personal link.
    public var replyPage: ReplyPage? = nil
    /// Where messages go: a mail server (`channel:` with `type: smtp`), or, when `nil`, the
    /// outbox folder of `.eml` files.
    public var smtp: SMTPSettings? = nil
    /// Where the campaign's ledger is (`ledger:`), when the workflow says; `nil` for the SQLite
    /// file in ``stateDirectory``.
    public var ledger: LedgerLocation? = nil

    /// The folder holding the workflow file; relative paths resolve against it.
    public var directory: URL { file.deletingLastPathComponent() }

    /// The folder for the ledger and the outbox by default: `.convene/` beside the workflow.
    public var stateDirectory: URL { directory.appendingPathComponent(".convene", isDirectory: true) }

    /// The track with an id.
    public func track(_ id: String) -> TrackInfo? { tracks.first { $0.id == id } }
}

/// A workflow's reply page (`reply-page:`): where personal reply links point, and until when
/// they are accepted.
public struct ReplyPage: Sendable, Equatable {
    /// The page's URL; each link appends a delegation's token to its path.
    public var url: URL
    /// When links expire: the date named by `until:` (the reply deadline by default) plus
    /// `grace:`, so that a late reply can still arrive and meet the late-reply rule.
    public var expires: Date

    /// Creates a reply page.
    public init(url: URL, expires: Date) {
        self.url = url
        self.expires = expires
    }
}

/// A step of a workflow, bound to its plugin and tracks.
public struct WorkflowStep: Sendable {
    /// The step's id, unique in the workflow.
    public var id: String
    /// The plugin that runs it.
    public var plugin: PluginReference
    /// The tracks it applies to.
    public var tracks: [String]
    /// When it fires.
    public var schedule: Schedule
    /// Which (delegation, track) pairs it applies to; `nil` for all.
    public var condition: Condition?
    /// Its `with:`, checked against the plugin's schema, defaults filled in, templates read.
    public var configuration: ConfigValue
    /// Where it is written.
    public var location: SourceLocation

    /// The part of idempotency keys that names the step: `step` and its tracks.
    public var keyPrefix: String { "\(id)·\(tracks.joined(separator: "+"))" }
}

/// `uses: invite@1`.
public struct PluginReference: Sendable, Hashable, CustomStringConvertible {
    /// The plugin id.
    public var id: String
    /// The major version required.
    public var major: Int

    public var description: String { "\(id)@\(major)" }
}

/// When a step fires.
public enum Schedule: Sendable, Hashable {
    /// Once, at an instant.
    case at(Date)
    /// At offsets from a named date (`before: [14d, 3d]` of `deadlines.reply`), earliest first.
    case relative(anchor: String, offsets: [SignedOffset])
    /// Once for each reply received on the step's tracks.
    case onReply

    /// An offset before (`sign` −1) or after (`sign` +1) an anchor.
    public struct SignedOffset: Sendable, Hashable {
        /// −1 for `before:`, +1 for `after:`.
        public var sign: Int
        /// How far.
        public var offset: CalendarOffset

        /// The occurrence id: `before-14d`, `after-2d`.
        public var id: String { "\(sign < 0 ? "before" : "after")-\(offset)" }
    }
}
