/// The version of the plugin interface between the `convene` host and step plugins.
///
/// It is emitted into the plugin at build time, so the value a plugin reports is the one of the
/// SDK it was compiled against; the host refuses a plugin whose version differs from its own.
///
/// Version 2 added ``Step/followUp(_:)`` and ``StepManifest/followUp``, ``Effect/place(delegation:track:placement:)``
/// with ``TrackState/placement``, ``Reply/speakingRequestedAt`` and ``TrackInfo/sessions``.
/// Version 3 holds ``TrackState``'s reply and placement out of line (the same API, a different
/// layout: plugins are rebuilt).
@_alwaysEmitIntoClient
public var conveneKitAPIVersion: Int32 { 3 }

/// The C symbol a plugin exports that returns ``conveneKitAPIVersion`` as the plugin saw it.
public let pluginAPIVersionSymbol = "convene_plugin_api_version"

/// The C symbol a plugin exports that returns its retained ``StepPlugin``.
public let pluginEntrySymbol = "convene_plugin_entry"

/// A step type packaged for the host: what crosses the `.so` boundary.
///
/// The host receives a `StepPlugin` from the plugin's entry point and casts it back. The cast
/// only succeeds when host and plugin link the same ConveneKit library, which is why ConveneKit
/// is a dynamic library.
public final class StepPlugin: Sendable {
    /// What the step is, which version, and what configuration it takes.
    public let manifest: StepManifest
    private let make: @Sendable (ConfigValue) throws -> any Step

    /// Packages a step type.
    /// - Parameter step: the step type to package.
    public init<S: Step>(_ step: S.Type) {
        manifest = S.manifest
        make = { try S(configuration: $0) }
    }

    /// Packages a step that is not a Swift type of the plugin's: one whose manifest is known
    /// only at run time, such as a step the host runs in another process.
    ///
    /// Plugins export step types with ``export(_:)``; this initialiser is for hosts that adapt
    /// steps from elsewhere so that the engine runs them like any other. It adds to the SDK
    /// without changing the layout of its types, so ``conveneKitAPIVersion`` is unchanged.
    /// - Parameters:
    ///   - manifest: what the step is, which version, and what configuration it takes.
    ///   - makeStep: makes a configured step from the step's checked `with:`; it may throw
    ///     ``StepError`` for a configuration it cannot use.
    public init(manifest: StepManifest, makeStep: @escaping @Sendable (ConfigValue) throws -> any Step) {
        self.manifest = manifest
        make = makeStep
    }

    /// Makes a configured step.
    /// - Parameter configuration: the step's `with:`, already checked against the manifest's schema.
    /// - Returns: a step ready to run batches.
    /// - Throws: whatever the step's initialiser throws for a configuration it cannot use.
    public func makeStep(configuration: ConfigValue) throws -> any Step {
        try make(configuration)
    }

    /// Hands a step type to the host from a plugin's `@_cdecl` entry point.
    ///
    /// ```swift
    /// @_cdecl("convene_plugin_api_version")
    /// public func pluginAPIVersion() -> Int32 { conveneKitAPIVersion }
    ///
    /// @_cdecl("convene_plugin_entry")
    /// public func pluginEntry() -> UnsafeMutableRawPointer { StepPlugin.export(GreetStep.self) }
    /// ```
    /// - Parameter step: the step type the plugin provides.
    /// - Returns: an opaque, retained pointer to a ``StepPlugin``; the host takes ownership.
    public static func export<S: Step>(_ step: S.Type) -> UnsafeMutableRawPointer {
        Unmanaged.passRetained(StepPlugin(step) as AnyObject).toOpaque()
    }
}
