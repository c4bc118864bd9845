import CDNNL
import CLowPrecision
import Foundation

/// Which GEMM runs a model's 16-bit projections. Chosen once per model load from the CPU's
/// features: bf16 weights go to oneDNN's bf16 × bf16 → f32 matmul where the CPU has AVX512-BF16 or
/// AMX-BF16, otherwise they are widened to f32 for OpenBLAS sgemm (the fallback on older CPUs).
/// `DLLM_GEMM=f32` forces the f32 path, for comparison.
public struct GEMMChoice: Sendable, Equatable, CustomStringConvertible {
    public enum Path: String, Sendable { case oneDNNBF16 = "onednn-bf16", openBLASF32 = "openblas-f32" }

    public let path: Path
    /// Why: the CPU feature that allows the native path, or why it is not taken.
    public let reason: String

    public var description: String { "\(path.rawValue) (\(reason))" }

    /// The f32 path whatever the CPU: for comparisons, and for parity tests held to f32 tolerances.
    public static let requestedF32 = GEMMChoice(path: .openBLASF32, reason: "requested")

    /// The environment variable that overrides the choice: `auto` (default), `bf16` or `f32`.
    public static let environmentKey = "DLLM_GEMM"

    /// The choice for a CPU with these `/proc/cpuinfo` flags and this override; `nativeBF16` says
    /// whether oneDNN itself sees a bf16-capable ISA (it decides which kernels it has).
    public static func choose(cpuFlags: Set<String>, override: String?, nativeBF16: Bool) throws -> GEMMChoice {
        let setting = (override ?? "auto").lowercased()
        guard ["auto", "bf16", "f32", ""].contains(setting) else {
            throw GEMMChoiceError.unknownSetting(override ?? "")
        }
        if setting == "f32" { return GEMMChoice(path: .openBLASF32, reason: "\(environmentKey)=f32") }
        let feature = cpuFlags.contains("amx_bf16") ? "amx_bf16" : cpuFlags.contains("avx512_bf16") ? "avx512_bf16" : nil
        guard let feature else { return GEMMChoice(path: .openBLASF32, reason: "no avx512_bf16 or amx_bf16 on this CPU") }
        guard nativeBF16 else { return GEMMChoice(path: .openBLASF32, reason: "oneDNN sees no native bf16 ISA") }
        return GEMMChoice(path: .oneDNNBF16, reason: feature)
    }

    /// The choice on this machine, with the override from the environment.
    public static func forThisProcess() throws -> GEMMChoice {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return try choose(cpuFlags: OpenBLASCoreChoice.cpuFlags(fromCPUInfo: text),
                          override: ProcessInfo.processInfo.environment[environmentKey],
                          nativeBF16: dllm_onednn_native_bf16() != 0)
    }

    /// One line for `--version` and `model-info`: the bf16 path, and the Q8_0 kernel's.
    public static var summary: String {
        let bf16 = (try? forThisProcess())?.description ?? "unknown (\(environmentKey) not understood)"
        return "gemm: \(bf16); q8_0: \(Q8_0GEMM.kernelName); oneDNN \(oneDNNVersion)"
    }

    /// The loaded oneDNN library's version.
    public static var oneDNNVersion: String {
        guard let v = dnnl_version() else { return "unknown" }
        return "\(v.pointee.major).\(v.pointee.minor).\(v.pointee.patch)"
    }
}

public enum GEMMChoiceError: Error, CustomStringConvertible {
    case unknownSetting(String)

    public var description: String {
        switch self {
        case let .unknownSetting(value):
            "\(GEMMChoice.environmentKey)=\(value): expected auto, bf16 or f32 (hint: unset it to choose by CPU)"
        }
    }
}
