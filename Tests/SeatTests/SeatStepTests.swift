import ConveneKit
import Foundation
import Testing

@testable import Seat

@Suite("name collation")
struct NameCollationTests {
    func order(_ names: [String], in language: String) -> [String] {
        let delegations = names.enumerated().map { Fixture.delegation("D\($0)", fr: $1) }
        return NameCollation(language: language).sorted(delegations.reversed()).map(\.name)
    }

    @Test("French order puts accented E names among the Es, as the UN's French list does")
    func frenchEs() {
        // The order of the United Nations' French list of Member States.
        let expected = [
            "Égypte", "El Salvador", "Émirats arabes unis", "Équateur", "Érythrée", "Espagne", "Estonie",
            "Eswatini", "États-Unis d'Amérique", "Éthiopie", "Fidji", "Zimbabwe",
        ]
        #expect(order(expected.sorted(), in: "fr") == expected)
        #expect(order(["Zimbabwe", "Égypte"], in: "fr") == ["Égypte", "Zimbabwe"])
    }

    @Test("French order puts Î with I and O with O, as the UN's French list does")
    func frenchCircumflex() {
        let expected = [
            "Honduras", "Hongrie", "Îles Cook", "Îles Marshall", "Îles Salomon", "Inde", "Indonésie", "Iraq", "Irlande",
            "Islande", "Israël", "Italie", "Oman", "Ouganda", "Ouzbékistan", "Pakistan",
        ]
        #expect(order(expected.reversed(), in: "fr") == expected)
    }

    @Test("French order ignores spaces and hyphens, as the UN's French list does")
    func frenchPunctuation() {
        // As listed in the UN press release ORG/1469 (États Membres de l'ONU, 2006).
        let expected = [
            "République arabe syrienne", "République centrafricaine", "République de Corée",
            "République démocratique du Congo", "République démocratique populaire lao", "République de Moldova",
            "République dominicaine", "République populaire démocratique de Corée", "République-Unie de Tanzanie",
            "Roumanie", "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord", "Rwanda", "Sainte-Lucie",
            "Saint-Kitts-et-Nevis", "Saint-Marin", "Saint-Siège", "Saint-Vincent-et-les Grenadines", "Samoa",
        ]
        #expect(order(expected.sorted(), in: "fr") == expected)
    }

    @Test("English order follows the UN's English list")
    func english() {
        let expected = [
            "Democratic People's Republic of Korea", "Democratic Republic of the Congo", "Denmark",
            "Saint Kitts and Nevis",
            "Saint Lucia", "Saint Vincent and the Grenadines", "Samoa", "Tunisia", "Türkiye", "Turkmenistan", "Tuvalu",
        ]
        #expect(order(expected.sorted(), in: "en") == expected)
    }

    @Test("Chinese names sort by pinyin")
    func chinese() {
        let expected = ["阿尔及利亚", "阿富汗", "巴西", "德国", "法国", "美国", "中国"]
        #expect(order(expected.sorted(), in: "zh") == expected)
    }

    @Test("equal names are ordered by id, whatever the input order")
    func ties() {
        let a = Fixture.delegation("AAA", fr: "Congo")
        let b = Fixture.delegation("BBB", fr: "Congo")
        let collation = NameCollation(language: "fr")
        #expect(collation.sorted([b, a]).map(\.delegation.id) == ["AAA", "BBB"])
        #expect(collation.sorted([a, b]).map(\.delegation.id) == ["AAA", "BBB"])
    }
}

@Suite("draw by lot")
struct DrawTests {
    @Test("SplitMix64 gives the reference sequence")
    func referenceSequence() {
        var generator = SplitMix64(seed: 1_234_567)
        let values = (0..<5).map { _ in generator.next() }
        #expect(
            values == [
                6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
            ])
    }

    @Test("indices are drawn uniformly within bounds")
    func bounded() {
        var generator = SplitMix64(seed: 7)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<7_000 { counts[generator.index(below: 7)] += 1 }
        #expect(counts.allSatisfy { (800...1_200).contains($0) })
    }
}

@Suite("seat step")
struct SeatStepTests {
    /// Ten delegations whose French names start with E, and Fidji.
    static let delegations = [
        ("EGY", "Égypte"), ("SLV", "El Salvador"), ("ARE", "Émirats arabes unis"), ("ECU", "Équateur"),
        ("ERI", "Érythrée"), ("ESP", "Espagne"), ("EST", "Estonie"), ("SWZ", "Eswatini"),
        ("USA", "États-Unis d'Amérique"), ("ETH", "Éthiopie"), ("FJI", "Fidji"),
    ].map { Fixture.delegation($0.0, fr: $0.1) }
    static let alphabetical = delegations.map(\.id)

    func step(seed: Int, language: String = "fr") throws -> SeatStep {
        try SeatStep(configuration: .object(["seed": .int(seed), "language": .string(language)]))
    }

    func seated(_ effects: [Effect], on track: String = "rt") -> [String] {
        Fixture.statuses(effects).filter { $0.hasSuffix("/\(track)=seated") }.map { String($0.prefix(3)) }
    }

    @Test("the same seed draws the same delegation and gives the same plan")
    func reproducible() throws {
        let batch = Fixture.batch(
            Self.delegations.map { Fixture.invitee($0, on: ["rt"]) }, tracks: [Fixture.track("rt")])
        let first = try step(seed: 2024).run(batch)
        #expect(try step(seed: 2024).run(batch) == first)
        #expect(seated(first).first == "ECU")
        #expect(
            Fixture.artifacts(first)["seating-rt.md"]?.contains(
                "- Drawn by lot: Équateur (ECU), number 4 of the 11 delegations in alphabetical order, with seed 2024 (SplitMix64)."
            ) == true)
        let another = seated(try step(seed: 1).run(batch)).first
        #expect(another == "ETH")
    }

    @Test("the plan runs alphabetically from the drawn delegation and wraps round past the end")
    func wrapsRound() throws {
        let effects = try step(seed: 2024).run(
            Fixture.batch(Self.delegations.map { Fixture.invitee($0, on: ["rt"]) }, tracks: [Fixture.track("rt")]))
        let start = try #require(Self.alphabetical.firstIndex(of: "ECU"))
        #expect(seated(effects) == Array(Self.alphabetical[start...] + Self.alphabetical[..<start]))
    }

    @Test("the plan does not depend on the order of the batch")
    func orderIndependent() throws {
        let invitees = Self.delegations.map { Fixture.invitee($0, on: ["rt"]) }
        let step = try step(seed: 99)
        #expect(
            try step.run(Fixture.batch(invitees, tracks: [Fixture.track("rt")]))
                == step.run(Fixture.batch(invitees.reversed(), tracks: [Fixture.track("rt")])))
    }

    @Test("a track without the drawn delegation starts from the next one on it")
    func drawnAbsent() throws {
        let invitees = Self.delegations.map { Fixture.invitee($0, on: $0.id == "ECU" ? ["other"] : ["rt", "other"]) }
        let effects = try step(seed: 2024).run(
            Fixture.batch(invitees, tracks: [Fixture.track("rt"), Fixture.track("other")]))
        #expect(seated(effects, on: "rt").first == "ERI")
        #expect(seated(effects, on: "other").first == "ECU")
        #expect(
            Fixture.artifacts(effects)["seating-rt.md"]?.contains(
                "- First seat: Érythrée (ERI), the first delegation on this track after the one drawn.") == true)
    }

    @Test("with a capacity and no ranks, the earliest replies are seated and the others wait-listed")
    func capacity() throws {
        // Replies in order: FJI, USA, EGY, ERI, SLV, then the others without a reply time.
        let hours = ["FJI": 8, "USA": 9, "EGY": 10, "ERI": 11, "SLV": 12]
        let invitees = Self.delegations.map { Fixture.invitee($0, on: ["rt"], repliedAt: hours[$0.id]) }
        let effects = try step(seed: 2024).run(Fixture.batch(invitees, tracks: [Fixture.track("rt", capacity: 4)]))
        // Seated: FJI, USA, EGY, ERI, alphabetically from ECU (drawn, not seated): ERI, USA, FJI, round to EGY.
        #expect(seated(effects) == ["ERI", "USA", "FJI", "EGY"])
        #expect(
            Fixture.statuses(effects).filter { $0.hasSuffix("wait-listed") } == [
                "SLV/rt=wait-listed", "ARE/rt=wait-listed", "ECU/rt=wait-listed", "ESP/rt=wait-listed",
                "EST/rt=wait-listed", "ETH/rt=wait-listed", "SWZ/rt=wait-listed",
            ])
        let csv = try #require(Fixture.artifacts(effects)["seating-rt.csv"])
        #expect(
            csv == "seat,id,name\r\n1,ERI,Érythrée\r\n2,USA,États-Unis d'Amérique\r\n3,FJI,Fidji\r\n4,EGY,Égypte\r\n")
        let plan = try #require(Fixture.artifacts(effects)["seating-rt.md"])
        #expect(plan.contains("- Seats: 4 (capacity 4); wait-listed: 7."))
        #expect(plan.contains("\n1. Érythrée (ERI)\n2. États-Unis d'Amérique (USA)\n3. Fidji (FJI)\n4. Égypte (EGY)\n"))
        #expect(
            plan.contains("## Wait-list, in order of precedence, then of reply\n\n1. El Salvador (SLV)\n2. Émirats arabes unis (ARE)\n"))
    }

    /// An invitee whose principal has a rank, confirmed on `rt` at `hour`, or sending a substitute of `substitute` rank.
    func ranked(_ id: String, _ name: String, rank: String?, at hour: Int, substitute: String? = nil) -> Invitee {
        var delegation = Fixture.delegation(id, fr: name)
        delegation.principal.rank = rank
        let reply = Reply(
            sequence: Int64(hour), track: "rt", answer: substitute == nil ? .confirm : .substitute, receivedAt: Fixture.date(1, hour),
            source: "web",
            substitute: substitute.map { Principal(name: "Deputy of \(id)", title: "", gender: .unspecified, rank: $0) })
        return Invitee(delegation: delegation, states: ["rt": TrackState(status: substitute == nil ? .confirmed : .substituted, reply: reply)])
    }

    @Test("precedence, not arrival, decides who is seated: a head of state replying last is seated before ministers who replied first")
    func precedenceBeatsArrival() throws {
        let invitees = [
            ranked("FJI", "Fidji", rank: "minister", at: 8),
            ranked("USA", "États-Unis d'Amérique", rank: "Minister", at: 9),
            ranked("EGY", "Égypte", rank: "head-of-delegation", at: 7),
            ranked("ERI", "Érythrée", rank: "Head of State", at: 12),
            ranked("SLV", "El Salvador", rank: nil, at: 6),
        ]
        let effects = try step(seed: 2024).run(Fixture.batch(invitees, tracks: [Fixture.track("rt", capacity: 3)]))
        #expect(Set(seated(effects)) == ["ERI", "FJI", "USA"])
        // The wait-list: the head of delegation before the delegation without a rank, though it replied later.
        #expect(Fixture.statuses(effects).filter { $0.hasSuffix("wait-listed") } == ["EGY/rt=wait-listed", "SLV/rt=wait-listed"])
    }

    @Test("quotas: a group takes at most its seats, by precedence then time of reply; the others wait, even with seats left")
    func quotas() throws {
        func regional(_ invitee: Invitee, _ region: String) -> Invitee {
            var invitee = invitee
            invitee.delegation.fields["region"] = region
            return invitee
        }
        let invitees = [
            regional(ranked("EGY", "Égypte", rank: "minister", at: 9), "Africa"),
            regional(ranked("ERI", "Érythrée", rank: "minister", at: 8), "africa"),
            regional(ranked("ETH", "Éthiopie", rank: "head-of-state", at: 12), "Africa"),
            regional(ranked("ESP", "Espagne", rank: "minister", at: 10), "Europe"),
            regional(ranked("EST", "Estonie", rank: "minister", at: 11), "Europe"),
        ]
        let step = try SeatStep(configuration: .object([
            "seed": .int(1), "language": .string("fr"),
            "quotas": .list([.object(["column": .string("region"), "value": .string("Africa"), "seats": .int(2)])]),
        ]))
        // No capacity: Europe sits whole; Africa's two seats go to the head of state, then to the earlier minister.
        let effects = try step.run(Fixture.batch(invitees, tracks: [Fixture.track("rt")]))
        #expect(Set(seated(effects)) == ["ETH", "ERI", "ESP", "EST"])
        #expect(Fixture.statuses(effects).filter { $0.hasSuffix("wait-listed") } == ["EGY/rt=wait-listed"])
        let plan = try #require(Fixture.artifacts(effects)["seating-rt.md"])
        #expect(plan.contains("- Quota: region Africa, 2 seats; 2 taken.\n"))
        let json = try #require(Fixture.artifacts(effects)["seating-rt.json"])
        #expect(json.contains(#""quotas": [{"column": "region", "seated": 2, "seats": 2, "value": "Africa"}],"#))

        // With a capacity of 3 as well: the head of state, then the earliest ministers while Africa has room.
        let capped = try step.run(Fixture.batch(invitees, tracks: [Fixture.track("rt", capacity: 3)]))
        #expect(Set(seated(capped)) == ["ETH", "ERI", "ESP"])
        #expect(Fixture.statuses(capped).filter { $0.hasSuffix("wait-listed") } == ["EGY/rt=wait-listed", "EST/rt=wait-listed"])

        // A column the roster keeps as a property, such as the language, groups as well.
        let byLanguage = try SeatStep(configuration: .object([
            "seed": .int(1), "language": .string("fr"),
            "quotas": .list([.object(["column": .string("language"), "value": .string("FR"), "seats": .int(1)])]),
        ]))
        let one = try byLanguage.run(Fixture.batch(invitees, tracks: [Fixture.track("rt")]))
        #expect(seated(one) == ["ETH"], "every fixture delegation writes in French: one seat for them all")
    }

    @Test("a substitute sits at the substitute's rank, not the principal's")
    func substituteRank() throws {
        let invitees = [
            ranked("ERI", "Érythrée", rank: "head-of-state", at: 6, substitute: "vice-minister"),
            ranked("FJI", "Fidji", rank: "vice-minister", at: 8, substitute: "minister"),
        ]
        let effects = try step(seed: 2024).run(Fixture.batch(invitees, tracks: [Fixture.track("rt", capacity: 1)]))
        #expect(seated(effects) == ["FJI"])
        #expect(Fixture.statuses(effects).contains("ERI/rt=wait-listed"))
    }

    @Test("a speakers' list: seated delegations that asked to speak, by precedence then time of request, in turns from the track's start; who does not fit is listed")
    func speakersList() throws {
        func speaking(_ invitee: Invitee) -> Invitee {
            var invitee = invitee
            invitee.states["rt"]!.reply!.speakingRequested = true
            return invitee
        }
        let invitees = [
            speaking(ranked("FJI", "Fidji", rank: "minister", at: 9)),
            speaking(ranked("USA", "États-Unis d'Amérique", rank: "minister", at: 8)),
            speaking(ranked("ERI", "Érythrée", rank: "head-of-state", at: 12, substitute: "vice-minister")),
            ranked("EGY", "Égypte", rank: "head-of-state", at: 7),
        ]
        let step = try SeatStep(configuration: .object(["seed": .int(1), "language": .string("fr"), "speaking-time": .int(90)]))
        let effects = try step.run(Fixture.batch(invitees, tracks: [Fixture.track("rt")]))
        let csv = try #require(Fixture.artifacts(effects)["speakers-rt.csv"])
        // 09:00–13:00 holds two turns of 90 minutes: the two ministers, the earlier request first;
        // Eritrea's substitute (a vice-minister) is not reached; Egypt did not ask to speak.
        #expect(csv == """
            slot,date,start,end,id,delegation,speaker,title,rank\r
            1,2024-02-28,09:00,10:30,USA,États-Unis d'Amérique,Principal,Minister,minister\r
            2,2024-02-28,10:30,12:00,FJI,Fidji,Principal,Minister,minister\r
            ,,,,ERI,Érythrée,Deputy of ERI,,vice-minister\r

            """)
        let html = try #require(Fixture.artifacts(effects)["speakers-rt.html"])
        #expect(html.contains("<tr><td>1</td><td>2024-02-28</td><td>09:00–10:30</td><td>États-Unis d'Amérique</td><td>Principal, Minister</td></tr>"))
        #expect(html.contains("<h2>Not reached in the time of the track</h2>\n<ol>\n<li>Érythrée: Deputy of ERI</li>"))
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"fr\">"))

        // Nobody asked to speak: no list.
        let quiet = try step.run(Fixture.batch([ranked("EGY", "Égypte", rank: nil, at: 7)], tracks: [Fixture.track("rt")]))
        #expect(Fixture.artifacts(quiet)["speakers-rt.csv"] == nil)
    }

    @Test("turns are laid out over the track's sittings, never across a break")
    func speakersOverSittings() throws {
        var track = Fixture.track("rt")
        // 09:00–09:05 and 11:00–11:05: one 3-minute turn in each.
        track.sessions = [
            DateInterval(start: Fixture.date(28, 9), duration: 300), DateInterval(start: Fixture.date(28, 11), duration: 300),
        ]
        let invitees = [("FJI", "Fidji", 6), ("USA", "États-Unis d'Amérique", 7), ("EGY", "Égypte", 8)].map { id, name, hour in
            var invitee = ranked(id, name, rank: "minister", at: hour)
            invitee.states["rt"]!.reply!.speakingRequested = true
            return invitee
        }
        let step = try SeatStep(configuration: .object(["seed": .int(1), "language": .string("fr")]))
        let csv = try #require(Fixture.artifacts(try step.run(Fixture.batch(invitees, tracks: [track])))["speakers-rt.csv"])
        #expect(csv.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(5).joined(separator: ",") } == [
            "1,2024-02-28,09:00,09:03,FJI", "2,2024-02-28,11:00,11:03,USA", ",,,,EGY",
        ])
    }

    @Test("speakers are ordered by the time of their request for speaking time, not of their latest reply")
    func speakingRequestTime() throws {
        func speaking(_ invitee: Invitee, since hour: Int) -> Invitee {
            var invitee = invitee
            invitee.states["rt"]!.reply!.speakingRequested = true
            invitee.states["rt"]!.reply!.speakingRequestedAt = Fixture.date(1, hour)
            return invitee
        }
        // Fiji's latest reply came last, but it asked to speak first.
        let invitees = [
            speaking(ranked("FJI", "Fidji", rank: "minister", at: 11), since: 6),
            speaking(ranked("USA", "États-Unis d'Amérique", rank: "minister", at: 8), since: 8),
        ]
        let step = try SeatStep(configuration: .object(["seed": .int(1), "language": .string("fr")]))
        let csv = try #require(Fixture.artifacts(try step.run(Fixture.batch(invitees, tracks: [Fixture.track("rt")])))["speakers-rt.csv"])
        #expect(csv.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",")[4] } == ["FJI", "USA"])
    }

    @Test("the plan is also an SVG chart of the room: a round table for a few seats, rows for many, or the layout configured")
    func svgChart() throws {
        let invitees = Self.delegations.map { Fixture.invitee($0, on: ["rt"]) }
        let effects = try step(seed: 2024).run(Fixture.batch(invitees, tracks: [Fixture.track("rt")]))
        let svg = try #require(Fixture.artifacts(effects)["seating-rt.svg"])
        #expect(svg.contains("<title>Table ronde rt</title>") || svg.contains("Table ronde rt"))
        #expect(svg.contains("Seating chart, round-table, 11 places."))
        // Seat 1 is the first seat of the plan: Ecuador, drawn by lot.
        #expect(svg.contains("<g id=\"seat-1\" data-delegation=\"ECU\""))
        let configured = try SeatStep(configuration: .object(["seed": .int(2024), "language": .string("fr"), "layout": .string("theatre"), "seats-per-row": .int(4)]))
        let rows = try #require(Fixture.artifacts(try configured.run(Fixture.batch(invitees, tracks: [Fixture.track("rt")])))["seating-rt.svg"])
        #expect(rows.contains("Seating chart, theatre, 11 places."))
        let many = (0..<120).map { Fixture.invitee(Fixture.delegation(String(format: "D%03d", $0), fr: "Délégation \($0)"), on: ["rt"]) }
        let large = try #require(Fixture.artifacts(try step(seed: 1).run(Fixture.batch(many, tracks: [Fixture.track("rt")])))["seating-rt.svg"])
        #expect(large.contains("Seating chart, theatre, 120 places."))
        #expect(throws: StepError.self) { try SeatStep(configuration: .object(["seed": .int(1), "seats-per-row": .int(0)])) }
        // Beyond the chart limit, no chart, and the plan says why.
        let limited = try SeatStep(configuration: .object(["seed": .int(1), "chart-limit": .int(100)]))
        let artifacts = Fixture.artifacts(try limited.run(Fixture.batch(many, tracks: [Fixture.track("rt")])))
        #expect(artifacts["seating-rt.svg"] == nil)
        #expect(artifacts["seating-rt.md"]?.contains("- No seating chart: 120 seats are more than the 100 a chart is drawn for (`chart-limit`).") == true)
    }

    @Test("the plan is also JSON, with the draw, the seats and the wait-list in order")
    func jsonPlan() throws {
        let hours = ["FJI": 8, "USA": 9, "EGY": 10, "ERI": 11, "SLV": 12]
        let invitees = Self.delegations.map { Fixture.invitee($0, on: ["rt"], repliedAt: hours[$0.id]) }
        let effects = try step(seed: 2024).run(Fixture.batch(invitees, tracks: [Fixture.track("rt", capacity: 4)]))
        let json = try #require(Fixture.artifacts(effects)["seating-rt.json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["capacity"] as? Int == 4)
        #expect((object["seats"] as? [[String: Any]])?.map { $0["id"] as? String } == ["ERI", "USA", "FJI", "EGY"])
        #expect((object["waitList"] as? [[String: Any]])?.first?["id"] as? String == "SLV")
        let draw = try #require(object["draw"] as? [String: Any])
        #expect(draw["seed"] as? Int == 2024 && draw["id"] as? String == "ECU" && draw["language"] as? String == "fr")
        #expect(SeatingPlan.jsonString("Côte \"d\\Ivoire\"\n\u{1}") == #""Côte \"d\\Ivoire\"\n\u0001""#)
        #expect(SeatingPlan.jsonString(nil) == "null")
        // The same batch, the same bytes.
        #expect(Fixture.artifacts(try step(seed: 2024).run(Fixture.batch(invitees.reversed(), tracks: [Fixture.track("rt", capacity: 4)])))["seating-rt.json"] == json)
    }

    @Test("observers sit after the members, alphabetically, and are never drawn")
    func observersLast() throws {
        func delegation(_ id: String, _ name: String, _ category: String?) -> Delegation {
            var d = Fixture.delegation(id, fr: name)
            if let category { d.fields["category"] = category }
            return d
        }
        let delegations = [
            delegation("VAT", "Saint-Siège", "Observer"), delegation("PSE", "État de Palestine", "observer"),
            delegation("ITU", "Union internationale des télécommunications", "organization"),
            delegation("FJI", "Fidji", "member"), delegation("EGY", "Égypte", nil), delegation("USA", "États-Unis d'Amérique", "member"),
        ]
        for seed in 0..<20 {
            let effects = try step(seed: seed).run(Fixture.batch(delegations.map { Fixture.invitee($0, on: ["rt"]) }, tracks: [Fixture.track("rt")]))
            let order = seated(effects)
            #expect(Array(order.suffix(3)) == ["PSE", "VAT", "ITU"], "seed \(seed): \(order)")
            #expect(Set(order.prefix(3)) == ["FJI", "EGY", "USA"])
            let plan = try #require(Fixture.artifacts(effects)["seating-rt.json"])
            #expect(!plan.contains("\"draw\": {\"among\": 6") && plan.contains("\"among\": 3"))
        }
        // Configured: only "organization" is an observer.
        let configured = try SeatStep(configuration: .object([
            "seed": .int(1), "language": .string("fr"), "observer-values": .list([.string("organization")]),
        ]))
        let order = seated(try configured.run(Fixture.batch(delegations.map { Fixture.invitee($0, on: ["rt"]) }, tracks: [Fixture.track("rt")])))
        #expect(order.last == "ITU")
    }

    @Test("the ladder is configurable; ranks compare without regard to case, spaces and underscores")
    func configuredLadder() throws {
        let step = try SeatStep(configuration: .object([
            "seed": .int(1), "language": .string("fr"),
            "precedence": .list([.string("Secretary General"), .string("head_of_delegation")]),
        ]))
        let invitees = [
            ranked("FJI", "Fidji", rank: "head-of-state", at: 6),
            ranked("EGY", "Égypte", rank: "Head of  Delegation", at: 9),
            ranked("ERI", "Érythrée", rank: "secretary-general", at: 10),
        ]
        let effects = try step.run(Fixture.batch(invitees, tracks: [Fixture.track("rt", capacity: 2)]))
        #expect(Set(seated(effects)) == ["ERI", "EGY"])
        #expect(Precedence.normalized(" Head_of -- State ") == "head-of-state")
        #expect(throws: StepError.self) { try SeatStep(configuration: .object(["seed": .int(1), "precedence": .list([])])) }
    }

    @Test("the Markdown plan states the draw, the seed, the language and the count")
    func markdownPlan() throws {
        let effects = try step(seed: 2024).run(
            Fixture.batch(Self.delegations.map { Fixture.invitee($0, on: ["rt"]) }, tracks: [Fixture.track("rt")]))
        let plan = try #require(Fixture.artifacts(effects)["seating-rt.md"])
        #expect(
            plan.hasPrefix(
                "# Seating plan: Table ronde rt\n\nÉvénement de haut niveau du SMSI+20 (CL-24/2), track `rt`.\n"))
        #expect(plan.contains("alphabetical by name in French (`fr`)"))
        #expect(plan.contains("with seed 2024 (SplitMix64)"))
        #expect(
            plan.contains(
                "- First seat: Équateur (ECU).\n- Seats: 11; wait-listed: 0.\n\n1. Équateur (ECU)\n2. Érythrée (ERI)\n")
        )
        #expect(plan.hasSuffix("11. Émirats arabes unis (ARE)\n"))
    }

    @Test("names are taken and sorted in the configured language")
    func englishPlan() throws {
        let delegations = [
            Fixture.delegation("DEU", fr: "Allemagne", en: "Germany"),
            Fixture.delegation("CHE", fr: "Suisse", en: "Switzerland"),
            Fixture.delegation("ESP", fr: "Espagne", en: "Spain"),
        ]
        let effects = try step(seed: 3, language: "en").run(
            Fixture.batch(delegations.map { Fixture.invitee($0, on: ["rt"]) }, tracks: [Fixture.track("rt")]))
        let rows = try #require(Fixture.artifacts(effects)["seating-rt.csv"]).split(separator: "\r\n").dropFirst()
        let names = rows.map { $0.split(separator: ",").last.map(String.init) ?? "" }
        let alphabetical = ["Germany", "Spain", "Switzerland"]
        let start = try #require(alphabetical.firstIndex(of: names.first ?? ""))
        #expect(names == Array(alphabetical[start...] + alphabetical[..<start]))
    }

    @Test("a CSV field with a comma or a quote is quoted")
    func csvQuoting() {
        #expect(
            SeatingPlan.csvField("Venezuela, République bolivarienne du") == "\"Venezuela, République bolivarienne du\""
        )
        #expect(SeatingPlan.csvField("Say \"hi\"") == "\"Say \"\"hi\"\"\"")
        #expect(SeatingPlan.csvField("Côte d'Ivoire") == "Côte d'Ivoire")
    }

    @Test("a track with nobody on it still gets a plan that says so")
    func emptyTrack() throws {
        let effects = try step(seed: 1).run(Fixture.batch([], tracks: [Fixture.track("rt")]))
        #expect(Fixture.statuses(effects).isEmpty)
        #expect(Fixture.artifacts(effects)["seating-rt.csv"] == "seat,id,name\r\n")
        #expect(Fixture.artifacts(effects)["seating-rt.md"]?.contains("No delegation to seat.") == true)
    }

    @Test("the seed is required")
    func seedRequired() {
        #expect(throws: StepError.self) { try SeatStep(configuration: .object(["language": .string("fr")])) }
    }
}

@Suite("seat manifest")
struct SeatManifestTests {
    @Test("the seating step asks for every invitee in one batch, so there is one draw and one plan")
    func wholeBatch() {
        #expect(SeatStep.manifest.batching == .all)
    }
}
