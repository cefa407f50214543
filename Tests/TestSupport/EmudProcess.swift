import Foundation

/// The built `emud` next to the test bundle (swift build builds it with the tests), if there.
public let emudBinary: String? = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("emud").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
}()

/// Runs the built `emud` with `arguments`; its exit status and what it wrote to stdout and stderr.
public func runEmud(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    try runTool(emudBinary!, arguments)
}

/// Runs the program at `path` with `arguments` and waits for it: its exit status and what it wrote to
/// stdout and stderr (with `combined`, both in `out`, in the order written).
public func runTool(_ path: String, _ arguments: [String], combined: Bool = false) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    let out = Pipe(), err = combined ? out : Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let e = combined ? "" : String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return (p.terminationStatus, o, e)
}
