import CSystemd
import CTCMUServiceBus
import Foundation
import Logging
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Which bus the service joins.
public enum TCMUBusAddress: Sendable, Hashable {
    /// The system bus (`$DBUS_SYSTEM_BUS_ADDRESS`, else /run/dbus/system_bus_socket), where targetcli looks.
    case system
    /// Another bus by its D-Bus address (`unix:path=/tmp/bus`): tests and private buses.
    case address(String)
}

/// Why the service could not join the bus; the daemon logs it as its one warning and serves anyway.
public struct TCMUBusError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// tcmu-runner's D-Bus service, over sd-bus: the name `org.kernel.TCMUService1`, an ObjectManager at
/// `/org/kernel/TCMUService1`, one object per handler (`…/file`, `…/qcow`, `…/fbo`, `…/zbc`) with
/// interface `org.kernel.TCMUService1` (property ConfigDesc, CheckConfig, and ChangeMedium on `fbo`).
/// The method vtables are C macros, so they live in CTCMUServiceBus; this file owns the connection.
///
/// `start` connects, exports and takes the name (each step bounded by a 5 s call timeout), then serves
/// the bus on its own thread: no ring or netlink work waits for a bus client, and a ChangeMedium may
/// block on its configfs write while the daemon's loop answers the RECONFIG it causes.
public final class TCMUBusService: @unchecked Sendable {
    public static let busName = "org.kernel.TCMUService1"
    public static let managerPath = "/org/kernel/TCMUService1"

    public let methods: TCMUServiceMethods
    let logger: Logger
    // Touched by `start`/`stop` on the caller's thread, and by the serving thread only between them.
    private var bus: OpaquePointer?
    private var managerSlot: OpaquePointer?
    private var objects: [OpaquePointer] = []
    private let callbacks: UnsafeMutablePointer<tcmu_service_bus_callbacks>
    private var wakeFD: Int32 = -1
    private var finished: DispatchSemaphore?

    public init(methods: TCMUServiceMethods, logger: Logger) {
        self.methods = methods
        self.logger = logger
        callbacks = .allocate(capacity: 1)
        callbacks.initialize(to: tcmu_service_bus_callbacks(context: nil, check_config: nil, change_medium: nil))
    }

    deinit {
        stop()
        callbacks.deallocate()
    }

    /// Connects to `address`, exports the objects, owns the name and starts serving.
    /// - Throws: `TCMUBusError` saying what failed (no bus, name owned by another daemon, policy);
    ///   nothing stays open then.
    public func start(address: TCMUBusAddress = .system) throws(TCMUBusError) {
        guard bus == nil else { return }
        callbacks.pointee = tcmu_service_bus_callbacks(
            context: Unmanaged.passUnretained(self).toOpaque(),
            check_config: { context, subtype, config, message in
                let service = Unmanaged<TCMUBusService>.fromOpaque(context!).takeUnretainedValue()
                let answer = service.methods.checkConfig(
                    subtype: String(cString: subtype!), configString: String(cString: config!))
                message?.pointee = strdup(answer.message)
                return answer.valid
            },
            change_medium: { context, subtype, privileged, name, size, config, message in
                let service = Unmanaged<TCMUBusService>.fromOpaque(context!).takeUnretainedValue()
                let answer = service.methods.changeMedium(
                    subtype: String(cString: subtype!), privileged: privileged, name: String(cString: name!),
                    size: size, configString: String(cString: config!))
                message?.pointee = strdup(answer.message)
                return answer.status
            })
        do throws(TCMUBusError) {
            try connect(address)
            try export()
            let r = sd_bus_request_name(bus, Self.busName, 0)
            if r < 0 { throw TCMUBusError(Self.nameRefusal(r)) }
            wakeFD = try Self.eventFD()
        } catch {
            close()
            throw error
        }
        let done = DispatchSemaphore(value: 0)
        finished = done
        let thread = Thread { [self] in
            serve()
            done.signal()
        }
        thread.name = "dbus"
        thread.start()
        logger.info("D-Bus: serving \(Self.busName) (\(methods.exportedHandlers.map(\.subtype).joined(separator: " ")))")
    }

    /// Stops the thread and leaves the bus (the name is released with the connection).
    public func stop() {
        if let finished {
            _ = try? Syscalls.writeInteger(wakeFD, UInt64(1))
            finished.wait()
            self.finished = nil
        }
        close()
    }

    // MARK: - Connection

    private func connect(_ address: TCMUBusAddress) throws(TCMUBusError) {
        var b: OpaquePointer?
        var r: Int32
        switch address {
        case .system:
            r = sd_bus_open_system(&b)
        case .address(let a):
            r = sd_bus_new(&b)
            if r >= 0 { r = sd_bus_set_address(b, a) }
            if r >= 0 { r = sd_bus_set_bus_client(b, 1) }
            if r >= 0 { r = sd_bus_start(b) }
        }
        bus = b
        if r < 0 {
            let target = address == .system ? "the system bus" : "\(address)"
            throw TCMUBusError("cannot connect to \(target): \(Errno(rawValue: -r))")
        }
        _ = sd_bus_set_method_call_timeout(bus, 5_000_000)
    }

    private func export() throws(TCMUBusError) {
        var slot: OpaquePointer?
        var r = sd_bus_add_object_manager(bus, &slot, Self.managerPath)
        guard r >= 0 else { throw TCMUBusError("ObjectManager at \(Self.managerPath): \(Errno(rawValue: -r))") }
        managerSlot = slot
        for h in methods.exportedHandlers {
            let path = "\(Self.managerPath)/\(h.subtype)"
            guard let object = tcmu_service_bus_add_object(bus, path, h.subtype, h.description, h.changesMedium, callbacks, &r)
            else { throw TCMUBusError("object \(path): \(Errno(rawValue: -r))") }
            objects.append(object)
        }
    }

    private func close() {
        for o in objects { tcmu_service_bus_object_free(o) }
        objects.removeAll()
        managerSlot = sd_bus_slot_unref(managerSlot)
        if bus != nil { bus = sd_bus_flush_close_unref(bus) }
        if wakeFD >= 0 { try? Syscalls.close(wakeFD) }
        wakeFD = -1
    }

    static func nameRefusal(_ r: Int32) -> String {
        switch -r {
        case EEXIST:
            "another process owns \(busName) (tcmu-runner?): stop it so that targetcli reaches emud"
        case EACCES, EPERM:
            "the bus policy does not let uid \(geteuid()) own \(busName): install "
                + "/usr/share/dbus-1/system.d/\(busName).conf (packaging/dbus) and reload dbus"
        default: "cannot own \(busName): \(Errno(rawValue: -r))"
        }
    }

    private static func eventFD() throws(TCMUBusError) -> Int32 {
        do { return try Syscalls.eventfd(nonBlocking: true) } catch { throw TCMUBusError("eventfd: \(error)") }
    }

    // MARK: - Serving thread

    /// Processes messages until `stop` or until the bus goes away (logged once; no reconnect).
    private func serve() {
        while true {
            var r: Int32
            repeat { r = sd_bus_process(bus, nil) } while r > 0
            if r < 0 {
                logger.warning("D-Bus: connection lost (\(Errno(rawValue: -r))): targetcli no longer reaches emud")
                return
            }
            let events = sd_bus_get_events(bus)
            var wakeup: UInt64 = 0
            _ = sd_bus_get_timeout(bus, &wakeup)
            let ready: [Int16]
            do {
                ready = try Syscalls.poll(
                    [(sd_bus_get_fd(bus), Int16(truncatingIfNeeded: max(events, 0))), (wakeFD, Int16(POLLIN))],
                    timeoutMilliseconds: Self.milliseconds(until: wakeup))
            } catch {
                logger.error("D-Bus: poll: \(error)")
                return
            }
            if ready[1] != 0 { return }
        }
    }

    /// Milliseconds from now to an absolute CLOCK_MONOTONIC time in µs (UInt64.max: none, -1).
    static func milliseconds(until wakeup: UInt64) -> Int32 {
        guard wakeup != UInt64.max else { return -1 }
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        let now = UInt64(t.tv_sec) * 1_000_000 + UInt64(t.tv_nsec) / 1000
        guard wakeup > now else { return 0 }
        return Int32(clamping: (wakeup - now + 999) / 1000)
    }
}
