import SystemCalls

/// The largest device emud serves, and the check every handler runs on the kernel's `dev_size` (at add,
/// from configfs `info`) and on a live RECONFIG size, before any store, allocation or offset sees it.
///
/// 2^62 bytes (4 EiB): a device offset plus any store's own metadata (a zoned image's superblocks and
/// zone tables, a qcow2's tables) then always fits `off_t` (2^63−1), so no offset computed from a checked
/// size can overflow or trap, and the bound is far above anything a file system holds (XFS: 8 EiB − 1,
/// ext4: 16 TiB). The check is a function, not a side effect of opening, so `emud check-config` can call it.
public enum DeviceSizeLimit {
    public static let maximumBytes: UInt64 = 1 << 62

    /// Refuses a device size above `maximumBytes` (EFBIG, the value named in the message).
    /// - Parameter what: what the size is ("dev_size", "RECONFIG dev_size").
    public static func check(_ bytes: UInt64, _ what: String = "dev_size") throws(HandlerError) {
        guard bytes <= maximumBytes else {
            throw HandlerError(
                .fileTooLarge,
                message: "\(what) \(bytes) bytes is larger than the largest device emud serves (\(maximumBytes) bytes, 2^62)")
        }
    }
}

extension DeviceOpenParameters {
    /// Checks what configfs said about the device (its size) before a store is opened; every handler's
    /// `open` calls it first; `emud check-config` can call it with a planned size.
    public func validate() throws(HandlerError) {
        try DeviceSizeLimit.check(sizeInBytes)
    }
}
