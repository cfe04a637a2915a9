internal import CCurl
public import Foundation

/// How a workflow's messages reach a mail server (`channel:` with `type: smtp`).
///
/// ```yaml
/// channel:
///   type: smtp
///   host: smtp.example.org
///   port: 587                  # 587 by default; 465 with security: tls
///   security: starttls         # starttls (the default), tls (implicit) or none
///   ca-file: /etc/ssl/private-ca.pem   # a private authority's certificate; the system's by default
///   user: convene              # optional
///   password-env: SMTP_PASSWORD   # or password-file: /run/secrets/smtp; never in the workflow
///   rate: 60                   # messages per minute at most; no limit by default
///   retries: 5                 # a message deferred (4xx) more often than this fails
///   backoff: 1m                # wait before the first retry; doubled each time, ±20%
/// ```
public struct SMTPSettings: Sendable, Hashable {
    /// How the connection is protected.
    public enum Security: String, Sendable, Hashable, CaseIterable {
        /// Plain connection upgraded with STARTTLS; refused if the server does not offer it.
        case starttls
        /// TLS from the first byte (SMTPS).
        case tls
        /// No encryption: for a server on loopback only.
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var user: String?
    /// The environment variable that holds the password.
    public var passwordEnvironment: String?
    /// The file that holds the password.
    public var passwordFile: String?
    /// Messages per minute at most.
    public var rate: Int?
    /// How many times a deferred message is retried before it fails.
    public var retries: Int
    /// The wait before the first retry, in seconds.
    public var backoff: TimeInterval
    /// The certificate of a private authority the server's certificate is checked against; the
    /// system's authorities when `nil`. The server's certificate is always checked.
    public var caFile: String? = nil

    /// Creates settings.
    public init(
        host: String, port: Int, security: Security = .starttls, user: String? = nil, passwordEnvironment: String? = nil,
        passwordFile: String? = nil, rate: Int? = nil, retries: Int = 5, backoff: TimeInterval = 60
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.user = user
        self.passwordEnvironment = passwordEnvironment
        self.passwordFile = passwordFile
        self.rate = rate
        self.retries = retries
        self.backoff = backoff
    }

    /// The server's address for libcurl.
    var url: String { "\(security == .tls ? "smtps" : "smtp")://\(host):\(port)" }

    /// The password, from the environment or its file.
    /// - Throws: ``ChannelError`` if the variable is unset or the file unreadable.
    func password(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ChannelError) -> String? {
        if let name = passwordEnvironment {
            guard let value = environment[name] else { throw ChannelError("channel.password-env: $\(name) is not set") }
            return value
        }
        if let file = passwordFile {
            guard let data = FileManager.default.contents(atPath: file) else { throw ChannelError("channel.password-file: cannot read \(file)") }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        return nil
    }

    /// The wait before retry number `attempt` (1 for the first), doubled each time, with `jitter`
    /// (a factor between 0.8 and 1.2) so that many deferred messages do not come back at once.
    func delay(beforeRetry attempt: Int, jitter: Double) -> TimeInterval {
        backoff * pow(2, Double(max(0, attempt - 1))) * jitter
    }
}

/// A channel that cannot deliver: its configuration, its server, its password.
public struct ChannelError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What the server made of a message.
enum SMTPOutcome: Equatable {
    /// Accepted, with the server's reply.
    case sent(String)
    /// Refused for now (4xx, or no connection): to be retried.
    case deferred(String)
    /// Refused for good (5xx).
    case failed(String)
}

/// One connection to a mail server, kept open from one message to the next.
final class SMTPConnection {
    private let handle: UnsafeMutableRawPointer
    private let settings: SMTPSettings

    /// Opens nothing yet: libcurl connects on the first message and keeps the connection.
    init(settings: SMTPSettings, password: String?) throws(ChannelError) {
        guard let handle = curl_easy_init() else { throw ChannelError("libcurl could not start") }
        self.handle = handle
        self.settings = settings
        var ok = ccurl_set_string(handle, CURLOPT_URL, settings.url) == CURLE_OK
        switch settings.security {
        case .starttls: ok = ok && ccurl_set_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) == CURLE_OK
        case .tls, .none: break
        }
        if let caFile = settings.caFile { ok = ok && ccurl_set_string(handle, CURLOPT_CAINFO, caFile) == CURLE_OK }
        if let user = settings.user { ok = ok && ccurl_set_string(handle, CURLOPT_USERNAME, user) == CURLE_OK }
        if let password { ok = ok && ccurl_set_string(handle, CURLOPT_PASSWORD, password) == CURLE_OK }
        ok = ok && ccurl_set_long(handle, CURLOPT_CONNECTTIMEOUT, 30) == CURLE_OK
        ok = ok && ccurl_set_long(handle, CURLOPT_TIMEOUT, 120) == CURLE_OK
        ok = ok && ccurl_record_replies(handle) == CURLE_OK
        guard ok else {
            curl_easy_cleanup(handle)
            throw ChannelError("libcurl refused the SMTP settings for \(settings.url)")
        }
    }

    deinit { curl_easy_cleanup(handle) }

    /// Sends one message.
    /// - Parameters:
    ///   - sender: the envelope's sender (`MAIL FROM`).
    ///   - recipients: the envelope's recipients (`RCPT TO`), each address once.
    ///   - content: the RFC 5322 message.
    func send(from sender: String, to recipients: [String], content: Data) -> SMTPOutcome {
        var list: UnsafeMutablePointer<curl_slist>?
        for recipient in recipients { list = curl_slist_append(list, "<\(recipient)>") }
        defer { curl_slist_free_all(list) }
        guard ccurl_set_string(handle, CURLOPT_MAIL_FROM, "<\(sender)>") == CURLE_OK,
            ccurl_set_list(handle, CURLOPT_MAIL_RCPT, list) == CURLE_OK
        else { return .deferred("libcurl refused the envelope") }
        let upload = Upload(content)
        let context = Unmanaged.passUnretained(upload).toOpaque()
        guard ccurl_set_upload(handle, { buffer, size, context in
            guard let buffer, let context else { return 0 }
            return Unmanaged<Upload>.fromOpaque(context).takeUnretainedValue().read(into: buffer, size: size)
        }, context) == CURLE_OK else { return .deferred("libcurl refused the message") }
        ccurl_forget_replies()
        let code = withExtendedLifetime(upload) { curl_easy_perform(handle) }
        if code == CURLE_OK {
            let reply = String(cString: ccurl_last_reply())
            return .sent(reply.isEmpty ? "250" : reply)
        }
        let refusal = String(cString: ccurl_last_refusal())
        let detail = refusal.isEmpty ? String(cString: curl_easy_strerror(code)) : refusal
        // 5xx is final; anything else (4xx, a connection that failed) may pass later.
        if refusal.hasPrefix("5") || (500..<600).contains(ccurl_response_code(handle)) { return .failed(detail) }
        return .deferred(detail)
    }

    /// A message handed to libcurl a part at a time.
    private final class Upload {
        let bytes: [UInt8]
        var offset = 0
        init(_ data: Data) { bytes = [UInt8](data) }

        func read(into buffer: UnsafeMutablePointer<CChar>, size: Int) -> Int {
            let count = min(size, bytes.count - offset)
            guard count > 0 else { return 0 }
            bytes.withUnsafeBufferPointer { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: count)
            }
            offset += count
            return count
        }
    }
}

/// Delivers a ledger's messages to a mail server, one after the other over one connection.
///
/// Before each message the ledger records it as being sent; after it, sent with the server's
/// reply, deferred until a later time (4xx, retried with exponential backoff and jitter up to
/// `retries` times), or failed (5xx: never retried without `convene outbox --retry`). A process
/// killed while a message is in flight resends that one message, with the same Message-ID.
public struct SMTPDelivery: Sendable {
    /// The server.
    public var settings: SMTPSettings
    /// The envelope's sender.
    public var sender: String

    /// Creates a delivery.
    public init(settings: SMTPSettings, sender: String) {
        self.settings = settings
        self.sender = sender
    }

    /// What one delivery did.
    public struct Report: Sendable {
        public var sent = 0, deferred = 0, failed = 0
    }

    /// Sends every message due at `now`.
    /// - Throws: ``ChannelError`` for settings that cannot be used, ``LedgerError``.
    public func deliver(from ledger: Ledger, at now: Date) throws -> Report {
        var report = Report()
        var due = try ledger.messagesToSend(at: now)
        guard !due.isEmpty else { return report }
        let connection = try SMTPConnection(settings: settings, password: try settings.password())
        let interval = settings.rate.map { 60 / Double(max(1, $0)) } ?? 0
        var last: Date?
        var random = SystemRandomNumberGenerator()
        // A part of the queue at a time: a campaign's queue may hold a hundred thousand messages.
        while !due.isEmpty {
            try send(due, over: connection, interval: interval, last: &last, random: &random, ledger: ledger, now: now, report: &report)
            due = try ledger.messagesToSend(at: now, after: due.last!.sequence)
        }
        return report
    }

    private func send(
        _ due: [(sequence: Int64, recipients: [String], content: Data)], over connection: SMTPConnection, interval: TimeInterval,
        last: inout Date?, random: inout SystemRandomNumberGenerator, ledger: Ledger, now: Date, report: inout Report
    ) throws {
        for message in due {
            if let last, interval > 0 {
                let wait = interval - Date().timeIntervalSince(last)
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            }
            // Another runner on the same ledger may be sending it, or have sent it.
            guard let attempt = try ledger.markSending(message.sequence) else { continue }
            last = Date()
            switch connection.send(from: sender, to: message.recipients, content: message.content) {
            case .sent(let reply):
                try ledger.markSent(message.sequence, reply: reply, at: now)
                report.sent += 1
            case .deferred(let reply) where attempt <= settings.retries:
                let jitter = Double.random(in: 0.8...1.2, using: &random)
                try ledger.markDeferred(message.sequence, reply: reply, until: now.addingTimeInterval(settings.delay(beforeRetry: attempt, jitter: jitter)))
                report.deferred += 1
            case .deferred(let reply), .failed(let reply):
                try ledger.markFailed(message.sequence, reply: reply, at: now)
                report.failed += 1
            }
        }
    }
}
