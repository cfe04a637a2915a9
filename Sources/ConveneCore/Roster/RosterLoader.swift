public import ConveneKit
internal import ConveneYAML
public import Foundation

/// Reads a roster of delegations from a CSV file, reporting bad rows by line, column and name.
///
/// Columns, by header name: `id`, `language` and `email` are required; `name_<lang>` (at least
/// one), `principal_name`, `principal_title`, `principal_gender` (`female`, `male`, or blank),
/// `principal_rank`, `focal_point_email` and `mission_email` are read when present; every column,
/// these included, can be read by conditions as `delegation.<column>`; columns without a property
/// of their own are kept in ``Delegation/fields``.
public enum RosterLoader {
    /// Columns the roster must have.
    public static let requiredColumns = ["id", "language", "email"]

    /// Reads a roster.
    /// - Parameters:
    ///   - url: the CSV file.
    ///   - displayPath: the path to print in diagnostics.
    ///   - diagnostics: where problems go; rows with errors are left out of the result.
    /// - Returns: the delegations in file order and the header's column names.
    public static func load(
        _ url: URL, displayPath: String, diagnostics: inout Diagnostics
    ) -> (delegations: [Delegation], columns: [String]) {
        guard let data = try? Data(contentsOf: url) else {
            diagnostics.error("cannot read the roster file '\(displayPath)'", at: SourceLocation(file: displayPath, line: 1, column: 1))
            return ([], [])
        }
        guard let text = diagnostics.text(of: data, file: displayPath, what: "the roster file") else { return ([], []) }
        diagnostics.register(source: text, for: displayPath)
        return parse(text, file: displayPath, diagnostics: &diagnostics)
    }

    /// Parses roster text; see ``load(_:displayPath:diagnostics:)``.
    public static func parse(
        _ text: String, file: String, diagnostics: inout Diagnostics
    ) -> (delegations: [Delegation], columns: [String]) {
        guard let (records, header, opened) = CSVPlaces.open(text, file: file, what: "the roster", diagnostics: &diagnostics)
        else { return ([], []) }
        var reader = records
        var places = opened
        func at(_ line: Int, _ field: Int) -> SourceLocation { places.at(line, field) }
        let columns = header.map(trimmed)
        let errorsBefore = diagnostics.all.count
        var index: [String: Int] = [:]
        for (i, name) in columns.enumerated() {
            if let first = index[name] {
                diagnostics.error("column '\(name)' appears twice (first as column \(first + 1))", at: at(1, i))
            } else {
                index[name] = i
            }
        }
        for name in requiredColumns where index[name] == nil {
            diagnostics.error("the roster has no '\(name)' column\(didYouMean(name, among: columns))", at: at(1, 0))
        }
        let nameColumns = columns.enumerated().filter { $0.element.hasPrefix("name_") }
        if nameColumns.isEmpty {
            diagnostics.error("the roster has no name column (name_en, name_fr, …)", at: at(1, 0))
        }
        if diagnostics.all.count > errorsBefore { return ([], columns) }

        var delegations: [Delegation] = []
        var firstLine: [String: Int] = [:]
        var row = 1
        while let (fields, line) = CSVPlaces.next(&reader, file: file, diagnostics: &diagnostics) {
            defer { row += 1 }
            if fields.count == 1, fields[0].isEmpty { continue }  // a blank line
            let before = diagnostics.all.count
            func error(_ column: String, _ message: String) {
                diagnostics.error("row \(row), column '\(column)': \(message)", at: at(line, index[column] ?? 0))
            }
            guard fields.count == columns.count else {
                diagnostics.error(
                    "row \(row) has \(fields.count) field\(fields.count == 1 ? "" : "s"), the header has \(columns.count)",
                    at: at(line, min(fields.count, columns.count) - 1))
                continue
            }
            let cells = fields.map(trimmed)
            func value(_ name: String) -> String? {
                guard let i = index[name] else { return nil }
                return cells[i].isEmpty ? nil : cells[i]
            }
            let id = value("id") ?? ""
            if id.isEmpty {
                error("id", "the id is empty")
            } else if !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
                error("id", "the id '\(id)' may only hold ASCII letters, digits, '-', '_' and '.'")
            } else if let first = firstLine[id] {
                error("id", "the id '\(id)' is already used on line \(first)")
            } else {
                firstLine[id] = line
            }
            let language = value("language") ?? ""
            if !(2...3).contains(language.count) || !language.allSatisfy({ $0.isASCII && $0.isLowercase }) {
                error("language", language.isEmpty ? "the language is empty" : "'\(language)' is not a language code such as 'fr' or 'en'")
            }
            var names: [String: String] = [:]
            for (_, column) in nameColumns { if let v = value(column) { names[String(column.dropFirst(5))] = v } }
            if names.isEmpty { error(nameColumns[0].element, "the delegation has no name") }
            let gender: Gender
            switch value("principal_gender")?.lowercased() {
            case nil, "unspecified": gender = .unspecified
            case "female", "f": gender = .female
            case "male", "m": gender = .male
            case let other?:
                error("principal_gender", "'\(other)' is not female, male or blank")
                gender = .unspecified
            }
            var addresses: [Address] = []
            for (column, role) in [("email", Address.Role.principal), ("focal_point_email", .focalPoint), ("mission_email", .mission)] {
                guard let email = value(column) else {
                    if column == "email" { error(column, "the principal's e-mail address is empty") }
                    continue
                }
                if isPlausibleEmail(email) {
                    addresses.append(Address(role: role, mailbox: Mailbox(name: role == .principal ? value("principal_name") : nil, email: email)))
                } else {
                    error(column, "'\(email)' is not an e-mail address")
                }
            }
            guard diagnostics.all.count == before else { continue }
            // Columns with a property of their own are not kept twice (a roster of 100,000 rows
            // would carry every address and name again); `column(_:of:)` reads either.
            var record: [String: String] = [:]
            for (i, name) in columns.enumerated() where !Self.isModelled(name) { record[name] = cells[i] }
            delegations.append(
                Delegation(
                    id: id, names: names, language: language,
                    principal: Principal(
                        name: value("principal_name") ?? "", title: value("principal_title") ?? "",
                        gender: gender, rank: value("principal_rank")),
                    addresses: addresses, fields: record))
        }
        return (delegations, columns)
    }

    /// Whether a column is held by a property of ``Delegation`` rather than in its `fields`.
    static func isModelled(_ column: String) -> Bool {
        column.hasPrefix("name_") || modelledColumns.contains(column)
    }

    static let modelledColumns: Set<String> = [
        "id", "language", "principal_name", "principal_title", "principal_gender", "principal_rank",
        "email", "focal_point_email", "mission_email",
    ]

    /// A roster column's value for a delegation, whether a property holds it or `fields` does;
    /// `nil` when blank or absent.
    static func column(_ name: String, of d: Delegation) -> String? {
        let value: String?
        switch name {
        case "id": value = d.id
        case "language": value = d.language
        case "principal_name": value = d.principal.name
        case "principal_title": value = d.principal.title
        case "principal_gender": value = d.principal.gender == .unspecified ? nil : d.principal.gender.rawValue
        case "principal_rank": value = d.principal.rank
        case "email": value = d.addresses(.principal).first?.mailbox.email
        case "focal_point_email": value = d.addresses(.focalPoint).first?.mailbox.email
        case "mission_email": value = d.addresses(.mission).first?.mailbox.email
        default: value = name.hasPrefix("name_") ? d.names[String(name.dropFirst(5))] : d.fields[name]
        }
        return value?.isEmpty == false ? value : nil
    }

    /// Every column of a delegation's row, by name: `fields` and the columns properties hold.
    static func record(of d: Delegation) -> [String: String] {
        var record = d.fields
        for name in modelledColumns { if let v = column(name, of: d) { record[name] = v } }
        for (language, name) in d.names { record["name_\(language)"] = name }
        return record
    }

    /// `local@domain.tld`, ASCII, no spaces: what a mail server will take.
    static func isPlausibleEmail(_ s: String) -> Bool {
        var at = -1, lastDot = -1, count = 0
        for (i, byte) in s.utf8.enumerated() {
            count += 1
            switch byte {
            case 0x40:  // @
                guard at < 0 else { return false }
                at = i
            case 0x2E:  // .
                if at >= 0 { lastDot = i }
            case 0x21...0x7E:
                // RFC 5322 specials that have no place in a plain address.
                switch byte {
                case 0x3C, 0x3E, 0x28, 0x29, 0x2C, 0x3B, 0x3A, 0x22, 0x5B, 0x5D, 0x5C: return false
                default: break
                }
            default:
                return false  // spaces, controls, non-ASCII
            }
        }
        return at > 0 && lastDot > at + 1 && lastDot < count - 1 && s.utf8[s.utf8.index(s.utf8.startIndex, offsetBy: at + 1)] != 0x2E
    }

    /// The text without leading and trailing spaces and tabs; the same string, not a copy, when
    /// there are none (the common case, and it keeps a roster's strings shared).
    static func trimmed(_ s: String) -> String {
        let utf8 = s.utf8
        guard let first = utf8.first, let last = utf8.last else { return s }
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
        guard blank(first) || blank(last) else { return s }
        var start = utf8.startIndex, end = utf8.endIndex
        while start < end, blank(utf8[start]) { start = utf8.index(after: start) }
        while end > start, blank(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return String(s[start..<end])
    }

    /// The 1-based column where field `index` of a CSV line starts, honouring quotes.
    static func fieldColumn(in line: Substring, index: Int) -> Int {
        var field = 0
        var quoted = false
        for (offset, ch) in line.enumerated() {
            if field == index { return offset + 1 }
            if ch == "\"" { quoted.toggle() } else if ch == ",", !quoted { field += 1 }
        }
        return field == index ? line.count + 1 : 1
    }
}
