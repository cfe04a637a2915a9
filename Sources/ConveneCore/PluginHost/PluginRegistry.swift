public import ConveneKit
public import Foundation
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A step plugin found and loaded from a shared library.
public struct LoadedPlugin: Sendable {
    /// The plugin, as the host's SDK sees it.
    public var plugin: StepPlugin
    /// The file it came from.
    public var file: URL

    /// Its manifest.
    public var manifest: StepManifest { plugin.manifest }
}

/// A file in the plugin search path that could not be used, and why.
public struct PluginLoadProblem: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var file: URL
    /// Why it was refused.
    public var reason: String

    public var description: String { "\(file.path): \(reason)" }
}

/// The step plugins available to a run, loaded from shared libraries on a search path.
///
/// Every step, the built-in ones included, comes from a `.so` that exports
/// `convene_plugin_api_version` and `convene_plugin_entry` (see ``StepPlugin/export(_:)``).
/// Libraries are opened with `RTLD_NOW | RTLD_LOCAL` and never closed: Swift code cannot be
/// unloaded safely.
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

    /// Loads every plugin on a search path.
    /// - Parameter searchPath: folders (all their `.so` files are tried) or plugin files; in the
    ///   executable's own folder only `libConvene*.so` files other than the SDK are tried, since
    ///   it holds other libraries too.
    public init(searchPath: [URL]) {
        let own = Self.executableDirectory().standardizedFileURL.path
        for entry in searchPath {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: entry.path, isDirectory: &isDirectory) else { continue }
            let files: [URL]
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: entry.path)) ?? []
                let isOwn = entry.standardizedFileURL.path == own
                files = names.sorted()
                    .filter { $0.hasSuffix(".so") && $0 != "libConveneKit.so" }
                    .filter { !isOwn || $0.hasPrefix("libConvene") }
                    .map { entry.appendingPathComponent($0) }
            } else {
                files = [entry]
            }
            for file in files { add(file) }
        }
    }

    private mutating func add(_ file: URL) {
        switch Self.load(file) {
        case .success(let loaded):
            if plugins.contains(where: { $0.manifest.id == loaded.manifest.id && $0.manifest.version.major == loaded.manifest.version.major }) {
                shadowed.append(loaded)
            } else {
                plugins.append(loaded)
            }
        case .failure(let problem):
            problems.append(problem)
        }
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
