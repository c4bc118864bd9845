/// Checks a parsed record's numbers against its header before anything downstream (the canvas,
/// the stats, the formatters) sees them: a trajectory is untrusted input. Every check names the
/// field and what was expected; the parser turns a failure into its stop note.
struct TrajectoryValidation {
    let header: TrajectoryHeader
    /// The last step number accepted; steps must increase.
    private(set) var lastStep = 0

    init(header: TrajectoryHeader) { self.header = header }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The header on its own (ids and lengths the parser cannot check with Codable alone).
    static func check(_ header: TrajectoryHeader) throws(Failure) {
        if let size = header.vocabularySize, size <= 0 {
            throw Failure("vocabularySize must be positive (found \(size))")
        }
        guard header.maskTokenID >= 0 else { throw Failure("maskTokenID must be ≥ 0 (found \(header.maskTokenID))") }
        let validation = TrajectoryValidation(header: header)
        try validation.token(header.maskTokenID, "maskTokenID")
        for (index, id) in header.promptTokens.enumerated() { try validation.token(id, "promptTokens[\(index)]") }
        for (index, id) in header.stopTokenIDs.enumerated() { try validation.token(id, "stopTokenIDs[\(index)]") }
    }

    mutating func check(_ step: StepRecord) throws(Failure) {
        guard step.step > lastStep else {
            throw Failure("step number \(step.step) does not follow step \(lastStep) (steps must increase)")
        }
        try nonNegative(step.milliseconds, "milliseconds")
        for (index, event) in step.events.enumerated() {
            try check(event, at: "events[\(index)] (\(event.kind.rawValue))")
        }
        lastStep = step.step
    }

    func check(_ end: EndRecord) throws(Failure) {
        for (value, name) in [(end.steps, "steps"), (end.nfe, "nfe"), (end.usefulTokens, "usefulTokens")] where value < 0 {
            throw Failure("end record: \(name) must be ≥ 0 (found \(value))")
        }
        try nonNegative(end.tokensPerForward, "end record: tokensPerForward")
        try nonNegative(end.seconds, "end record: seconds")
    }

    private func check(_ event: Event, at place: String) throws(Failure) {
        switch event {
        case .forward(let forward):
            try span(forward.window, "\(place).window")
            try nonNegative(forward.milliseconds, "\(place).milliseconds")
        case .predict(let predictions):
            for (i, p) in predictions.enumerated() {
                let at = "\(place)[\(i)]"
                try position(p.position, at)
                guard p.tokens.count == p.probabilities.count else {
                    throw Failure("\(at): \(p.tokens.count) tokens but \(p.probabilities.count) probabilities")
                }
                for id in p.tokens { try token(id, "\(at).tokens") }
                for value in p.probabilities { try probability(value, "\(at).probabilities") }
                try nonNegative(p.entropy, "\(at).entropy")
            }
        case .commit(let commits), .draft(let commits), .forceFill(let commits):
            for (i, c) in commits.enumerated() {
                let at = "\(place)[\(i)]"
                try position(c.position, at)
                try token(c.token, "\(at).token")
                try probability(c.confidence, "\(at).confidence")
                if let entropy = c.entropy { try nonNegative(entropy, "\(at).entropy") }
            }
        case .verify(let verifications):
            for (i, v) in verifications.enumerated() {
                try position(v.position, "\(place)[\(i)]")
                try finite(v.score, "\(place)[\(i)].score")
            }
        case .remask(let remasks):
            for (i, r) in remasks.enumerated() {
                try position(r.position, "\(place)[\(i)]")
                try token(r.oldToken, "\(place)[\(i)].oldToken")
                try finite(r.score, "\(place)[\(i)].score")
            }
        case .block(let change):
            guard change.block >= 0 else { throw Failure("\(place): block index must be ≥ 0 (found \(change.block))") }
            try span(change.span, "\(place).span")
        case .cache(let change):
            try span(change.range, "\(place).range")
        case .parameterChange:
            break
        case .gauge(let gauge):
            try finite(gauge.value, "\(place).value")
            if let threshold = gauge.threshold { try finite(threshold, "\(place).threshold") }
            for p in gauge.positions ?? [] { try position(p, "\(place).positions") }
        }
    }

    private func position(_ p: Int, _ place: String) throws(Failure) {
        guard (0..<header.canvasLength).contains(p) else {
            throw Failure("\(place): position \(p) is outside the canvas 0..<\(header.canvasLength)")
        }
    }

    private func span(_ range: PositionRange, _ place: String) throws(Failure) {
        guard range.lower >= 0, range.upper <= header.canvasLength else {
            throw Failure("\(place): [\(range.lower), \(range.upper)) is outside the canvas 0..<\(header.canvasLength)")
        }
    }

    private func token(_ id: Int, _ place: String) throws(Failure) {
        guard id >= 0 else { throw Failure("\(place): token id \(id) is negative") }
        if let size = header.vocabularySize, id >= size {
            throw Failure("\(place): token id \(id) is outside the vocabulary 0..<\(size)")
        }
    }

    private func finite(_ value: Double, _ place: String) throws(Failure) {
        guard value.isFinite else { throw Failure("\(place): expected a finite number, found \(value)") }
    }

    private func nonNegative(_ value: Double, _ place: String) throws(Failure) {
        guard value.isFinite, value >= 0 else { throw Failure("\(place): expected a finite number ≥ 0, found \(value)") }
    }

    private func probability(_ value: Double, _ place: String) throws(Failure) {
        guard value.isFinite, (0...1).contains(value) else {
            throw Failure("\(place): expected a probability in [0, 1], found \(value)")
        }
    }
}
