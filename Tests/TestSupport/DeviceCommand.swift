import SCSIEmu
import Sense

/// What a command produced: the result and the Data-In bytes it reported.
public struct Outcome {
    public var result: CommandResult
    public var data: [UInt8]
    /// What the device asked the ring to do with the completion (a zoned disk holding a write).
    public var deferral: CompletionDeferral? = nil

    public var status: SCSIStatus { result.status }
    public var sense: Sense? { result.sense }
}

/// Runs one CDB through `device`, with `dataOut` as the Data-Out buffer or else a Data-In buffer of
/// `capacity` bytes; `segmentSize` splits the buffer into scatter-gather segments as the ring does.
public func run(
    _ device: some EmulatedDevice, _ cdb: [UInt8], dataOut: [UInt8]? = nil, capacity: Int = 4096,
    segmentSize: Int? = nil
) -> Outcome {
    let buffer = dataOut.map { OwnedDataBuffer($0, segmentSize: segmentSize) }
        ?? OwnedDataBuffer(count: capacity, segmentSize: segmentSize)
    return withExtendedLifetime(buffer) {
        var command = SCSICommand(cdb: CDB(cdb)!, data: buffer.view)
        let result = device.execute(&command)
        let data = dataOut == nil ? Array(buffer.bytes.prefix(result.dataInLength)) : []
        return Outcome(result: result, data: data, deferral: command.deferral)
    }
}

/// Carries out the control request `words` (`"zone 5 offline"`) on `device`, as `emud ctl` would.
public func control(_ device: some ControllableDevice, _ words: String) throws(ControlError) -> String {
    try device.control(ControlRequest(words: words.split(separator: " ").map(String.init))!)
}

/// The error the control request `words` is refused with (nil: it was carried out).
public func refusal(_ device: some ControllableDevice, _ words: String) -> ControlError? {
    do { _ = try control(device, words) } catch { return error }
    return nil
}
