/// The glue between a SwiftPM executable and libFuzzer.
///
/// SwiftPM links every executable with `main` defined as `<Target>_main` (so tests can link it), which
/// hides libFuzzer's own `main`. Each target therefore defines `<Target>_main` and hands over to
/// libFuzzer's documented entry point, `LLVMFuzzerRunDriver`, with its `LLVMFuzzerTestOneInput`.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzCallback
) -> CInt

/// Runs libFuzzer with the process arguments (`-max_total_time=…`, corpus directories, …).
public func runLibFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ callback: FuzzCallback
) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector, callback)
}

/// The fuzzer's bytes as an array (empty for a null pointer).
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// A finding that is not a trap: libFuzzer stops on the abort and keeps the input.
public func fuzzFailure(_ message: String) -> Never {
    fatalError("fuzz invariant: \(message)")
}
