import Recording

/// A parameter edit as a trajectory records it: applied before step `atStep + 1` ran (the
/// `param-change` event sits at the start of that step's record).
public struct RecordedEdit: Sendable, Equatable {
    public var atStep: Int
    public var key: String
    public var value: String

    public init(atStep: Int, key: String, value: String) {
        self.atStep = atStep
        self.key = key
        self.value = value
    }

    /// Every edit recorded in `steps`, in order.
    public static func all(in steps: [StepRecord]) -> [RecordedEdit] {
        steps.flatMap { step in
            step.events.compactMap { event in
                guard case .parameterChange(let change) = event else { return nil }
                return RecordedEdit(atStep: step.step - 1, key: change.key, value: change.newValue)
            }
        }
    }
}

extension SessionController {
    /// Re-simulates a recorded decode from its start on this (fresh, paused) session: the edits
    /// recorded through step `count`, each before its step, and `count` steps, then stays paused.
    /// With the parent's decoder configuration, prompt and seed this reproduces the parent's
    /// steps 0...count exactly, which is how a branch shares them.
    public func resimulate(edits: [RecordedEdit], through count: Int) {
        var commands: [(key: String, value: String)?] = []  // nil = one step
        for step in 0..<count {
            for edit in edits where edit.atStep == step { commands.append((edit.key, edit.value)) }
            commands.append(nil)
        }
        enqueue(commands)
    }
}
