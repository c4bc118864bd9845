// swift-tools-version: 6.0
// dllm-play: a terminal playground for watching diffusion language models decode.
// Module map and dependency rule: README.md § Layout. Nothing imports upward.
import PackageDescription

/// Release builds of the hot modules drop bounds checks in the inner loops.
let hotPathFlags: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "dllm-play",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dllm-play", targets: ["DllmPlayCLI"]),
        // The parsers of untrusted input, for the fuzz targets in Fuzz/ (a separate package).
        .library(name: "DllmPlayParsers", targets: ["Modeling", "Tokenization", "Recording", "TerminalUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries, found through pkg-config.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", pkgConfig: "ncursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        // oneDNN ships no pkg-config file; its header and library are in the default paths.
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL", providers: [.apt(["libdnnl-dev"])]),
        // bf16 GEMM glue over oneDNN and the Q8_0 (block-scaled int8) kernel.
        .target(name: "CLowPrecision", dependencies: ["CDNNL"], cSettings: [.unsafeFlags(["-O2"])]),
        // The engine's one worker pool (spin, then sleep on a futex).
        .target(name: "CParallel", cSettings: [.unsafeFlags(["-O2"])]),
        // exp, softmax and SwiGLU at the CPU's vector width, bit-identical to Kernels' Swift
        // definitions (no contraction into fused multiply-adds).
        .target(name: "CVectorMath", cSettings: [.unsafeFlags(["-O2", "-ffp-contract=off"])]),

        // Engine.
        .target(name: "Kernels", dependencies: ["CBLAS", "CDNNL", "CLowPrecision", "CParallel", "CVectorMath"], swiftSettings: hotPathFlags),
        .target(name: "Tokenization"),
        .target(name: "Modeling", dependencies: ["Kernels", "Tokenization"], swiftSettings: hotPathFlags),

        // Decoding and its record.
        .target(name: "Recording"),
        .target(name: "Decoding", dependencies: ["Recording", "Modeling", "Kernels"], swiftSettings: hotPathFlags),
        .target(name: "Evaluation", dependencies: ["Decoding", "Recording", "Modeling", "Tokenization"]),

        // Face.
        .target(name: "TerminalUI", dependencies: ["Recording", "CNcurses"]),
        .executableTarget(
            name: "DllmPlayCLI",
            dependencies: [
                "Kernels", "Modeling", "Tokenization", "Recording", "Decoding", "Evaluation", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/dllm-play"),

        // Tests: one target per module, plus shared helpers (tolerances, fixture paths).
        .target(name: "TestSupport", dependencies: ["Kernels", "Modeling"], path: "Tests/TestSupport"),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "TestSupport"]),
        .testTarget(name: "TokenizationTests", dependencies: ["Tokenization", "TestSupport"]),
        .testTarget(name: "ModelingTests", dependencies: ["Modeling", "Kernels", "Tokenization", "TestSupport"]),
        .testTarget(name: "RecordingTests", dependencies: ["Recording", "TestSupport"]),
        .testTarget(name: "DecodingTests", dependencies: ["Decoding", "Recording", "Modeling", "Kernels", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "Recording", "TestSupport"]),
    ]
)
