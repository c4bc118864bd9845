import CFuzzDriver
import Foundation
import Modeling

@_cdecl("fuzz_gguf_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzGGUF(data.map(UnsafeRawPointer.init), size) }
}

/// A GGUF file loaded from memory: must load or throw; every tensor it accepts must dequantize
/// (its blocks lie inside the file).
func fuzzGGUF(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let file = try? MappedFile(anonymousSize: count, name: "fuzz.gguf", fill: { target in
        if let start { target.copyMemory(from: start, byteCount: count) }
    }) else { return 0 }
    guard let gguf = try? GGUFFile(file: file) else { return 0 }
    for tensor in gguf.tensors where tensor.elementCount <= 1 << 16 {
        _ = tensor.floats()
    }
    return 0
}
