internal import CLibFuzzer
internal import Foundation

// libFuzzer reads its options and inputs from the command line (`-help=1` lists them).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput))
