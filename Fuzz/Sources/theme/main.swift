import CFuzzDriver
import Foundation
import TerminalUI

/// A theme file: parses with warnings, never fails.
@_cdecl("fuzz_theme_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzTheme(data.map(UnsafeRawPointer.init), size) }
}

func fuzzTheme(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    _ = ThemeFile.parse(String(decoding: data, as: UTF8.self), name: "fuzz", source: "fuzz.theme")
    return 0
}
