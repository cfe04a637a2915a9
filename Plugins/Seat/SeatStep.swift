public import ConveneKit
internal import ConveneLetters
import Foundation

/// The `seat` step: a seating plan per track, in alphabetical order from a delegation drawn by lot.
///
/// As in United Nations bodies, delegations sit in the alphabetical order of their names in a
/// chosen language, starting from a delegation drawn by lot and wrapping round past the end of the
/// alphabet. The draw is made once per run among all the batch's delegations, with a seeded
/// generator, and the plan records it so that anyone can make it again. On each track the first
/// seat goes to the drawn delegation, or to the first one after it that is on the track.
///
/// A track with a capacity seats delegations by precedence, not in order of arrival: by the
/// rank of who will sit (the principal's, or the substitute's when the delegation sends one) on
/// the precedence ladder, then by the time the reply was received, then by id; the others are
/// wait-listed in the same order.
///
/// Configuration (`with:`):
/// - `seed`: the integer that fixes the draw by lot; required.
/// - `language`: the language whose names and alphabet give the order; `en` by default, as at
///   the United Nations General Assembly.
/// - `observer-column`, `observer-values`: the roster column (`category` by default) and its
///   values (`observer`, `organization`, `organisation`) that make a delegation an observer:
///   observers (the Holy See where it is not a member, Palestine, organisations) sit after the
///   members, in alphabetical order, and are not in the draw.
/// - `speaking-time`: minutes per turn on a speakers' list; 3 by default. A track where a seated
///   delegation asked for speaking time gets a speakers' list: one speaker per delegation (the
///   substitute, if it sent one), by precedence then by the time of the request, in turns from
///   the track's start; those its time does not reach are listed after.
/// - `precedence`: the ladder of ranks, highest first; by default head of state, head of
///   government, vice-president, deputy prime minister, minister, vice-minister, head of
///   delegation. Ranks are compared without regard to case, spaces or underscores
///   (`Head of State` is `head-of-state`); a rank not on the ladder comes after every rank on it.
/// - `quotas`: seats at most per group of delegations, a list of `column` (a roster column),
///   `value` and `seats`: `{column: region, value: Africa, seats: 12}`. A delegation takes a seat
///   only while every group it belongs to has room; the others wait, in the wait-list's order.
///   Quotas apply with or without a capacity.
/// - `layout`: the room the SVG chart draws: `round-table`, `u-shape`, `theatre` (rows facing a
///   podium), or `auto` (the default): a round table up to 40 seats, a U up to 100, rows beyond.
/// - `chart-limit`: the most seats a chart is drawn for, 2,000 by default: a chart of more
///   named seats is read by no one, and the CSV, Markdown and JSON plans list every seat.
/// - `seats-per-row`: seats per row of a theatre layout; by default about the square root of
///   the number of seats, at most 10.
/// - `notify`: write to each delegation placed, in its language, with its seat or its place on
///   the wait-list and its speaking turn on each track; `true` by default.
/// - `templates`, `subject`: the notification's body and subject templates by language
///   (Mustache), overriding the embedded ones.
/// - `copy`: roles copied on the notification, a list of `focal-point` and `mission`; both by
///   default.
///
/// Each seat, place on the wait-list and speaking turn is also recorded in the ledger with the
/// delegation's state on the track (``Effect/place(delegation:track:placement:)``), where a
/// reminder before the track finds it.
public struct SeatStep: Step {
    /// The step's identity and configuration schema.
    public static let manifest = StepManifest(
        id: "seat",
        version: SemanticVersion(1, 0, 0),
        summary: "Seats delegations alphabetically from one drawn by lot, and publishes the plan",
        configuration: .object([
            ConfigField(
                "seed", .integer(), required: true,
                summary: "Seed of the draw by lot; the same seed and delegations give the same plan"),
            ConfigField(
                "language", .language, default: .string("en"),
                summary: "Language whose names and alphabetical order give the seating order"),
            ConfigField(
                "observer-column", .string(), default: .string("category"),
                summary: "Roster column that tells observers from members"),
            ConfigField(
                "observer-values", .list(.string()), default: .list([.string("observer"), .string("organization"), .string("organisation")]),
                summary: "Values of that column that make a delegation an observer, seated after the members"),
            ConfigField(
                "speaking-time", .integer(), default: .int(3),
                summary: "Minutes per turn on a track's speakers' list"),
            ConfigField(
                "precedence", .list(.string()), default: .list(Precedence.standardLadder.map { .string($0) }),
                summary: "Ranks from highest to lowest; who sits first when a track has more confirmations than seats"),
            ConfigField(
                "quotas",
                .list(
                    .object([
                        ConfigField("column", .string(), required: true, summary: "The roster column that defines the group"),
                        ConfigField("value", .string(), required: true, summary: "The column's value for delegations of the group"),
                        ConfigField("seats", .integer(min: 0), required: true, summary: "Seats at most for the group"),
                    ])),
                summary: "Seats at most per group of delegations (a region, a category), each {column, value, seats}"),
            ConfigField(
                "layout", .string(oneOf: ["auto", "round-table", "u-shape", "theatre"]), default: .string("auto"),
                summary: "The room the seating chart draws: round-table, u-shape, theatre, or auto by the number of seats"),
            ConfigField(
                "chart-limit", .integer(min: 0), default: .int(2000),
                summary: "The most seats a seating chart is drawn for; the plans list every seat"),
            ConfigField(
                "seats-per-row", .integer(),
                summary: "Seats per row of a theatre layout"),
            ConfigField(
                "notify", .boolean, default: .bool(true),
                summary: "Write to each delegation placed: its seat or place on the wait-list, and its speaking turn"),
            ConfigField(
                "templates", .perLanguage(.template),
                summary: "Plain-text notification templates (Mustache) by language, overriding the embedded ones"),
            ConfigField(
                "subject", .perLanguage(.string()),
                summary: "Notification subject templates (Mustache) by language, overriding the embedded ones"),
            ConfigField(
                "copy", .list(.string(oneOf: ["focal-point", "mission"])),
                default: .list([.string("focal-point"), .string("mission")]),
                summary: "Address roles copied on the notification"),
        ]),
        // One draw and one plan over every delegation to seat, never in chunks; the letters
        // then go out a part at a time.
        followUp: 512
    )

    let seed: Int
    let collation: NameCollation
    let precedence: Precedence
    let speakingMinutes: Int
    let observerColumn: String
    let observerValues: Set<String>
    /// Seats at most per group of delegations.
    let quotas: [Quota]
    /// The chart's layout; `nil` to choose by the number of seats.
    let layout: SeatingChart.Layout?
    let seatsPerRow: Int?
    /// The most seats a chart is drawn for.
    let chartLimit: Int
    /// The notifications, unless switched off.
    let notifications: AttendanceLetters?
    /// Letter resources kept from one batch to the next.
    let cache = LetterCache()

    /// Makes the step.
    /// - Parameter configuration: the step's `with:`.
    /// - Throws: ``StepError`` when `seed` is missing.
    public init(configuration: ConfigValue) throws {
        guard let seed = configuration["seed"].int else {
            throw StepError("seed: required: the integer that fixes the draw by lot")
        }
        self.seed = seed
        collation = NameCollation(language: configuration["language"].string ?? "en")
        let ladder = configuration["precedence"].list?.compactMap(\.string) ?? Precedence.standardLadder
        guard !ladder.isEmpty else { throw StepError("precedence: the ladder needs at least one rank") }
        precedence = Precedence(ladder)
        observerColumn = configuration["observer-column"].string ?? "category"
        observerValues = Set(
            (configuration["observer-values"].list?.compactMap(\.string) ?? ["observer", "organization", "organisation"]).map { $0.lowercased() })
        speakingMinutes = configuration["speaking-time"].int ?? 3
        guard speakingMinutes >= 1 else { throw StepError("speaking-time: a turn lasts at least 1 minute") }
        let settings = Settings(configuration, schema: Self.manifest.configuration)
        quotas = try (settings["quotas"].list ?? []).enumerated().map { index, item in
            guard let column = item["column"].string, let value = item["value"].string, let seats = item["seats"].int, seats >= 0 else {
                throw StepError("quotas[\(index)]: give column, value and seats (0 or more)")
            }
            return Quota(column: column, value: value, seats: seats)
        }
        layout = settings["layout"].string.flatMap(SeatingChart.Layout.init(rawValue:))
        seatsPerRow = settings["seats-per-row"].int
        chartLimit = settings["chart-limit"].int ?? 2000
        if let seatsPerRow, seatsPerRow < 1 { throw StepError("seats-per-row: a row has at least 1 seat") }
        notifications =
            settings["notify"].bool ?? true
            ? try AttendanceLetters(settings: settings, bodies: SeatTemplates.bodies, subjects: SeatTemplates.subjects) : nil
    }

    /// Draws by lot and seats each track.
    /// - Parameter batch: the delegations to seat, each with the tracks it is on.
    /// - Returns: per track, a `.setStatus(.seated)` or `.setStatus(.waitListed)` and a `.place`
    ///   per delegation on it, and the plan published as `seating-<track>.csv`, `.md`, `.json`
    ///   and `.svg`; on a track where
    ///   a seated delegation asked for speaking time, the speakers' list as `speakers-<track>.csv`
    ///   and a printable `speakers-<track>.html`.
    public func run(_ batch: StepBatch) throws -> [Effect] {
        var seen = Set<String>()
        let sorted = collation.sorted(batch.invitees.map(\.delegation).filter { seen.insert($0.id).inserted })
        // Members first, in the order drawn by lot; observers after them, alphabetically.
        let isObserver = { (entry: NameCollation.Entry) in
            entry.delegation.fields[observerColumn].map { observerValues.contains($0.lowercased()) } ?? false
        }
        let observers = sorted.filter(isObserver)
        // Without observers (the common case), the members are everyone: one array, not three.
        let members = observers.isEmpty ? sorted : sorted.filter { !isObserver($0) }
        let everyone = observers.isEmpty ? sorted : members + observers
        let draw = Draw(seed: seed, among: members)
        var effects: [Effect] = []
        // At most a status and a placement per delegation and track, and the plan's files: made
        // at that size, not grown to it (a plan can seat tens of thousands).
        effects.reserveCapacity(batch.invitees.count * batch.tracks.count * 2 + batch.tracks.count * 8)
        // Per delegation, where it was placed on each of the batch's tracks, by track index.
        var placed: [String: [(index: Int, placement: Placement)]] = [:]
        func place(_ id: String, _ index: Int, _ change: (inout Placement) -> Void) {
            var list = placed[id, default: []]
            if list.last?.index != index { list.append((index, Placement())) }
            change(&list[list.count - 1].placement)
            placed[id] = list
        }
        for (trackIndex, track) in batch.tracks.enumerated() {
            let plan = SeatingPlan(
                track: track, invitees: batch.invitees, alphabetical: everyone, members: members.count, draw: draw,
                precedence: precedence, quotas: quotas)
            for (number, entry) in plan.seats.enumerated() {
                effects.append(.setStatus(delegation: entry.delegation.id, track: track.id, status: .seated))
                place(entry.delegation.id, trackIndex) { $0.seat = number + 1 }
            }
            for (number, entry) in plan.waitList.enumerated() {
                effects.append(.setStatus(delegation: entry.delegation.id, track: track.id, status: .waitListed))
                place(entry.delegation.id, trackIndex) { $0.waitList = number + 1 }
            }
            effects.append(
                .publish(Artifact(name: "seating-\(track.id).csv", mediaType: "text/csv", content: plan.csv)))
            effects.append(
                .publish(
                    Artifact(
                        name: "seating-\(track.id).md", mediaType: "text/markdown",
                        content: plan.markdown(event: batch.event, language: collation.language, chartLimit: chartLimit))))
            effects.append(
                .publish(
                    Artifact(
                        name: "seating-\(track.id).json", mediaType: "application/json",
                        content: plan.json(event: batch.event, language: collation.language))))
            if plan.seats.count <= chartLimit {
                effects.append(
                    .publish(
                        Artifact(
                            name: "seating-\(track.id).svg", mediaType: "image/svg+xml",
                            content: chart(plan, event: batch.event).svg)))
            }
            let speakers = SpeakersList(
                track: track, seated: plan.seats, invitees: batch.invitees, precedence: precedence, minutes: speakingMinutes)
            for slot in speakers.slots {
                place(slot.speaker.delegation.delegation.id, trackIndex) {
                    $0.turn = SpeakingTurn(number: slot.number, start: slot.start, end: slot.end)
                }
            }
            for (offset, speaker) in speakers.notReached.enumerated() {
                place(speaker.delegation.delegation.id, trackIndex) { $0.turn = SpeakingTurn(number: speakers.slots.count + offset + 1) }
            }
            if !speakers.isEmpty {
                effects.append(
                    .publish(
                        Artifact(
                            name: "speakers-\(track.id).csv", mediaType: "text/csv", content: speakers.csv(timeZone: batch.event.timeZone))))
                effects.append(
                    .publish(
                        Artifact(
                            name: "speakers-\(track.id).html", mediaType: "text/html",
                            content: speakers.html(event: batch.event, language: collation.language))))
            }
        }
        // The placements, in alphabetical order: the effects do not depend on the order of the batch.
        for entry in everyone {
            for (index, placement) in placed.removeValue(forKey: entry.delegation.id) ?? [] {
                effects.append(.place(delegation: entry.delegation.id, track: batch.tracks[index].id, placement: placement))
            }
        }
        return effects
    }

    /// Writes to each delegation placed: its seat or place on the wait-list, and its speaking
    /// turn, on each of the batch's tracks; unless `notify: false`.
    /// - Parameter batch: some of the delegations seated, each with its placements.
    /// - Returns: one `.send` per delegation placed on at least one of the tracks.
    public func followUp(_ batch: StepBatch) throws -> [Effect] {
        guard let notifications else { return [] }
        return cache.with(LetterBatchIdentity(batch, deadline: nil)) { store in
            var effects: [Effect] = []
            effects.reserveCapacity(batch.invitees.count)
            for invitee in batch.invitees {
                var places: [(index: Int, placement: Placement?)] = []
                for (index, track) in batch.tracks.enumerated() {
                    if let placement = invitee.states[track.id]?.placement { places.append((index, placement)) }
                }
                // The length of a turn, for a delegation on a speakers' list.
                let speaks = places.contains { $0.placement?.turn != nil }
                let values: [String: any Sendable] = speaks ? ["minutes": speakingMinutes] : [:]
                if let message = notifications.message(to: invitee, places: places, batch: batch, store: &store, values: values) {
                    effects.append(.send(message))
                }
            }
            return effects
        }
    }
}

extension SeatStep {
    /// The layout for a number of seats: the configured one, or a round table up to 40 seats, a U
    /// up to 100, rows beyond.
    func layout(seats: Int) -> SeatingChart.Layout {
        if let layout { return layout }
        return seats <= 40 ? .roundTable : seats <= 100 ? .uShape : .theatre
    }

    /// The SVG chart of a track's plan: the track's name, the event, the days and hours, and the
    /// seats in the plan's order, named in the plan's language.
    func chart(_ plan: SeatingPlan, event: EventInfo) -> SeatingChart {
        let language = collation.language
        let dates = DateText(language: language, timeZone: event.timeZone)
        let track = plan.track
        let subtitle = "\(event.name(in: language)) (\(event.reference)), \(dates.days(from: track.start, to: track.end)), "
            + "\(dates.time(track.start))–\(dates.time(track.end))"
        let places = plan.seats.enumerated().map { SeatingChart.Place(number: $0.offset + 1, id: $0.element.delegation.id, name: $0.element.name) }
        return SeatingChart(
            title: track.name(in: language), subtitle: subtitle, places: places, layout: layout(seats: places.count),
            seatsPerRow: seatsPerRow, language: language)
    }
}

/// The draw by lot: which delegation, in the alphabetical list of all, the seating starts from.
struct Draw {
    /// The seed it was made with.
    let seed: Int
    /// How many delegations it was made among.
    let count: Int
    /// The position drawn in the alphabetical list, if there was anyone to draw.
    let position: Int?
    /// The delegation drawn.
    let drawn: NameCollation.Entry?

    init(seed: Int, among alphabetical: [NameCollation.Entry]) {
        self.seed = seed
        count = alphabetical.count
        if alphabetical.isEmpty {
            position = nil
            drawn = nil
        } else {
            var generator = SplitMix64(seed: UInt64(bitPattern: Int64(seed)))
            let position = generator.index(below: alphabetical.count)
            self.position = position
            drawn = alphabetical[position]
        }
    }
}
