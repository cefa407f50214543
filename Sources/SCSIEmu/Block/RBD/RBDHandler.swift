/// `rbd/POOL/IMAGE[;osd_op_timeout=N][;conf=PATH][;id=NAME]`: a Ceph RBD image served as an SBC disk
/// (tcmu-runner's config string, unchanged). The image must exist and hold at least the device's
/// size; it is never created. Thin provisioned: UNMAP, WRITE SAME with UNMAP and GET LBA STATUS go to
/// the image's objects.
public struct RBDHandler: DeviceHandler {
    public init() {}
    public var subtype: String { "rbd" }
    public var configDescription: String {
        "POOL/IMAGE[;osd_op_timeout=N][;conf=/etc/ceph/ceph.conf][;id=admin]: a Ceph RBD image through librbd"
    }
    /// READ, WRITE, SYNCHRONIZE CACHE, UNMAP, WRITE SAME and COMPARE AND WRITE are submitted from the
    /// ring thread and complete from librbd's callback (`RBDStore: AsyncBackingStore`), as many in flight
    /// as the ring holds. The workers run the rest (VERIFY, GET LBA STATUS, EXTENDED COPY, …) and the
    /// commands the ring thread gave back (a COMPARE AND WRITE across objects, one that met an exclusive
    /// command), each waiting for its requests; the ring thread never waits for the cluster.
    public var ioWorkerThreads: Int { 8 }

    public func checkConfig(_ config: String) throws(ConfigError) {
        _ = try RBDConfigString(parsing: config)
    }

    /// Connects to the cluster, opens the image and checks its size against `deviceSize`.
    public func checkOpen(_ config: String, deviceSize: UInt64?) throws(ConfigError) {
        let c = try RBDConfigString(parsing: config)
        do throws(StoreError) { _ = try RBDStore.check(c, size: deviceSize) } catch {
            throw Self.configError(error, c, deviceSize: deviceSize)
        }
    }

    public func impliedSize(_ config: String) -> UInt64? {
        guard let c = try? RBDConfigString(parsing: config) else { return nil }
        return try? RBDStore.check(c, size: nil)
    }

    public func open(_ p: DeviceOpenParameters) throws(HandlerError) -> any EmulatedDevice {
        try p.validate()
        let c: RBDConfigString
        do throws(ConfigError) { c = try RBDConfigString(parsing: p.config) } catch { throw HandlerError(error) }
        var store: RBDStore?
        do throws(StoreError) {
            try BlockDevice.checkBlockSize(p.blockSize)
            store = try RBDStore(c, size: p.sizeInBytes, logger: p.logger)
            let configuration = BlockDeviceConfiguration(p, readOnly: false, thinProvisioning: true)
            return try BlockDevice(store: store!, configuration: configuration)
        } catch {
            store?.close()
            throw HandlerError(error.errno, message: Self.configError(error, c, deviceSize: p.sizeInBytes).description)
        }
    }

    /// A failed open or check as the field at fault: `image` for a missing or small image, `pool` for a
    /// missing pool, `conf`/`id` for the client's own setup, `cluster` for a cluster that does not answer.
    static func configError(_ e: StoreError, _ c: RBDConfigString, deviceSize: UInt64?) -> ConfigError {
        switch e {
        case .outOfRange:
            let size = deviceSize.map { "\($0)" } ?? "?"
            return ConfigError(field: "image", reason: "\(c.imageSpec) is smaller than the device (dev_size \(size) bytes)")
        case let .system(op, errno) where op.hasPrefix("rbd_open") && errno == .noSuchFileOrDirectory:
            return ConfigError(field: "image", reason: "\(c.imageSpec): no such image")
        case let .system(op, errno) where op.hasPrefix("rados_ioctx_create") && errno == .noSuchFileOrDirectory:
            return ConfigError(field: "pool", reason: "\(c.pool): no such pool")
        case let .system(op, _) where op.hasPrefix("rados_conf_read_file"):
            return ConfigError(field: "conf", reason: "\(e)")
        case let .system(op, _) where op == "rados_create":
            return ConfigError(field: "id", reason: "\(e)")
        case .unavailable, .system:
            return ConfigError(field: "cluster", reason: "\(c.imageSpec): \(e) (osd_op_timeout \(c.osdOpTimeout) s)")
        default:
            return ConfigError(field: "image", reason: "\(c.imageSpec): \(e)")
        }
    }
}
