import Sense
import Synchronization

/// Who the logical unit says it is (INQUIRY standard data and the VPD designators).
public struct DeviceIdentity: Sendable, Hashable {
    /// PERIPHERAL DEVICE TYPE (SPC-5 §6.7.2): 00h disk, 05h MMC, 14h host-managed zoned.
    public var peripheralType: UInt8
    /// RMB: removable medium.
    public var removable: Bool
    public var vendor: String
    public var product: String
    public var revision: String
    /// The unit serial number (configfs `wwn/vpd_unit_serial`): VPD 80h and the 83h designators.
    public var serial: String
    /// The handler's config string (vendor-specific designator in VPD 83h, as tcmu-runner does).
    public var configString: String
    /// VERSION DESCRIPTORS of the standard INQUIRY data (SPC-5 table 146), in order.
    public var versionDescriptors: [UInt16]

    public init(
        peripheralType: UInt8, removable: Bool = false, vendor: String = "LIO-ORG",
        product: String, revision: String = "0002", serial: String = "", configString: String = "",
        versionDescriptors: [UInt16] = []
    ) {
        self.peripheralType = peripheralType
        self.removable = removable
        self.vendor = vendor
        self.product = product
        self.revision = revision
        self.serial = serial
        self.configString = configString
        self.versionDescriptors = versionDescriptors
    }
}

/// The state every logical unit keeps whatever its kind: condition, unit attentions, sense format.
///
/// Shared by the ring thread and I/O workers, so it lives behind a `Mutex`. Every command reads the
/// condition and asks for a pending unit attention, so both are mirrored in atomics that `withState`
/// refreshes: the hot path takes no lock unless something is pending.
public final class LogicalUnit: Sendable {
    public struct State: Sendable {
        public var condition: DeviceCondition = .ready
        /// Pending unit attention conditions, oldest first, without duplicates (SAM-6 §5.14).
        public var unitAttentions: [AdditionalSenseCode] = []
        /// Fixed or descriptor sense (the Control mode page D_SENSE bit).
        public var senseFormat: SenseFormat = .fixed
        /// PREVENT ALLOW MEDIUM REMOVAL state (SPC-5 §6.15): bit 0 = medium removal prevented.
        public var preventRemoval: UInt8 = 0
        /// The device's mode pages, in page-code order (MODE SENSE / MODE SELECT work on these).
        public var modePages: [ModePage] = []
    }

    public let identity: DeviceIdentity
    /// Fault rules and the bad-block map (`emud ctl DEV fault …`); the dispatcher consults it first.
    public let faults = FaultInjector()
    private let state: Mutex<State>
    private let pendingUnitAttention = Atomic<Bool>(false)
    private let packedCondition: Atomic<UInt32>
    /// Told the changed mode page values after every MODE SELECT (the daemon keeps them across a restart).
    private let modePageObserver = Mutex<(@Sendable (ModePageValues) -> Void)?>(nil)

    public init(identity: DeviceIdentity, modePages: [ModePage] = [], condition: DeviceCondition = .ready) {
        self.identity = identity
        self.packedCondition = Atomic(condition.packed)
        self.state = Mutex(
            State(condition: condition, senseFormat: ModePage.senseFormat(in: modePages), modePages: modePages))
    }

    /// Reads or changes the state under the lock.
    public func withState<R>(_ body: (inout State) throws -> R) rethrows -> R {
        try state.withLock { s in
            let r = try body(&s)
            pendingUnitAttention.store(!s.unitAttentions.isEmpty, ordering: .releasing)
            packedCondition.store(s.condition.packed, ordering: .releasing)
            return r
        }
    }

    /// The condition now, without taking the lock. Inlined into the dispatcher (every command reads it).
    public var condition: DeviceCondition {
        @inline(__always) get {
            DeviceCondition(packed: packedCondition.load(ordering: .acquiring))
        }
    }

    public func setCondition(_ c: DeviceCondition) { withState { $0.condition = c } }

    public var senseFormat: SenseFormat { withState { $0.senseFormat } }

    /// Queues a unit attention (once: a pending duplicate is not queued again).
    public func raiseUnitAttention(_ code: AdditionalSenseCode) {
        withState { s in
            if !s.unitAttentions.contains(code) { s.unitAttentions.append(code) }
        }
    }

    /// Removes and returns the oldest pending unit attention, as sense data. The check for none pending
    /// is inlined into the dispatcher (every command asks).
    @inline(__always) public func takeUnitAttention() -> Sense? {
        guard hasPendingUnitAttention else { return nil }
        return takePendingUnitAttention()
    }

    /// Whether a unit attention may be pending (one atomic load; `takeUnitAttention` decides).
    @inline(__always) public var hasPendingUnitAttention: Bool {
        pendingUnitAttention.load(ordering: .acquiring)
    }

    private func takePendingUnitAttention() -> Sense? {
        withState { s in
            s.unitAttentions.isEmpty ? nil : Sense(.unitAttention, s.unitAttentions.removeFirst())
        }
    }

    /// The oldest pending unit attention without clearing it.
    public func peekUnitAttention() -> AdditionalSenseCode? {
        guard pendingUnitAttention.load(ordering: .acquiring) else { return nil }
        return withState { $0.unitAttentions.first }
    }

    /// Calls `observer` with the changed values after every MODE SELECT that changes the pages.
    public func observeModePages(_ observer: @escaping @Sendable (ModePageValues) -> Void) {
        modePageObserver.withLock { $0 = observer }
    }

    func modePagesCommitted(_ pages: [ModePage]) {
        guard let observer = modePageObserver.withLock({ $0 }) else { return }
        observer(ModePageValues(changedIn: pages))
    }
}
