import CFuzzDriver
import Foundation
import Modeling

/// A safetensors file (header length, JSON header, data) loaded from memory: must load or throw,
/// and every tensor it returns must lie inside the data section.
@_cdecl("fuzz_safetensors_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzSafetensors(data.map(UnsafeRawPointer.init), size) }
}

func fuzzSafetensors(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let file = try? MappedFile(anonymousSize: count, name: "fuzz.safetensors", fill: { target in
        if let start { target.copyMemory(from: start, byteCount: count) }
    }) else { return 0 }
    guard let loaded = try? SafetensorsFile(file: file), let base = file.bytes else { return 0 }
    for tensor in loaded.tensors.values {
        let offset = base.distance(to: tensor.bytes)
        precondition(offset >= 8 + loaded.headerLength && offset + tensor.byteCount <= file.size, "tensor outside the file")
    }
    return 0
}
