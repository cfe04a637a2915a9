@testable import ConveneCore
import ConveneKit
import Foundation
import Testing

/// The outbox folder's side of the commit that delivers a batch: files staged before it, moved
/// in after it, and what a run killed in between leaves for the next one.
@Suite("outbox staging")
struct OutboxStagingTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func workspace() throws -> (Ledger, FileOutbox) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convene-staging-\(UUID().uuidString)")
        let ledger = try Ledger(url: dir.appendingPathComponent("ledger.sqlite"))
        try ledger.syncRoster(["A", "B", "C"].map(Self.delegation), at: now)
        return (ledger, FileOutbox(directory: dir.appendingPathComponent("outbox")))
    }

    static func delegation(_ id: String) -> Delegation {
        Delegation(
            id: id, names: ["en": id], language: "en", principal: Principal(name: "P", title: "T", gender: .female),
            addresses: [Address(role: .principal, mailbox: Mailbox(email: "\(id.lowercased())@example.org"))])
    }

    static func message(_ delegation: String, _ text: String) -> LedgerBatch.Message {
        .init(
            key: "w·invite·at·\(delegation)", messageID: "\(delegation)@example.org", delegation: delegation, occurrence: "at",
            fileName: "invite-at-\(delegation).eml", subject: "S", content: Data(text.utf8))
    }

    func files(_ outbox: FileOutbox) throws -> [String: String] {
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: outbox.directory.path) {
            files[name] = (try? String(contentsOf: outbox.directory.appendingPathComponent(name), encoding: .utf8)) ?? "(folder)"
        }
        return files
    }

    /// Stages a batch's messages as a run does, and commits it unless told not to.
    func stage(_ messages: [LedgerBatch.Message], batch: String, commit: Bool, ledger: Ledger, outbox: FileOutbox) throws {
        let folder = try FileOutbox.Folder(outbox.directory)
        for m in messages { try folder.stage(m.content, named: m.fileName, batch: batch) }
        guard commit else { return }
        var records = LedgerBatch(stepID: "invite", at: now)
        records.messages = messages
        records.stagedAs = batch
        try ledger.apply(records)
    }

    @Test("a committed batch's files are moved in, an uncommitted batch's deleted, and a message delivered earlier is not delivered again")
    func recovery() throws {
        let (ledger, outbox) = try workspace()
        // Killed after the commit, before the files were moved in.
        try stage([Self.message("A", "to A"), Self.message("B", "to B")], batch: "run1-1", commit: true, ledger: ledger, outbox: outbox)
        // Killed before the commit.
        try stage([Self.message("C", "to C")], batch: "run1-2", commit: false, ledger: ledger, outbox: outbox)
        #expect(try files(outbox).keys.sorted() == [FileOutbox.stagingFolderName])
        #expect(try ledger.messageCounts() == ["delivered": 2], "the commit is the delivery")

        #expect(try outbox.recover(ledger: ledger) == 2)
        #expect(try files(outbox) == ["invite-at-A.eml": "to A", "invite-at-B.eml": "to B"], "C's batch runs again; nothing is left staged")

        // A rerun makes A's message again under a later batch (its key is already held): once
        // the original is gone from the folder (a mail program took it), it must not come back.
        try FileManager.default.removeItem(at: outbox.directory.appendingPathComponent("invite-at-A.eml"))
        try stage([Self.message("A", "to A again"), Self.message("C", "to C")], batch: "run2-1", commit: true, ledger: ledger, outbox: outbox)
        #expect(try outbox.recover(ledger: ledger) == 1)
        #expect(try files(outbox) == ["invite-at-B.eml": "to B", "invite-at-C.eml": "to C"])
        #expect(try ledger.messageCounts() == ["delivered": 3])
        #expect(try outbox.recover(ledger: ledger) == 0)
    }

    @Test("recovery leaves the batches of a run still staging (another runner on the same outbox) alone, and takes them once it is gone")
    func liveRunnerLeftAlone() throws {
        let (ledger, outbox) = try workspace()
        // A live run holds its lock file, named for its batches' prefix, while it stages.
        var live: FileOutbox.Folder? = try FileOutbox.Folder(outbox.directory)
        try live!.holdStagingLock(owner: "live")
        try live!.stage(Data("to A".utf8), named: "invite-at-A.eml", batch: "live-1")
        // A killed run's batch, committed, and its lock file left behind unlocked.
        try stage([Self.message("B", "to B")], batch: "dead-1", commit: true, ledger: ledger, outbox: outbox)
        #expect(FileManager.default.createFile(atPath: outbox.directory.path + "/\(FileOutbox.stagingFolderName)/dead.lock", contents: nil))

        #expect(try outbox.recover(ledger: ledger) == 1, "only the dead run's batch")
        let staging = outbox.directory.appendingPathComponent(FileOutbox.stagingFolderName)
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging.path).sorted() == ["live-1", "live.lock"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging.appendingPathComponent("live-1").path) == ["invite-at-A.eml"])

        // The live run is gone (killed: its lock is released, its file stays); its batch never
        // committed, so the next recovery deletes it.
        live = nil
        #expect(FileManager.default.createFile(atPath: staging.path + "/live.lock", contents: nil))
        #expect(try outbox.recover(ledger: ledger) == 0)
        #expect(try files(outbox) == ["invite-at-B.eml": "to B"])
    }

    @Test("messages staged for the outbox are stored as delivered without their bytes; messages for a mail server wait with theirs")
    func storedAsDelivered() throws {
        let (ledger, outbox) = try workspace()
        try stage([Self.message("A", "to A")], batch: "b-1", commit: true, ledger: ledger, outbox: outbox)
        #expect(try ledger.queuedMessages(limit: 10).isEmpty)
        var queued = LedgerBatch(stepID: "invite", at: now)
        queued.messages = [Self.message("B", "to B")]
        try ledger.apply(queued)
        #expect(try ledger.queuedMessages(limit: 10).map(\.content) == [Data("to B".utf8)])
        #expect(try ledger.messageCounts() == ["delivered": 1, "queued": 1])
    }
}
