public import ConveneKit
internal import ConveneYAML
internal import CSV
public import Foundation

/// Reads a roster of delegations from a CSV file, reporting bad rows by line, column and name.
///
/// Columns, by header name: `id`, `language` and `email` are required; `name_<lang>` (at least
/// one), `principal_name`, `principal_title`, `principal_gender` (`female`, `male`, or blank),
/// `principal_rank`, `focal_point_email` and `mission_email` are read when present; every column,
/// these included, is also kept in ``Delegation/fields`` for conditions and templates.
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
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.error("the roster file is not UTF-8 text", at: SourceLocation(file: displayPath, line: 1, column: 1))
            return ([], [])
        }
        diagnostics.register(source: text, for: displayPath)
        return parse(text, file: displayPath, diagnostics: &diagnostics)
    }

    /// Parses roster text; see ``load(_:displayPath:diagnostics:)``.
    public static func parse(
        _ text: String, file: String, diagnostics: inout Diagnostics
    ) -> (delegations: [Delegation], columns: [String]) {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        func at(_ line: Int, _ fieldIndex: Int) -> SourceLocation {
            let column = line - 1 < lines.count ? fieldColumn(in: lines[line - 1], index: fieldIndex) : 1
            return SourceLocation(file: file, line: line, column: column)
        }
        guard let reader = try? CSVReader(string: body, hasHeaderRow: true), let header = reader.headerRow,
            !header.isEmpty, header != [""]
        else {
            diagnostics.error("the roster has no header row", at: SourceLocation(file: file, line: 1, column: 1))
            return ([], [])
        }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
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
        var line = 2
        var row = 1
        while let fields = reader.next() {
            defer {
                line += 1 + fields.reduce(0) { $0 + $1.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
                row += 1
            }
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
            func value(_ name: String) -> String? {
                guard let i = index[name] else { return nil }
                let v = fields[i].trimmingCharacters(in: .whitespaces)
                return v.isEmpty ? nil : v
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
            var record: [String: String] = [:]
            for (i, name) in columns.enumerated() { record[name] = fields[i].trimmingCharacters(in: .whitespaces) }
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

    /// `local@domain.tld`, ASCII, no spaces: what a mail server will take.
    static func isPlausibleEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else { return false }
        return s.allSatisfy { $0.isASCII && !$0.isWhitespace && !"<>(),;:\"[]\\".contains($0) }
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
