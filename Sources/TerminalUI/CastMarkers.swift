import Recording

/// The asciicast markers (`m` events) of one step: the moments a viewer wants to jump to. Block
/// opens and completions, cache builds and refreshes, remasks and parameter edits, in event order;
/// and, for a branch (`branch` from its header), the step it forked at. `lane` prefixes the label in
/// compare recordings.
public func castMarkers(_ step: StepRecord, lane: Int? = nil, branch: BranchOrigin? = nil) -> [String] {
    let prefix = "step \(step.step)" + (lane.map { " · lane \($0 + 1)" } ?? "") + ": "
    var labels: [String] = []
    if let branch, branch.step + 1 == step.step {
        labels.append("branches from " + (branch.parentFile.map { "\($0) " } ?? "its parent ") + "after step \(branch.step)")
    }
    for event in step.events {
        switch event {
        case .block(let change) where change.kind == .open || change.kind == .advance:
            labels.append("block \(change.block) opens [\(change.span.lower), \(change.span.upper))")
        case .block(let change) where change.kind == .complete:
            labels.append("block \(change.block) complete")
        case .cache(let change) where change.kind == .build:
            labels.append("cache build [\(change.range.lower), \(change.range.upper))")
        case .cache(let change) where change.kind == .refresh:
            labels.append("cache refresh [\(change.range.lower), \(change.range.upper))" + (change.reason.map { " (\($0))" } ?? ""))
        case .remask(let remasks) where !remasks.isEmpty:
            labels.append("\(remasks.count) remasked")
        case .parameterChange(let change):
            labels.append("\(change.key) \(change.oldValue) → \(change.newValue)")
        default:
            break
        }
    }
    return labels.map { prefix + $0 }
}
