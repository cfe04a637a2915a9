import ConveneKit

@_cdecl("convene_plugin_api_version")
public func pluginAPIVersion() -> Int32 { conveneKitAPIVersion }

@_cdecl("convene_plugin_entry")
public func pluginEntry() -> UnsafeMutableRawPointer { StepPlugin.export(BadgesStep.self) }
