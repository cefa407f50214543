#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

/// `file/…`: a raw image in a regular file (created when missing, extended sparsely to the device size)
/// or a block device, served as an SBC disk.
public struct FileHandler: BlockStoreHandler {
    typealias Store = FileStore
    public init() {}
    public var subtype: String { "file" }
    public var configDescription: String {
        "[ro|rw][/thin|thick]@/path: a raw image file or block device; ro: read-only; thick: no UNMAP"
    }
}

/// `qcow/…`: a qcow2 image (version 2 or 3) served as an SBC disk. The image must be at least as large
/// as the device; backing files, encryption and other unsupported features are refused at add.
public struct QcowHandler: BlockStoreHandler {
    typealias Store = QCOW2Store
    public init() {}
    public var subtype: String { "qcow" }
    public var configDescription: String {
        "[ro|rw][/thin|thick]@/path: a qcow2 image (v2/v3, zlib compressed clusters, no backing file)"
    }
}

/// A handler whose device is the shared SBC disk over an image a path names: the config string
/// (`[opts@]/path`, `BlockConfigString`), the disk and the error messages are common; only the store's
/// format (`Store`) differs.
protocol BlockStoreHandler: DeviceHandler {
    associatedtype Store: PathImageStore
}

/// A store format an image path names, opened, checked and sized the same way by `file/` and `qcow/`.
protocol PathImageStore: BackingStore {
    /// Opens the image at `path` for a device of `p.sizeInBytes` bytes.
    static func open(path: String, readOnly: Bool, for p: DeviceOpenParameters) throws(StoreError) -> Self
    /// Runs the checks `open` makes, without creating or changing any file.
    static func check(path: String, readOnly: Bool, size: UInt64?) throws(StoreError)
    /// The device size the existing image implies, nil when there is none.
    static func impliedSize(path: String) -> UInt64?
}

extension FileStore: PathImageStore {
    static func open(path: String, readOnly: Bool, for p: DeviceOpenParameters) throws(StoreError) -> FileStore {
        try FileStore(path: path, readOnly: readOnly, size: p.sizeInBytes)
    }
    static func impliedSize(path: String) -> UInt64? { try? existingSize(path: path) }
}

extension QCOW2Store: PathImageStore {
    static func open(path: String, readOnly: Bool, for p: DeviceOpenParameters) throws(StoreError) -> QCOW2Store {
        try QCOW2Store(path: path, readOnly: readOnly, logger: p.logger)
    }
    static func impliedSize(path: String) -> UInt64? { try? virtualSize(path: path) }
}

extension BlockStoreHandler {
    public var ioWorkerThreads: Int { 2 }

    public func checkConfig(_ config: String) throws(ConfigError) {
        _ = try BlockConfigString(parsing: config)
    }

    public func impliedSize(_ config: String) -> UInt64? {
        (try? BlockConfigString(parsing: config)).flatMap { Store.impliedSize(path: $0.path) }
    }

    public func checkOpen(_ config: String, deviceSize: UInt64?) throws(ConfigError) {
        let c = try BlockConfigString(parsing: config)
        do throws(StoreError) { try Store.check(path: c.path, readOnly: c.readOnly, size: deviceSize) } catch {
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
            store = try Store.open(path: c.path, readOnly: c.readOnly, for: p)
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
