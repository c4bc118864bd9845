import Foundation
import Kernels

/// Chooses the OpenBLAS core before the library initialises. OpenBLAS picks its kernels when it
/// loads, so `setenv` in a running process does nothing: when no `OPENBLAS_CORETYPE` is set, we
/// set the best one for this CPU and re-execute ourselves once. A value already set is respected.
enum OpenBLASLauncher {
    static let guardVariable = "DLLM_PLAY_OPENBLAS_CHOSEN"

    static func selectCoreIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, environment[guardVariable] == nil,
              let core = OpenBLASCoreChoice.preferredCoreForThisMachine() else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(guardVariable, "1", 1)
        fflush(nil)  // flush every output stream before the process image is replaced
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // exec failed (no /proc?): carry on with the core OpenBLAS chose by itself.
    }
}
