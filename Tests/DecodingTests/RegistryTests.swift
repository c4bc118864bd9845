import Decoding
import Recording
import Testing

@Suite struct RegistryTests {
    @Test("every decoder is registered once, with documented parameters")
    func entries() throws {
        #expect(DecoderRegistry.ids == ["llada", "fast-dllm", "d3llm", "wino", "r2", "dream", "dparallel", "prophet"])
        for entry in DecoderRegistry.entries {
            #expect(!entry.summary.isEmpty)
            #expect(Set(entry.parameters.map(\.key)).count == entry.parameters.count)
            for p in entry.parameters {
                #expect(!p.summary.isEmpty && !p.source.isEmpty && p.value == p.defaultValue, "\(entry.id).\(p.key)")
                try entry.check(p.key, p.defaultValue)  // every default reads back as valid
            }
        }
    }

    @Test("bad decoders, keys and values get one line naming the valid choices")
    func errors() {
        #expect(throws: DecoderError.self) { try DecoderRegistry.make("nope") }
        #expect((try? DecoderRegistry.make("llada", settings: ["remasking=best"])) == nil)
        do {
            _ = try DecoderRegistry.make("fast-dllm", settings: ["cache=triple"])
            Issue.record("accepted cache=triple")
        } catch {
            #expect(error.description == "invalid value 'triple' for cache; expected one of: none, prefix, dual")
        }
        do {
            _ = try DecoderRegistry.make("wino", settings: ["threshold 0.5"])
            Issue.record("accepted a setting without =")
        } catch {
            #expect(error == .malformedSetting("threshold 0.5"))
        }
        #expect(throws: DecoderError.invalidValue(key: "threshold", value: "-1", valid: "number in 0...1")) {
            try DecoderRegistry.make("fast-dllm", settings: ["threshold=-1"])
        }
    }

    @Test("set returns the change, or nil when the value is the same")
    func setReportsChanges() throws {
        let decoder = try DecoderRegistry.make("r2")
        #expect(try decoder.set(key: "temporal_eval", value: "max") == ParameterChange(key: "temporal_eval", oldValue: "last", newValue: "max"))
        #expect(try decoder.set(key: "temporal_eval", value: "max") == nil)
        #expect(decoder.configuration["temporal_eval"] == "max")
    }
}
