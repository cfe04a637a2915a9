import ConveneKit
import Foundation
import Testing

@testable import ConveneCore

// Every test parses back what the renderer wrote, with the small MIME reader at the end of this
// file, rather than comparing with expected strings: the snapshot test pins the bytes once.

@Suite("Mail rendering")
struct MailRenderingTests {
    // MARK: Headers

    @Test(
        "a subject round-trips through folding and RFC 2047 encoded-words",
        arguments: [
            "Invitation au Segment de haut niveau du SMSI+20 et à la Journée sur la gouvernance de l'IA "
                + "« Des principes à la mise en œuvre » — Genève, 27–31 mai 2024",
            "دعوة إلى الحدث الرفيع المستوى للقمة العالمية لمجتمع المعلومات +20 والمائدة المستديرة الوزارية، "
                + "جنيف، 27–31 مايو 2024",
            "邀请参加信息社会世界峰会+20高级别活动、部长级圆桌会议以及人工智能治理日（日内瓦，2024年5月27日至31日）",
            "Приглашение на мероприятие высокого уровня ВВУИО+20 и Министерский круглый стол",
            "Réunion 👩‍👩‍👧‍👦 famille 🇨🇭 e\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}",
            "Invitation to the WSIS+20 High-Level Event and the AI Governance Day, Geneva, 27-31 May 2024",
            "What =?UTF-8?Q?this?= looks like",
            "  leading,  double   and trailing spaces ",
            "Ü",
            String(repeating: "ä", count: 200),
        ]
    )
    func subjectRoundTrips(subject: String) throws {
        let message = sampleMessage(subject: subject)
        let bytes = MailRenderer.render(message, envelope: sampleEnvelope())
        try expectWellFormed(bytes)
        let entity = try #require(Entity(bytes))
        let raw = try #require(entity.header("Subject"))
        #expect(try decodeEncodedWords(raw) == subject)
        for word in encodedWords(in: raw) {
            #expect(word.count <= 75, "encoded-word longer than 75: \(word)")
        }
        // Plain ASCII stays readable.
        if subject.hasPrefix("Invitation to") {
            #expect(raw == subject)
        }
    }

    @Test("control characters in a subject cannot inject a header")
    func subjectInjection() throws {
        let message = sampleMessage(subject: "Hello\r\nBcc: someone@example.org\nX: y")
        let bytes = MailRenderer.render(message, envelope: sampleEnvelope())
        try expectWellFormed(bytes)
        let entity = try #require(Entity(bytes))
        #expect(entity.header("Bcc") == nil)
        #expect(entity.header("X") == nil)
        #expect(try decodeEncodedWords(entity.header("Subject") ?? "") == "Hello  Bcc: someone@example.org X: y")
    }

    @Test("display names are atoms, quoted strings or encoded-words, and round-trip")
    func displayNames() throws {
        let to = [
            Mailbox(name: "Doreen Bogdan-Martin", email: "sg@itu.example"),
            Mailbox(name: "Rösti, Albert", email: "albert.roesti@admin.example"),
            Mailbox(name: "S.E. M. Dupont, Ministre (Affaires étrangères)", email: "dupont@example.fr"),
            Mailbox(name: "Mission \"permanente\" \\ Genève", email: "mission@example.ch"),
            Mailbox(name: "Ministry of Foreign Affairs, Republic of Korea", email: "mofa@example.kr"),
            Mailbox(name: "The \"Mission\" \\ Geneva", email: "mission@example.org"),
            Mailbox(email: "nobody@example.org"),
        ]
        let cc = [
            Mailbox(name: "وزير الخارجية والتعاون الدولي في جمهورية مصر العربية", email: "minister@example.eg"),
            Mailbox(name: "中华人民共和国常驻联合国日内瓦办事处和瑞士其他国际组织代表团", email: "mission@example.cn"),
        ]
        let replyTo = Mailbox(name: "WSIS+20", email: "wsis-info@itu.int")
        let from = Mailbox(name: "Secrétariat général de l'Union internationale des télécommunications", email: "sg@itu.int")
        var message = sampleMessage(subject: "Noms")
        message.to = to
        message.cc = cc
        message.replyTo = replyTo
        var envelope = sampleEnvelope()
        envelope.from = from
        let bytes = MailRenderer.render(message, envelope: envelope)
        try expectWellFormed(bytes)
        let entity = try #require(Entity(bytes))

        #expect(try parseAddressList(entity.header("To") ?? "") == to.map(expected))
        #expect(try parseAddressList(entity.header("Cc") ?? "") == cc.map(expected))
        #expect(try parseAddressList(entity.header("Reply-To") ?? "") == [expected(replyTo)])
        #expect(try parseAddressList(entity.header("From") ?? "") == [expected(from)])

        let rawTo = try #require(entity.header("To"))
        #expect(rawTo.hasPrefix("Doreen Bogdan-Martin <sg@itu.example>,"))
        #expect(rawTo.contains("=?UTF-8?Q?R=C3=B6sti=2C_Albert?= <albert.roesti@admin.example>,"))
        #expect(rawTo.contains("\"The \\\"Mission\\\" \\\\ Geneva\" <mission@example.org>"))
        #expect(rawTo.contains("\"Ministry of Foreign Affairs, Republic of Korea\" <mofa@example.kr>"))
        #expect(rawTo.hasSuffix(", nobody@example.org"))
        #expect(entity.header("Reply-To") == "WSIS+20 <wsis-info@itu.int>")
    }

    @Test("a message without recipients says so with an empty group")
    func noRecipients() throws {
        var message = sampleMessage(subject: "x")
        message.to = []
        let entity = try #require(Entity(MailRenderer.render(message, envelope: sampleEnvelope())))
        #expect(entity.header("To") == "undisclosed-recipients:;")
        #expect(entity.header("Cc") == nil)
        #expect(entity.header("Reply-To") == nil)
    }

    @Test("the header block has the required fields in order")
    func headerFields() throws {
        let bytes = MailRenderer.render(sampleMessage(subject: "Ordre"), envelope: sampleEnvelope())
        let entity = try #require(Entity(bytes))
        #expect(entity.headers.map(\.name) == [
            "Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Language",
            "Content-Type", "Content-Transfer-Encoding",
        ])
        #expect(entity.header("Date") == "Fri, 02 Feb 2024 09:00:00 +0000")
        #expect(entity.header("MIME-Version") == "1.0")
        #expect(entity.header("Content-Language") == "fr")
        #expect(entity.header("Message-ID") == "<\(sampleEnvelope().messageID)>")
        #expect(entity.header("Content-Type") == "text/plain; charset=utf-8")
    }

    @Test("a long message id is folded onto a line of its own, not cut")
    func longMessageID() throws {
        var envelope = sampleEnvelope()
        envelope.messageID = MessageID.make(
            idempotencyKey: "wsis20-2024·ai-governance-day-morning·confirm·reminder-2·KOR",
            domain: "mail.convene.itu-campaigns.example.org")
        let bytes = MailRenderer.render(sampleMessage(subject: "x"), envelope: envelope)
        try expectWellFormed(bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\r\nMessage-ID:\r\n <\(envelope.messageID)>\r\n"))
    }

    // MARK: Dates

    @Test("dates are written in UTC, RFC 5322 and RFC 5545 forms")
    func dates() {
        let leap = utc(2024, 2, 29, 23, 59, 59).addingTimeInterval(0.75)
        #expect(MailRenderer.CivilTime(leap).rfc5322 == "Thu, 29 Feb 2024 23:59:59 +0000")
        #expect(MailRenderer.CivilTime(leap).iCalendarUTC == "20240229T235959Z")
        let before1970 = utc(1969, 12, 31, 23, 0, 1)
        #expect(MailRenderer.CivilTime(before1970).rfc5322 == "Wed, 31 Dec 1969 23:00:01 +0000")
        #expect(MailRenderer.CivilTime(utc(2000, 3, 1)).rfc5322 == "Wed, 01 Mar 2000 00:00:00 +0000")
    }

    @Test("the date arithmetic agrees with Foundation's Gregorian calendar")
    func datesAgreeWithCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // 1800 to 2200.
            let seconds = Double(Int64(state >> 31) % 12_623_040_000 - 5_364_662_400)
            let date = Date(timeIntervalSince1970: seconds)
            let fields = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
            let civil = MailRenderer.CivilTime(date)
            #expect(
                [civil.year, civil.month, civil.day, civil.hour, civil.minute, civil.second, civil.weekday + 1]
                    == [fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second, fields.weekday],
                "\(date)"
            )
        }
    }

    // MARK: Message ids

    @Test("message ids are stable, readable, valid msg-ids, and distinct for distinct keys")
    func messageIDs() throws {
        #expect(MessageID.digest("") == "6c62272e07bb014262b821756295c58d")
        #expect(MessageID.digest("a") == "d228cb696f1a8caf78912b704e4a8964")

        let key = "wsis20·round-table·invite·at·FRA"
        #expect(MessageID.base32(MessageID.fnv1a128("")) == "nrrcolqhxmaueyvyef2wffofru")
        let digest = MessageID.base32(MessageID.fnv1a128(key))
        let id = MessageID.make(idempotencyKey: key, domain: "itu.int")
        #expect(id == MessageID.make(idempotencyKey: key, domain: "itu.int"))
        // The middle segments go first when the prefix is too long.
        #expect(id == "wsis20.invite.at.FRA.\(digest)@itu.int")
        #expect(MessageID.make(idempotencyKey: "round·table", domain: "itu.int")
            == "round.table.\(MessageID.base32(MessageID.fnv1a128("round·table")))@itu.int")

        let dotAtom = #/[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*/#
        for odd in ["", "···", " <> @ \r\n \"", "a..b", ".lead", String(repeating: "x", count: 500), "éèê", "🇨🇭"] {
            let made = MessageID.make(idempotencyKey: odd, domain: odd)
            let parts = made.split(separator: "@", omittingEmptySubsequences: false)
            #expect(parts.count == 2, "\(made)")
            #expect(parts.allSatisfy { (try? dotAtom.wholeMatch(in: $0)) != nil }, "\(made)")
            #expect(parts[0].count <= 40 + 1 + 26)
            let field = "Message-ID: <\(MessageID.make(idempotencyKey: odd, domain: "convene.example.org"))>"
            #expect(field.utf8.count <= 78, "\(field)")
        }

        var seen = Set<String>()
        for track in ["round-table", "round·table", "round table", "hld", "ai-gov"] {
            for delegation in 0..<2000 {
                seen.insert(MessageID.make(idempotencyKey: "wsis20·\(track)·invite·\(delegation)", domain: "x.org"))
            }
        }
        #expect(seen.count == 10_000)
    }

    // MARK: Bodies

    @Test("a quoted-printable body round-trips non-ASCII text, long lines and trailing spaces")
    func quotedPrintableBody() throws {
        let text = """
            Madame la Ministre, Monsieur le Ministre,\r
            \r
            \(String(repeating: "J'ai l'honneur de vous inviter à la Journée sur la gouvernance de l'IA. ", count: 6))
            Égalité = 100 % ; tabulation\tici ; espaces en fin de ligne   \n\
            ligne d'espaces :\n   \n\
            中文 العربية Русский 👩‍👩‍👧‍👦\r\
            .point au début
            From the start
            \(String(repeating: "é", count: 30))
            \(String(repeating: "x", count: 75))
            \(String(repeating: "x", count: 76))
            \(String(repeating: "x", count: 77))
            \(String(repeating: "=", count: 10))
            fin sans saut de ligne
            """
        let message = sampleMessage(subject: "QP", text: text)
        let bytes = MailRenderer.render(message, envelope: sampleEnvelope())
        try expectWellFormed(bytes)
        let entity = try #require(Entity(bytes))
        #expect(entity.header("Content-Transfer-Encoding") == "quoted-printable")
        let decoded = try decodeBody(entity)
        #expect(decoded == canonical(text) + [0x0D, 0x0A])

        // Soft line breaks fall between UTF-8 sequences: each physical line decodes on its own.
        for line in entity.body.components(separatedBy: "\r\n") {
            let soft = line.hasSuffix("=") ? String(line.dropLast()) : line
            #expect(String(validating: try decodeQuotedPrintable(soft), as: UTF8.self) != nil, "\(line)")
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"), "trailing white space: \(line)")
            #expect(line.utf8.count <= 76, "\(line)")
        }
    }

    @Test("the quoted-printable encoder keeps lines within 76 characters", arguments: [0, 1, 74, 75, 76, 77, 200])
    func quotedPrintableLineLength(length: Int) throws {
        for filler in ["a", "é", "中", "=", " ", "👩‍👩‍👧‍👦"] {
            let line = Array(String(repeating: filler, count: length).utf8)
            let encoded = MailRenderer.QuotedPrintable.encode(lines: [line])
            for physical in encoded.components(separatedBy: "\r\n") {
                #expect(physical.utf8.count <= 76, "\(filler) × \(length): \(physical)")
            }
            #expect(try decodeQuotedPrintable(encoded) == line)
        }
    }

    @Test("a body mostly in a multi-byte script is base64, which is shorter, and round-trips")
    func base64Body() throws {
        let text = String(repeating: "信息社会世界峰会高级别活动将于2024年5月27日至28日在日内瓦举行。\n", count: 8)
            + String(repeating: "تتشرف الأمانة العامة بدعوتكم إلى المائدة المستديرة الوزارية.\n", count: 4)
        let message = sampleMessage(subject: "中文", text: text, language: "zh")
        let bytes = MailRenderer.render(message, envelope: sampleEnvelope())
        try expectWellFormed(bytes)
        let entity = try #require(Entity(bytes))
        #expect(entity.header("Content-Transfer-Encoding") == "base64")
        #expect(entity.header("Content-Language") == "zh")
        #expect(try decodeBody(entity) == canonical(text))
    }

    // MARK: Structure

    @Test("HTML and calendar entries make multipart/mixed of multipart/alternative and text/calendar")
    func mixedStructure() throws {
        let (message, envelope) = frenchInvitation()
        let bytes = MailRenderer.render(message, envelope: envelope)
        try expectWellFormed(bytes)
        let entity = try #require(Entity(bytes))
        let text = String(decoding: bytes, as: UTF8.self)

        let mixed = try #require(entity.boundary)
        #expect(entity.header("Content-Type")?.hasPrefix("multipart/mixed;") == true)
        #expect(mixed.hasPrefix("=_convene_mix_"))
        let outer = try #require(entity.parts)
        #expect(outer.count == 2)

        let alternative = outer[0]
        #expect(alternative.header("Content-Type")?.hasPrefix("multipart/alternative;") == true)
        let alternativeBoundary = try #require(alternative.boundary)
        #expect(alternativeBoundary != mixed)
        let inner = try #require(alternative.parts)
        #expect(inner.map { $0.header("Content-Type") } == ["text/plain; charset=utf-8", "text/html; charset=utf-8"])
        #expect(try decodeBody(inner[0]) == canonical(message.text))
        #expect(try decodeBody(inner[1]) == canonical(message.html ?? ""))

        let calendar = outer[1]
        #expect(calendar.header("Content-Type") == "text/calendar; charset=utf-8; method=PUBLISH; name=\"event.ics\"")
        #expect(calendar.header("Content-Disposition") == "attachment; filename=\"event.ics\"")
        #expect(calendar.header("Content-Transfer-Encoding") == "base64")
        let ics = try #require(String(validating: try decodeBody(calendar), as: UTF8.self))
        #expect(ics == ICalendar.render(message.calendar, stamp: envelope.date, organizer: envelope.from))

        // Each boundary appears only as a delimiter line.
        for boundary in [mixed, alternativeBoundary] {
            let delimiterLines = text.components(separatedBy: "\r\n").filter { $0.contains(boundary) }
            #expect(delimiterLines.allSatisfy {
                $0 == "--\(boundary)" || $0 == "--\(boundary)--" || $0.hasSuffix("boundary=\"\(boundary)\"")
            })
            #expect(delimiterLines.filter { $0 == "--\(boundary)--" }.count == 1)
        }
    }

    @Test("the structure follows what the message has")
    func structures() throws {
        var message = sampleMessage(subject: "x")
        let plain = try #require(Entity(MailRenderer.render(message, envelope: sampleEnvelope())))
        #expect(plain.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(plain.boundary == nil)

        message.html = "<p>Bonjour</p>"
        let alternative = try #require(Entity(MailRenderer.render(message, envelope: sampleEnvelope())))
        #expect(alternative.header("Content-Type")?.hasPrefix("multipart/alternative;") == true)
        #expect(alternative.parts?.map { $0.header("Content-Type") ?? "" } == [
            "text/plain; charset=utf-8", "text/html; charset=utf-8",
        ])

        message.html = nil
        message.calendar = frenchInvitation().0.calendar
        let mixed = try #require(Entity(MailRenderer.render(message, envelope: sampleEnvelope())))
        #expect(mixed.header("Content-Type")?.hasPrefix("multipart/mixed;") == true)
        #expect(mixed.parts?.map { $0.header("Content-Type") ?? "" } == [
            "text/plain; charset=utf-8", "text/calendar; charset=utf-8; method=PUBLISH; name=\"event.ics\"",
        ])
    }

    @Test("rendering is deterministic, and boundaries follow the message id")
    func deterministic() throws {
        let (message, envelope) = frenchInvitation()
        #expect(MailRenderer.render(message, envelope: envelope) == MailRenderer.render(message, envelope: envelope))
        var other = envelope
        other.messageID = MessageID.make(idempotencyKey: "another key", domain: "convene.itu.int")
        let first = try #require(Entity(MailRenderer.render(message, envelope: envelope)))
        let second = try #require(Entity(MailRenderer.render(message, envelope: other)))
        #expect(first.boundary != nil && first.boundary != second.boundary)
    }

    // MARK: iCalendar

    @Test("iCalendar text is escaped, folded at 75 octets between UTF-8 sequences, and round-trips")
    func iCalendar() throws {
        let entries = [
            CalendarEntry(
                uid: "wsis20·round-table@convene.itu.int",
                summary: "Table ronde ministérielle; SMSI+20, « gouvernance » \\ IA\nligne 2\r\nligne 3",
                start: utc(2024, 5, 28, 7), end: utc(2024, 5, 28, 10, 30),
                location: String(repeating: "Centre international de conférences de Genève (CICG), 中文, ", count: 4),
                timeZone: "Europe/Zurich"
            ),
            CalendarEntry(
                uid: "no-end", summary: "🇨🇭👩‍👩‍👧‍👦" + String(repeating: "é", count: 80), start: utc(2024, 5, 29, 7),
                end: utc(2024, 5, 29, 7), location: "", timeZone: "Europe/Zurich"
            ),
        ]
        let organizer = Mailbox(name: "UIT: Secrétariat; \"SMSI\"", email: "wsis-info@itu.int")
        let ics = ICalendar.render(entries, stamp: utc(2024, 2, 2, 9), organizer: organizer)
        let octets = Array(ics.utf8)

        #expect(ics.hasSuffix("\r\n"))
        for line in splitCRLF(octets) {
            #expect(line.count <= 75, "\(String(decoding: line, as: UTF8.self))")
            #expect(String(validating: line, as: UTF8.self) != nil, "a fold split a UTF-8 sequence")
            #expect(!line.contains(0x0D) && !line.contains(0x0A))
        }

        let lines = unfoldICalendar(ics)
        #expect(Array(lines.prefix(5)) == [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Convene//Convene//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
        ])
        #expect(lines.last == "END:VCALENDAR")
        let events = splitEvents(lines)
        #expect(events.count == 2)

        #expect(events[0]["UID"].map(unescapeText) == entries[0].uid)
        #expect(events[0]["DTSTAMP"] == "20240202T090000Z")
        #expect(events[0]["DTSTART"] == "20240528T070000Z")
        #expect(events[0]["DTEND"] == "20240528T103000Z")
        #expect(events[0]["SUMMARY"].map(unescapeText) == "Table ronde ministérielle; SMSI+20, « gouvernance » \\ IA\nligne 2\nligne 3")
        #expect(events[0]["SUMMARY"]?.contains("\\;") == true && events[0]["SUMMARY"]?.contains("\\,") == true)
        #expect(events[0]["LOCATION"].map(unescapeText) == entries[0].location)
        #expect(events[0]["ORGANIZER;CN=\"UIT: Secrétariat; ^'SMSI^'\""] == "mailto:wsis-info@itu.int")

        #expect(events[1]["SUMMARY"].map(unescapeText) == entries[1].summary)
        #expect(events[1]["DTEND"] == nil, "an end that is not after the start is left out")
        #expect(events[1]["LOCATION"] == nil)
    }

    // MARK: Snapshot

    @Test("a French invitation with HTML and two calendar entries matches its snapshot")
    func frenchInvitationSnapshot() throws {
        let (message, envelope) = frenchInvitation()
        let bytes = MailRenderer.render(message, envelope: envelope)
        try expectWellFormed(bytes)
        try assertSnapshot(bytes, named: "invitation-fr", extension: "eml")
    }

    // MARK: Python's email package

    @Test(
        "Python's email package reads the invitation without defects",
        .enabled(if: python3Path != nil, "python3 is not on PATH")
    )
    func pythonParses() throws {
        let (message, envelope) = frenchInvitation()
        let bytes = MailRenderer.render(message, envelope: envelope)
        let report = try pythonReport(bytes)
        #expect(report.defects == [])
        #expect(report.subject == message.subject)
        #expect(report.from == [[envelope.from.name ?? "", envelope.from.email]])
        #expect(report.to == message.to.map { [$0.name ?? "", $0.email] })
        #expect(report.cc == message.cc.map { [$0.name ?? "", $0.email] })
        #expect(report.messageID == "<\(envelope.messageID)>")
        #expect(report.parts.map(\.type) == [
            "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar",
        ])
        let lf = { (text: String) in text.replacingOccurrences(of: "\r\n", with: "\n") }
        #expect(report.parts[2].content.map(lf) == lf(message.text))
        #expect(report.parts[3].content.map(lf) == lf(message.html ?? ""))
        #expect(report.parts[4].content.map(lf) == lf(ICalendar.render(
            message.calendar, stamp: envelope.date, organizer: envelope.from)))
        #expect(report.parts[4].filename == "event.ics")
    }
}

// MARK: - Byte-level assumptions

extension MailRenderingTests {
    @Test("scalars the header encoder takes for whole characters are, for the standard library")
    func clustersOnTheirOwn() {
        // The encoder cuts encoded-words between scalars when every scalar is in these ranges,
        // which holds if no such scalar joins a neighbour: checked against `Character`.
        var checked = 0
        for value in UInt32(0x20)...0xFFFF where MailRenderer.EncodedWord.isClusterOnItsOwn(value) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let character = String(scalar)
            #expect(("a" + character).count == 2, "U+\(String(value, radix: 16)) joins what precedes it")
            #expect((character + "a").count == 2, "U+\(String(value, radix: 16)) joins what follows it")
            #expect((character + character).count == 2, "U+\(String(value, radix: 16)) joins itself")
            checked += 1
        }
        #expect(checked > 30_000)
    }

    @Test("the white space an organizer's name is split at is Unicode's")
    func organizerWhiteSpace() {
        for value in UInt32(0x80)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(ICalendar.isNonASCIIWhitespace(value) == scalar.properties.isWhitespace, "U+\(String(value, radix: 16))")
            if ICalendar.isNonASCIIWhitespace(value) {
                #expect(Character(scalar).isWhitespace)
            }
        }
    }

    @Test("quoted-printable of any bytes round-trips in lines of at most 76, cut between UTF-8 sequences")
    func quotedPrintableAnyBytes() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            [0x61], [0x20], [0x09], [0x3D], [0x0D], [0x0A], [0x00], [0x7F], [0xC3, 0xA9], [0xE2, 0x80, 0x93],
            [0xF0, 0x9F, 0x98, 0x80], [0x80], [0xC3], [0xE2, 0x80], [0xFF],
        ]
        for _ in 0..<500 {
            var line: [UInt8] = []
            for _ in 0..<Int.random(in: 0...200, using: &generator) {
                line += Bool.random(using: &generator) ? [0x61] : pieces.randomElement(using: &generator)!
            }
            let encoded = MailRenderer.QuotedPrintable.encode(lines: [line])
            #expect(try decodeQuotedPrintable(encoded) == line)
            for physical in encoded.components(separatedBy: "\r\n") {
                #expect(physical.utf8.count <= 76, "\(physical)")
                #expect(!physical.hasSuffix(" ") && !physical.hasSuffix("\t"), "\(physical)")
            }
            if String(validating: line, as: UTF8.self) != nil {
                for physical in encoded.components(separatedBy: "\r\n") {
                    let soft = physical.hasSuffix("=") ? String(physical.dropLast()) : physical
                    #expect(String(validating: try decodeQuotedPrintable(soft), as: UTF8.self) != nil, "\(physical)")
                }
            }
        }
    }
}

// MARK: - Sample messages

private func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(from: DateComponents(
        year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
}

private func sampleEnvelope() -> MailEnvelope {
    MailEnvelope(
        from: Mailbox(name: "Secrétariat général de l'UIT", email: "wsis-info@itu.int"),
        messageID: MessageID.make(idempotencyKey: "test·FRA", domain: "itu.int"),
        date: utc(2024, 2, 2, 9)
    )
}

private func sampleMessage(subject: String, text: String = "Bonjour.\n", language: String = "fr") -> OutgoingMessage {
    OutgoingMessage(
        delegation: "FRA", to: [Mailbox(name: "Ministre", email: "ministre@example.fr")], subject: subject,
        language: language, text: text
    )
}

/// The snapshot's message: CL-24/2's invitation to France, in French, with both dates of the
/// tracks it asks about.
private func frenchInvitation() -> (OutgoingMessage, MailEnvelope) {
    let text = """
        Madame la Ministre, Monsieur le Ministre,

        J'ai l'honneur de vous inviter, conjointement avec le Conseiller fédéral Albert Rösti, au \
        Segment de haut niveau du SMSI+20 (27–28 mai 2024), à la Table ronde ministérielle \
        (mardi 28 mai 2024) et à la Journée sur la gouvernance de l'IA « Des principes à la mise \
        en œuvre » (29 mai 2024), au Centre international de conférences de Genève.

        Les demandes de temps de parole et les confirmations de participation sont attendues au \
        plus tard le 29 février 2024, à l'adresse wsis-info@itu.int.

        Veuillez agréer, Madame la Ministre, Monsieur le Ministre, l'assurance de ma très haute \
        considération.

        Doreen Bogdan-Martin
        Secrétaire générale

        """
    let html = """
        <!DOCTYPE html>
        <html lang="fr">
        <head><meta charset="utf-8"><title>SMSI+20 — Invitation</title></head>
        <body>
        <p>Madame la Ministre, Monsieur le Ministre,</p>
        <p>J'ai l'honneur de vous inviter, conjointement avec le Conseiller fédéral Albert Rösti, au \
        <strong>Segment de haut niveau du SMSI+20</strong> (27–28 mai 2024), à la <strong>Table ronde \
        ministérielle</strong> (mardi 28 mai 2024) et à la <strong>Journée sur la gouvernance de \
        l'IA</strong> « Des principes à la mise en œuvre » (29 mai 2024).</p>
        <p>Réponse attendue au plus tard le <time datetime="2024-02-29">29 février 2024</time> : \
        <a href="mailto:wsis-info@itu.int">wsis-info@itu.int</a>.</p>
        <p>Doreen Bogdan-Martin<br>Secrétaire générale</p>
        </body>
        </html>

        """
    let message = OutgoingMessage(
        delegation: "FRA",
        to: [Mailbox(name: "Ministre de l'Europe et des Affaires étrangères", email: "ministre@diplomatie.example.fr")],
        cc: [Mailbox(name: "Mission permanente de la France, Genève", email: "mission.geneve@diplomatie.example.fr")],
        replyTo: Mailbox(name: "WSIS+20", email: "wsis-info@itu.int"),
        subject: "Invitation au Segment de haut niveau du SMSI+20 et à la Journée sur la gouvernance de l'IA",
        language: "fr",
        text: text,
        html: html,
        calendar: [
            CalendarEntry(
                uid: "wsis20-2024.round-table@convene.itu.int",
                summary: "Table ronde ministérielle — SMSI+20",
                start: utc(2024, 5, 28, 7), end: utc(2024, 5, 28, 10, 30),
                location: "Centre international de conférences de Genève (CICG), Genève, Suisse",
                timeZone: "Europe/Zurich"
            ),
            CalendarEntry(
                uid: "wsis20-2024.ai-governance-day@convene.itu.int",
                summary: "Journée sur la gouvernance de l'IA : « Des principes à la mise en œuvre » — tables rondes du matin",
                start: utc(2024, 5, 29, 7), end: utc(2024, 5, 29, 10, 30),
                location: "CICG; salle 1, Genève",
                timeZone: "Europe/Zurich"
            ),
        ]
    )
    let envelope = MailEnvelope(
        from: Mailbox(name: "Secrétariat général de l'UIT", email: "wsis-info@itu.int"),
        messageID: MessageID.make(idempotencyKey: "wsis20-2024·round-table·invite·1·FRA", domain: "itu.int"),
        date: utc(2024, 2, 2, 9)
    )
    return (message, envelope)
}

private func expected(_ mailbox: Mailbox) -> [String] {
    [mailbox.name ?? "", mailbox.email]
}

/// Text in canonical form, CRLF line breaks, as its UTF-8 bytes.
private func canonical(_ text: String) -> [UInt8] {
    Array(MailRenderer.canonicalLines(text).joined(separator: [0x0D, 0x0A]))
}

// MARK: - Checks

/// 7-bit, CRLF only, every line within 998 octets, and within 78 (RFC 5322's limit for the
/// header lines we fold; body lines are at most 76) for these inputs.
private func expectWellFormed(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(bytes.allSatisfy { $0 < 0x80 }, "not 7-bit", sourceLocation: sourceLocation)
    #expect(bytes.suffix(2) == [0x0D, 0x0A], "does not end with CRLF", sourceLocation: sourceLocation)
    for (index, line) in splitCRLF(bytes).enumerated() {
        #expect(!line.contains(0x0D) && !line.contains(0x0A), "bare CR or LF on line \(index + 1)",
                sourceLocation: sourceLocation)
        #expect(line.count <= 78, "line \(index + 1) is \(line.count) octets: \(String(decoding: line, as: UTF8.self))",
                sourceLocation: sourceLocation)
    }
}

private func splitCRLF(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var lines: [ArraySlice<UInt8>] = []
    var start = 0
    var index = 0
    while index + 1 < bytes.count {
        if bytes[index] == 0x0D && bytes[index + 1] == 0x0A {
            lines.append(bytes[start..<index])
            index += 2
            start = index
        } else {
            index += 1
        }
    }
    if start < bytes.count { lines.append(bytes[start...]) }
    return lines
}

private func assertSnapshot(
    _ bytes: [UInt8], named name: String, extension ext: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let source = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/mail/\(name).\(ext)")
    if ProcessInfo.processInfo.environment["CONVENE_RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(
            at: source.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: source)
        Issue.record(
            "Recorded \(source.path). Review it, then run the tests again without CONVENE_RECORD_SNAPSHOTS.",
            sourceLocation: sourceLocation)
        return
    }
    guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures/mail") else {
        Issue.record(
            """
            Missing snapshot Fixtures/mail/\(name).\(ext). Record it with \
            `CONVENE_RECORD_SNAPSHOTS=1 swift test --filter MailRenderingTests`, review it, and commit it.
            """,
            sourceLocation: sourceLocation)
        return
    }
    let recorded = try [UInt8](Data(contentsOf: url))
    if recorded != bytes {
        let actual = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).actual.\(ext)")
        try? Data(bytes).write(to: actual)
        let old = splitCRLF(recorded).map { String(decoding: $0, as: UTF8.self) }
        let new = splitCRLF(bytes).map { String(decoding: $0, as: UTF8.self) }
        let line = zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
        Issue.record(
            """
            Output differs from Fixtures/mail/\(name).\(ext) from line \(line + 1):
              snapshot: \(line < old.count ? old[line] : "<end>")
              actual:   \(line < new.count ? new[line] : "<end>")
            The actual output is in \(actual.path). If the change is intended, re-record with \
            CONVENE_RECORD_SNAPSHOTS=1 and review the diff.
            """,
            sourceLocation: sourceLocation)
    }
}

// MARK: - A small MIME reader

/// A MIME entity: unfolded header fields and the raw body.
private struct Entity {
    var headers: [(name: String, value: String)]
    var body: String

    init?(_ bytes: [UInt8]) {
        self.init(String(decoding: bytes, as: UTF8.self))
    }

    init?(_ text: String) {
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        var fields: [String] = []
        for line in text[..<split.lowerBound].components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !fields.isEmpty {
                fields[fields.count - 1] += line  // Unfolding removes the CRLF only.
            } else {
                fields.append(line)
            }
        }
        var headers: [(name: String, value: String)] = []
        for field in fields {
            guard let colon = field.firstIndex(of: ":") else { return nil }
            let value = field[field.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            headers.append((String(field[..<colon]), String(value)))
        }
        self.headers = headers
        body = String(text[split.upperBound...])
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var boundary: String? {
        guard let type = header("Content-Type"),
            let match = type.firstMatch(of: #/boundary="([^"]+)"/#)
        else { return nil }
        return String(match.1)
    }

    /// The body parts, split at delimiter lines (the CRLF before a delimiter belongs to it).
    var parts: [Entity]? {
        guard let boundary else { return nil }
        var parts: [[String]] = []
        var current: [String]?
        for line in body.components(separatedBy: "\r\n") {
            if line == "--\(boundary)" {
                if let current { parts.append(current) }
                current = []
            } else if line == "--\(boundary)--" {
                if let current { parts.append(current) }
                return parts.compactMap { Entity($0.joined(separator: "\r\n")) }
            } else {
                current?.append(line)
            }
        }
        return nil  // No close delimiter.
    }
}

private struct DecodingError: Error, CustomStringConvertible {
    var description: String
}

private func decodeBody(_ entity: Entity) throws -> [UInt8] {
    switch entity.header("Content-Transfer-Encoding")?.lowercased() {
    case "quoted-printable":
        return try decodeQuotedPrintable(entity.body)
    case "base64":
        guard let data = Data(base64Encoded: entity.body, options: .ignoreUnknownCharacters) else {
            throw DecodingError(description: "bad base64")
        }
        return [UInt8](data)
    default:
        return Array(entity.body.utf8)
    }
}

private func decodeQuotedPrintable(_ text: String) throws -> [UInt8] {
    var bytes: [UInt8] = []
    let lines = text.components(separatedBy: "\r\n")
    for (index, line) in lines.enumerated() {
        var octets = Array(line.utf8)
        let soft = octets.last == UInt8(ascii: "=")
        if soft { octets.removeLast() }
        var position = 0
        while position < octets.count {
            if octets[position] == UInt8(ascii: "=") {
                guard position + 2 < octets.count,
                    let byte = UInt8(String(decoding: octets[(position + 1)...(position + 2)], as: UTF8.self), radix: 16)
                else { throw DecodingError(description: "bad escape in \(line)") }
                bytes.append(byte)
                position += 3
            } else {
                bytes.append(octets[position])
                position += 1
            }
        }
        if !soft && index < lines.count - 1 { bytes += [0x0D, 0x0A] }
    }
    return bytes
}

private func encodedWords(in value: String) -> [String] {
    value.matches(of: #/=\?[^?]+\?[QqBb]\?[^?]*\?=/#).map { String($0.output) }
}

/// RFC 2047 decoding; white space between adjacent encoded-words is dropped, and each word must
/// hold whole UTF-8 sequences on its own.
private func decodeEncodedWords(_ value: String) throws -> String {
    var result = ""
    var rest = value[...]
    var previousWasEncoded = false
    while let match = rest.firstMatch(of: #/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/#) {
        let gap = rest[..<match.range.lowerBound]
        if !(previousWasEncoded && gap.allSatisfy { $0 == " " || $0 == "\t" }) {
            result += gap
        }
        var bytes: [UInt8] = []
        if match.2.uppercased() == "B" {
            guard let data = Data(base64Encoded: String(match.3)) else {
                throw DecodingError(description: "bad B word \(match.0)")
            }
            bytes = [UInt8](data)
        } else {
            bytes = try decodeQuotedPrintable(match.3.replacingOccurrences(of: "_", with: " "))
        }
        guard let word = String(validating: bytes, as: UTF8.self) else {
            throw DecodingError(description: "encoded-word splits a UTF-8 sequence: \(match.0)")
        }
        result += word
        previousWasEncoded = true
        rest = rest[match.range.upperBound...]
    }
    return result + rest
}

/// `[name, address]` pairs of an address list (names decoded and unquoted).
private func parseAddressList(_ value: String) throws -> [[String]] {
    var mailboxes: [String] = []
    var current = ""
    var inQuotes = false
    var escaped = false
    for character in value {
        if escaped {
            escaped = false
        } else if character == "\\" && inQuotes {
            escaped = true
        } else if character == "\"" {
            inQuotes.toggle()
        } else if character == "," && !inQuotes {
            mailboxes.append(current)
            current = ""
            continue
        }
        current.append(character)
    }
    mailboxes.append(current)
    return try mailboxes.map { mailbox in
        let mailbox = mailbox.trimmingCharacters(in: .whitespaces)
        guard let open = mailbox.lastIndex(of: "<") else { return ["", mailbox] }
        let address = String(mailbox[mailbox.index(after: open)..<(mailbox.lastIndex(of: ">") ?? mailbox.endIndex)])
        var name = mailbox[..<open].trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 {
            var unquoted = ""
            var escape = false
            for character in name.dropFirst().dropLast() {
                if escape || character != "\\" {
                    unquoted.append(character)
                    escape = false
                } else {
                    escape = true
                }
            }
            name = unquoted
        } else {
            name = try decodeEncodedWords(name)
        }
        return [name, address]
    }
}

/// iCalendar content lines, unfolded.
private func unfoldICalendar(_ text: String) -> [String] {
    text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
}

/// Each `VEVENT`'s properties, keyed by name and parameters (the text before the value's colon).
private func splitEvents(_ lines: [String]) -> [[String: String]] {
    var events: [[String: String]] = []
    var current: [String: String]?
    for line in lines {
        if line == "BEGIN:VEVENT" {
            current = [:]
        } else if line == "END:VEVENT" {
            if let current { events.append(current) }
            current = nil
        } else if current != nil {
            var inQuotes = false
            var colon = line.endIndex
            for index in line.indices {
                if line[index] == "\"" { inQuotes.toggle() }
                if line[index] == ":" && !inQuotes {
                    colon = index
                    break
                }
            }
            current?[String(line[..<colon])] = colon < line.endIndex ? String(line[line.index(after: colon)...]) : ""
        }
    }
    return events
}

private func unescapeText(_ text: String) -> String {
    var result = ""
    var escape = false
    for character in text {
        if escape {
            result.append(character == "n" || character == "N" ? "\n" : character)
            escape = false
        } else if character == "\\" {
            escape = true
        } else {
            result.append(character)
        }
    }
    return result
}

// MARK: - Python

private let python3Path: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

private struct PythonReport: Decodable {
    struct Part: Decodable {
        var type: String
        var filename: String?
        var content: String?
    }

    var defects: [String]
    var subject: String
    var from: [[String]]
    var to: [[String]]
    var cc: [[String]]
    var messageID: String
    var parts: [Part]
}

private func pythonReport(_ bytes: [UInt8]) throws -> PythonReport {
    let script = """
        import email, email.policy, json, sys
        msg = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
        defects = [repr(d) for d in msg.defects]
        for name in msg.keys():
            defects += [name + ': ' + repr(d) for d in getattr(msg[name], 'defects', ())]
        parts = []
        for part in msg.walk():
            defects += [repr(d) for d in part.defects]
            entry = {'type': part.get_content_type(), 'filename': part.get_filename()}
            if not part.is_multipart():
                entry['content'] = part.get_content()
            parts.append(entry)
        pairs = lambda name: [[a.display_name, a.addr_spec] for a in msg[name].addresses] if msg[name] else []
        json.dump({'defects': defects, 'subject': str(msg['subject']), 'from': pairs('from'), 'to': pairs('to'),
                   'cc': pairs('cc'), 'messageID': str(msg['message-id']), 'parts': parts}, sys.stdout)
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(python3Path))
    process.arguments = ["-c", script]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(bytes))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return try JSONDecoder().decode(PythonReport.self, from: data)
}
