internal import CLibFuzzer
internal import Foundation

// The scratch folder and the plugins are set up before the first input, so that libFuzzer's
// leak check, which compares allocations before and after each input, never counts them.
Harness.prepare()

// libFuzzer reads its options and inputs from the command line (`-help=1` lists them).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput))
