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
