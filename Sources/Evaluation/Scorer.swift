import Foundation

/// How a decoded answer is compared with the expected one.
public enum Scorer: String, Codable, Sendable, CaseIterable {
    /// The answer text, trimmed, must equal the expected text.
    case exact
    /// The number after "The answer is" (else the last number in the text) must equal the expected number.
    case answerIs = "answer-is"
    /// The last number in the text must equal the expected number.
    case lastNumber = "last-number"

    public func isCorrect(answer: String, expected: String) -> Bool {
        switch self {
        case .exact:
            return answer.trimmingCharacters(in: .whitespacesAndNewlines) == expected.trimmingCharacters(in: .whitespacesAndNewlines)
        case .answerIs:
            guard let got = NumberExtraction.statedAnswer(in: answer) ?? NumberExtraction.numbers(in: answer).last else { return false }
            return NumberExtraction.sameNumber(got, expected)
        case .lastNumber:
            guard let got = NumberExtraction.numbers(in: answer).last else { return false }
            return NumberExtraction.sameNumber(got, expected)
        }
    }
}

/// Numbers in free text: optional sign, digits with optional thousands commas, optional decimals.
enum NumberExtraction {
    static func numbers(in text: String) -> [String] {
        var found: [String] = []
        var current = ""
        let characters = Array(text)
        for (i, c) in characters.enumerated() {
            let next = i + 1 < characters.count ? characters[i + 1] : " "
            if c.isASCII && c.isNumber {
                current.append(c)
            } else if (c == "," || c == ".") && !current.isEmpty && next.isASCII && next.isNumber {
                current.append(c)
            } else if c == "-" && current.isEmpty && next.isASCII && next.isNumber {
                current.append(c)
            } else if !current.isEmpty {
                found.append(current)
                current = ""
            }
        }
        if !current.isEmpty { found.append(current) }
        return found.map { $0.replacingOccurrences(of: ",", with: "") }
    }

    /// The number in "The answer is N" (case-insensitive), the last such statement if several.
    static func statedAnswer(in text: String) -> String? {
        guard let range = text.range(of: "the answer is", options: [.caseInsensitive, .backwards]) else { return nil }
        return numbers(in: String(text[range.upperBound...])).first
    }

    static func sameNumber(_ a: String, _ b: String) -> Bool {
        let clean = { (s: String) in s.replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces) }
        if let x = Double(clean(a)), let y = Double(clean(b)) { return x == y }
        return clean(a) == clean(b)
    }
}
