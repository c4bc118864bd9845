import Recording

/// Parameter editing in the playground: `[` / `]` move the selected parameter as its descriptor
/// says, and the effect says when the change reaches the decode.
extension Playground {
    func parameterList() -> [ParameterRow] {
        guard state.lanes.indices.contains(state.editLane) else { return [] }
        let lane = state.lanes[state.editLane]
        // Edits apply to the decode as it is now, whatever step is on screen.
        return state.parameterRows(of: lane, canvas: lane.replay.latest, isFirst: true)
    }

    func phrase(_ timing: ParameterTiming) -> String {
        switch timing {
        case .nextStep: "at the next step"
        case .nextBlock: "when the next block opens"
        case .restart: "on restart (the decode restarts with it)"
        }
    }

    /// Moves the selected parameter one notch as its descriptor says (±step, ×2/÷2 over the
    /// canvas's divisors, the next choice, a flip), from a pending edit if one is on its way.
    /// A restart-timed parameter, or any edit once the decode has ended, restarts it on the same
    /// seed; a value with nowhere to go is refused here with the reason.
    mutating func nudgeParameter(up: Bool) -> [PlaygroundEffect] {
        let list = parameterList()
        guard state.selectedParameter < list.count else { return [] }
        let row = list[state.selectedParameter]
        guard let descriptor = state.parameterDescriptors.first(where: { $0.key == row.key }) else {
            state.message = "\(row.key) cannot be edited here"
            return []
        }
        let from = row.pending ?? row.value
        let next: String
        switch descriptor.nudged(up: up, from: from) {
        case .failure(let refusal):
            state.message = refusal.description
            return []
        case .success(let value):
            next = value
        }
        guard state.lanes.indices.contains(state.editLane) else { return [] }
        let lane = state.lanes[state.editLane], target = state.editLane
        state.pendingEdits[row.key] = next
        if lane.replay.isFinished || (descriptor.timing == .restart && lane.replay.count > 0) {
            let why = lane.replay.isFinished ? "the decode has ended" : "it is fixed when a decode starts"
            state.message = "\(row.key) \(from) → \(next): restarting with it on the same seed (\(why))"
            return [.control(.setParameterAndRestart(key: row.key, value: next), lane: target)]
        }
        state.message = "\(row.key) \(from) → \(next) " + (lane.replay.count == 0 ? "from the start" : phrase(descriptor.timing))
        return [.control(.setParameter(key: row.key, value: next), lane: target)]
    }
}
