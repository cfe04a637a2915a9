// Runs one whole campaign over a generated roster of N delegations on a real SQLite ledger and
// file outbox: one invitation per delegation covering three tracks, replies from six in ten
// (acknowledged), two reminders on the round table to the four in ten who have not replied,
// and the round table's seating plan. Prints each phase's time, throughput and the process's
// peak memory. Build in release first, so that the plugins sit beside the executable:
// `swift build -c release && .build/release/convene-benchmark 10000 100000`.
//
// `--ledger postgres://USER@HOST:PORT/DB` keeps the ledger in PostgreSQL instead: each size in
// a fresh database made beside DB (with psql) and dropped at the end. `--runners N` runs each
// tick as N `convene-benchmark --tick` processes at once on the one ledger and outbox, as N
// `convene run` would; their peak memory is the largest of any runner.
import ConveneCore
import ConveneKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())

/// The value after an option, if the option is there.
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}

let ledgerServer = option("--ledger")
let runners = option("--runners").flatMap { Int($0) }
let optionValues = Set([ledgerServer, option("--runners"), option("--tick"), option("--dir")].compactMap { $0 })
let sizes = arguments.filter { !optionValues.contains($0) }.compactMap { Int($0.replacingOccurrences(of: "_", with: "")) }
let keep = arguments.contains("--keep")

/// Runs psql with a statement on a server's maintenance connection.
func psql(_ url: String, _ sql: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchmarkError("psql failed: \(sql)") }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The URL of another database on the same server.
func database(_ name: String, beside url: String) -> String {
    var components = URLComponents(string: url)!
    components.path = "/" + name
    return components.string!
}

/// A runner: one tick of the campaign in `--dir`, on the ledger `--ledger`, at `--tick`.
if let tick = option("--tick"), let dir = option("--dir") {
    let registry = PluginRegistry(searchPath: PluginRegistry.searchPath())
    let workflow = try WorkflowLoader(plugins: registry).load(dir).workflow
    let directory = URL(fileURLWithPath: dir)
    let location = ledgerServer.map { LedgerLocation($0, relativeTo: directory) } ?? .sqlite(directory.appendingPathComponent(".convene/ledger.sqlite"))
    var engine = Engine(
        workflow: workflow, plugins: registry, ledger: try Ledger(location),
        outbox: FileOutbox(directory: directory.appendingPathComponent(".convene/outbox")),
        artifactsDirectory: directory.appendingPathComponent(".convene/artifacts"))
    engine.runner = RunnerIdentity(lease: 600)
    let report = try engine.tick(now: LocalTime(timeZone: workflow.event.timeZone).date(from: tick)!)
    print(report.delivered)
    exit(0)
}

func folder(size n: Int, process: Int32) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("convene-bench-\(n)-\(process)")
}

// Each size runs in a process of its own, so that its peak memory is its own and not the
// largest of the sizes run before it; the parent only starts them, one after the other. Their
// files are removed at the end, not between sizes: on ext4 without a journal, the inodes of
// files deleted in the last minutes slow the creation of new ones for a while, and the next
// size would pay for this one's cleanup.
if sizes.count > 1 {
    var failed = false
    var folders: [URL] = []
    for n in sizes {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = [String(n), "--keep"] + (ledgerServer.map { ["--ledger", $0] } ?? []) + (runners.map { ["--runners", String($0)] } ?? [])
        try child.run()
        child.waitUntilExit()
        folders.append(folder(size: n, process: child.processIdentifier))
        failed = failed || child.terminationStatus != 0
    }
    if !keep { for folder in folders { try? FileManager.default.removeItem(at: folder) } }
    exit(failed ? 1 : 0)
}

func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // ru_maxrss is in KiB on Linux
}

func currentMemoryMB() -> Double {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let pages = statm.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
    return pages * 4096 / 1_048_576
}

func workflowText() -> String {
    """
    convene: 1
    id: benchmark
    event:
      reference: BENCH-1
      name: {en: Benchmark Summit, fr: Sommet d'essai}
      venue: Geneva
      time-zone: Europe/Zurich
      languages: [fr, en, es, ar, ru, zh]
      fallback-language: fr
      contact: contact@example.org
      sender: {name: Secretariat, email: noreply@example.org}
    roster: roster.csv
    dates:
      letter: 2024-02-02T10:00
      deadlines: {reply: 2024-02-29T23:59}
      logistics: 2024-05-20T09:00
    tracks:
      plenary: {name: {en: Plenary, fr: Plénière}, start: 2024-05-27T09:00, end: 2024-05-28T18:00, access: invitation}
      round-table: {name: {en: Round table, fr: Table ronde}, start: 2024-05-28T14:00, end: 2024-05-28T17:00, access: invitation}
      morning: {name: {en: Morning, fr: Matinée}, start: 2024-05-29T09:00, end: 2024-05-29T12:30, access: invitation}
    steps:
      - id: invite
        uses: invite@1
        at: letter
        when: state.status == "not-invited"
      - id: remind
        uses: remind@1
        tracks: [round-table]
        before: [14d, 3d]
        of: deadlines.reply
        when: not state.replied
      - id: acknowledge
        uses: confirm@1
        on: reply
      - id: seat
        uses: seat@1
        tracks: [round-table]
        at: logistics
        when: state.status in ["confirmed", "substituted"]
        with: {language: fr, seed: 42}
    """
}

func roster(_ n: Int) -> String {
    var out = "id,name_en,name_fr,language,principal_name,principal_title,principal_gender,principal_rank,email,focal_point_email,mission_email\n"
    out.reserveCapacity(n * 200)
    let languages = ["en", "fr", "es", "ar", "ru", "zh"]
    for i in 0..<n {
        out += "D\(i),Delegation \(i),Délégation \(i),\(languages[i % 6]),Principal \(i),Minister,\(i % 2 == 0 ? "female" : "male"),minister,p\(i)@d\(i).example.org,f\(i)@d\(i).example.org,m\(i)@d\(i).example.org\n"
    }
    return out
}

func measure<T>(_ label: String, items: Int, _ body: () throws -> T) rethrows -> T {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let rate = seconds > 0 ? Double(items) / seconds : 0
    let label = "  " + label
    let padded = label.count < 40 ? label + String(repeating: " ", count: 40 - label.count) : label
    print(padded + String(format: " %7.2f s %9.0f /s  peak %4.0f MB  now %4.0f MB", seconds, rate, peakMemoryMB(), currentMemoryMB()))
    // (A tick run by separate runner processes reports no timings of its own.)
    if let report = result as? Engine.TickReport, report.timings.total > 0 {
        let t = report.timings
        print(String(
            format: "      loading %.2f  plugins %.2f  rendering %.2f  other %.2f  waiting %.2f   (ledger thread %.2f, outbox thread %.2f)",
            t.loading, t.plugins, t.rendering, t.other, t.ledgerWait, t.ledger, t.outbox))
    }
    return result
}

// The campaign's files are removed at the end, once the figures are printed.
var folders: [URL] = []
defer { if !keep { for folder in folders { try? FileManager.default.removeItem(at: folder) } } }
for n in sizes.isEmpty ? [10_000] : sizes {
    let dir = folder(size: n, process: getpid())
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    folders.append(dir)
    try workflowText().write(to: dir.appendingPathComponent("workflow.yaml"), atomically: true, encoding: .utf8)
    try roster(n).write(to: dir.appendingPathComponent("roster.csv"), atomically: true, encoding: .utf8)
    print("campaign over \(n) delegations (3 tracks) in \(dir.path)")
    let total = DispatchTime.now().uptimeNanoseconds

    let registry = PluginRegistry(searchPath: PluginRegistry.searchPath())
    let workflow = try measure("load + validate workflow and roster", items: n) {
        try WorkflowLoader(plugins: registry).load(dir.path).workflow
    }
    var location = LedgerLocation.sqlite(dir.appendingPathComponent(".convene/ledger.sqlite"))
    if let ledgerServer {
        let name = "convene_bench_\(n)_\(getpid())"
        try psql(ledgerServer, "CREATE DATABASE \(name)")
        location = .postgres(database(name, beside: ledgerServer))
        print("  ledger: \(location)")
    }
    defer {
        if let ledgerServer, !keep { try? psql(ledgerServer, "DROP DATABASE IF EXISTS convene_bench_\(n)_\(getpid()) WITH (FORCE)") }
    }
    let ledger = try Ledger(location)
    let engine = Engine(
        workflow: workflow, plugins: registry, ledger: ledger,
        outbox: FileOutbox(directory: dir.appendingPathComponent(".convene/outbox")),
        artifactsDirectory: dir.appendingPathComponent(".convene/artifacts"))
    let local = LocalTime(timeZone: workflow.event.timeZone)
    func at(_ s: String) -> Date { local.date(from: s)! }

    /// A tick: in this process, or in `runners` processes at once.
    func tick(_ time: String) throws -> Engine.TickReport {
        guard let runners else { return try engine.tick(now: at(time)) }
        var children: [(Process, Pipe)] = []
        for _ in 0..<runners {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            child.arguments = ["--tick", time, "--dir", dir.path] + (ledgerServer != nil ? ["--ledger", location.postgresURL!] : [])
            let out = Pipe()
            child.standardOutput = out
            try child.run()
            children.append((child, out))
        }
        var report = Engine.TickReport()
        for (child, out) in children {
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            child.waitUntilExit()
            guard child.terminationStatus == 0 else { throw BenchmarkError("a runner failed at \(time)") }
            report.delivered += Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        print(String(format: "      %d runners; the largest peak of any runner so far %.0f MB", runners, Double(usage.ru_maxrss) / 1024))
        return report
    }

    let invited = try measure("invite (letters rendered, delivered)", items: n) { try tick("2024-02-02T10:00") }
    // Six in ten reply before the first reminder: confirmations, declines, substitutes, speakers.
    let replies: [(delegation: String, reply: Reply)] = workflow.delegations.enumerated().compactMap { i, d in
        guard i % 10 < 6 else { return nil }
        let answer: ReplyAnswer = i % 10 < 4 ? .confirm : (i % 10 == 4 ? .decline : .substitute)
        return (d.id, Reply(
            sequence: 0, track: "round-table", answer: answer, speakingRequested: i % 3 == 0,
            receivedAt: at("2024-02-10T12:00"), source: "csv-import",
            substitute: answer == .substitute ? Principal(name: "Substitute \(i)", title: "Ambassador", gender: .unspecified, rank: "head-of-delegation") : nil))
    }
    _ = try measure("record \(replies.count) replies", items: replies.count) {
        try ledger.record(replies: replies, enteredBy: "benchmark", document: nil, at: at("2024-02-10T12:00"))
    }
    let first = try measure("acknowledge + remind (14 days before)", items: n) { try tick("2024-02-15T23:59") }
    let second = try measure("remind (3 days before)", items: n) { try tick("2024-02-26T23:59") }
    let seated = try measure("seat the round table", items: n) { try tick("2024-05-20T09:00") }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - total) / 1e9
    let messages = invited.delivered + first.delivered + second.delivered + seated.delivered
    print(String(format: "  total %.2f s for %d delegations, %d messages (%.0f messages/s), peak memory %.0f MB",
                 seconds, n, messages, Double(messages) / seconds, peakMemoryMB()))
}
