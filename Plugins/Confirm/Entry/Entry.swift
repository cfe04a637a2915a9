import Confirm
import ConveneKit

/// The version of the plugin interface this plugin was built against; the host checks it
/// before it calls ``pluginEntry()``.
@_cdecl("convene_plugin_api_version")
public func pluginAPIVersion() -> Int32 { conveneKitAPIVersion }

/// Hands the `confirm` step to the host: a retained `StepPlugin` the host takes ownership of.
@_cdecl("convene_plugin_entry")
public func pluginEntry() -> UnsafeMutableRawPointer { StepPlugin.export(ConfirmStep.self) }
