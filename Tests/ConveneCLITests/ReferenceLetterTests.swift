import ConveneTestSupport
import Foundation
import Testing

/// The letter CL-24/2 of the reference campaign (workflows/wsis20-2024), as the `invite` step
/// renders it on the letter's date.
@Suite("the reference letter CL-24/2")
struct ReferenceLetterTests {
    /// The reference workflow.
    static let reference = CLI.packageRoot.appendingPathComponent("workflows/wsis20-2024")

    /// A fixed roster, so that the snapshots do not change with the campaign's: one state per
    /// language, each with its articles, and Canada to write "du Canada" in French.
    static let roster = """
        id,m49,name_en,name_fr,article_fr,article_en,region,language,principal_name,principal_title,principal_gender,principal_rank,email,focal_point_email,mission_email
        FRA,250,France,France,la,,Europe,fr,Placeholder Minister FRA,Ministre délégué chargé du numérique,female,minister,minister@fra.example.org,focal@fra.example.org,mission@fra.example.org
        CAN,124,Canada,Canada,le,,Americas,fr,Placeholder Minister CAN,Ministre de l'Innovation,male,minister,minister@can.example.org,,
        NLD,528,Netherlands,Pays-Bas,les,the,Europe,en,Placeholder Minister NLD,Minister of Economic Affairs,male,minister,minister@nld.example.org,,mission@nld.example.org
        ESP,724,Spain,Espagne,l',,Europe,es,Placeholder Minister ESP,Minister for Digital Transformation,female,minister,minister@esp.example.org,,
        EGY,818,Egypt,Égypte,l',,Arab States,ar,Placeholder Minister EGY,Minister of Communications and Information Technology,male,minister,minister@egy.example.org,focal@egy.example.org,
        RUS,643,Russian Federation,Fédération de Russie,la,the,CIS,ru,Placeholder Minister RUS,Minister of Digital Development,male,minister,minister@rus.example.org,,
        CHN,156,China,Chine,la,,Asia-Pacific,zh,Placeholder Minister CHN,Minister of Industry and Information Technology,female,minister,minister@chn.example.org,,

        """

    /// Runs the reference workflow on the letter's date, in a scratch copy.
    /// - Parameter roster: a roster to put in place of the campaign's, if any.
    /// - Returns: the copy, whose `.convene/outbox` holds the invitations.
    func render(roster: String? = nil, _ name: String = #function) throws -> URL {
        let workflow = try CLI.copy(Self.reference, into: try CLI.temporaryDirectory(name))
        // A copy of a folder that was run by hand keeps nothing of that run.
        try? FileManager.default.removeItem(at: workflow.appendingPathComponent(".convene"))
        if let roster {
            try roster.write(to: workflow.appendingPathComponent("roster.csv"), atomically: true, encoding: .utf8)
        }
        let r = try CLI.run(["run", workflow.path, "--now", "2024-02-02T10:00"], environment: try CLI.referenceEnvironment())
        try #require(r.status == 0, "\(r.stderr)")
        return workflow
    }

    /// The delegations of a roster, by id, with their language.
    func languages(ofRoster roster: String) -> [(id: String, language: String)] {
        let rows = roster.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        guard let header = rows.first, let id = header.firstIndex(of: "id"), let language = header.firstIndex(of: "language")
        else { return [] }
        return rows.dropFirst().filter { $0.count == header.count }.map { (String($0[id]), String($0[language])) }
    }

    @Test(
        "the letter reads as reviewed in each of the six languages, naming the country with its article in French and English",
        arguments: ["fr", "en", "es", "ar", "ru", "zh"])
    func snapshots(language: String) throws {
        let workflow = try render(roster: Self.roster)
        let id = try #require(languages(ofRoster: Self.roster).first { $0.language == language }?.id)
        let letter = try Invitation(workflow.appendingPathComponent(".convene/outbox/invite-at-\(id).eml"))
        try expectSnapshot(letter.snapshot, named: "reference-letter.\(language).txt", in: .module)
    }

    @Test("French names a masculine country after 'de' and 'pour' as running text: du Canada, pour le Canada")
    func frenchArticles() throws {
        let workflow = try render(roster: Self.roster)
        let text = try Invitation(workflow.appendingPathComponent(".convene/outbox/invite-at-CAN.eml")).text
        #expect(text.contains("à la tête de la délégation de haut niveau du Canada,"), "\(text)")
        #expect(text.contains("un temps de parole pour le Canada lors des dialogues"), "\(text)")
    }

    @Test("with the campaign's own roster, every delegation gets one letter with its reply link and nothing left unrendered")
    func campaignRoster() throws {
        let workflow = try render(roster: nil)
        let roster = try String(contentsOf: workflow.appendingPathComponent("roster.csv"), encoding: .utf8)
        let delegations = languages(ofRoster: roster)
        try #require(!delegations.isEmpty)
        for delegation in delegations {
            let letter = try Invitation(workflow.appendingPathComponent(".convene/outbox/invite-at-\(delegation.id).eml"))
            #expect(!letter.text.contains("{{") && !letter.text.contains("}}"), "\(delegation.id): \(letter.text)")
            #expect(!letter.text.contains("\n\n\n"), "\(delegation.id): \(letter.text)")
            #expect(letter.text.contains("/reply/wsis20-2024/\(delegation.id)."), "\(delegation.id): \(letter.text)")
            #expect(
                letter.text.contains("CL-24/2") && letter.subject.contains("CL-24/2"), "\(delegation.id): \(letter.subject)")
        }
    }

    @Test(
        "the Russian, Spanish, Arabic and Chinese letters are written in their own language, not in the workflow's French or English",
        arguments: ["es", "ar", "ru", "zh"])
    func noFallbackLanguage(language: String) throws {
        let workflow = try render(roster: Self.roster)
        let id = try #require(languages(ofRoster: Self.roster).first { $0.language == language }?.id)
        let text = try Invitation(workflow.appendingPathComponent(".convene/outbox/invite-at-\(id).eml")).text
        for french in ["Secrétaire générale", "Conseiller fédéral", "dialogues de haut niveau", "High-Level Dialogues"] {
            #expect(!text.contains(french), "\(language): \(french)")
        }
    }
}

/// An invitation read back from the outbox: its subject and the text of its plain-text part.
///
/// The file channel writes each part quoted-printable or base64, whichever is shorter (base64 for
/// Arabic, Chinese and Russian), and the subject as RFC 2047 encoded words of either kind.
struct Invitation {
    var subject: String
    var text: String

    /// Reads a message file written by the file channel.
    init(_ url: URL) throws {
        let message = try String(contentsOf: url, encoding: .utf8)
        let headerEnd = try #require(message.range(of: "\r\n\r\n"))
        subject = try Self.subject(in: String(message[..<headerEnd.lowerBound]))
        let part = try #require(message.range(of: "Content-Type: text/plain; charset=utf-8\r\n"))
        let partHeaderEnd = try #require(message.range(of: "\r\n\r\n", range: part.upperBound..<message.endIndex))
        let partHeader = message[part.upperBound..<partHeaderEnd.lowerBound]
        let bodyEnd =
            message.range(of: "\r\n--", range: partHeaderEnd.upperBound..<message.endIndex)?.lowerBound ?? message.endIndex
        let body = String(message[partHeaderEnd.upperBound..<bodyEnd])
        text =
            try (partHeader.contains("Content-Transfer-Encoding: base64")
            ? Self.base64(body) : Self.quotedPrintable(body, underscoreIsSpace: false))
            .replacingOccurrences(of: "\r\n", with: "\n")
        if !text.hasSuffix("\n") { text += "\n" }
    }

    /// The letter as its snapshot keeps it: the subject, then the text, with the reply link's
    /// signature (which changes with the key) replaced by a fixed token.
    var snapshot: String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            guard line.hasPrefix("https://"), line.contains("/reply/"), let dot = line.lastIndex(of: ".") else { return line }
            return line[...dot] + "SIGNATURE"
        }
        return "Subject: \(subject)\n\n" + lines.joined(separator: "\n")
    }

    /// The decoded `Subject:` of a message header: RFC 2047 encoded words (`Q` or `B`), folded
    /// lines.
    static func subject(in header: String) throws -> String {
        let unfolded = header.replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
        let line = try #require(unfolded.first { $0.hasPrefix("Subject: ") })
        // Encoded words next to each other are one text: the spaces between them do not count,
        // and a character may straddle two of them.
        var bytes: [UInt8] = []
        var previous: (encoded: Bool, exists: Bool) = (false, false)
        for word in line.dropFirst("Subject: ".count).split(separator: " ") {
            let payload = String(word.dropFirst(10).dropLast(2))
            let encoded = (word.hasPrefix("=?UTF-8?Q?") || word.hasPrefix("=?UTF-8?B?")) && word.hasSuffix("?=")
            if previous.exists && !(encoded && previous.encoded) { bytes.append(UInt8(ascii: " ")) }
            if !encoded {
                bytes += Array(word.utf8)
            } else if word.hasPrefix("=?UTF-8?Q?") {
                bytes += quotedPrintableBytes(payload, underscoreIsSpace: true)
            } else {
                bytes += try base64Bytes(payload)
            }
            previous = (encoded, true)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Base64 text (its lines broken anywhere) decoded as UTF-8.
    static func base64(_ encoded: String) throws -> String {
        String(decoding: try base64Bytes(encoded), as: UTF8.self)
    }

    /// Base64 text decoded.
    static func base64Bytes(_ encoded: String) throws -> [UInt8] {
        Array(try #require(Data(base64Encoded: encoded.filter { !$0.isWhitespace })))
    }

    /// Quoted-printable text decoded as UTF-8.
    static func quotedPrintable(_ encoded: String, underscoreIsSpace: Bool) -> String {
        String(decoding: quotedPrintableBytes(encoded, underscoreIsSpace: underscoreIsSpace), as: UTF8.self)
    }

    /// Quoted-printable text decoded; in an encoded word, `_` stands for a space.
    static func quotedPrintableBytes(_ encoded: String, underscoreIsSpace: Bool) -> [UInt8] {
        let bytes = Array(encoded.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "="), i + 2 < bytes.count,
                let byte = UInt8(String(decoding: bytes[i + 1...i + 2], as: UTF8.self), radix: 16)
            {
                out.append(byte)
                i += 3
            } else {
                out.append(underscoreIsSpace && bytes[i] == UInt8(ascii: "_") ? UInt8(ascii: " ") : bytes[i])
                i += 1
            }
        }
        return out
    }
}
