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
        while true {
            let queued = try ledger.queuedMessages(limit: 1024)
            if queued.isEmpty { return delivered }
            for message in queued {
                _ = try Self.writeAtomically(message.content, named: message.fileName, in: directory)
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
    /// folder, then renamed over the target (plain system calls: this runs once per message).
    ///
    /// An unnamed `O_TMPFILE` linked into place saves one directory operation, but on ext4 it
    /// was up to three times slower than this once many files had recently been deleted.
    /// - Returns: the file's URL.
    @discardableResult
    public static func writeAtomically(_ data: Data, named name: String, in directory: URL) throws -> URL {
        // Paths as strings: URL.appendingPathComponent stats the file system to guess whether
        // the result is a folder, which cost more than the write itself.
        let folder = directory.path
        let target = folder + "/" + name
        let temporary = folder + "/.\(name).\(getpid()).tmp"
        var fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0, errno == ENOENT {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw failure(temporary) }
        let written = writeAll(data, to: fd)
        let closed = close(fd) == 0
        guard written, closed, rename(temporary, target) == 0 else {
            let error = failure(target)
            unlink(temporary)
            throw error
        }
        return URL(fileURLWithPath: target, isDirectory: false)
    }

    private static func writeAll(_ data: Data, to fd: Int32) -> Bool {
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

    private static func failure(_ path: String) -> CocoaError {
        CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
    }

    /// A file name made of ASCII letters, digits, `-`, `_`, `.` and `+` only.
    public static func safeFileName(_ s: String) -> String {
        String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.+".contains($0)) ? $0 : "_" })
    }
}
