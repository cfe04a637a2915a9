internal import ConveneKit
internal import Foundation

/// Plausible replies to a workflow's invitations, made up from a seed: to try a workflow out, or
/// to simulate its campaign (`convene replies sample`, `convene simulate`).
///
/// Most delegations reply before the deadline, some after it, some never; most confirm, some
/// decline, some send a substitute (at a lower rank); some ask for speaking time on the first
/// track invited to, some bring accompanying persons where a track allows them, some register
/// for public tracks too, and a few change their mind with a second reply. The same workflow and
/// seed give the same replies.
public enum ReplySample {
    /// The replies, in order of receipt, as rows of a registration export.
    /// - Parameters:
    ///   - workflow: the workflow whose invitations are answered.
    ///   - seed: fixes every choice.
    public static func replies(for workflow: Workflow, seed: UInt64) -> [ReplyImport.Row] {
        let invitations = workflow.steps.filter { $0.plugin.id == "invite" }
        let invited = workflow.tracks.filter { track in invitations.contains { $0.tracks.contains(track.id) } }
        let open = workflow.tracks.filter { $0.access == .public && !invited.contains($0) }
        let planner = Planner(workflow: workflow)
        let letter = planner.timeline().first { $0.step.plugin.id == "invite" }?.occurrence.dueAt
            ?? workflow.tracks.map(\.start).min() ?? Date(timeIntervalSince1970: 0)
        let deadline = workflow.event.dates["deadlines.reply"] ?? letter.addingTimeInterval(28 * 86_400)
        var random = SplitMix64(seed: seed)
        var rows: [ReplyImport.Row] = []
        // Times are whole minutes, as a registration system exports them.
        func minute(_ date: Date) -> Date { Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60) }
        func reply(_ delegation: Delegation, _ track: TrackInfo, _ answer: ReplyAnswer, at time: Date, speaking: Bool = false) {
            var reply = Reply(
                sequence: 0, track: track.id, answer: answer, speakingRequested: speaking, receivedAt: minute(time),
                source: "csv-import")
            if answer == .substitute {
                let rank = random.chance(0.5) ? "vice-minister" : "head-of-delegation"
                reply.substitute = Principal(
                    name: "Deputy of \(delegation.name(in: "en")) (placeholder)",
                    title: rank == "vice-minister" ? "Vice-Minister" : "Ambassador, Permanent Representative", gender: .unspecified,
                    rank: rank)
            }
            if answer != .decline, let allowed = track.accompanying, allowed > 0 { reply.accompanying = random.below(allowed + 1) }
            rows.append(ReplyImport.Row(delegation: delegation.id, reply: reply, document: "sample seed \(seed)"))
        }
        let window = max(3_600, deadline.timeIntervalSince(letter) - 86_400)
        for delegation in workflow.delegations {
            guard !invited.isEmpty, !random.chance(0.18) else { continue }
            // One in eight replies late, up to six days after the deadline.
            let time =
                random.chance(0.12)
                ? deadline.addingTimeInterval(3_600 + Double(random.below(6 * 24)) * 3_600)
                : letter.addingTimeInterval(86_400 + Double(random.below(Int(window / 60))) * 60)
            let roll = random.unit()
            let answer: ReplyAnswer = roll < 0.62 ? .confirm : roll < 0.82 ? .decline : .substitute
            let speaking = answer != .decline && random.chance(0.45)
            for (index, track) in invited.enumerated() {
                // Some who attend decline one of the other tracks.
                let own = index > 0 && answer != .decline && random.chance(0.2) ? ReplyAnswer.decline : answer
                reply(delegation, track, own, at: time, speaking: speaking && index == 0 && own != .decline)
            }
            if answer != .decline {
                for track in open where random.chance(0.3) { reply(delegation, track, .confirm, at: time) }
            }
            // A few change their mind before the deadline.
            if time < deadline, random.chance(0.05), let first = invited.first {
                let later = time.addingTimeInterval(3_600 * Double(1 + random.below(72)))
                reply(delegation, first, answer == .decline ? .confirm : .decline, at: min(later, deadline.addingTimeInterval(-60)))
            }
        }
        return rows.enumerated().sorted { ($0.element.reply.receivedAt, $0.offset) < ($1.element.reply.receivedAt, $1.offset) }.map(\.element)
    }

    /// Replies as a registration export that `convene replies import` and `convene simulate`
    /// read: times local to the event's zone.
    public static func csv(_ rows: [ReplyImport.Row], workflow: Workflow) -> String {
        let local = LocalTime(timeZone: workflow.event.timeZone)
        var out = "delegation,track,answer,received,speaking,accompanying,substitute_name,substitute_title,substitute_rank,document\n"
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        for row in rows {
            let r = row.reply
            let fields = [
                row.delegation, r.track, r.answer.rawValue, local.string(from: r.receivedAt).replacingOccurrences(of: " ", with: "T"),
                r.speakingRequested ? "yes" : "no", r.accompanying > 0 ? String(r.accompanying) : "", r.substitute?.name ?? "",
                r.substitute?.title ?? "", r.substitute?.rank ?? "", row.document,
            ]
            out += fields.map(field).joined(separator: ",") + "\n"
        }
        return out
    }
}

extension SplitMix64 {
    /// A number in 0..<1.
    fileprivate mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    fileprivate mutating func chance(_ p: Double) -> Bool { unit() < p }
    fileprivate mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : index(below: n) }
}
