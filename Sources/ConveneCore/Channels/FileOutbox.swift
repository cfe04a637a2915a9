public import Foundation
#if canImport(Glibc)
internal import Glibc
#endif

/// The default channel: a folder of RFC 5322 `.eml` files, one per message.
///
/// Each file is written to a temporary name and renamed into place, so a reader never sees half a
/// message; a message whose delivery was interrupted is written again under the same name, so
/// the folder holds every message exactly once.
public struct FileOutbox: Sendable {
    /// The folder.
    public var directory: URL

    /// Creates an outbox.
    public init(directory: URL) { self.directory = directory }

    /// Delivers every queued message of a ledger to the folder.
    /// - Returns: how many were delivered.
    public func deliver(from ledger: Ledger, at now: Date) throws -> Int {
        removeAbandonedTemporaryFiles()
        var delivered = 0
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

        deinit { close(fd) }

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
