public import ConveneKit
public import Foundation
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A step plugin found and loaded: from a shared library, or an executable run in a process of
/// its own.
public struct LoadedPlugin: Sendable {
    /// The plugin, as the host's SDK sees it.
    public var plugin: StepPlugin
    /// The file it came from.
    public var file: URL
    /// For an out-of-process plugin, the plugin and its process.
    public var process: ProcessPlugin?

    /// Its manifest.
    public var manifest: StepManifest { plugin.manifest }

    /// How it is run.
    public var kind: PluginKind { process == nil ? .library : .executable }
}

/// How a plugin is run.
public enum PluginKind: String, Sendable, Hashable {
    /// A shared library loaded into `convene`.
    case library
    /// An executable run in a process of its own.
    case executable
}

/// A file in the plugin search path that could not be used, and why.
public struct PluginLoadProblem: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var file: URL
    /// Why it was refused.
    public var reason: String

    public var description: String { "\(file.path): \(reason)" }
}

/// The step plugins available to a run, found on a search path.
///
/// A plugin is either a shared library or an executable:
/// - a `.so` that exports `convene_plugin_api_version` and `convene_plugin_entry` (see
///   ``StepPlugin/export(_:)``), as every built-in step is. Libraries are opened with
///   `RTLD_NOW | RTLD_LOCAL` and never closed: Swift code cannot be unloaded safely.
/// - an executable file named `convene-step-…` (in any language), run in a process of its own
///   and spoken to over its standard input and output (see ``ProcessPlugin``). It is started
///   as it is found, to learn its manifest, and serves the rest of the command;
///   ``shutDown()`` ends it.
public struct PluginRegistry: Sendable {
    /// The plugins found, by id; when an id appears twice, the first on the search path wins.
    public private(set) var plugins: [LoadedPlugin] = []
    /// Files that looked like plugins but were refused.
    public private(set) var problems: [PluginLoadProblem] = []
    /// Plugins shadowed by an earlier one with the same id and major version.
    public private(set) var shadowed: [LoadedPlugin] = []

    /// The folders searched, in order: the executable's folder, each folder of
    /// `CONVENE_PLUGIN_PATH` (colon-separated), then `extra` (from `--plugins`).
    public static func searchPath(extra: [URL] = [], environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        var dirs = [executableDirectory()]
        if let path = environment["CONVENE_PLUGIN_PATH"] {
            dirs += path.split(separator: ":").map { URL(fileURLWithPath: String($0), isDirectory: true) }
        }
        return dirs + extra
    }

    /// The prefix of the names of executables that are out-of-process plugins.
    public static let executablePrefix = "convene-step-"

    /// Loads every plugin on a search path.
    /// - Parameters:
    ///   - searchPath: folders or plugin files. In a folder, every `.so` file is tried as a
    ///     library (in the executable's own folder, only `libConvene*.so` files other than the
    ///     SDK, since it holds other libraries too), and every file named `convene-step-…` as an
    ///     executable. A file named itself is a library if its name ends in `.so`, else an
    ///     executable if it may be executed.
    ///   - settings: timeouts and limits for out-of-process plugins.
    public init(searchPath: [URL], settings: ProcessPluginSettings = ProcessPluginSettings()) {
        let own = Self.executableDirectory().standardizedFileURL.path
        for entry in searchPath {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: entry.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: entry.path)) ?? []
                let isOwn = entry.standardizedFileURL.path == own
                for name in names.sorted() {
                    let file = entry.appendingPathComponent(name)
                    if name.hasSuffix(".so") && name != "libConveneKit.so" && (!isOwn || name.hasPrefix("libConvene")) {
                        add(Self.load(file))
                    } else if name.hasPrefix(Self.executablePrefix), !Self.isDirectory(file) {
                        add(Self.loadExecutable(file, settings: settings))
                    }
                }
            } else if entry.lastPathComponent.hasSuffix(".so") || !FileManager.default.isExecutableFile(atPath: entry.path) {
                add(Self.load(entry))
            } else {
                add(Self.loadExecutable(entry, settings: settings))
            }
        }
    }

    private mutating func add(_ result: Result<LoadedPlugin, PluginLoadProblem>) {
        switch result {
        case .success(let loaded):
            if plugins.contains(where: { $0.manifest.id == loaded.manifest.id && $0.manifest.version.major == loaded.manifest.version.major }) {
                // Never run: its process has nothing to do.
                loaded.process?.shutDown()
                shadowed.append(loaded)
            } else {
                plugins.append(loaded)
            }
        case .failure(let problem):
            problems.append(problem)
        }
    }

    /// Ends the processes of out-of-process plugins, asking each to exit first. A plugin asked
    /// for more work afterwards starts again.
    public func shutDown() {
        for loaded in plugins + shadowed { loaded.process?.shutDown() }
    }

    /// Starts an executable as an out-of-process plugin and learns its manifest.
    public static func loadExecutable(_ file: URL, settings: ProcessPluginSettings) -> Result<LoadedPlugin, PluginLoadProblem> {
        guard FileManager.default.isExecutableFile(atPath: file.path) else {
            return .failure(PluginLoadProblem(file: file, reason: "is named like an out-of-process plugin but may not be executed (chmod +x)"))
        }
        return ProcessPlugin.load(file, settings: settings).map { LoadedPlugin(plugin: $0.stepPlugin, file: file, process: $0) }
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The plugin for `uses: id@major`.
    public func plugin(id: String, major: Int) -> LoadedPlugin? {
        plugins.first { $0.manifest.id == id && $0.manifest.version.major == major }
    }

    /// Loads one shared library as a plugin.
    public static func load(_ file: URL) -> Result<LoadedPlugin, PluginLoadProblem> {
        func refuse(_ reason: String) -> Result<LoadedPlugin, PluginLoadProblem> {
            .failure(PluginLoadProblem(file: file, reason: reason))
        }
        guard let handle = dlopen(file.path, RTLD_NOW | RTLD_LOCAL) else {
            let message = dlerror().map { String(cString: $0) } ?? "unknown error"
            return refuse("cannot be loaded: \(message)")
        }
        // Deliberately never dlclose'd: unloading Swift code (metadata, conformances) is unsafe.
        guard let versionSymbol = dlsym(handle, pluginAPIVersionSymbol),
            let entrySymbol = dlsym(handle, pluginEntrySymbol)
        else {
            return refuse("is not a Convene plugin (it exports no \(pluginAPIVersionSymbol) and \(pluginEntrySymbol))")
        }
        typealias VersionFunction = @convention(c) () -> Int32
        typealias EntryFunction = @convention(c) () -> UnsafeMutableRawPointer?
        let version = unsafeBitCast(versionSymbol, to: VersionFunction.self)()
        guard version == conveneKitAPIVersion else {
            return refuse("was built for plugin API version \(version); this convene speaks version \(conveneKitAPIVersion): rebuild it against this ConveneKit")
        }
        guard let raw = unsafeBitCast(entrySymbol, to: EntryFunction.self)() else {
            return refuse("its entry point returned nothing")
        }
        let object = Unmanaged<AnyObject>.fromOpaque(raw).takeRetainedValue()
        guard let plugin = object as? StepPlugin else {
            return refuse("its types do not match this convene's ConveneKit (\(type(of: object)) is not this host's StepPlugin): it must link ConveneKit dynamically, built by the same toolchain")
        }
        guard plugin.manifest.apiVersion == conveneKitAPIVersion else {
            return refuse("declares plugin API version \(plugin.manifest.apiVersion); this convene speaks version \(conveneKitAPIVersion)")
        }
        return .success(LoadedPlugin(plugin: plugin, file: file))
    }

    /// The folder of the running executable (`/proc/self/exe` on Linux).
    static func executableDirectory() -> URL {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path).deletingLastPathComponent()
        }
        #endif
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }
}
