public import ConveneKit

extension Sequence where Element == Effect {
    /// The messages among the effects, in order.
    public var messages: [OutgoingMessage] {
        compactMap { if case .send(let message) = $0 { message } else { nil } }
    }

    /// The status changes among the effects, in order, as `DELEGATION/TRACK=STATUS`
    /// (`FRA/mrt=invited`), which reads well in an expectation.
    public var statusChanges: [String] {
        compactMap {
            if case .setStatus(let delegation, let track, let status) = $0 { "\(delegation)/\(track)=\(status.rawValue)" } else { nil }
        }
    }

    /// The placements among the effects, by `DELEGATION/TRACK`.
    public var placements: [String: Placement] {
        var result: [String: Placement] = [:]
        for case .place(let delegation, let track, let placement) in self { result["\(delegation)/\(track)"] = placement }
        return result
    }

    /// The documents among the effects, by name.
    public var artifacts: [String: Artifact] {
        var result: [String: Artifact] = [:]
        for case .publish(let artifact) in self { result[artifact.name] = artifact }
        return result
    }
}
