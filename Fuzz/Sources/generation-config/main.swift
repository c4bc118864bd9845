import CFuzzDriver
import Foundation
import Modeling

/// generation_config.json: an end-of-text id or nothing, or a thrown error.
@_cdecl("fuzz_generation_config_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzGenerationConfig(data.map(UnsafeRawPointer.init), size) }
}

func fuzzGenerationConfig(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    _ = try? SpecialTokens.generationEOS(data: data, path: "generation_config.json")
    return 0
}
