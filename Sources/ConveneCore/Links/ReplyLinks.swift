internal import Crypto
public import Foundation
#if canImport(Glibc)
internal import Glibc
#endif

/// Personal reply links: one per (delegation, event), which the reply page accepts as proof that
/// whoever holds it may answer for that delegation, until it expires.
///
/// A link is the reply page's URL followed by a token `DELEGATION.EXPIRY.SIGNATURE`: the
/// delegation's id, the expiry in seconds since 1970, and an HMAC-SHA256 (base64url, unpadded)
/// of both together with the workflow's id and the event's reference, under the workflow's
/// signing key. Nobody without the key can make a link for another delegation or move the expiry;
/// a link made for another workflow or event does not verify. The check compares signatures in
/// constant time.
public struct ReplyLinks: Sendable {
    /// The reply page; tokens are appended to its path.
    public let page: URL
    /// The workflow whose key signs the links.
    public let workflowID: String
    /// The event's reference, bound into every signature.
    public let eventReference: String
    /// The page's address without trailing slashes, made once: a link is made per invitee.
    private let base: String
    private let signingKey: SigningKey
    private var key: SymmetricKey { signingKey.symmetricKey }

    /// Creates a signer and checker.
    /// - Parameters:
    ///   - page: the reply page's URL.
    ///   - key: the workflow's signing key (see ``SigningKeyStore``).
    ///   - workflowID: the workflow's id.
    ///   - eventReference: the event's reference.
    public init(page: URL, key: SigningKey, workflowID: String, eventReference: String) {
        self.page = page
        var base = page.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        signingKey = key
        self.workflowID = workflowID
        self.eventReference = eventReference
    }

    /// A delegation's link.
    /// - Parameters:
    ///   - delegation: the delegation's id (ASCII letters, digits, `-`, `_`, `.`, as the roster
    ///     requires).
    ///   - expires: when the link stops being accepted.
    public func link(for delegation: String, expires: Date) -> URL {
        URL(string: base + "/" + token(for: delegation, expires: expires))!
    }

    /// A delegation's token, the last path component of its link.
    public func token(for delegation: String, expires: Date) -> String {
        let expiry = Int64(expires.timeIntervalSince1970.rounded(.up))
        let signature = HMAC<SHA256>.authenticationCode(for: signed(delegation, expiry), using: key)
        return "\(delegation).\(expiry).\(Base64URL.encode(Data(signature)))"
    }

    /// Checks a token (or a whole link) and tells whose it is.
    /// - Parameters:
    ///   - token: the token, or a link ending with it.
    ///   - now: the clock's time.
    /// - Returns: the delegation's id and the link's expiry.
    /// - Throws: ``ReplyLinkError``: a token that is not one, a signature that does not match
    ///   (altered, or made for another delegation, workflow or event), or an expired link. The
    ///   signature is checked before the expiry, so an altered expiry is a forgery, not an
    ///   expiry.
    public func verify(_ token: String, now: Date) throws(ReplyLinkError) -> (delegation: String, expires: Date) {
        let token = token.split(separator: "/").last.map(String.init) ?? token
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        // The signature must be written as the link writes it: base64url leaves two bits of its
        // last character unused, and a token that differs there is not the token that was sent.
        let written = String(parts[parts.count - 1])
        guard parts.count >= 3, let expiry = Int64(parts[parts.count - 2]),
            let signature = Base64URL.decode(written), signature.count == SHA256.byteCount
        else { throw .malformed }
        guard Base64URL.encode(signature) == written else { throw .forged }
        let delegation = parts[..<(parts.count - 2)].joined(separator: ".")
        guard !delegation.isEmpty,
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signed(delegation, expiry), using: key)
        else { throw .forged }
        let expires = Date(timeIntervalSince1970: TimeInterval(expiry))
        guard now < expires else { throw .expired(expires) }
        return (delegation, expires)
    }

    /// What a signature covers: a fixed label and version, the workflow, the event, the
    /// delegation and the expiry, separated by NUL bytes (none of them can hold one).
    private func signed(_ delegation: String, _ expiry: Int64) -> Data {
        Data("convene-reply-link-v1\0\(workflowID)\0\(eventReference)\0\(delegation)\0\(expiry)".utf8)
    }
}

/// Why a reply link was refused.
public enum ReplyLinkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not a reply link's token.
    case malformed
    /// The signature does not match: altered, or made for another delegation, workflow or event.
    case forged
    /// A genuine link, past its expiry.
    case expired(Date)

    public var description: String {
        switch self {
        case .malformed: "this is not a reply link"
        case .forged: "this reply link has been altered, or belongs to another event"
        case .expired(let date): "this reply link expired on \(date.formatted(.iso8601))"
        }
    }
}

/// A workflow's signing key for reply links.
public struct SigningKey: Sendable {
    // The bytes, not swift-crypto's `SymmetricKey`, which is not `Sendable` on Linux.
    private let bytes: Data

    /// A key from its 32 bytes.
    init?(bytes: Data) {
        guard bytes.count == SigningKeyStore.keyByteCount else { return nil }
        self.bytes = bytes
    }

    var symmetricKey: SymmetricKey { SymmetricKey(data: bytes) }

    /// The key as a store's file holds it: base64 and a newline.
    var fileContents: Data { Data((bytes.base64EncodedString() + "\n").utf8) }
}

/// Where workflows' signing keys are kept: a folder of their own, outside every workflow folder,
/// so that a key never lands in an outbox, an archive of the campaign or a repository.
///
/// The folder is `$CONVENE_KEYS` if set, else `$XDG_CONFIG_HOME/convene/keys`, else
/// `~/.config/convene/keys`. A workflow's key is `<workflow id>.key` there: 32 random bytes in
/// base64, made on first use, readable by its owner only. Losing it invalidates the links
/// already sent; copying it to another organiser's machine lets that machine check them.
public struct SigningKeyStore: Sendable {
    /// The folder.
    public var directory: URL

    static let keyByteCount = 32

    /// A store in a folder.
    public init(directory: URL) { self.directory = directory }

    /// The store in the default folder for an environment.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> SigningKeyStore {
        if let keys = environment["CONVENE_KEYS"], !keys.isEmpty {
            return SigningKeyStore(directory: URL(fileURLWithPath: keys, isDirectory: true))
        }
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config", isDirectory: true)
        return SigningKeyStore(directory: config.appendingPathComponent("convene/keys", isDirectory: true))
    }

    /// The file holding a workflow's key.
    public func file(for workflowID: String) -> URL {
        directory.appendingPathComponent("\(workflowID).key", isDirectory: false)
    }

    /// A workflow's key, made (and kept) on first use.
    /// - Parameters:
    ///   - workflowID: the workflow's id.
    ///   - workflowDirectory: the workflow's folder, which must not hold the key.
    /// - Throws: ``SigningKeyError`` if the folder is inside the workflow's, or the key cannot be
    ///   read, made or kept, or its file does not hold a key.
    public func key(for workflowID: String, workflowDirectory: URL) throws(SigningKeyError) -> SigningKey {
        if let key = try keptKey(for: workflowID, workflowDirectory: workflowDirectory) { return key }
        return try make(file(for: workflowID))
    }

    /// A workflow's key if the store already keeps one; never makes it.
    /// - Throws: ``SigningKeyError`` as ``key(for:workflowDirectory:)`` does, but for making the key.
    func keptKey(for workflowID: String, workflowDirectory: URL) throws(SigningKeyError) -> SigningKey? {
        let folder = directory.standardizedFileURL.resolvingSymlinksInPath().path
        let workflow = workflowDirectory.standardizedFileURL.resolvingSymlinksInPath().path
        if folder == workflow || folder.hasPrefix(workflow.hasSuffix("/") ? workflow : workflow + "/") {
            throw SigningKeyError(
                "the signing key folder \(directory.path) is inside the workflow's folder; keep keys apart (set CONVENE_KEYS)")
        }
        return try read(file(for: workflowID))
    }

    private func read(_ file: URL) throws(SigningKeyError) -> SigningKey? {
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: text), let key = SigningKey(bytes: bytes) else {
            throw SigningKeyError("\(file.path) does not hold a Convene signing key (32 bytes in base64)")
        }
        return key
    }

    /// Keeps a key made elsewhere as a workflow's key in this store, replacing any it held: for
    /// a throwaway store that stands in for the real one (see ``Projection``).
    /// - Throws: ``SigningKeyError`` if the folder or the file cannot be written.
    func keep(_ key: SigningKey, for workflowID: String) throws(SigningKeyError) {
        let file = file(for: workflowID)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try key.fileContents.write(to: file, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        } catch {
            throw SigningKeyError("cannot write \(file.path): \(error.localizedDescription)")
        }
    }

    /// Makes a key under a temporary name and links it into place: two runs that start at once
    /// end up with the same key, the one linked first.
    private func make(_ file: URL) throws(SigningKeyError) -> SigningKey {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SigningKeyError("cannot make the signing key folder \(directory.path): \(error.localizedDescription)")
        }
        var bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        defer { bytes.resetBytes(in: 0..<bytes.count) }
        let temporary = directory.appendingPathComponent(".\(file.lastPathComponent).\(getpid()).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SigningKeyError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let text = Array((bytes.base64EncodedString() + "\n").utf8)
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == text.count
        let synced = fsync(fd) == 0
        close(fd)
        defer { unlink(temporary) }
        guard written, synced else { throw SigningKeyError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        if link(temporary, file.path) != 0 {
            guard errno == EEXIST, let theirs = try read(file) else {
                throw SigningKeyError("cannot keep the signing key at \(file.path): \(String(cString: strerror(errno)))")
            }
            return theirs
        }
        return SigningKey(bytes: bytes)!
    }
}

/// A signing key that could not be read, made or kept.
public struct SigningKeyError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5).
enum Base64URL {
    /// By bytes: a signature is encoded for every invitee of every batch.
    static func encode(_ data: Data) -> String {
        var bytes = Array(data.base64EncodedString().utf8)
        while bytes.last == UInt8(ascii: "=") { bytes.removeLast() }
        for i in bytes.indices {
            if bytes[i] == UInt8(ascii: "+") { bytes[i] = UInt8(ascii: "-") } else if bytes[i] == UInt8(ascii: "/") { bytes[i] = UInt8(ascii: "_") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func decode(_ text: String) -> Data? {
        guard text.utf8.allSatisfy({ b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
        }) else { return nil }
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}
