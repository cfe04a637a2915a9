/// Reads a YAML text into a ``YAMLNode`` tree, with libyaml's event parser underneath.
///
/// On top of libyaml's syntax the parser applies the YAML 1.2 core schema, honours explicit
/// tags, expands aliases (the latest anchor of a name wins), applies merge keys (`<<`), and
/// refuses what a workflow file should never contain: duplicate keys, more than one document,
/// and alias bombs. Every error carries a precise file:line:column.
public enum YAMLParser {
    /// The most nodes that expanding aliases may create in one document: enough for any real
    /// workflow, and reached in microseconds by a "billion laughs" document, which then fails.
    public static let aliasExpansionLimit = 100_000

    /// The deepest nesting of collections in one document, which keeps every recursive walk of
    /// the tree (including the parser's own) far from the end of a thread's stack.
    public static let nestingLimit = 512

    /// Parses a text holding at most one YAML document.
    /// - Parameters:
    ///   - text: the YAML source.
    ///   - file: the path to report in locations, as the user gave it.
    /// - Returns: the document's root node, or `nil` when the stream holds no document (an empty
    ///   text, or only comments).
    /// - Throws: ``YAMLError`` for malformed YAML, a second document, an undefined or recursive
    ///   alias, aliases expanding past ``aliasExpansionLimit`` nodes, nesting past
    ///   ``nestingLimit``, a duplicate key, a bad merge key, or a tag its value does not fit.
    public static func parse(_ text: String, file: String) throws(YAMLError) -> YAMLNode? {
        var contiguous = text
        let result = contiguous.withUTF8 { bytes -> Result<YAMLNode?, YAMLError> in
            guard !bytes.isEmpty else { return .success(nil) }
            return Result { () throws(YAMLError) -> YAMLNode? in
                let locator = SourceLocator(file: file, text: text, isASCII: isASCII(bytes))
                var builder = try TreeBuilder(events: EventStream(input: bytes, locator: locator))
                return try builder.document()
            }
        }
        return try result.get()
    }

    /// Whether every byte is ASCII, read eight bytes at a time: then libyaml's columns need no
    /// conversion at all.
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return true }
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= bytes.count {
            high |= base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            high |= UInt64(bytes[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}
