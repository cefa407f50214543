#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

/// `file/…`: a raw image in a regular file (created when missing, extended sparsely to the device size)
/// or a block device, served as an SBC disk.
public struct FileHandler: BlockStoreHandler {
    public init() {}
    public var subtype: String { "file" }
    public var configDescription: String {
        "[ro|rw][/thin|thick]@/path: a raw image file or block device; ro: read-only; thick: no UNMAP"
    }

    func openStore(_ c: BlockConfigString, _ p: DeviceOpenParameters) throws(StoreError) -> any BackingStore {
        try FileStore(path: c.path, readOnly: c.readOnly, size: p.sizeInBytes)
    }

    func checkStore(_ c: BlockConfigString, deviceSize: UInt64?) throws(StoreError) {
        try FileStore.check(path: c.path, readOnly: c.readOnly, size: deviceSize)
    }

    func storeSize(_ c: BlockConfigString) -> UInt64? { try? FileStore.existingSize(path: c.path) }
}

/// `qcow/…`: a qcow2 image (version 2 or 3) served as an SBC disk. The image must be at least as large
/// as the device; backing files, encryption and other unsupported features are refused at add.
public struct QcowHandler: BlockStoreHandler {
    public init() {}
    public var subtype: String { "qcow" }
    public var configDescription: String {
        "[ro|rw][/thin|thick]@/path: a qcow2 image (v2/v3, zlib compressed clusters, no backing file)"
    }

    func openStore(_ c: BlockConfigString, _ p: DeviceOpenParameters) throws(StoreError) -> any BackingStore {
        try QCOW2Store(path: c.path, readOnly: c.readOnly, logger: p.logger)
    }

    func checkStore(_ c: BlockConfigString, deviceSize: UInt64?) throws(StoreError) {
        try QCOW2Store.check(path: c.path, readOnly: c.readOnly, size: deviceSize)
    }

    func storeSize(_ c: BlockConfigString) -> UInt64? { try? QCOW2Store.virtualSize(path: c.path) }
}

/// A handler whose device is the shared SBC disk over a backing store: the config string
/// (`[opts@]/path`, `BlockConfigString`), the disk and the error messages are common; only the store
/// differs.
protocol BlockStoreHandler: DeviceHandler {
    /// Opens the store the config string names, for a device of `p.sizeInBytes` bytes.
    func openStore(_ c: BlockConfigString, _ p: DeviceOpenParameters) throws(StoreError) -> any BackingStore
    /// Runs the checks `openStore` makes, without creating or changing any file.
    func checkStore(_ c: BlockConfigString, deviceSize: UInt64?) throws(StoreError)
    /// The size of the existing store, nil when there is none.
    func storeSize(_ c: BlockConfigString) -> UInt64?
}

extension BlockStoreHandler {
    public var ioWorkerThreads: Int { 2 }

    public func checkConfig(_ config: String) throws(ConfigError) {
        _ = try BlockConfigString(parsing: config)
    }

    public func impliedSize(_ config: String) -> UInt64? {
        (try? BlockConfigString(parsing: config)).flatMap(storeSize)
    }

    public func checkOpen(_ config: String, deviceSize: UInt64?) throws(ConfigError) {
        let c = try BlockConfigString(parsing: config)
        do throws(StoreError) { try checkStore(c, deviceSize: deviceSize) } catch {
            throw ConfigError(field: "path", reason: HandlerError(error, path: c.path).message)
        }
    }

    /// Opens the store and builds the disk; any failure closes what was opened and becomes a
    /// `HandlerError` whose message says what is wrong with which file.
    public func open(_ p: DeviceOpenParameters) throws(HandlerError) -> any EmulatedDevice {
        try p.validate()
        let c: BlockConfigString
        do throws(ConfigError) { c = try BlockConfigString(parsing: p.config) } catch { throw HandlerError(error) }
        let configuration = BlockDeviceConfiguration(p, readOnly: c.readOnly, thinProvisioning: c.thinProvisioning)
        var store: (any BackingStore)?
        do throws(StoreError) {
            try BlockDevice.checkBlockSize(p.blockSize)  // before the store: a refused open creates no file
            store = try openStore(c, p)
            return try BlockDevice(store: store!, configuration: configuration)
        } catch {
            store?.close()
            throw HandlerError(error, path: c.path)
        }
    }
}

extension BlockDeviceConfiguration {
    /// The disk the kernel asked for (block size, count, max sectors, serial) with the store's options.
    init(_ p: DeviceOpenParameters, readOnly: Bool, thinProvisioning: Bool) {
        self.init()
        blockSize = p.blockSize
        blockCount = p.blockCount
        maxTransferBlocks = p.maxSectors
        self.readOnly = readOnly
        self.thinProvisioning = thinProvisioning
        serial = p.unitSerial
        configString = p.fullConfigString
    }
}

extension HandlerError {
    /// A store that could not be opened, as a message naming the file.
    init(_ e: StoreError, path: String) {
        switch e {
        case let .system(operation, errno):
            self.init(errno, message: SystemCallError(errno: errno, operation: operation).description)
        case .readOnly: self.init(e.errno, message: "\(path): read-only")
        case .noSpace: self.init(e.errno, message: "\(path): no space")
        case .outOfRange: self.init(e.errno, message: "\(path): smaller than the device")
        case .corrupt(let what): self.init(e.errno, message: "\(path): corrupt image: \(what)")
        case .unsupported(let what): self.init(e.errno, message: what.contains(path) ? what : "\(path): \(what)")
        case .endOfMedium, .unavailable: self.init(e.errno, message: "\(path): \(e)")
        }
    }
}
