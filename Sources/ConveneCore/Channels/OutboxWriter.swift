internal import Dispatch
internal import Foundation
internal import Synchronization

/// Writes committed messages to a ``FileOutbox`` on a thread of its own, so that the file system
/// works while the engine renders and commits the next batch.
///
/// The engine hands over a batch only after its transaction has committed, and records a
/// message as delivered only after the writer reports its file written (``takeWritten()``), in a
/// later transaction. A crash in between leaves the message queued in the ledger, and the next
/// run writes the same file again: nothing is lost, and no file appears twice.
///
/// One thread writes: several threads creating files in one folder only queue on the folder's
/// lock.
final class OutboxWriter: Sendable {
    private struct State {
        var written: [Int64] = []
        var failure: String?
        var seconds: Double = 0
    }

    let outbox: FileOutbox
    private let queue = DispatchQueue(label: "convene.outbox-writer")
    private let state = Mutex(State())
    /// Bounds the batches handed over but not yet written, and so the memory they hold.
    private let slots: DispatchSemaphore

    /// - Parameter depth: how many batches may wait for the writer before ``write(_:)`` blocks.
    init(outbox: FileOutbox, depth: Int = 2) {
        self.outbox = outbox
        slots = DispatchSemaphore(value: depth)
    }

    /// Queues committed messages for writing; blocks while `depth` batches are waiting.
    /// - Throws: ``EngineError`` if an earlier write failed (nothing more is written then).
    func write(_ messages: [LedgerBatch.Message]) throws {
        try checkFailure()
        guard !messages.isEmpty else { return }
        slots.wait()
        let directory = outbox.directory
        queue.async { [self] in
            defer { slots.signal() }
            guard state.withLock({ $0.failure == nil }) else { return }
            let clock = Stopwatch()
            defer {
                let seconds = clock.elapsedSinceStart
                state.withLock { $0.seconds += seconds }
            }
            var sequences: [Int64] = []
            sequences.reserveCapacity(messages.count)
            for message in messages {
                do {
                    try folder().writeAtomically(message.content, named: message.fileName)
                    sequences.append(message.sequence)
                } catch {
                    let failure = "cannot write to the outbox \(directory.path): \(message.fileName): \(error)"
                    state.withLock {
                        $0.written += sequences
                        $0.failure = failure
                    }
                    return
                }
            }
            state.withLock { $0.written += sequences }
        }
    }

    /// The outbox folder, opened on the writer's first message; used on the writer's queue only.
    private nonisolated(unsafe) var openFolder: FileOutbox.Folder?

    private func folder() throws -> FileOutbox.Folder {
        if let openFolder { return openFolder }
        let opened = try FileOutbox.Folder(outbox.directory)
        openFolder = opened
        return opened
    }

    /// The ledger sequences of messages written since the last call.
    func takeWritten() -> [Int64] {
        state.withLock { state in
            defer { state.written = [] }
            return state.written
        }
    }

    /// Seconds spent writing files so far.
    var seconds: Double { state.withLock { $0.seconds } }

    /// Waits until every queued message is written (or a write failed).
    /// - Returns: the sequences written since the last ``takeWritten()``.
    /// - Throws: ``EngineError`` if a write failed; the messages stay queued in the ledger.
    func finish() throws -> [Int64] {
        queue.sync {}
        try checkFailure()
        return takeWritten()
    }

    private func checkFailure() throws {
        if let failure = state.withLock({ $0.failure }) { throw EngineError(failure) }
    }
}
