internal import CYAML

/// libyaml's event parser over a non-empty UTF-8 buffer, holding the one event it last produced.
///
/// A class because it owns C resources: `deinit` deletes the current event and the parser, so no
/// path out of a parse (a result or any error) leaks either. The buffer must outlive the stream.
final class EventStream {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    /// The current event, valid after a successful ``advance()``.
    let event: UnsafeMutablePointer<yaml_event_t>
    private let locator: SourceLocator

    init(input: UnsafeBufferPointer<UInt8>, locator: SourceLocator) throws(YAMLError) {
        self.locator = locator
        parser = .allocate(capacity: 1)
        parser.initialize(to: yaml_parser_t())
        event = .allocate(capacity: 1)
        event.initialize(to: yaml_event_t())
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            event.deallocate()
            throw YAMLError(.syntax, at: locator.location(line: 0, column: 0), "libyaml could not allocate a parser")
        }
        // libyaml asserts a non-null pointer; the caller never hands over an empty buffer.
        yaml_parser_set_input_string(parser, input.baseAddress, input.count)
    }

    deinit {
        yaml_event_delete(event)
        yaml_parser_delete(parser)
        event.deallocate()
        parser.deallocate()
    }

    /// Releases the current event and parses the next one into ``event``.
    /// - Throws: libyaml's reader, scanner or parser error, located.
    func advance() throws(YAMLError) {
        yaml_event_delete(event)
        guard yaml_parser_parse(parser, event) == 1 else { throw error() }
    }

    /// The type of the current event.
    var type: yaml_event_type_t { event.pointee.type }

    /// Where the current event starts.
    var location: SourceLocation {
        location(of: event.pointee.start_mark)
    }

    func location(of mark: yaml_mark_t) -> SourceLocation {
        locator.location(line: Int(mark.line), column: Int(mark.column))
    }

    /// libyaml's error as a ``YAMLError``: its problem at its mark, and its context with the
    /// context's line when that is elsewhere.
    private func error() -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "unknown libyaml error"
        switch state.error {
        case YAML_READER_ERROR:
            var message = problem
            if state.problem_value != -1 {
                let hex = String(UInt32(bitPattern: state.problem_value), radix: 16, uppercase: true)
                message += " (found U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ")"
            }
            return YAMLError(.syntax, at: locator.location(byteOffset: Int(state.problem_offset)), message)
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
            let location = location(of: state.problem_mark)
            var message = problem
            if let context = state.context.map({ String(cString: $0) }) {
                let contextLocation = self.location(of: state.context_mark)
                if contextLocation == location {
                    message += " (\(context))"
                } else {
                    message += " (\(context) at line \(contextLocation.line), column \(contextLocation.column))"
                }
            }
            return YAMLError(.syntax, at: location, message)
        default:
            return YAMLError(.syntax, at: location(of: state.mark), problem)
        }
    }
}

extension EventStream {
    /// A C string owned by the current event, as a Swift string.
    func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
