/// One metadata value of a GGUF file. Integers of every width read into `.unsigned`/`.signed`,
/// floats into `.float`; `typeName` keeps the file's own type for messages and `model-info`.
public indirect enum GGUFValue: Equatable, Sendable {
    case unsigned(UInt64, typeName: String)
    case signed(Int64, typeName: String)
    case float(Double, typeName: String)
    case bool(Bool)
    case string(String)
    case array([GGUFValue], elementType: String)

    public var typeName: String {
        switch self {
        case .unsigned(_, let name), .signed(_, let name), .float(_, let name): name
        case .bool: "bool"
        case .string: "string"
        case .array(_, let element): "array of \(element)"
        }
    }

    /// The value as an integer, when it is one that fits.
    public var integer: Int? {
        switch self {
        case .unsigned(let v, _): v <= UInt64(Int.max) ? Int(v) : nil
        case .signed(let v, _): Int(exactly: v)
        default: nil
        }
    }

    public var number: Double? {
        switch self {
        case .float(let v, _): v
        case .unsigned(let v, _): Double(v)
        case .signed(let v, _): Double(v)
        default: nil
        }
    }

    public var string: String? { if case .string(let s) = self { s } else { nil } }

    public var array: [GGUFValue]? { if case .array(let values, _) = self { values } else { nil } }

    /// A short rendering for listings: arrays show their length and first elements.
    public var summary: String {
        switch self {
        case .unsigned(let v, _): "\(v)"
        case .signed(let v, _): "\(v)"
        case .float(let v, _): "\(v)"
        case .bool(let v): "\(v)"
        case .string(let s): s.count > 60 ? "\"\(s.prefix(57))…\"" : "\"\(s)\""
        case .array(let values, let element):
            "[\(values.count) × \(element)]" + (values.isEmpty ? "" : " " + values.prefix(3).map(\.summary).joined(separator: ", ")
                                                 + (values.count > 3 ? ", …" : ""))
        }
    }
}
