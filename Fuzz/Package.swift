// swift-tools-version: 6.0
// libFuzzer targets for every parser of untrusted input, one executable each. Built and run by
// `make fuzz` (see README § Fuzzing): every module is compiled with
// `-sanitize=fuzzer,address -parse-as-library`. SwiftPM gives each executable its own entry point
// (<module>_main), so each target defines that and hands its callback to libFuzzer's driver.
import PackageDescription

let targets = ["safetensors", "gguf", "config", "generation-config", "tokenizer", "trajectory", "theme"]

let parsers: [Target.Dependency] = ["CFuzzDriver", .product(name: "DllmPlayParsers", package: "dllm-play")]

let package = Package(
    name: "dllm-play-fuzz",
    platforms: [.macOS(.v14)],
    products: targets.map { .executable(name: "fuzz-\($0)", targets: ["fuzz-\($0)"]) },
    dependencies: [.package(name: "dllm-play", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .executableTarget(name: "fuzz-safetensors", dependencies: parsers,
                          path: "Sources/safetensors"),
        .executableTarget(name: "fuzz-gguf", dependencies: parsers, path: "Sources/gguf"),
        .executableTarget(name: "fuzz-config", dependencies: parsers,
                          path: "Sources/config"),
        .executableTarget(name: "fuzz-generation-config", dependencies: parsers,
                          path: "Sources/generation-config"),
        .executableTarget(name: "fuzz-tokenizer", dependencies: parsers,
                          path: "Sources/tokenizer"),
        .executableTarget(name: "fuzz-trajectory", dependencies: parsers,
                          path: "Sources/trajectory"),
        .executableTarget(name: "fuzz-theme", dependencies: parsers,
                          path: "Sources/theme"),
    ]
)
