internal import Foundation
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A running plugin executable: its standard input and output are pipes the host writes frames
/// to and reads frames from, within deadlines; its standard error is copied to the host's, each
/// line prefixed with the plugin's file name, and its last lines are kept for error messages.
///
/// The process runs in a process group of its own, so that stopping it also stops whatever it
/// started (a shell script's interpreter). It is used by one thread at a time (its
/// ``ProcessPlugin`` holds a lock around every exchange).
final class PluginProcess: @unchecked Sendable {
    /// Why an exchange with the process stopped.
    enum Failure: Error, CustomStringConvertible {
        /// The deadline passed.
        case timedOut
        /// Its end of a pipe is closed: it exited, or closed its standard input or output.
        case closed
        /// A system call failed.
        case system(String)

        var description: String {
            switch self {
            case .timedOut: "timed out"
            case .closed: "closed its standard input or output"
            case .system(let text): text
            }
        }
    }

    /// The process id, which is also its process group's.
    let pid: pid_t
    private var input: Int32
    private var output: Int32
    private let errors: StandardErrorRelay
    /// The wait status, once reaped.
    private var status: Int32?

    /// Starts an executable with no arguments, in the host's folder and environment.
    /// - Parameters:
    ///   - executable: the plugin's file.
    ///   - label: how its standard error lines are prefixed.
    /// - Throws: ``Failure/system(_:)`` when it cannot be started.
    init(executable: URL, label: String) throws(Failure) {
        let stdin = try Self.makePipe(), stdout = try Self.makePipe(), stderr = try Self.makePipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin.read, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout.write, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr.write, 2)
        // Every other descriptor of the host's stays out of the plugin, where the C library can
        // say so (glibc 2.34 and later); the host's own are opened close-on-exec in any case.
        if let closeFrom = Self.closeFrom { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The host blocks SIGPIPE around its writes; the plugin starts with no signal blocked and
        // the usual dispositions.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup(executable.path), nil]
        let environment: [UnsafeMutablePointer<CChar>?] = ProcessInfo.processInfo.environment.map { strdup("\($0)=\($1)") } + [nil]
        defer {
            for pointer in arguments { free(pointer) }
            for pointer in environment { free(pointer) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable.path, &actions, &attributes, arguments, environment)
        for fd in [stdin.read, stdout.write, stderr.write] { close(fd) }
        guard result == 0 else {
            for fd in [stdin.write, stdout.read, stderr.read] { close(fd) }
            throw .system("cannot be started: \(String(cString: strerror(result)))")
        }
        self.pid = pid
        input = stdin.write
        output = stdout.read
        _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
        errors = StandardErrorRelay(label: label)
        errors.start(reading: stderr.read)
    }

    deinit {
        stop()
    }

    /// `posix_spawn_file_actions_addclosefrom_np`, which Swift's view of the C library hides.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        #if os(Linux)
        let everywhere = UnsafeMutableRawPointer(bitPattern: 0)  // RTLD_DEFAULT
        #else
        let everywhere = UnsafeMutableRawPointer(bitPattern: -2)
        #endif
        guard let symbol = dlsym(everywhere, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// A pipe whose ends are closed in processes the host starts.
    private static func makePipe() throws(Failure) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .system("cannot make a pipe: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// Writes all of `bytes` to the plugin's standard input before `deadline`.
    func send(_ bytes: [UInt8], before deadline: ContinuousClock.Instant) throws(Failure) {
        guard input >= 0 else { throw .closed }
        var offset = 0
        while offset < bytes.count {
            let (written, error) = Self.withoutSIGPIPE {
                (bytes.withUnsafeBytes { write(input, $0.baseAddress! + offset, $0.count - offset) }, errno)
            }
            if written > 0 {
                offset += written
            } else if error == EAGAIN || error == EWOULDBLOCK {
                try wait(for: input, events: Int16(POLLOUT), before: deadline)
            } else if error == EPIPE {
                throw .closed
            } else if error != EINTR {
                throw .system("cannot write to the plugin: \(String(cString: strerror(error)))")
            }
        }
    }

    /// Reads exactly `count` bytes of the plugin's standard output before `deadline`.
    func receive(_ count: Int, before deadline: ContinuousClock.Instant) throws(Failure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            try wait(for: output, events: Int16(POLLIN), before: deadline)
            let n = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress! + filled, count - filled) }
            if n > 0 {
                filled += n
            } else if n == 0 {
                throw .closed
            } else if errno != EINTR && errno != EAGAIN {
                throw .system("cannot read from the plugin: \(String(cString: strerror(errno)))")
            }
        }
        return buffer
    }

    /// Whatever the plugin has written to its standard output within a moment, up to `limit`
    /// bytes: for showing what it wrote where a frame was expected.
    func receiveAvailable(upTo limit: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + .milliseconds(100)
        while bytes.count < limit, (try? wait(for: output, events: Int16(POLLIN), before: deadline)) != nil {
            var chunk = [UInt8](repeating: 0, count: limit - bytes.count)
            let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress!, $0.count) }
            guard n > 0 else { break }
            bytes += chunk.prefix(n)
        }
        return bytes
    }

    /// Waits until a descriptor is ready, or the deadline passes.
    private func wait(for fd: Int32, events: Int16, before deadline: ContinuousClock.Instant) throws(Failure) {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { throw .timedOut }
            let (seconds, attoseconds) = left.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return }  // readable, writable, or closed: the read or write that follows says which
            if ready < 0 && errno != EINTR { throw .system("cannot wait for the plugin: \(String(cString: strerror(errno)))") }
        }
    }

    /// Closes the plugin's standard input, the end of its requests.
    func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    /// How the process ended, if it ends within `grace`; `nil` if it is still running then.
    func exitStatus(within grace: Duration) -> String? {
        let deadline = ContinuousClock.now + grace
        while true {
            if let status = reap(blocking: false) { return Self.describe(status) }
            guard ContinuousClock.now < deadline else { return nil }
            usleep(5_000)
        }
    }

    /// Kills the process and whatever it started, and reaps it.
    func stop() {
        closeInput()
        if status == nil {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            _ = reap(blocking: true)
        }
        if output >= 0 { close(output) }
        output = -1
    }

    /// The last lines the plugin wrote to its standard error, once they are all read (or after
    /// a moment, if something it started keeps its standard error open).
    var lastErrorLines: [String] {
        errors.waitForEnd(within: .milliseconds(200))
        return errors.lastLines
    }

    private func reap(blocking: Bool) -> Int32? {
        if let status { return status }
        var value: Int32 = 0
        while true {
            let result = waitpid(pid, &value, blocking ? 0 : WNOHANG)
            if result == pid {
                status = value
                return value
            }
            if result < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// `exited with status 3`, `was killed by signal 11 (Segmentation fault)`.
    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7F
        if signal == 0 { return "exited with status \((status >> 8) & 0xFF)" }
        let name = strsignal(signal).map { String(cString: $0) } ?? "unknown"
        return "was killed by signal \(signal) (\(name))"
    }

    /// Runs `body` with SIGPIPE blocked on this thread, discarding one it raised: a write to a
    /// plugin that has exited then fails with EPIPE instead of killing `convene`.
    private static func withoutSIGPIPE<T>(_ body: () -> T) -> T {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var now = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&pipeSignal, nil, &now)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        return body()
    }
}

/// Copies a plugin's standard error to the host's, line by line with a prefix, on a thread of
/// its own, and keeps the last lines.
final class StandardErrorRelay: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private var tail: [String] = []
    private let ended = DispatchSemaphore(value: 0)
    private var hasEnded = false

    /// How many lines are kept.
    static let kept = 20

    init(label: String) { self.label = label }

    /// Starts copying until the plugin (and anything that inherited its standard error) closes it.
    func start(reading fd: Int32) {
        let thread = Thread { [self] in
            var pending: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                pending += chunk.prefix(n)
                while let newline = pending.firstIndex(of: 0x0A) {
                    forward(Array(pending[..<newline]))
                    pending.removeSubrange(...newline)
                }
                // A plugin that writes one endless line is shown a piece at a time.
                if pending.count >= 8192 {
                    forward(pending)
                    pending.removeAll()
                }
            }
            if !pending.isEmpty { forward(pending) }
            close(fd)
            ended.signal()
        }
        thread.name = "convene plugin stderr"
        thread.start()
    }

    private func forward(_ line: [UInt8]) {
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        FileHandle.standardError.write(Data("[\(label)] \(text)\n".utf8))
        lock.withLock {
            tail.append(text)
            if tail.count > Self.kept { tail.removeFirst() }
        }
    }

    /// The last lines, oldest first.
    var lastLines: [String] { lock.withLock { tail } }

    /// Waits until the plugin's standard error is closed, for at most `grace`.
    func waitForEnd(within grace: Duration) {
        guard !lock.withLock({ hasEnded }) else { return }
        let (seconds, attoseconds) = grace.components
        if ended.wait(timeout: .now() + Double(seconds) + Double(attoseconds) / 1e18) == .success {
            lock.withLock { hasEnded = true }
        }
    }
}
