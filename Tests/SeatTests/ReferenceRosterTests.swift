import ConveneKit
import Foundation
import Testing

@testable import Seat

/// The reference campaign's roster, `workflows/wsis20-2024/roster.csv`: ITU's 193 Member States
/// at the date of circular letter CL-24/2, as `data/make-roster.py` writes them.
@Suite("the reference roster")
struct ReferenceRosterTests {
    static let header = [
        "id", "m49", "name_en", "name_fr", "name_es", "name_ar", "name_ru", "name_zh",
        "formal_name_en", "formal_name_fr", "article_en", "article_fr", "gender_fr", "region",
        "category", "language", "principal_name", "principal_placeholder", "principal_title",
        "principal_gender", "principal_rank", "email", "focal_point_email", "mission_email",
    ]
    static let languages: Set = ["ar", "en", "es", "fr", "ru", "zh"]
    static let regions: Set = [
        "A Americas", "B Western Europe", "C Eastern Europe and Northern Asia", "D Africa",
        "E Asia and Australasia",
    ]

    /// The roster file, found from this source file: Tests/SeatTests/ → the package root.
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("workflows/wsis20-2024/roster.csv")

    /// The header and the rows of the roster, each row by column name.
    static func load() throws -> (header: [String], rows: [[String: String]]) {
        let text = try String(contentsOf: url, encoding: .utf8)
        let records = try parseCSV(text)
        let header = try #require(records.first)
        let rows = try records.dropFirst().map { record in
            try #require(record.count == header.count, "a row of \(record.count) fields: \(record)")
            return Dictionary(uniqueKeysWithValues: zip(header, record))
        }
        return (header, rows)
    }

    /// RFC 4180 records: fields separated by commas, records by LF (the file has no CR), a field
    /// with a comma, a quote or a line break quoted, a quote inside doubled.
    static func parseCSV(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var characters = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                try #require(field.isEmpty, "a quote inside an unquoted field: \(field)")
                quoted = true
            } else if character == "," {
                record.append(field)
                field = ""
            } else if character == "\n" {
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else {
                try #require(character != "\r\n" && character != "\r", "the roster has CR line endings")
                field.append(character)
            }
        }
        try #require(!quoted, "a quoted field runs to the end of the file")
        try #require(field.isEmpty && record.isEmpty, "the last line has no line ending")
        return records
    }

    /// The rows as delegations with their names in every language, as the roster loader reads them.
    static func delegations(_ rows: [[String: String]]) -> [Delegation] {
        rows.map { row in
            var names: [String: String] = [:]
            for (column, value) in row where column.hasPrefix("name_") { names[String(column.dropFirst(5))] = value }
            return Delegation(
                id: row["id"]!, names: names, language: row["language"]!,
                principal: Principal(name: row["principal_name"]!, title: row["principal_title"]!, gender: .unspecified),
                addresses: [])
        }
    }

    /// A name's first letter without its accent, in capitals: "Î" is "I".
    static func initial(_ name: String) -> String {
        String(name.prefix(1)).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en"))
            .uppercased()
    }

    @Test("the header is the documented columns, in order")
    func header() throws {
        #expect(try Self.load().header == Self.header)
    }

    @Test("193 Member States at 2 February 2024: no Palau, the Holy See")
    func membership() throws {
        let ids = try Self.load().rows.map { $0["id"]! }
        #expect(ids.count == 193)
        #expect(!ids.contains("PLW"), "Palau joined ITU on 19 September 2024")
        #expect(ids.contains("VAT"))
        #expect(ids == ids.sorted(), "the rows are sorted by id")
    }

    @Test("ids, M49 codes and English and French names are unique and well formed")
    func uniqueness() throws {
        let rows = try Self.load().rows
        for column in ["id", "m49", "name_en", "name_fr"] {
            let values = rows.map { $0[column]! }
            #expect(Set(values).count == values.count, "duplicates in \(column)")
            #expect(!values.contains(""), "an empty \(column)")
        }
        for row in rows {
            let id = row["id"]!
            #expect(id.wholeMatch(of: /[A-Z]{3}/) != nil, "id '\(id)'")
            #expect(row["m49"]!.wholeMatch(of: /[0-9]{3}/) != nil, "\(id): m49 '\(row["m49"]!)'")
        }
    }

    @Test("every delegation has one of the six languages and one of the five ITU regions")
    func languagesAndRegions() throws {
        for row in try Self.load().rows {
            #expect(Self.languages.contains(row["language"]!), "\(row["id"]!): language '\(row["language"]!)'")
            #expect(Self.regions.contains(row["region"]!), "\(row["id"]!): region '\(row["region"]!)'")
            #expect(row["category"] == "member")
            #expect(["", "le", "la", "les", "l'"].contains(row["article_fr"]!), "\(row["id"]!): article_fr")
            #expect(["", "the"].contains(row["article_en"]!), "\(row["id"]!): article_en")
            #expect(["m", "f"].contains(row["gender_fr"]!), "\(row["id"]!): gender_fr")
        }
    }

    @Test("principals are marked as placeholders and every address is on a reserved example domain")
    func placeholders() throws {
        for row in try Self.load().rows {
            #expect(row["principal_placeholder"] == "yes", "\(row["id"]!)")
            #expect(["female", "male"].contains(row["principal_gender"]!), "\(row["id"]!)")
            for column in ["email", "focal_point_email", "mission_email"] {
                let address = row[column]!
                #expect(address.isEmpty ? column != "email" : address.hasSuffix(".example"), "\(row["id"]!): \(column)")
            }
        }
    }

    @Test("sorted in French and in English, each name appears once, whatever the order of the input", arguments: ["fr", "en"])
    func collationIsTotal(language: String) throws {
        let delegations = Self.delegations(try Self.load().rows)
        let collation = NameCollation(language: language)
        let sorted = collation.sorted(delegations)
        let names = sorted.map(\.name)
        #expect(names.count == 193)
        #expect(Set(names) == Set(delegations.map { $0.name(in: language) }))
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            #expect(collation.precedes(a, b) && !collation.precedes(b, a), "\(a.name) / \(b.name)")
        }
        var generator = SplitMix64(seed: 20_240_202)
        for _ in 0..<3 {
            #expect(collation.sorted(delegations.shuffled(using: &generator)).map(\.name) == names)
        }
        // Every name sorts among the names with its initial: "Égypte" with the Es, "Îles Marshall" with the Is.
        let initials = names.map(Self.initial)
        #expect(initials == initials.sorted(), "\(zip(names, initials).map { "\($1) \($0)" })")
    }

    @Test("in French, Égypte sorts with the Es before El Salvador, and Îles Marshall with the Is")
    func frenchSpotChecks() throws {
        let names = NameCollation(language: "fr").sorted(Self.delegations(try Self.load().rows)).map(\.name)
        let egypt = try #require(names.firstIndex(of: "Égypte"))
        let salvador = try #require(names.firstIndex(of: "El Salvador"))
        #expect(egypt < salvador)
        #expect(names[egypt - 1] == "Dominique")
        let marshall = try #require(names.firstIndex(of: "Îles Marshall"))
        #expect(names[marshall - 1] == "Hongrie")
        #expect(names[marshall + 1] == "Îles Salomon")
        #expect(names.last == "Zimbabwe", "Swift's String < would put Égypte after Zimbabwe")
    }
}
