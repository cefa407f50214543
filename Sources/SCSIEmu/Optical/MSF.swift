/// A CD time address: minute, second, frame (75 frames per second). MMC-6 §4.2.3.5 / ECMA-130 §14.
///
/// LBA 0 is 00:02:00: the first 150 frames (2 s) are the track-1 pregap.
public struct MSF: Sendable, Hashable {
    public var minute: UInt8
    public var second: UInt8
    public var frame: UInt8

    public init(minute: UInt8, second: UInt8, frame: UInt8) {
        self.minute = minute
        self.second = second
        self.frame = frame
    }

    /// The frames before LBA 0.
    public static let lbaOffset: UInt64 = 150
    /// The largest address the 1-byte minute field holds: 255:59:74.
    public static let maximum = MSF(minute: 255, second: 59, frame: 74)

    /// The address of `lba` (plus the 2 s offset), clamped to 255:59:74 for media larger than the field.
    public init(lba: UInt32) {
        let frames = UInt64(lba) + Self.lbaOffset
        guard frames <= 255 * 4500 + 59 * 75 + 74 else {
            self = .maximum
            return
        }
        self.minute = UInt8(frames / 4500)
        self.second = UInt8(frames / 75 % 60)
        self.frame = UInt8(frames % 75)
    }

    /// The 4-byte address field of READ TOC / READ TRACK INFORMATION in MSF form: 00h, M, S, F.
    public var addressField: [UInt8] { [0, minute, second, frame] }

    /// The three bytes in BCD, as the header of a raw CD sector carries them (ECMA-130 §14.2).
    public var bcd: [UInt8] { [minute, second, frame].map { ($0 / 10 % 10) << 4 | $0 % 10 } }
}
