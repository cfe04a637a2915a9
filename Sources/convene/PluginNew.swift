import ArgumentParser
import ConveneCore
import ConveneKit
import Foundation

struct Plugin: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make step plugins.", subcommands: [New.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new step plugin's Swift package: a step with a manifest and a configuration schema, and its test.",
            discussion: """
                The package depends on ConveneKit (and its tests on ConveneKitTesting) by path, from \
                Convene's sources: --kit, else $CONVENE_KIT, else the Sources/ConveneKit of the sources \
                this convene was built in. `swift build` in the package makes .build/debug/libNAME.so, \
                `swift test` runs its tests, and `convene plugins --plugins .build/debug` lists it.
                """)

        @Argument(help: "The plugin id, as workflows will name it in uses: (lowercase words joined by hyphens, such as press-notes).")
        var name: String

        @Option(help: ArgumentHelp("The folder to write the package into, new or empty (default: ./NAME).", valueName: "dir"))
        var out: String?

        @Option(help: ArgumentHelp("ConveneKit's package folder: Sources/ConveneKit of Convene's sources.", valueName: "path"))
        var kit: String?

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            guard let kitFolder = kit.map({ URL(fileURLWithPath: $0, isDirectory: true) }) ?? PluginTemplate.defaultKit(environment: environment) else {
                throw InputError("cannot find ConveneKit's package: give --kit the folder Sources/ConveneKit of Convene's sources, or set CONVENE_KIT")
            }
            let template: PluginTemplate
            do {
                template = try PluginTemplate(name: name, kit: kitFolder)
            } catch {
                throw InputError(error.description)
            }
            // A plugin with the id of one already found would be shadowed by it (the first wins).
            let registry = PluginRegistry(searchPath: PluginRegistry.searchPath())
            defer { registry.shutDown() }
            if let taken = registry.plugins.first(where: { $0.manifest.id == template.id }) {
                throw InputError("a plugin '\(template.id)' is already on the search path (\(taken.file.path)); choose another name")
            }
            let folder = URL(fileURLWithPath: out ?? name, isDirectory: true)
            do {
                try template.write(to: folder)
            } catch {
                throw InputError(error.description)
            }
            Console.out("wrote the \(template.id) plugin's package to \(folder.path):")
            for file in template.files { Console.out("  \(file.path)") }
            Console.out("""
                next: cd \(folder.path) && swift build && swift test
                      convene plugins --plugins \(folder.path)/.build/debug
                """)
        }
    }
}
