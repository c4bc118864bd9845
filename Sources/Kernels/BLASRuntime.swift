import CBLAS
import Foundation

/// What OpenBLAS is running with. The core type is chosen when the library loads, so it can only
/// be steered through `OPENBLAS_CORETYPE` before the process starts (see `OpenBLASCoreChoice`).
public enum BLASRuntime {
    /// The kernel family in use, e.g. "SkylakeX", "Haswell" or "Prescott".
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Threads a GEMM is split over: the engine's pool (OpenBLAS itself runs serially).
    public static var threadCount: Int { WorkSplit.coreCount }

    /// OpenBLAS's build description (version, DYNAMIC_ARCH, threading).
    public static var configuration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }

    /// Makes OpenBLAS run on the calling thread only (once per process; `matmul` calls it): the
    /// engine splits GEMMs over its own pool (`parallelFor`), whose parts call serial sgemm.
    public static func useCallerThreadOnly() { _ = serialOnce }
    private static let serialOnce: Void = { openblas_set_num_threads(1) }()

    /// One line for `--version` and every benchmark: the OpenBLAS kernels, the threads GEMMs are
    /// split over, and the vector width of the element-wise kernels.
    public static var summary: String { "OpenBLAS core \(coreName), \(threadCount) thread(s), \(vectorMathVariant) element-wise" }
}

/// Picks the best OpenBLAS core for this CPU. Debian's OpenBLAS 0.3.21 does not recognise recent
/// Xeons and silently falls back to SSE3 "Prescott" kernels, 4–5× slower (platform notes).
public enum OpenBLASCoreChoice {
    /// The core type for a CPU with these `/proc/cpuinfo` flags, or nil to let OpenBLAS decide.
    public static func preferredCore(cpuFlags: Set<String>) -> String? {
        let avx512 = ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]
        if avx512.allSatisfy(cpuFlags.contains) { return "SkylakeX" }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "Haswell" }
        return nil
    }

    /// The flags of the first processor in `cpuinfo` text.
    public static func cpuFlags(fromCPUInfo text: String) -> Set<String> {
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }

    /// The core to request on this machine, or nil when unknown or not Linux.
    public static func preferredCoreForThisMachine() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        return preferredCore(cpuFlags: cpuFlags(fromCPUInfo: text))
    }
}
