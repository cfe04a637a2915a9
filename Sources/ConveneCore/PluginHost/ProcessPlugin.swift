public import ConveneKit
public import Foundation

/// How `convene` deals with out-of-process plugins.
public struct ProcessPluginSettings: Sendable, Hashable {
    /// How long one exchange may take: the handshake, checking a configuration, one batch, or
    /// one follow-up. A plugin that has not answered by then is stopped and its step fails.
    public var timeout: Duration
    /// The largest frame a plugin may send, in bytes.
    public var maximumFrameSize: Int

    /// The default timeout, 30 seconds.
    public static let defaultTimeout: Duration = .seconds(30)
    /// The default largest frame, 64 MiB.
    public static let defaultMaximumFrameSize = 64 << 20

    /// Creates settings.
    /// - Parameters:
    ///   - timeout: how long one exchange may take.
    ///   - maximumFrameSize: the largest frame a plugin may send, in bytes.
    public init(timeout: Duration = defaultTimeout, maximumFrameSize: Int = defaultMaximumFrameSize) {
        self.timeout = timeout
        self.maximumFrameSize = maximumFrameSize
    }

    /// The settings an environment asks for: `CONVENE_PLUGIN_TIMEOUT` in seconds (`30`, `2.5`).
    /// - Parameter environment: the variables, such as `ProcessInfo.processInfo.environment`.
    /// - Throws: ``ProcessPluginError`` naming the variable when its value is not a duration.
    public init(environment: [String: String]) throws {
        self.init()
        if let text = environment["CONVENE_PLUGIN_TIMEOUT"] {
            guard let timeout = Self.seconds(text) else {
                throw ProcessPluginError(plugin: nil, "CONVENE_PLUGIN_TIMEOUT: '\(text)' is not a number of seconds greater than 0, such as 30 or 2.5")
            }
            self.timeout = timeout
        }
    }

    /// A positive number of seconds (`30`, `2.5`) as a duration.
    public static func seconds(_ text: String) -> Duration? {
        guard let value = Double(text), value.isFinite, value > 0, value <= 86_400 else { return nil }
        return .milliseconds(Int64((value * 1000).rounded(.up)))
    }
}

/// An out-of-process plugin that failed: it could not be started, crashed, hung, broke the
/// protocol, or refused a request. Its description names the plugin's file.
public struct ProcessPluginError: Error, Sendable, CustomStringConvertible {
    /// The plugin's file, if the error concerns one.
    public var plugin: URL?
    /// What went wrong.
    public var message: String
    /// Whether the plugin answered with an error, its process still able to take requests.
    var isRefusal = false

    init(plugin: URL?, _ message: String) {
        self.plugin = plugin
        self.message = message
    }

    public var description: String { plugin.map { "\($0.lastPathComponent) \(message)" } ?? message }
}

/// A step plugin that is an executable of its own, run in a process of its own and spoken to in
/// length-prefixed JSON over its standard input and output (see ``PluginProtocol``).
///
/// It is started when the registry loads it, to learn its manifest, and that process serves
/// every request of the `convene` command that loaded it: configurations to check, batches to
/// run. A process that fails (exits, hangs past ``ProcessPluginSettings/timeout``, writes
/// something that is not an answer) is stopped and its step fails with an error naming the
/// plugin; a later request starts a new one. ``shutDown()`` ends it.
public final class ProcessPlugin: @unchecked Sendable {
    /// The executable.
    public let file: URL
    /// The manifest it answered the handshake with.
    public let manifest: StepManifest
    /// Timeouts and limits.
    public let settings: ProcessPluginSettings

    /// The version of the wire protocol this host speaks.
    public static var protocolVersion: Int { PluginProtocol.version }

    private let lock = NSLock()
    /// The running process, if any; guarded by `lock`.
    private var process: PluginProcess?

    private init(file: URL, manifest: StepManifest, settings: ProcessPluginSettings, process: PluginProcess) {
        self.file = file
        self.manifest = manifest
        self.settings = settings
        self.process = process
    }

    deinit {
        shutDown()
    }

    /// Starts an executable and learns its manifest.
    /// - Parameters:
    ///   - file: the executable.
    ///   - settings: timeouts and limits.
    /// - Returns: the plugin, its process left running for the requests to come; or why it was
    ///   refused.
    public static func load(_ file: URL, settings: ProcessPluginSettings) -> Result<ProcessPlugin, PluginLoadProblem> {
        do {
            let (process, manifest) = try start(file, settings: settings)
            return .success(ProcessPlugin(file: file, manifest: manifest, settings: settings, process: process))
        } catch {
            return .failure(PluginLoadProblem(file: file, reason: error.message))
        }
    }

    /// The plugin as the engine sees it: its manifest, and steps that send their batches here.
    public var stepPlugin: StepPlugin {
        StepPlugin(manifest: manifest) { [self] configuration in
            try configure(configuration)
            return ProcessStep(plugin: self, configuration: configuration)
        }
    }

    /// Asks the plugin to end, and stops it if it has not ended within a moment. A later
    /// request starts it again.
    public func shutDown() {
        lock.withLock {
            guard let process else { return }
            self.process = nil
            let deadline = ContinuousClock.now + min(settings.timeout, .seconds(2))
            if let frame = try? PluginProtocol.frame(PluginProtocol.shutdown()) {
                try? process.send(frame, before: deadline)
            }
            process.closeInput()
            _ = process.exitStatus(within: ContinuousClock.now.duration(to: deadline))
            process.stop()
        }
    }

    /// Lets the plugin refuse a configuration, as a Swift step's initialiser may.
    func configure(_ configuration: ConfigValue) throws {
        try exchange(PluginProtocol.configure(configuration), expecting: "ok", while: "checking its configuration") { _ in }
    }

    /// Runs a batch, or a follow-up, in the plugin.
    func run(_ batch: StepBatch, configuration: ConfigValue, followUp: Bool) throws -> [Effect] {
        try exchange(
            PluginProtocol.run(batch, configuration: configuration, followUp: followUp), expecting: "effects",
            while: followUp ? "following up on a batch" : "running a batch"
        ) { answer in
            try WireDecoding.effects(answer.field("effects"))
        }
    }

    // MARK: Exchanges

    /// Sends one request to the plugin's process, starting one if none runs, and reads its
    /// answer; any failure but a refusal stops the process.
    /// - Parameter read: reads the answer, throwing ``WireError`` where it does not have the
    ///   protocol's shape.
    private func exchange<T>(
        _ request: JSONValue, expecting type: String, while activity: String, read: (WireReader) throws -> T
    ) throws -> T {
        try lock.withLock {
            let process: PluginProcess
            if let running = self.process {
                process = running
            } else {
                let (started, manifest) = try Self.start(file, settings: settings)
                guard manifest.id == self.manifest.id, manifest.version == self.manifest.version else {
                    started.stop()
                    throw ProcessPluginError(
                        plugin: file,
                        "was restarted and now says it is \(manifest.id) \(manifest.version), not \(self.manifest.id) \(self.manifest.version); run convene again")
                }
                process = started
                self.process = started
            }
            do {
                let answer = try Self.exchange(request, expecting: type, with: process, file: file, settings: settings, while: activity)
                return try read(answer)
            } catch let error as ProcessPluginError {
                // A refusal leaves the process able to take the next request; anything else stopped it.
                if !error.isRefusal { self.process = nil }
                throw error
            } catch {
                // An answer of the right type whose content is not what the protocol says.
                process.stop()
                self.process = nil
                throw ProcessPluginError(plugin: file, "broke the protocol while \(activity): \(error)")
            }
        }
    }

    /// Starts the executable and shakes hands with it.
    private static func start(_ file: URL, settings: ProcessPluginSettings) throws(ProcessPluginError) -> (PluginProcess, StepManifest) {
        let process: PluginProcess
        do {
            process = try PluginProcess(executable: file, label: file.lastPathComponent)
        } catch {
            throw ProcessPluginError(plugin: file, "\(error)")
        }
        let answer = try exchange(PluginProtocol.hello(), expecting: "manifest", with: process, file: file, settings: settings, while: "shaking hands")
        let version: Int, manifest: StepManifest
        do {
            version = try answer.field("protocol").int()
        } catch {
            process.stop()
            throw ProcessPluginError(plugin: file, "answered the handshake without its protocol version: \(error)")
        }
        guard version == PluginProtocol.version else {
            process.stop()
            throw ProcessPluginError(plugin: file, "speaks plugin protocol version \(version); this convene speaks version \(PluginProtocol.version)")
        }
        do {
            manifest = try WireDecoding.manifest(answer.field("manifest"))
        } catch {
            process.stop()
            throw ProcessPluginError(plugin: file, "answered the handshake with a manifest that is not one: \(error)")
        }
        return (process, manifest)
    }

    /// One request and its answer, within the timeout. On any failure but a refusal the
    /// process is stopped.
    private static func exchange(
        _ request: JSONValue, expecting type: String, with process: PluginProcess, file: URL, settings: ProcessPluginSettings,
        while activity: String
    ) throws(ProcessPluginError) -> WireReader {
        func fail(_ message: String) -> ProcessPluginError {
            process.stop()
            return ProcessPluginError(plugin: file, message)
        }
        let deadline = ContinuousClock.now + settings.timeout
        do {
            try process.send(try PluginProtocol.frame(request), before: deadline)
            let header = try process.receive(PluginProtocol.headerSize, before: deadline)
            let length = PluginProtocol.length(header)
            if length == 0 || length > settings.maximumFrameSize {
                // Text where a frame should be: a plugin that prints its logs to standard output.
                if header.allSatisfy({ (0x20..<0x7F).contains($0) || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }) {
                    let text = header + process.receiveAvailable(upTo: 60)
                    throw fail(
                        "wrote text to its standard output where a frame was expected, while \(activity): \(PluginProtocol.excerpt(text)); a plugin writes only frames there, and its messages to standard error")
                }
                if length == 0 { throw fail("sent an empty frame while \(activity)") }
                throw fail("sent a frame of \(length) bytes while \(activity), more than the limit of \(settings.maximumFrameSize) bytes")
            }
            let body = try process.receive(length, before: deadline)
            switch try PluginProtocol.answer(body, expected: type) {
            case .answer(let answer): return answer
            case .refused(let message):
                var error = ProcessPluginError(plugin: file, "refused: \(message)")
                error.isRefusal = true
                throw error
            }
        } catch let error as ProcessPluginError {
            throw error
        } catch let error as WireError {
            throw fail("broke the protocol while \(activity): \(error)")
        } catch let error as PluginProcess.Failure {
            switch error {
            case .timedOut:
                throw fail("did not answer within \(describe(settings.timeout)) while \(activity), and was stopped")
            case .closed:
                let ending = process.exitStatus(within: .seconds(1)) ?? "closed its standard input or output"
                var message = "\(ending) while \(activity)"
                if let last = process.lastErrorLines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    message += "; its last line on standard error: \(last)"
                }
                throw fail(message)
            case .system(let text):
                throw fail(text)
            }
        } catch {
            throw fail("\(error)")
        }
    }

    /// `30 s`, `2.5 s`.
    private static func describe(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}

/// A step of an out-of-process plugin with its configuration: each batch goes to the plugin's
/// process, and its answer comes back as effects that the engine checks like any step's.
///
/// Steps of shared-library plugins are Swift types that the plugin packages with
/// ``StepPlugin/export(_:)``; this one is made by ``ProcessPlugin/stepPlugin`` with the
/// plugin's manifest, known only once its process has answered. The static requirements of
/// ``Step`` serve packaging a type, so here they only describe the adapter.
struct ProcessStep: Step {
    static var manifest: StepManifest {
        StepManifest(
            id: "process-step", version: SemanticVersion(1, 0, 0), summary: "A step run by an out-of-process plugin.",
            configuration: .object([]))
    }

    let plugin: ProcessPlugin
    let configuration: ConfigValue

    init(plugin: ProcessPlugin, configuration: ConfigValue) {
        self.plugin = plugin
        self.configuration = configuration
    }

    init(configuration: ConfigValue) throws {
        throw StepError("a step of an out-of-process plugin is made by its plugin, which holds its process")
    }

    func run(_ batch: StepBatch) throws -> [Effect] {
        try plugin.run(batch, configuration: configuration, followUp: false)
    }

    func followUp(_ batch: StepBatch) throws -> [Effect] {
        try plugin.run(batch, configuration: configuration, followUp: true)
    }
}
