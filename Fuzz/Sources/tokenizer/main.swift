import CFuzzDriver
import Foundation
import Tokenization

/// tokenizer.json: must load or throw; a loaded tokenizer must encode and decode a fixed text.
@_cdecl("fuzz_tokenizer_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzTokenizer(data.map(UnsafeRawPointer.init), size) }
}

func fuzzTokenizer(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    guard let tokenizer = try? Tokenizer.load(data: data, name: "tokenizer.json") else { return 0 }
    let ids = tokenizer.encode("Hello world, 12 + 30 = 42.\n<|mask|> ünïcödé")
    _ = tokenizer.decode(ids)
    return 0
}
