import FuzzSupport

// libFuzzer entry points of FuzzControlRequest (see FuzzSupport/LibFuzzer.swift); the target itself is in Target.swift.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run(fuzzBytes(data, size))
    return 0
}

@_cdecl("FuzzControlRequest_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzOne)
}
