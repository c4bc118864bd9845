/// JSON form of an event: an object with a "kind" discriminator and the payload under "data",
/// e.g. {"kind":"commit","data":[{"position":40,"token":17,...}]}.
extension Event: Codable {
    private enum Key: String, CodingKey { case kind, data }

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case forward, predict, commit, draft, verify, remask
        case forceFill = "force-fill", block, cache
        case parameterChange = "param-change", gauge
    }

    public var kind: Kind {
        switch self {
        case .forward: .forward
        case .predict: .predict
        case .commit: .commit
        case .draft: .draft
        case .verify: .verify
        case .remask: .remask
        case .forceFill: .forceFill
        case .block: .block
        case .cache: .cache
        case .parameterChange: .parameterChange
        case .gauge: .gauge
        }
    }

    public init(from decoder: any Swift.Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .forward: self = .forward(try c.decode(Forward.self, forKey: .data))
        case .predict: self = .predict(try c.decode([Prediction].self, forKey: .data))
        case .commit: self = .commit(try c.decode([Commit].self, forKey: .data))
        case .draft: self = .draft(try c.decode([Commit].self, forKey: .data))
        case .verify: self = .verify(try c.decode([Verification].self, forKey: .data))
        case .remask: self = .remask(try c.decode([Remask].self, forKey: .data))
        case .forceFill: self = .forceFill(try c.decode([Commit].self, forKey: .data))
        case .block: self = .block(try c.decode(BlockChange.self, forKey: .data))
        case .cache: self = .cache(try c.decode(CacheChange.self, forKey: .data))
        case .parameterChange: self = .parameterChange(try c.decode(ParameterChange.self, forKey: .data))
        case .gauge: self = .gauge(try c.decode(Gauge.self, forKey: .data))
        }
    }

    public func encode(to encoder: any Swift.Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(kind, forKey: .kind)
        switch self {
        case .forward(let v): try c.encode(v, forKey: .data)
        case .predict(let v): try c.encode(v, forKey: .data)
        case .commit(let v), .draft(let v), .forceFill(let v): try c.encode(v, forKey: .data)
        case .verify(let v): try c.encode(v, forKey: .data)
        case .remask(let v): try c.encode(v, forKey: .data)
        case .block(let v): try c.encode(v, forKey: .data)
        case .cache(let v): try c.encode(v, forKey: .data)
        case .parameterChange(let v): try c.encode(v, forKey: .data)
        case .gauge(let v): try c.encode(v, forKey: .data)
        }
    }
}
