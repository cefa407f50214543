/// A conformance corpus: a device configuration and the SCSI exchanges recorded against it.
///
/// The text format (docs/corpus-format.md) is plain, diffable, one exchange per block; `CorpusParser`
/// reads it and `CorpusWriter` writes it, symmetrically.
public struct Corpus: Sendable, Equatable {
    public var header: CorpusHeader
    public var exchanges: [CorpusExchange]

    public init(header: CorpusHeader, exchanges: [CorpusExchange] = []) {
        self.header = header
        self.exchanges = exchanges
    }
}

/// The device an exchange list was recorded against, enough to build it again.
public struct CorpusHeader: Sendable, Equatable {
    /// The handler config string, as in the uio name (`zbc/model-HM@@DIR@/zbc.raw`). `@DIR@` stands for the
    /// replay's scratch directory.
    public var configString: String
    /// dev_size in bytes.
    public var size: UInt64
    public var blockSize: UInt32
    public var maxSectors: UInt32
    /// The unit serial; when absent the replay derives it from the configuration (see `effectiveSerial`).
    public var serial: String?
    /// Files to create (sparse, zero-filled) in the scratch directory before the device opens.
    public var creates: [CorpusFile]
    /// Free text (`note` lines): where and how the corpus was captured.
    public var notes: [String]

    public init(
        configString: String, size: UInt64, blockSize: UInt32 = 512, maxSectors: UInt32 = 128,
        serial: String? = nil, creates: [CorpusFile] = [], notes: [String] = []
    ) {
        self.configString = configString
        self.size = size
        self.blockSize = blockSize
        self.maxSectors = maxSectors
        self.serial = serial
        self.creates = creates
        self.notes = notes
    }

    /// The serial the device gets: the header's, or the first 16 hex digits of the SHA-256 of
    /// "config|size|block-size", so identifiers (VPD 80h/83h, NAA) are the same on every replay.
    public var effectiveSerial: String {
        serial ?? String(SHA256.hex("\(configString)|\(size)|\(blockSize)".utf8).prefix(16))
    }
}

/// A file the replay creates before opening the device.
public struct CorpusFile: Sendable, Equatable {
    /// Relative to the scratch directory (may contain `@DIR@`, which is ignored).
    public var path: String
    public var size: UInt64
    public init(path: String, size: UInt64) {
        self.path = path
        self.size = size
    }
}

/// Data as recorded: the bytes themselves, or for large transfers a length and a SHA-256.
public enum CorpusPayload: Sendable, Equatable {
    case bytes([UInt8])
    /// Large data: compared by digest (Data-In) or loaded from `blobs/<sha256>` (Data-Out).
    case digest(sha256: String, length: Int)

    public var length: Int {
        switch self {
        case .bytes(let b): b.count
        case .digest(_, let n): n
        }
    }

    /// Whether `data` is what was recorded.
    public func matches(_ data: [UInt8]) -> Bool {
        switch self {
        case .bytes(let b): b == data
        case .digest(let sha, let n): n == data.count && SHA256.hex(data) == sha
        }
    }
}

/// One command and everything the initiator saw of its completion.
public struct CorpusExchange: Sendable, Equatable {
    /// A label for diffs and reports (the command name, then free text).
    public var title: String
    public var cdb: [UInt8]
    /// Data-Out sent with the command.
    public var dataOut: CorpusPayload?
    /// The Data-In buffer the initiator offered (the allocation it mapped), in bytes.
    public var dataInLength: Int
    public var status: UInt8
    /// The sense bytes returned with CHECK CONDITION (empty otherwise), as the initiator received them.
    public var sense: [UInt8]
    /// The Data-In bytes transferred (READ_LEN of them).
    public var dataIn: CorpusPayload
    /// dataInLength minus the bytes transferred.
    public var residual: Int
    /// The line the exchange starts on, for messages (0 when built in code).
    public var line: Int

    public init(
        title: String, cdb: [UInt8], dataOut: CorpusPayload? = nil, dataInLength: Int = 0,
        status: UInt8 = 0, sense: [UInt8] = [], dataIn: CorpusPayload = .bytes([]), residual: Int = 0,
        line: Int = 0
    ) {
        self.title = title
        self.cdb = cdb
        self.dataOut = dataOut?.length == 0 ? nil : dataOut  // no Data-Out and an empty one are the same
        self.dataInLength = dataInLength
        self.status = status
        self.sense = sense
        self.dataIn = dataIn
        self.residual = residual
        self.line = line
    }

    public static func == (a: CorpusExchange, b: CorpusExchange) -> Bool {
        a.title == b.title && a.cdb == b.cdb && a.dataOut == b.dataOut && a.dataInLength == b.dataInLength
            && a.status == b.status && a.sense == b.sense && a.dataIn == b.dataIn && a.residual == b.residual
    }
}
