import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real PostgreSQL server for tests, and a fresh database on it for each test.
///
/// With `CONVENE_TEST_POSTGRES` set (a `postgres://` URL whose user may `CREATE DATABASE`, as
/// `.ci/run` exports), the tests use that server. Otherwise the first use in a test process starts a
/// throwaway server: `initdb` in a temporary folder, listening on 127.0.0.1 only, on a free port,
/// trust authentication, no durability (fsync, synchronous commit and full page writes off). A
/// watchdog shell holds one end of a socket whose other end only this process holds; when the
/// process ends, however it ends (SIGKILL included), the watchdog reads end-of-file, stops the
/// server (`pg_ctl stop -m immediate`) and deletes the folder.
///
///     let url = try PostgresServer.shared.makeDatabase()   // postgres://postgres@127.0.0.1:PORT/t_…
///
/// PostgreSQL missing is an error naming the package to install, never a skipped test.
public final class PostgresServer: Sendable {
    /// The server every test of this process shares, started at the first use; later uses wait
    /// for it. Throws, at every use, if the server could not be started or reached.
    public static var shared: PostgresServer {
        get throws { try started.get() }
    }

    /// The server's URL, `postgres://USER@HOST:PORT/DATABASE`, for its maintenance database
    /// (`postgres`). Tests should work in a database of their own: see `makeDatabase(_:)`.
    public let url: String

    /// Whether this process started the server (it did not when `CONVENE_TEST_POSTGRES` names one).
    public let isThrowaway: Bool

    /// The server's log file, when this process started the server (removed with the server).
    public let logFile: String?

    /// How long starting the server took (`initdb` and start), when this process started it.
    public let startupDuration: Duration?

    /// The `psql` client every helper runs.
    public let psqlPath: String

    private static let started = Result { try PostgresServer.startOrConnect() }

    private init(url: String, isThrowaway: Bool, logFile: String?, startupDuration: Duration?, psqlPath: String) {
        self.url = url
        self.isThrowaway = isThrowaway
        self.logFile = logFile
        self.startupDuration = startupDuration
        self.psqlPath = psqlPath
    }

    // MARK: Databases

    /// Creates an empty database with a name of its own (`t_<label>_<random>`) and returns its
    /// URL: the server's URL with the database's name as path. Tests running in parallel each make
    /// their own. The label, the calling function's name by default, only helps reading the server's
    /// log.
    public func makeDatabase(_ label: String = #function) throws -> String {
        let name = Self.databaseName(label)
        try psql(#"CREATE DATABASE "\#(name)""#)
        return try Self.url(url, database: name)
    }

    /// Drops a database `makeDatabase(_:)` made, closing the connections still open to it. Only
    /// needed on a server that outlives the tests (`CONVENE_TEST_POSTGRES`): a throwaway server goes
    /// with all its databases.
    public func dropDatabase(_ databaseURL: String) throws {
        guard let path = URLComponents(string: databaseURL)?.path, path.hasPrefix("/t_") else {
            throw PostgresServerError("not a database makeDatabase made: \(databaseURL)")
        }
        try psql(#"DROP DATABASE IF EXISTS "\#(path.dropFirst())" WITH (FORCE)"#)
    }

    /// Runs SQL with `psql` on a database (the maintenance database by default) and returns what
    /// it prints: unaligned, without headers, one row a line (`|` between columns), without the
    /// final newline. Stops at the first error, which it throws with psql's message.
    @discardableResult
    public func psql(_ sql: String, database: String? = nil) throws -> String {
        let result = try Self.run(psqlPath, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", database ?? url, "-c", sql])
        guard result.status == 0 else {
            throw PostgresServerError("psql failed (status \(result.status)) on \(database ?? url) running \(sql)\n\(result.stderr)")
        }
        var out = result.stdout
        if out.hasSuffix("\n") { out.removeLast() }
        return out
    }

    // MARK: Starting

    private static func startOrConnect() throws -> PostgresServer {
        let environment = ProcessInfo.processInfo.environment
        if let external = environment["CONVENE_TEST_POSTGRES"], !external.isEmpty {
            return try connect(to: external)
        }
        return try start()
    }

    /// The server `CONVENE_TEST_POSTGRES` names, checked with one query.
    private static func connect(to external: String) throws -> PostgresServer {
        guard external.hasPrefix("postgres://") || external.hasPrefix("postgresql://"),
              URLComponents(string: external) != nil else {
            throw PostgresServerError("CONVENE_TEST_POSTGRES is not a postgres:// URL: \(external)")
        }
        guard let psql = Binaries.find("psql") else {
            throw PostgresServerError("""
                psql, the PostgreSQL client, is not installed (CONVENE_TEST_POSTGRES is set, so only the client is \
                needed). On Debian or Ubuntu: apt-get install postgresql-client
                """)
        }
        let server = PostgresServer(url: external, isThrowaway: false, logFile: nil, startupDuration: nil, psqlPath: psql)
        do {
            try server.psql("SELECT 1")
        } catch {
            throw PostgresServerError("CONVENE_TEST_POSTGRES=\(external) cannot be reached: \(error)")
        }
        return server
    }

    /// Starts a throwaway server under a watchdog.
    private static func start() throws -> PostgresServer {
        let clock = ContinuousClock(), begin = clock.now
        guard let bin = Binaries.serverDirectory() else {
            throw PostgresServerError("""
                The tests need a PostgreSQL server, and its programs (initdb, pg_ctl, postgres) are not installed: \
                not in /usr/lib/postgresql/<version>/bin nor on PATH. On Debian or Ubuntu: apt-get install postgresql \
                (the server, with its client psql). Or set CONVENE_TEST_POSTGRES to the postgres:// URL of a server \
                where its user may CREATE DATABASE.
                """)
        }
        guard let psql = Binaries.find("psql") else {
            throw PostgresServerError("psql, the PostgreSQL client, is not installed. On Debian or Ubuntu: apt-get install postgresql-client")
        }
        // PostgreSQL refuses to run as root: as root, the server is the `postgres` user's.
        var user = "", runuser = ""
        if geteuid() == 0 {
            guard getpwnam("postgres") != nil else {
                throw PostgresServerError("""
                    The tests run as root, which PostgreSQL refuses, and there is no `postgres` user to run the server as \
                    (the Debian package postgresql creates it: apt-get install postgresql). Or run the tests as another user.
                    """)
            }
            guard let path = Binaries.find("runuser", in: ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]) else {
                throw PostgresServerError("The tests run as root and need runuser to start PostgreSQL as `postgres`: apt-get install util-linux")
            }
            (user, runuser) = ("postgres", path)
        }
        // The `postgres` user must reach the folder: as root, /tmp rather than root's own TMPDIR.
        var temporary = geteuid() == 0 ? "/tmp" : (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")
        while temporary.count > 1 && temporary.hasSuffix("/") { temporary.removeLast() }

        let watchdog = try Watchdog(arguments: [bin, runuser, user, temporary])
        guard let line = try watchdog.readLine(timeout: 30), line.hasPrefix("dir ") else {
            throw PostgresServerError("the PostgreSQL watchdog did not start (it needs /bin/sh and mktemp)")
        }
        let directory = String(line.dropFirst(4))
        let reply = try watchdog.readLine(timeout: 120)
        guard reply == "ready" else {
            let log = (try? String(contentsOfFile: directory + "/initdb.log", encoding: .utf8)) ?? ""
            throw PostgresServerError("initdb failed (\(bin)/initdb):\n\(log)")
        }
        // A free port, as the kernel gives one; another process may take it before the server
        // binds it, so on that conflict try another.
        for _ in 1...8 {
            let port = try freePort()
            try watchdog.send("start \(port)\n")
            let reply = try watchdog.readLine(timeout: 120)
            let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            if reply == "started" {
                watchdog.keepUntilExit()
                return PostgresServer(
                    url: "postgres://postgres@127.0.0.1:\(port)/postgres", isThrowaway: true,
                    logFile: directory + "/server.log", startupDuration: clock.now - begin, psqlPath: psql)
            }
            guard log.contains("Address already in use") else {
                throw PostgresServerError("PostgreSQL did not start (\(bin)/pg_ctl start, port \(port)):\n\(log)")
            }
        }
        throw PostgresServerError("PostgreSQL did not start: every port tried was taken")
    }

    /// A port no one listens on at 127.0.0.1 now.
    private static func freePort() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw PostgresServerError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw PostgresServerError("bind 127.0.0.1:0: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: Helpers

    /// `t_<label>_<random>`: lower case, digits and underscores, at most 63 bytes.
    static func databaseName(_ label: String) -> String {
        var safe = ""
        for c in label.lowercased().unicodeScalars.prefix(30) {
            let ok = ("a"..."z").contains(c) || ("0"..."9").contains(c)
            if ok { safe.unicodeScalars.append(c) } else if !safe.hasSuffix("_") { safe += "_" }
        }
        while safe.hasSuffix("_") { safe.removeLast() }
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return "t_\(safe.isEmpty ? "" : safe + "_")\(random)"
    }

    /// A server's URL with another database as its path.
    static func url(_ base: String, database: String) throws -> String {
        guard var components = URLComponents(string: base) else {
            throw PostgresServerError("not a URL: \(base)")
        }
        components.path = "/" + database
        guard let url = components.string else { throw PostgresServerError("not a URL: \(base)") }
        return url
    }

    /// Runs a program and waits for it, both outputs collected.
    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PGCONNECT_TIMEOUT"] = environment["PGCONNECT_TIMEOUT"] ?? "10"
        environment["PGOPTIONS"] = "-c client_min_messages=warning"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes are read to the end before waiting, so that a full pipe cannot block psql.
        let errors = Collected()
        let reader = Thread { errors.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors.wait(), as: UTF8.self))
    }
}

/// Why the PostgreSQL server of the tests is not there.
public struct PostgresServerError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}

/// Data one thread sets and another waits for.
private final class Collected: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.broadcast()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data!
    }
}

/// Where PostgreSQL's programs are.
private enum Binaries {
    /// The folder of the server's programs: Debian's /usr/lib/postgresql/<version>/bin, the newest
    /// version first; otherwise the folder of the `initdb` on PATH.
    static func serverDirectory() -> String? {
        if let dir = debianDirectories().first(where: { executable($0 + "/initdb") && executable($0 + "/pg_ctl") }) {
            return dir
        }
        guard let initdb = find("initdb", in: path()) else { return nil }
        return (initdb as NSString).deletingLastPathComponent
    }

    /// A program in the given folders, or Debian's PostgreSQL folders and then PATH.
    static func find(_ name: String, in folders: [String]? = nil) -> String? {
        (folders ?? debianDirectories() + path()).map { $0 + "/" + name }.first(where: executable)
    }

    static func debianDirectories() -> [String] {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.compactMap { Int($0) }.sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
    }

    static func path() -> [String] {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
    }

    static func executable(_ path: String) -> Bool {
        access(path, X_OK) == 0
    }
}

/// The shell that starts the server and stops it when this process ends.
///
/// It runs in a session of its own (so a Ctrl-C or a signal to the test's process group does not
/// end it before it cleans up) with one end of a socket pair as its standard input and output;
/// this process holds the other end, close-on-exec so that no other child inherits it. It prints
/// `dir <folder>`, runs initdb and prints `ready` (or `failed`), then starts the server on the port
/// of each `start <port>` line, printing `started` or `failed`. At end-of-file (this process closed
/// its end, or ended) it stops the server, deletes the folder and prints `stopped`.
private final class Watchdog: @unchecked Sendable {
    static let script = #"""
        trap '' HUP INT QUIT TERM PIPE
        bin=$1 runuser=$2 user=$3
        as_server() { if [ -n "$user" ]; then "$runuser" -u "$user" -- "$@"; else "$@"; fi; }
        dir=$(mktemp -d "$4/convene-postgres.XXXXXX") || exit 1
        echo "dir $dir"
        [ -z "$user" ] || chown "$user" "$dir"
        if as_server "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync --no-instructions >"$dir/initdb.log" 2>&1 </dev/null; then
          printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$dir/data/pg_hba.conf"
          cat >>"$dir/data/postgresql.conf" <<EOF
        listen_addresses = '127.0.0.1'
        unix_socket_directories = '$dir'
        fsync = off
        synchronous_commit = off
        full_page_writes = off
        max_connections = 100
        shared_buffers = 128MB
        max_parallel_workers_per_gather = 0
        EOF
          echo ready
        else
          echo failed
        fi
        while read -r command port; do
          if [ "$command" = start ]; then
            rm -f "$dir/server.log"
            if as_server "$bin/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/server.log" -o "-p $port" </dev/null >/dev/null 2>&1
            then echo started; else echo failed; fi
          fi
        done
        if [ -f "$dir/data/postmaster.pid" ]; then
          as_server "$bin/pg_ctl" stop -w -t 60 -D "$dir/data" -m immediate </dev/null >/dev/null 2>&1
        fi
        rm -rf "$dir"
        echo stopped
        """#

    /// This process's end of the socket.
    let fd: Int32
    private var buffer: [UInt8] = []

    init(arguments: [String]) throws {
        var fds: [Int32] = [-1, -1]
        #if canImport(Glibc)
        let made = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
        #else
        let made = socketpair(AF_UNIX, SOCK_STREAM, 0, &fds)
        #endif
        guard made == 0 else { throw PostgresServerError("socketpair: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(fds[0], SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        fd = fds[0]
        defer { close(fds[1]) }

        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        // POSIX_SPAWN_SETSID, which Glibc's module does not export (glibc 2.26 and later).
        let flags: Int32 = 0x80
        #else
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        let flags = Int32(POSIX_SPAWN_SETSID) | Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else this process has open (`swift test` hands the tests some descriptors that
        // are not close-on-exec) goes to the shell and the server, which would hold it open.
        #if canImport(Glibc)
        if let closeFrom = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(closeFrom, to: CloseFrom.self)(&actions, 3)
        }
        #endif
        // A session of its own, default signal handlers and no blocked signal.
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(flags | Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)))

        let argv = ["/bin/sh", "-c", Self.script, "convene-postgres-watchdog"] + arguments
        var cArgv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgv { free(p) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &cArgv, environ)
        guard status == 0 else {
            close(fd)
            throw PostgresServerError("starting the PostgreSQL watchdog (/bin/sh): \(String(cString: strerror(status)))")
        }
        // Nobody waits for the shell; once it has cleaned up it is a zombie until this process ends.
    }

    /// Closing this process's end (when the server did not start) makes the shell clean up.
    deinit { close(fd) }

    func send(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            #if canImport(Glibc)
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            #else
            let n = bytes.withUnsafeBytes { Darwin.send(fd, $0.baseAddress, $0.count, 0) }
            #endif
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw PostgresServerError("the PostgreSQL watchdog is gone") }
            bytes = bytes.dropFirst(n)
        }
    }

    /// The next line the shell prints, nil at end-of-file; throws after `timeout` seconds.
    func readLine(timeout: Double) throws -> String? {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { throw PostgresServerError("the PostgreSQL watchdog did not answer within \(Int(timeout)) s") }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let millis = Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            if poll(&poller, 1, millis) <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            buffer += chunk[..<n]
        }
    }

    /// Leaves the shell running until this process exits, then, at a normal exit, closes this
    /// process's end and waits (up to a minute) for the server to stop and the folder to go.
    func keepUntilExit() {
        watchdogForExit = self
        atexit {
            guard let watchdog = watchdogForExit else { return }
            shutdown(watchdog.fd, Int32(SHUT_WR))
            while let line = try? watchdog.readLine(timeout: 60), line != "stopped" {}
        }
    }
}

/// The watchdog the exit handler stops; set once, before the handler is registered.
nonisolated(unsafe) private var watchdogForExit: Watchdog?
