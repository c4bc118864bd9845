import Evaluation
import Foundation
import Testing

/// The bench's JSON layout: pretty, with arrays of numbers on one line, and lossless.
@Suite struct JSONLayoutTests {
    @Test("arrays of numbers and nulls join onto one line; strings, objects and nested arrays stay; the values do not change")
    func joinsScalarArrays() throws {
        let text = """
        {
          "a" : [
            1,
            null,
            -2.5e-3
          ],
          "b" : [
            "x, y",
            "z"
          ],
          "c" : [
            {
              "d" : [
                true,
                false
              ]
            }
          ],
          "e" : [

          ]
        }
        """
        let joined = JSONLayout.joinScalarArrays(text)
        #expect(joined.contains(#""a" : [1, null, -2.5e-3],"#) && joined.contains(#""d" : [true, false]"#))
        #expect(joined.contains("    \"x, y\",\n"), "an array of strings keeps one element per line")
        let before = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        let after = try JSONSerialization.jsonObject(with: Data(joined.utf8)) as? NSDictionary
        #expect(before != nil && before == after)
    }

    @Test("a report round-trips through the bench's JSON, decode orders one line each")
    func reportRoundTrip() throws {
        let order = DecodeOrder(steps: 3, useful: 2, positions: [1, nil, 3])
        let outcome = DecodeOutcome(answer: "7", nfe: 3, usefulTokens: 2, seconds: 0.25, arness: 0.5, emergence: 1 / 3,
                                    remasked: 1, remaskedChanged: 0, decodeOrder: order)
        let setting = BenchSetting(decoder: "x")
        let results = [ItemResult(setting: setting.label, itemID: "i", correct: true, outcome: outcome)]
        let report = BenchReport(suite: "s", model: "m", seed: 1, itemsPerSetting: 1, complete: true,
                                 summaries: [SettingSummary(setting: setting, results: results)], results: results, machine: "t")
        let data = try report.json()
        #expect(String(decoding: data, as: UTF8.self).contains(#""positions" : [1, null, 3]"#))
        let decoded = try JSONDecoder().decode(BenchReport.self, from: data)
        #expect(decoded.results == report.results && decoded.summaries == report.summaries && decoded.aup == report.aup)
    }
}
