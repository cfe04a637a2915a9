internal import ConveneCore
internal import ConveneYAML
internal import Foundation

/// One fuzz input, as libFuzzer's driver calls it: the bytes become `workflow.yaml` in a scratch
/// folder beside a small roster, and are loaded exactly as `convene validate` loads a file
/// (``WorkflowLoader/load(_:)``): decoding, YAML, the workflow's schema, dates, tracks,
/// conditions and each step's `with:` against its plugin's manifest. Every outcome must be a
/// workflow or diagnostics with places, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzWorkflow(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    let harness = Harness.shared
    do {
        try bytes.write(to: harness.workflow)
    } catch {
        fatalError("cannot write \(harness.workflow.path): \(error)")
    }
    do {
        let (_, warnings) = try harness.loader.load(harness.workflow.path)
        check(warnings)
    } catch {
        precondition(error.diagnostics.hasErrors, "a failure without an error")
        check(error.diagnostics)
    }
    return 0
}

/// Every diagnostic has a place (line and column from 1) and renders without trapping.
private func check(_ diagnostics: Diagnostics) {
    for diagnostic in diagnostics.all {
        precondition(
            diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "no place: \(diagnostic)")
    }
    _ = diagnostics.rendered()
}

/// What every input shares, made once: the scratch folder, its roster, and the plugins.
struct Harness: Sendable {
    static let shared = Harness()

    /// Makes ``shared`` now.
    static func prepare() { _ = shared }

    let workflow: URL
    let loader: WorkflowLoader

    private init() {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("convene-fuzz-workflow-\(ProcessInfo.processInfo.processIdentifier)")
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try! Data(Self.roster.utf8).write(to: folder.appendingPathComponent("roster.csv"))
        workflow = folder.appendingPathComponent("workflow.yaml")
        // The built-in steps, which Fuzz/run builds beside this executable (where `convene` finds
        // them too), so that each step's `with:` is checked against its manifest as in real use.
        let plugins = PluginRegistry(searchPath: PluginRegistry.searchPath())
        loader = WorkflowLoader(plugins: plugins)
        let found = plugins.plugins.map(\.file.lastPathComponent)
        FileHandle.standardError.write(Data("FuzzWorkflow: in \(folder.path), plugins: \(found)\n".utf8))
    }

    /// The roster `roster: roster.csv` finds: every column the loader reads, four delegations.
    static let roster = """
        id,name_en,name_fr,region,language,principal_name,principal_title,principal_gender,principal_rank,email,focal_point_email,mission_email
        FRA,France,France,Europe,fr,Minister FRA,Ministre du numérique,female,minister,minister@fra.example.org,focal@fra.example.org,mission@fra.example.org
        EGY,Egypt,Égypte,Arab States,ar,Minister EGY,Minister of Communications,male,minister,minister@egy.example.org,,
        ECU,Ecuador,Équateur,Americas,es,Minister ECU,Minister of Telecommunications,female,minister,minister@ecu.example.org,,
        GBR,United Kingdom,Royaume-Uni,Europe,en,Minister GBR,Secretary of State,male,minister,minister@gbr.example.org,,

        """
}
