import ConveneKit
import ConveneKitTesting
import Foundation
import Testing

@testable import Badges

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Delegations of a ministerial round table: long French names, titles in Arabic, Chinese and
/// Russian, a substitute, a press agency, and some that do not attend.
enum Sample {
    static let event = EventInfo.sample(
        id: "wsis20-2024", names: ["fr": "Événement de haut niveau SMSI+20", "en": "WSIS+20 High-Level Event"],
        languages: ["fr", "en", "es", "ar", "ru", "zh"], fallbackLanguage: "fr")
    static let roundTable = TrackInfo.sample("mrt", names: ["fr": "Table ronde ministérielle", "en": "Ministerial Round Table"])
    static let dialogues = TrackInfo.sample("hld", names: ["fr": "Dialogues de haut niveau", "en": "High-Level Dialogues"])

    static func delegation(
        _ id: String, fr: String, _ name: String, _ title: String, rank: String?, fields: [String: String] = [:]
    ) -> Delegation {
        .sample(id, names: ["fr": fr, "en": id], language: "fr", principal: Principal(name: name, title: title, gender: .unspecified, rank: rank), fields: fields)
    }

    static let france = delegation(
        "FRA", fr: "France", "Jean-Baptiste Marie de La Rochefoucauld-Montmorency d'Aubigné",
        "Ministre délégué chargé de l'Intelligence artificielle, du Numérique et des Télécommunications", rank: "minister")
    static let egypt = delegation("EGY", fr: "Égypte", "Amr Talaat", "وزير الاتصالات وتكنولوجيا المعلومات", rank: "minister")
    static let china = delegation("CHN", fr: "Chine", "Liu Jianguo", "工业和信息化部部长", rank: "minister")
    static let russia = delegation(
        "RUS", fr: "Fédération de Russie", "Olga Morozova", "Министр цифрового развития, связи и массовых коммуникаций",
        rank: "deputy-prime-minister")
    static let britain = delegation(
        "GBR", fr: "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord", "Sir Alexander Montgomery-Fitzwilliam",
        "Ambassador and Permanent Representative to the United Nations Office at Geneva", rank: "head-of-delegation")
    static let agency = delegation(
        "AFP", fr: "Agence France-Presse", "Camille Dupont", "Correspondante à Genève", rank: nil, fields: ["badge": "press"])
    static let germany = delegation("DEU", fr: "Allemagne", "Anna Schmidt", "Bundesministerin", rank: "minister")
    static let italy = delegation("ITA", fr: "Italie", "Marco Rossi", "Ministro", rank: "minister")
    static let spain = delegation("ESP", fr: "Espagne", "Lucía García", "Ministra", rank: "minister")

    /// China sends its vice-minister, who writes her name in Chinese.
    static let substitute = Reply(
        sequence: 7, track: "mrt", answer: .substitute, receivedAt: Date(timeIntervalSince1970: 1_707_000_000), source: "web",
        substitute: Principal(name: "王晓梅", title: "工业和信息化部副部长", gender: .female, rank: "vice-minister"))

    static var invitees: [Invitee] {
        [
            .sample(france, .confirmed, on: ["mrt", "hld"]),
            .sample(egypt, .seated, on: ["mrt"]),
            .sample(china, .substituted, on: ["mrt"], reply: substitute),
            .sample(russia, .confirmed, on: ["mrt"]),
            .sample(britain, .seated, on: ["mrt", "hld"]),
            .sample(agency, .confirmed, on: ["mrt"]),
            .sample(germany, .declined, on: ["mrt"]),
            .sample(italy, .waitListed, on: ["mrt"]),
            .sample(spain, .invited, on: ["mrt", "hld"]),
        ]
    }

    static func run(_ with: ConfigValue = [:], invitees: [Invitee] = invitees) throws -> [String: Artifact] {
        try BadgesStep.configured(with).run(.sample(invitees, tracks: [roundTable, dialogues], event: event)).artifacts
    }
}

/// A text of a sheet, as drawn.
struct DrawnText {
    var text: String
    var x: Double
    var y: Double
    var size: Double
    var fill: String
    var bold: Bool
}

/// The badges of a sheet, each as its texts in order, read back from the SVG with an XML parser
/// (which also proves the document well formed).
final class SheetReader: NSObject, XMLParserDelegate {
    var badges: [[DrawnText]] = []
    var heading: [DrawnText] = []
    private var inBadge = false
    private var current: DrawnText?

    static func read(_ svg: String) throws -> SheetReader {
        let reader = SheetReader()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = reader
        try #require(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))")
        return reader
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "g" {
            inBadge = true
            badges.append([])
        } else if name == "text" {
            current = DrawnText(
                text: "", x: Double(attributes["x"] ?? "") ?? .nan, y: Double(attributes["y"] ?? "") ?? .nan,
                size: Double(attributes["font-size"] ?? "") ?? .nan, fill: attributes["fill"] ?? "",
                bold: attributes["font-weight"] == "bold")
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        current?.text += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "g" { inBadge = false }
        if name == "text", let text = current {
            if inBadge { badges[badges.count - 1].append(text) } else { heading.append(text) }
            current = nil
        }
    }
}

@Suite("the badges step")
struct BadgesStepTests {
    @Test("one SVG sheet per track, a badge for each delegation that attends, in French alphabetical order")
    func sheets() throws {
        let artifacts = try Sample.run()
        #expect(artifacts.keys.sorted() == ["badges-hld.svg", "badges-mrt.svg"])
        #expect(artifacts.values.allSatisfy { $0.mediaType == "image/svg+xml" })
        let roundTable = try SheetReader.read(try #require(artifacts["badges-mrt.svg"]).content)
        // The delegation's name is the badge's last text.
        #expect(roundTable.badges.map { $0.last?.text } == [
            "Agence France-Presse", "Chine", "Égypte", "Fédération de Russie", "France", "et d'Irlande du Nord",
        ])
        #expect(roundTable.badges.map { $0.suffix(2).map(\.text).joined(separator: " ") }.last == "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord")
        #expect(roundTable.heading.map(\.text) == [
            "Événement de haut niveau SMSI+20", "Table ronde ministérielle", "MINISTRE 3", "DÉLÉGATION 2", "PRESSE 1",
        ])
        let dialogues = try SheetReader.read(try #require(artifacts["badges-hld.svg"]).content)
        #expect(dialogues.badges.count == 2)
        // Nothing for a track where no one attends.
        #expect(try Sample.run(invitees: [.sample(Sample.germany, .declined, on: ["mrt", "hld"])]).isEmpty)
    }

    @Test("the person who comes, the principal or the substitute, with the title and the category's label and colour")
    func badges() throws {
        let sheet = try SheetReader.read(try #require(Sample.run()["badges-mrt.svg"]).content)
        func badge(_ delegation: String) throws -> [String] {
            try #require(sheet.badges.first { $0.contains { $0.text == delegation } }).map(\.text)
        }
        #expect(try badge("Chine") == ["DÉLÉGATION", "Table ronde ministérielle", "王晓梅", "工业和信息化部副部长", "Chine"])
        #expect(try badge("Égypte") == ["MINISTRE", "Table ronde ministérielle", "Amr Talaat", "وزير الاتصالات وتكنولوجيا المعلومات", "Égypte"])
        #expect(try badge("Fédération de Russie").first == "MINISTRE", "a deputy prime minister is a minister")
        #expect(try badge("Agence France-Presse").first == "PRESSE", "from the roster's badge column")
        // Each badge's delegation is written in its category's colour.
        let colours = Dictionary(uniqueKeysWithValues: sheet.badges.map { ($0.last!.text, $0.last!.fill) })
        #expect(colours["Chine"] == "#1F4E96")
        #expect(colours["Égypte"] == "#8C1D40")
        #expect(colours["Agence France-Presse"] == "#2E6B30")

        let configured = try Sample.run([
            "language": "en", "colours": ["press": "#ff8800"],
            "labels": ["en": ["minister": "Head of delegation", "delegate": "Delegation", "press": "Media"]],
        ])
        let english = try SheetReader.read(try #require(configured["badges-mrt.svg"]).content)
        let agency = try #require(english.badges.first { $0.last?.text == "AFP" })
        #expect(agency.first?.text == "Media")
        #expect(agency.last?.fill == "#FF8800")
        #expect(english.heading.first?.text == "WSIS+20 High-Level Event")
    }

    @Test("long names and titles wrap, between words before hyphens; every line fits its badge and none overlaps the next")
    func fitting() throws {
        let sheet = try SheetReader.read(try #require(Sample.run()["badges-mrt.svg"]).content)
        let france = try #require(sheet.badges.first { $0.last?.text == "France" })
        #expect(france.map(\.text) == [
            "MINISTRE", "Table ronde ministérielle", "Jean-Baptiste Marie de La", "Rochefoucauld-Montmorency", "d'Aubigné",
            "Ministre délégué chargé de l'Intelligence artificielle,", "du Numérique et des Télécommunications", "France",
        ])
        for badge in sheet.badges {
            for text in badge {
                #expect(TextFit.width(text.text, bold: text.bold) * text.size <= BadgeSheet.textWidth, "\(text.text)")
            }
            // Below the top band, each line starts below the one before it ends.
            let body = badge.dropFirst(2).sorted { $0.y < $1.y }
            for (above, below) in zip(body, body.dropFirst()) {
                #expect(below.y - below.size * 0.85 >= above.y + above.size * 0.2, "\(above.text) / \(below.text)")
            }
            #expect(body.allSatisfy { $0.y < 49 }, "above the lower band")
        }
    }

    @Test("ideographs break anywhere; a hyphenated word breaks after its hyphen only when nothing else fits")
    func breaking() {
        #expect(TextFit.fit("中华人民共和国工业和信息化部部长", width: 40, largest: 4, smallest: 4, maxLines: 2).lines == [
            "中华人民共和国工业和", "信息化部部长",
        ])
        #expect(TextFit.fit("Grande-Bretagne", width: 80, largest: 5, smallest: 3, maxLines: 2).lines == ["Grande-Bretagne"])
        #expect(TextFit.fit("Rochefoucauld-Montmorency", width: 40, largest: 4, smallest: 4, maxLines: 2).lines == [
            "Rochefoucauld-", "Montmorency",
        ])
    }

    @Test("a colour that is not #RRGGBB is refused, and so is a roster category that is not one")
    func refusals() throws {
        #expect(throws: StepError.self) { try BadgesStep.configured(["colours": ["press": "green"]]) }
        var agency = Sample.agency
        agency.fields["badge"] = "journalist"
        let error = #expect(throws: StepError.self) { try Sample.run(invitees: [.sample(agency, .confirmed, on: ["mrt"])]) }
        #expect(error?.message == "AFP: the roster's badge 'journalist' is not minister, delegate or press")
    }

    @Test("the round table's sheet, as reviewed")
    func snapshot() throws {
        try expectSnapshot(try #require(Sample.run()["badges-mrt.svg"]).content, named: "badges-mrt.svg", in: .module)
    }
}
