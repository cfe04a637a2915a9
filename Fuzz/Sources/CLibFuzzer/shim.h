// libFuzzer's interface (compiler-rt's FuzzerInterface.h), which `-sanitize=fuzzer` links in.
//
// SwiftPM links every executable with a `main` of its own (the module's top-level code), which
// takes the place of libFuzzer's; so each fuzz target's main.swift hands the target's
// `LLVMFuzzerTestOneInput` (defined in Swift with `@_cdecl`) to libFuzzer's driver itself.
#include <stddef.h>
#include <stdint.h>

/// Runs one input; defined by each fuzz target.
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/// libFuzzer's command line and loop, as its own `main` runs them.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
