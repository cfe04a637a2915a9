internal import Dispatch
internal import Foundation
internal import Synchronization

/// Writes a tick's messages to a ``FileOutbox`` on a thread of its own, so that the file system
/// works while the engine renders the next batch and the ledger commits the previous one.
///
/// For each batch, the ``CommitPipeline`` has the writer stage the messages' files (in a folder
/// of the outbox's `.staging` named for the batch) before the ledger transaction that records
/// them, and move them into the outbox after it has committed. The commit is the delivery: a
/// crash before it leaves only staged files, which the next run deletes and writes again; a
/// crash after it leaves staged files the next run moves in (``FileOutbox/recover(ledger:)``).
/// Nothing is lost, and no file appears twice.
///
/// One thread writes: several threads creating files in one folder only queue on the folder's
/// lock.
final class OutboxWriter: Sendable {
    let outbox: FileOutbox
    /// Where the writer works; ``stage(_:batch:)`` and ``publish(_:inserted:batch:)`` run on it.
    let queue = DispatchQueue(label: "convene.outbox-writer")
    private let busy = Mutex(0.0)

    /// Begins the name of each of this writer's batches; its lock file in `.staging` is named for it.
    let owner: String

    init(outbox: FileOutbox, owner: String) {
        self.outbox = outbox
        self.owner = owner
    }

    /// The outbox folder, opened on the writer's first message; used on the writer's queue only.
    private nonisolated(unsafe) var openFolder: FileOutbox.Folder?

    private func folder() throws -> FileOutbox.Folder {
        if let openFolder { return openFolder }
        let opened = try FileOutbox.Folder(outbox.directory)
        try opened.holdStagingLock(owner: owner)
        openFolder = opened
        return opened
    }

    /// Writes a batch's messages into its folder in `.staging`; on the writer's queue.
    /// - Throws: ``EngineError`` naming the file that could not be written.
    func stage(_ messages: [LedgerBatch.Message], batch: String) throws {
        try timed {
            let folder = try folder()
            for message in messages {
                do {
                    try folder.stage(message.content, named: message.fileName, batch: batch)
                } catch {
                    throw EngineError("cannot write to the outbox \(outbox.directory.path): \(message.fileName): \(error)")
                }
            }
        }
    }

    /// Moves into the outbox the staged messages the batch's transaction took as new, and
    /// deletes those whose key the ledger already held; on the writer's queue.
    /// - Parameter inserted: per message, its ledger sequence if it was new.
    /// - Returns: how many were moved in.
    /// - Throws: ``EngineError`` if a file could not be moved; the next run moves it.
    func publish(_ messages: [LedgerBatch.Message], inserted: [Int64?], batch: String) throws -> Int {
        try timed {
            let folder = try folder()
            var moved = 0
            for (message, sequence) in zip(messages, inserted) {
                if sequence == nil {
                    folder.discard(named: message.fileName, batch: batch)
                    continue
                }
                do {
                    try folder.publish(named: message.fileName, batch: batch)
                } catch {
                    throw EngineError("cannot move \(message.fileName) into the outbox \(outbox.directory.path) (the next run will): \(error)")
                }
                moved += 1
            }
            folder.removeBatchFolder(batch)
            return moved
        }
    }

    /// Deletes the files staged for a batch whose transaction failed; on the writer's queue.
    func discard(_ messages: [LedgerBatch.Message], batch: String) {
        guard let folder = try? folder() else { return }
        for message in messages { folder.discard(named: message.fileName, batch: batch) }
        folder.removeBatchFolder(batch)
    }

    /// Removes the outbox's `.staging` once the tick is over, if nothing is left in it; on the
    /// writer's queue.
    func close() {
        openFolder?.removeStagingIfEmpty()
    }

    /// Seconds spent writing and moving files so far.
    var seconds: Double { busy.withLock { $0 } }

    private func timed<T>(_ body: () throws -> T) rethrows -> T {
        let clock = Stopwatch()
        defer {
            let seconds = clock.elapsedSinceStart
            busy.withLock { $0 += seconds }
        }
        return try body()
    }
}
