public import Foundation
#if canImport(Glibc)
internal import Glibc
#endif

/// The default channel: a folder of RFC 5322 `.eml` files, one per message.
///
/// A run writes each message's file into the folder's `.staging` subfolder before the ledger
/// transaction that records the message commits, and moves it into the folder (a rename, so a
/// reader never sees half a message) once it has: the commit is the delivery, and the ledger
/// keeps the message's record but not its bytes. A run killed in between leaves files in
/// `.staging`; ``recover(ledger:)``, at the start of the next run, moves in those whose message
/// the ledger holds and deletes the others, whose batch never committed and is run again. The
/// folder holds every message exactly once.
public struct FileOutbox: Sendable {
    /// The folder.
    public var directory: URL

    /// The subfolder of ``directory`` where messages wait for their commit.
    public static let stagingFolderName = ".staging"

    /// Creates an outbox.
    public init(directory: URL) { self.directory = directory }

    /// Completes the deliveries a killed run left half done: a file in `.staging` whose message
    /// the ledger holds, committed by the batch that staged it, is moved into the folder; any
    /// other was staged for a batch that never committed (or for a message an earlier batch had
    /// already delivered), and is deleted.
    /// - Returns: how many files were moved into the folder.
    @discardableResult
    public func recover(ledger: Ledger) throws -> Int {
        let staging = directory.path + "/" + Self.stagingFolderName
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: staging), !entries.isEmpty else { return 0 }
        // A run staging now (another runner on the same outbox) holds its lock file: its
        // batches are its own. A lock file nobody holds is a killed run's.
        var live = Set<String>()
        var dead: [(name: String, fd: Int32)] = []
        for entry in entries where entry.hasSuffix(".lock") {
            let owner = String(entry.dropLast(5))
            let fd = open(staging + "/" + entry, O_RDWR | O_CLOEXEC)
            if fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 {
                dead.append((entry, fd))
            } else {
                live.insert(owner)
                if fd >= 0 { close(fd) }
            }
        }
        // Held while their batches are dealt with, then removed.
        func removeDeadLocks() {
            for lock in dead {
                unlink(staging + "/" + lock.name)
                close(lock.fd)
            }
            dead = []
        }
        defer { removeDeadLocks() }
        let batches = entries.filter { entry in
            guard !entry.hasSuffix(".lock") else { return false }
            guard let dash = entry.lastIndex(of: "-") else { return true }
            return !live.contains(String(entry[..<dash]))
        }
        let folder = try Folder(directory)
        var moved = 0
        for batch in batches.sorted() {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: staging + "/" + batch)) ?? []
            let committed = try ledger.stagedMessages(batch: batch, among: names)
            for name in names.sorted() {
                if committed.contains(name) {
                    try folder.publish(named: name, batch: batch)
                    moved += 1
                } else {
                    folder.discard(named: name, batch: batch)
                }
            }
            folder.removeBatchFolder(batch)
        }
        removeDeadLocks()
        folder.removeStagingIfEmpty()
        return moved
    }

    /// Opens (and makes, if asked) a folder inside an open folder.
    static func openFolder(_ name: String, in parent: Int32, path: String, create: Bool) throws -> Int32 {
        var fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0, errno == ENOENT, create {
            guard mkdirat(parent, name, 0o755) == 0 || errno == EEXIST else { throw failure(path + "/" + name) }
            fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        guard fd >= 0 else { throw failure(path + "/" + name) }
        return fd
    }

    /// Delivers every queued message of a ledger to the folder (messages queued for a mail
    /// server before the workflow's channel changed), after completing what a killed run left
    /// staged (``recover(ledger:)``).
    /// - Returns: how many were delivered.
    public func deliver(from ledger: Ledger, at now: Date) throws -> Int {
        removeAbandonedTemporaryFiles()
        var delivered = try recover(ledger: ledger)
        var folder: Folder?
        while true {
            let queued = try ledger.queuedMessages(limit: 1024)
            if queued.isEmpty { return delivered }
            if folder == nil { folder = try Folder(directory) }
            for message in queued {
                try folder!.writeAtomically(message.content, named: message.fileName)
            }
            try ledger.markDelivered(queued.map(\.sequence), at: now)
            delivered += queued.count
        }
    }

    /// Removes the temporary files of writes a killed process did not finish; their messages are
    /// still queued in the ledger and are written again.
    func removeAbandonedTemporaryFiles() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            // `.NAME.PID.tmp`: a process still running is writing it.
            let parts = name.split(separator: ".")
            if parts.count >= 3, let pid = Int32(parts[parts.count - 2]), pid != getpid(), kill(pid, 0) == 0 || errno == EPERM { continue }
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    /// Writes a file so that it appears whole or not at all: to a temporary name in the same
    /// folder, then renamed over the target (see ``Folder/writeAtomically(_:named:)``).
    /// - Returns: the file's URL.
    @discardableResult
    public static func writeAtomically(_ data: Data, named name: String, in directory: URL) throws -> URL {
        try Folder(directory).writeAtomically(data, named: name)
        return URL(fileURLWithPath: directory.path + "/" + name, isDirectory: false)
    }

    /// A folder held open, to write many files in it: names are resolved from the open folder,
    /// not from the root on every call. Created on first use.
    final class Folder {
        let path: String
        private let fd: Int32

        init(_ directory: URL) throws {
            // Paths as strings: URL.appendingPathComponent stats the file system to guess
            // whether the result is a folder, which cost more than a write.
            path = directory.path
            var fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd < 0, errno == ENOENT {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            }
            guard fd >= 0 else { throw FileOutbox.failure(path) }
            self.fd = fd
        }

        deinit {
            close(fd)
            releaseStagingLock()
            if let stagingFD { close(stagingFD) }
            if let batchFolder { close(batchFolder.fd) }
        }

        /// The `.staging` subfolder, opened (and made) on first use.
        private var stagingFD: Int32?
        /// The last batch folder used in `.staging`, held open.
        private var batchFolder: (name: String, fd: Int32)?

        private func staging() throws -> Int32 {
            if let stagingFD { return stagingFD }
            let staging = try FileOutbox.openFolder(FileOutbox.stagingFolderName, in: fd, path: path, create: true)
            stagingFD = staging
            return staging
        }

        /// A batch's folder in `.staging`, made on first use.
        private func folder(ofBatch batch: String) throws -> Int32 {
            if let batchFolder, batchFolder.name == batch { return batchFolder.fd }
            let opened = try FileOutbox.openFolder(batch, in: try staging(), path: path + "/" + FileOutbox.stagingFolderName, create: true)
            if let batchFolder { close(batchFolder.fd) }
            batchFolder = (batch, opened)
            return opened
        }

        /// Writes a message's file into its batch's folder in `.staging`.
        func stage(_ data: Data, named name: String, batch: String) throws {
            let folder = try folder(ofBatch: batch)
            let file = openat(folder, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            let path = self.path + "/" + FileOutbox.stagingFolderName + "/" + batch + "/" + name
            guard file >= 0 else { throw FileOutbox.failure(path) }
            let written = FileOutbox.writeAll(data, to: file)
            let closed = close(file) == 0
            guard written, closed else {
                let error = FileOutbox.failure(path)
                unlinkat(folder, name, 0)
                throw error
            }
        }

        /// Moves a staged file into the folder, over any file of the same name.
        func publish(named name: String, batch: String) throws {
            guard renameat(try folder(ofBatch: batch), name, fd, name) == 0 else { throw FileOutbox.failure(path + "/" + name) }
        }

        /// Deletes a staged file.
        func discard(named name: String, batch: String) {
            if let folder = try? folder(ofBatch: batch) { unlinkat(folder, name, 0) }
        }

        /// The lock file this run holds in `.staging` while it stages batches, so that another
        /// runner's ``FileOutbox/recover(ledger:)`` leaves them alone (and `.staging` is never
        /// empty, so never removed, under them).
        private var stagingLock: (name: String, fd: Int32)?

        /// Makes and locks `.staging/OWNER.lock`, where `OWNER` begins each of this run's batch
        /// names (`OWNER-1`, `OWNER-2`, …); held until ``releaseStagingLock()``.
        func holdStagingLock(owner: String) throws {
            guard stagingLock == nil else { return }
            let name = owner + ".lock"
            for _ in 0..<3 {
                let file = openat(try staging(), name, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
                if file < 0, errno == ENOENT, let stale = stagingFD {
                    // Another run removed `.staging` as this one opened it: open it again.
                    close(stale)
                    stagingFD = nil
                    continue
                }
                guard file >= 0 else { throw FileOutbox.failure(path + "/" + FileOutbox.stagingFolderName + "/" + name) }
                flock(file, LOCK_EX)
                stagingLock = (name, file)
                return
            }
            throw FileOutbox.failure(path + "/" + FileOutbox.stagingFolderName + "/" + name)
        }

        /// Deletes and unlocks this run's lock file.
        func releaseStagingLock() {
            guard let lock = stagingLock else { return }
            if let stagingFD { unlinkat(stagingFD, lock.name, 0) }
            close(lock.fd)
            stagingLock = nil
        }

        /// Removes `.staging` if nothing is left in it, so that the outbox holds only messages
        /// between runs.
        func removeStagingIfEmpty() {
            releaseStagingLock()
            if let stagingFD {
                close(stagingFD)
                self.stagingFD = nil
            }
            unlinkat(fd, FileOutbox.stagingFolderName, AT_REMOVEDIR)
        }

        /// Removes a batch's folder from `.staging` once every file in it has been moved in or
        /// deleted.
        func removeBatchFolder(_ batch: String) {
            if let folder = batchFolder, folder.name == batch {
                close(folder.fd)
                batchFolder = nil
            }
            if let staging = try? staging() { unlinkat(staging, batch, AT_REMOVEDIR) }
        }

        /// Writes a file so that it appears whole or not at all: to a temporary name in the
        /// folder, then renamed over the target (plain system calls: this runs once per message).
        ///
        /// An unnamed `O_TMPFILE` linked into place saves one directory operation, but on ext4
        /// it was up to three times slower than this once many files had recently been deleted.
        func writeAtomically(_ data: Data, named name: String) throws {
            let temporary = ".\(name).\(getpid()).tmp"
            let file = openat(fd, temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard file >= 0 else { throw FileOutbox.failure(path + "/" + temporary) }
            let written = FileOutbox.writeAll(data, to: file)
            let closed = close(file) == 0
            guard written, closed, renameat(fd, temporary, fd, name) == 0 else {
                let error = FileOutbox.failure(path + "/" + name)
                unlinkat(fd, temporary, 0)
                throw error
            }
        }
    }

    static func writeAll(_ data: Data, to fd: Int32) -> Bool {
        data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    static func failure(_ path: String) -> CocoaError {
        CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
    }

    /// A file name made of ASCII letters, digits, `-`, `_`, `.` and `+` only: every other
    /// character becomes `_`.
    public static func safeFileName(_ s: String) -> String {
        // This runs once per message: a name that is already safe is checked by bytes.
        if s.utf8.allSatisfy(isSafe) { return s }
        return String(s.map { $0.asciiValue.map(isSafe) == true ? $0 : "_" })
    }

    private static func isSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "+"):
            true
        default:
            false
        }
    }
}
