@testable import ConveneCore
import ConveneKit
import ConveneYAML
import Testing

@Suite("roster")
struct RosterLoaderTests {
    func parse(_ text: String) -> (delegations: [Delegation], diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        let (delegations, _) = RosterLoader.parse(text, file: "roster.csv", diagnostics: &diagnostics)
        return (delegations, diagnostics)
    }

    @Test("a good roster gives delegations with names per language, principal, addresses and every column")
    func goodRoster() throws {
        let (delegations, diagnostics) = parse("""
            id,name_en,name_fr,language,principal_name,principal_title,principal_gender,principal_rank,email,focal_point_email,mission_email,region
            FRA,France,France,fr,Placeholder,Ministre,female,minister,m@fra.example.org,f@fra.example.org,,Europe
            "CIV","Côte d'Ivoire","Côte d’Ivoire, République de",fr,,,,,m@civ.example.org,,x@civ.example.org,Africa

            """)
        #expect(!diagnostics.hasErrors, "\(diagnostics.rendered())")
        try #require(delegations.count == 2)
        let france = delegations[0]
        #expect(france.principal.gender == .female)
        #expect(france.principal.rank == "minister")
        #expect(france.addresses.map(\.role) == [.principal, .focalPoint])
        #expect(france.fields == ["region": "Europe"], "columns with a property are not kept twice")
        #expect(RosterLoader.column("region", of: france) == "Europe")
        #expect(RosterLoader.column("email", of: france) == "m@fra.example.org")
        #expect(RosterLoader.column("mission_email", of: france) == nil)
        #expect(RosterLoader.column("name_fr", of: france) == "France")
        #expect(RosterLoader.column("principal_gender", of: france) == "female")
        #expect(RosterLoader.record(of: france)["focal_point_email"] == "f@fra.example.org")
        #expect(delegations[1].names["fr"] == "Côte d’Ivoire, République de")
        #expect(delegations[1].principal.gender == .unspecified)
        #expect(delegations[1].addresses.map(\.role) == [.principal, .mission])
    }

    @Test("a missing required column is named, with a suggestion")
    func missingColumn() {
        let (_, diagnostics) = parse("id,name_en,langauge,email\nFRA,France,fr,a@b.example.org\n")
        #expect(diagnostics.all.map(\.message) == ["the roster has no 'language' column (did you mean 'langauge'?)"])
    }

    @Test("bad rows are reported by line, column and column name, and left out")
    func badRows() {
        let (delegations, diagnostics) = parse("""
            id,name_en,language,email
            FRA,France,fr,a@fra.example.org
            "DEU","Germany, Federal Republic",DE,a@deu.example.org
            ITA,Italy,it
            ,Nowhere,en,a@x.example.org
            """)
        #expect(delegations.map(\.id) == ["FRA"])
        let found = diagnostics.all.map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(found == [
            "3:35 row 2, column 'language': 'DE' is not a language code such as 'fr' or 'en'",
            "4:11 row 3 has 3 fields, the header has 4",
            "5:1 row 4, column 'id': the id is empty",
        ])
    }

    @Test("a quoted field spanning lines keeps later rows' line numbers right")
    func multilineField() {
        let (delegations, diagnostics) = parse("id,name_en,language,email\nFRA,\"France\nRépublique\",fr,a@fra.example.org\nBAD,Bad,fr,nope\n")
        #expect(delegations.count == 1)
        #expect(diagnostics.all.first?.location.line == 4)
    }

    @Test("CSV records: quotes, doubled quotes, line breaks in quotes, CRLF, a byte order mark, blank lines and empty fields")
    func csvRecords() throws {
        var reader = CSVRecords("\u{FEFF}a,b,c\r\n\"x, \"\"y\"\"\",\"two\nlines\",\r\n\n,,\r\nlast,é,\"\"")
        var records: [[String]] = []
        var lines: [Int] = []
        while let (fields, line) = try reader.next() {
            records.append(fields)
            lines.append(line)
        }
        #expect(records == [["a", "b", "c"], ["x, \"y\"", "two\nlines", ""], [""], ["", "", ""], ["last", "é", ""]])
        #expect(lines == [1, 2, 4, 5, 6])
    }

    @Test("a quote left open or text after a closing quote is an error at its line and column, not a roster read wrongly")
    func malformedQuotes() throws {
        for (text, line, column, message) in [
            ("id,name_en,language,email\nFRA,\"France,fr,m@fra.example.org\nGBR,UK,en,m@gbr.example.org\n", 2, 5, "never closed"),
            ("id,name_en,language,email\nFRA,\"Fra\"nce,fr,m@fra.example.org\n", 2, 10, "closing quote"),
            ("id,name_en,language,email\nFRA,Fra\"nce,fr,m@fra.example.org\n", 2, 8, "quote inside an unquoted field"),
        ] {
            let (delegations, diagnostics) = parse(text)
            #expect(delegations.isEmpty)
            let error = try #require(diagnostics.all.first)
            #expect(error.location.line == line && error.location.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
