import ArgumentParser
import Decoding

/// `dllm-play decoders`: every decoder with its parameters, valid values, defaults and sources.
struct Decoders: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every decoder with its parameters, defaults and their sources.")

    func run() throws {
        for entry in DecoderRegistry.entries {
            print("\(entry.id) — \(entry.summary)")
            let width = entry.parameters.map(\.key.count).max() ?? 0
            for p in entry.parameters {
                let key = p.key.padding(toLength: width, withPad: " ", startingAt: 0)
                print("  \(key)  = \(p.defaultValue)  (\(p.valid); live edits: \(p.timing.rawValue))")
                print("  \(String(repeating: " ", count: width))    \(p.summary) [\(p.source)]")
            }
            print()
        }
        print("Set any of them with: dllm-play run --decoder ID --set key=value")
        print("Unset block_length and steps are fitted to --gen-length (a block divides the canvas; one token per step).")
    }
}
