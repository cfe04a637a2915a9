internal import ConveneYAML

/// One fuzz input, as libFuzzer's driver calls it: parses the bytes (as UTF-8, invalid sequences
/// replaced, as `String(decoding:as:)` reads a file) and checks what every caller relies on: an
/// error or a tree, never a crash, and every location, of an error or of a node, a real place in
/// the text. A broken check traps, which libFuzzer reports as a crash, with the input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let places = TextPlaces(text)
    do {
        guard let root = try YAMLParser.parse(text, file: "fuzz.yaml") else { return 0 }
        check(root, in: places, depth: 0)
    } catch {
        places.check(error.location, "error '\(error.message)'")
        _ = error.diagnostic.rendered(source: text)
    }
    return 0
}

/// Every node of a tree lies in the text, and the tree is no deeper than the parser allows.
private func check(_ node: YAMLNode, in places: TextPlaces, depth: Int) {
    precondition(depth <= YAMLParser.nestingLimit + 1, "a tree deeper than the nesting limit")
    places.check(node.location, "node")
    switch node.content {
    case .scalar:
        break
    case .sequence(let items):
        for item in items { check(item, in: places, depth: depth + 1) }
    case .mapping(let pairs):
        for pair in pairs {
            check(pair.key, in: places, depth: depth + 1)
            check(pair.value, in: places, depth: depth + 1)
        }
    }
}

/// The lines of a text as libyaml counts them (LF, CR LF, CR, NEL, LS and PS end a line), with
/// each line's length in characters, to check that a location names a real place.
private struct TextPlaces {
    private var lengths: [Int] = []

    init(_ text: String) {
        var length = 0
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where previousWasCR:
                break
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}":
                lengths.append(length)
                length = 0
            default:
                length += 1
            }
            previousWasCR = scalar == "\r"
        }
        lengths.append(length)
    }

    /// Traps unless the location is on a line of the text, at most one column past its end
    /// (where libyaml reports what is missing at the end of a line). Line lengths are counted in
    /// scalars, which is never fewer than the characters a column counts.
    func check(_ location: SourceLocation, _ what: @autoclosure () -> String) {
        precondition(location.file == "fuzz.yaml", "\(what()) names file \(location.file)")
        precondition(
            location.line >= 1 && location.line <= lengths.count,
            "\(what()) at line \(location.line) of a text of \(lengths.count) lines")
        precondition(
            location.column >= 1 && location.column <= lengths[location.line - 1] + 1,
            "\(what()) at \(location) past the end of its line of \(lengths[location.line - 1]) characters")
    }
}
