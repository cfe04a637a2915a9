import ConveneYAML
import Foundation
import Testing

/// Runs the public YAML test suite (https://github.com/yaml/yaml-test-suite, MIT licence) against
/// the parser. The suite is not copied into the repository: its data export lives in the project's
/// shared folder beside the clone (`../shared/yaml-test-suite`), and these tests are skipped when
/// it is absent. `CONVENE_YAML_TEST_SUITE` may point at another copy.
///
/// What each case must do:
/// - `error` present: the parser throws, with a location that is a real place in the input (a
///   line it has, at most one column past that line's end), and does not crash.
/// - more than one document (`+DOC` twice in `test.event`): the parser throws `multipleDocuments`,
///   located the same way.
/// - `in.json` present: the tree, as JSON values, equals it (an empty `in.json` means no document).
/// - otherwise (valid, but not expressible in JSON, e.g. a list as a key): the parser succeeds.
@Suite("yaml-test-suite")
struct YAMLTestSuiteTests {
    @Test(
        "every case of the YAML test suite",
        .enabled(if: YAMLTestSuite.root != nil, "../shared/yaml-test-suite is absent"),
        arguments: YAMLTestSuite.cases)
    func suiteCase(_ testCase: YAMLTestSuite.Case) throws {
        if let code = YAMLTestSuite.refusedOnPurpose[testCase.id] {
            let error = #expect(throws: YAMLError.self) { try testCase.parse() }
            #expect(error?.code == code)
            if let error { try testCase.expectPlace(of: error) }
        } else if let reason = YAMLTestSuite.libyamlGetsWrong[testCase.id] {
            withKnownIssue("libyaml 0.2.5: \(reason)") { try testCase.check() }
            // Whatever libyaml makes of it, a refusal has its place.
            do { try testCase.parse() } catch let error as YAMLError { try testCase.expectPlace(of: error) }
        } else {
            try testCase.check()
        }
    }

    @Test(
        "the known libyaml failures name real cases",
        .enabled(if: YAMLTestSuite.root != nil, "../shared/yaml-test-suite is absent"))
    func knownFailuresExist() {
        let ids = Set(YAMLTestSuite.cases.map(\.id))
        for id in (Array(YAMLTestSuite.libyamlGetsWrong.keys) + YAMLTestSuite.refusedOnPurpose.keys).sorted() {
            #expect(ids.contains(id), "no case \(id) in the suite")
        }
    }
}

enum YAMLTestSuite {
    /// The cases Convene deliberately does not support: those whose expectation libyaml 0.2.5
    /// (Debian's libyaml-0-2) itself does not meet, since its event stream differs from the
    /// suite's `test.event` and no layer above it can pass. 51 are valid YAML that libyaml refuses
    /// (YAML 1.2 corners its scanner does not know: empty keys, a `:` on the line after a flow
    /// key, tabs as separation, anchors with `:` in them, the 1.2 directives), each then refused
    /// with a located error like any other; 12 are invalid YAML that it accepts, so the parser
    /// returns a tree; 5 it reads with other events. None is a construct a workflow needs, and
    /// none is worth replacing libyaml for. Each is run as a known issue, so that a libyaml that
    /// fixes one makes the test fail until the entry is removed.
    static let libyamlGetsWrong: [String: String] = [
        "2JQS": "rejects this valid input (Block Mapping with Missing Keys)",
        "2LFX": "rejects this valid input (Spec Example 6.13. Reserved Directives [1.3])",
        "2SXE": "rejects this valid input (Anchors With Colon in Name)",
        "4ABK": "rejects this valid input (Flow Mapping Separate Values)",
        "4MUZ/00": "rejects this valid input (Flow mapping colon on line after key)",
        "4MUZ/01": "rejects this valid input (Flow mapping colon on line after key)",
        "4MUZ/02": "rejects this valid input (Flow mapping colon on line after key)",
        "58MP": "rejects this valid input (Flow mapping edge cases)",
        "5MUD": "rejects this valid input (Colon and adjacent value on next line)",
        "5T43": "rejects this valid input (Colon at the beginning of adjacent flow scalar)",
        "652Z": "reports wrong events for this input (Question mark at start of flow key)",
        "6BCT": "rejects this valid input (Spec Example 6.3. Separation Spaces)",
        "6CA3": "rejects this valid input (Tab indented top flow)",
        "6LVF": "rejects this valid input (Spec Example 6.13. Reserved Directives)",
        "6M2F": "rejects this valid input (Aliases in Explicit Block Mapping)",
        "7Z25": "rejects this valid input (Bare document after document end marker)",
        "8XYN": "rejects this valid input (Anchor with unicode character)",
        "96NN/00": "rejects this valid input (Leading tab content in literals)",
        "96NN/01": "rejects this valid input (Leading tab content in literals)",
        "9C9N": "accepts this invalid input (Wrong indented flow sequence)",
        "9JBA": "accepts this invalid input (Invalid comment after end of flow sequence)",
        "9SA2": "rejects this valid input (Multiline double quoted flow mapping key)",
        "A2M4": "rejects this valid input (Spec Example 6.2. Indentation Indicators)",
        "BEC7": "rejects this valid input (Spec Example 6.14. “YAML” directive)",
        "CFD4": "rejects this valid input (Empty implicit key in single pair flow sequences)",
        "CVW2": "accepts this invalid input (Invalid comment after comma)",
        "DBG4": "rejects this valid input (Spec Example 7.10. Plain Characters)",
        "DK3J": "rejects this valid input (Zero indented block scalar with line that looks like a comment)",
        "DK95/00": "rejects this valid input (Tabs that look like indentation)",
        "DK95/01": "accepts this invalid input (Tabs that look like indentation)",
        "DK95/03": "rejects this valid input (Tabs that look like indentation)",
        "DK95/04": "rejects this valid input (Tabs that look like indentation)",
        "FP8R": "rejects this valid input (Zero indented block scalar)",
        "FRK4": "rejects this valid input (Spec Example 7.3. Completely Empty Flow Nodes)",
        "G5U8": "accepts this invalid input (Plain dashes in flow sequence)",
        "HM87/00": "rejects this valid input (Scalars in flow start with syntax char)",
        "HM87/01": "reports wrong events for this input (Scalars in flow start with syntax char)",
        "HWV9": "rejects this valid input (Document-end marker)",
        "JEF9/02": "reports wrong events for this input (Trailing whitespace in streams)",
        "K3WX": "rejects this valid input (Colon and adjacent value after comment on next line)",
        "L24T/01": "reports wrong events for this input (Trailing line of spaces)",
        "M2N8/00": "rejects this valid input (Question mark edge cases)",
        "M7A3": "rejects this valid input (Spec Example 9.3. Bare Documents)",
        "MUS6/00": "accepts this invalid input (Directive variants)",
        "MUS6/05": "rejects this valid input (Directive variants)",
        "MUS6/06": "rejects this valid input (Directive variants)",
        "NHX8": "rejects this valid input (Empty Lines at End of Document)",
        "NJ66": "rejects this valid input (Multiline plain flow mapping key)",
        "NKF9": "rejects this valid input (Empty keys in block and flow mapping)",
        "Q5MG": "rejects this valid input (Tab at beginning of line followed by a flow mapping)",
        "QB6E": "accepts this invalid input (Wrong indented multiline quoted scalar)",
        "QT73": "rejects this valid input (Comment and document-end marker)",
        "R4YG": "rejects this valid input (Spec Example 8.2. Block Indentation Indicator)",
        "S3PD": "rejects this valid input (Spec Example 8.18. Implicit Block Mapping Entries)",
        "S98Z": "accepts this invalid input (Block scalar with more spaces than first content line)",
        "SM9W/01": "rejects this valid input (Single character streams)",
        "SU5Z": "accepts this invalid input (Comment without whitespace after doublequoted scalar)",
        "UKK6/00": "rejects this valid input (Syntax character edge cases)",
        "UT92": "rejects this valid input (Spec Example 9.4. Explicit Documents)",
        "VJP3/01": "rejects this valid input (Flow collections over many lines)",
        "W4TN": "rejects this valid input (Spec Example 9.5. Directives Documents)",
        "W5VH": "rejects this valid input (Allowed characters in alias)",
        "X4QW": "accepts this invalid input (Comment without whitespace after block scalar indicator)",
        "Y2GN": "reports wrong events for this input (Anchor with colon in the middle)",
        "Y79Y/001": "rejects this valid input (Tabs in various contexts)",
        "Y79Y/003": "accepts this invalid input (Tabs in various contexts)",
        "Y79Y/010": "rejects this valid input (Tabs in various contexts)",
        "YJV2": "accepts this invalid input (Dash in flow sequence)",
    ]

    /// Valid YAML that Convene refuses on purpose, with the error it must give instead.
    static let refusedOnPurpose: [String: YAMLError.Code] = [
        // `{ &a [a, &b b]: *b, *a : [...] }`: the alias `*a` repeats the key `[a, b]`.
        "X38W": .duplicateKey
    ]

    /// One case folder (`229Q`, or `MUS6/03` for a numbered sub-case).
    struct Case: Sendable, CustomTestStringConvertible {
        var id: String
        var directory: URL

        var testDescription: String { id }

        private func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

        private func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name).path) }

        private func read(_ name: String) throws -> String { try String(contentsOf: file(name), encoding: .utf8) }

        @discardableResult
        func parse() throws -> YAMLNode? { try YAMLParser.parse(read("in.yaml"), file: "in.yaml") }

        func check() throws {
            let input = try read("in.yaml")
            let title = (try? read("===").trimmingCharacters(in: .whitespacesAndNewlines)) ?? ""
            let events = (try? read("test.event")) ?? ""
            let documents = events.split(separator: "\n").filter { $0.hasPrefix("+DOC") }.count
            if exists("error") {
                let error = #expect(throws: YAMLError.self, "\(id) \(title): must be refused") {
                    try YAMLParser.parse(input, file: "in.yaml")
                }
                if let error { try expectPlace(of: error) }
            } else if documents > 1 {
                let error = #expect(throws: YAMLError.self, "\(id) \(title): has \(documents) documents") {
                    try YAMLParser.parse(input, file: "in.yaml")
                }
                #expect(error?.code == .multipleDocuments, "\(id) \(title): \(error.map { "\($0)" } ?? "")")
                if let error { try expectPlace(of: error) }
            } else if exists("in.json") {
                let json = try read("in.json")
                let root = try YAMLParser.parse(input, file: "in.yaml")
                if json.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    #expect(root == nil, "\(id) \(title): has no document")
                } else {
                    let expected = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
                    let actual = try #require(root.map(JSONValue.init), "\(id) \(title): has a document")
                    #expect(actual == expected, "\(id) \(title)")
                }
            } else {
                _ = try YAMLParser.parse(input, file: "in.yaml")
            }
        }

        /// Expects the error's location to be a place in `in.yaml`: a line the input has, with
        /// lines counted as libyaml counts them (LF, CR LF, CR, NEL, LS and PS end a line), and
        /// a column from 1 to one past the end of that line.
        func expectPlace(of error: YAMLError) throws {
            let input = try read("in.yaml")
            var lengths = [0]
            var previous: Unicode.Scalar?
            for scalar in input.unicodeScalars {
                switch scalar {
                case "\n" where previous == "\r": break
                case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": lengths.append(0)
                default: lengths[lengths.count - 1] += 1
                }
                previous = scalar
            }
            let location = error.location
            #expect(location.file == "in.yaml", "\(id): \(error)")
            #expect(location.line >= 1 && location.line <= lengths.count, "\(id): \(error) (\(lengths.count) lines)")
            if location.line >= 1 && location.line <= lengths.count {
                let length = lengths[location.line - 1]
                #expect(location.column >= 1 && location.column <= length + 1, "\(id): \(error) (line of \(length))")
            }
        }
    }

    /// The suite's data folder: `$CONVENE_YAML_TEST_SUITE`, or `shared/yaml-test-suite` beside the
    /// clone (or beside any folder above this file, which also finds it from a scratch package).
    static let root: URL? = {
        let fileManager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["CONVENE_YAML_TEST_SUITE"] {
            return fileManager.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("shared/yaml-test-suite")
            if fileManager.fileExists(atPath: candidate.appendingPathComponent("License").path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }()

    /// Every folder of the suite that holds an `in.yaml`, sorted by id.
    static let cases: [Case] = {
        guard let root else { return [] }
        let fileManager = FileManager.default
        var cases: [Case] = []
        let top = (try? fileManager.contentsOfDirectory(atPath: root.path)) ?? []
        for name in top.sorted() {
            let directory = root.appendingPathComponent(name)
            if fileManager.fileExists(atPath: directory.appendingPathComponent("in.yaml").path) {
                cases.append(Case(id: name, directory: directory))
                continue
            }
            let subs = (try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? []
            for sub in subs.sorted() {
                let subdirectory = directory.appendingPathComponent(sub)
                if fileManager.fileExists(atPath: subdirectory.appendingPathComponent("in.yaml").path) {
                    cases.append(Case(id: "\(name)/\(sub)", directory: subdirectory))
                }
            }
        }
        return cases
    }()
}

/// A JSON value, to compare a YAML tree with the suite's `in.json`.
enum JSONValue: Hashable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The node as JSON: keys by their text, integers and floats as numbers.
    init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let scalar):
            switch scalar.value {
            case .null: self = .null
            case .bool(let bool): self = .bool(bool)
            case .int(let int): self = .number(Double(int))
            case .float(let double): self = .number(double)
            case .string(let string): self = .string(string)
            }
        case .sequence(let items):
            self = .array(items.map(JSONValue.init))
        case .mapping(let pairs):
            var object: [String: JSONValue] = [:]
            for pair in pairs {
                object[pair.key.scalar?.text ?? "\(JSONValue(pair.key))"] = JSONValue(pair.value)
            }
            self = .object(object)
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let bool): "\(bool)"
        case .number(let number): "\(number)"
        case .string(let string): "\"\(string)\""
        case .array(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .object(let object):
            "{" + object.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}
