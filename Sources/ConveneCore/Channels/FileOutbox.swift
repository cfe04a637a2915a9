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

    /// Writes a file so that it appears whole or not at all.
    /// - Returns: the file's URL.
    @discardableResult
    public static func writeAtomically(_ data: Data, named name: String, in directory: URL) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let target = directory.appendingPathComponent(name)
        let temporary = directory.appendingPathComponent(".\(name).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path, NSLocalizedDescriptionKey: reason])
        }
        return target
    }

    /// A file name made of ASCII letters, digits, `-`, `_`, `.` and `+` only.
    public static func safeFileName(_ s: String) -> String {
        String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.+".contains($0)) ? $0 : "_" })
    }
}
