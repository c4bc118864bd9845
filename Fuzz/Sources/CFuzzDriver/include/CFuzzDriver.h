// libFuzzer's driver entry (compiler-rt FuzzerInterface.h): runs the fuzzing loop on `callback`.
// The fuzz targets call it from their own entry point, because SwiftPM names an executable's
// entry point itself (<module>_main) and so libFuzzer's `main` is never used.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
