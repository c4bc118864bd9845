import CFuzzDriver
import Foundation
import Modeling

/// config.json: must parse to a validated configuration or throw.
@_cdecl("fuzz_config_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzConfig(data.map(UnsafeRawPointer.init), size) }
}

func fuzzConfig(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    _ = try? ModelConfig.parse(data)
    return 0
}
