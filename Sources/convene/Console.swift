import ArgumentParser
import Foundation

/// Writes to standard output and standard error without touching Glibc's `stdout` global (which
/// strict concurrency rejects).
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// Left-aligned columns separated by two spaces.
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        let widths = (0..<width).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// Bad input found after parsing (an unknown track, a date that is not one): printed as
/// `error: …` and ending the command with exit status 1, like a workflow that fails validation.
struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension InputError {
    /// Prints the error and returns the exit code to throw.
    func report() -> ExitCode {
        Console.error("error: \(description)")
        return .failure
    }
}
