#if canImport(Glibc)
import Glibc
#endif
import Logging
import SystemCalls

/// The daemon's control loop: netlink events and signals on one thread (tcmu-runner `main` + GLib loop).
///
/// Start-up: block netlink (and abort waits a previous daemon left), connect and ask for command
/// replies, serve the devices that already exist, unblock netlink. Then answer every event until
/// SIGTERM or SIGINT; SIGHUP calls `onHangup` (reopen the log file). Shutdown drains and closes every
/// device.
public final class Daemon {
    public let lifecycle: DeviceLifecycle
    public var logger: Logger
    /// Called on SIGHUP, on the loop thread.
    public var onHangup: () -> Void
    /// Called on the loop thread once netlink is connected and the existing devices (the count) are
    /// served, before the first event is answered; threads started here inherit the blocked signals.
    public var onReady: (_ servedDevices: Int) -> Void = { _ in }
    /// Called on the loop thread after SIGTERM/SIGINT, before the devices are drained.
    public var onStopping: () -> Void = {}
    /// The control socket's path (`emud ctl`), nil for none. Served in the loop below.
    public var controlSocketPath: String?
    /// How long and how many control connections (tests shorten them).
    public var controlLimits = ControlServerLimits()

    public init(lifecycle: DeviceLifecycle, logger: Logger, onHangup: @escaping () -> Void = {}) {
        self.lifecycle = lifecycle
        self.logger = logger
        self.onHangup = onHangup
    }

    /// Runs until SIGTERM/SIGINT. Call before starting any other thread, so the signals stay blocked
    /// everywhere and reach only the loop.
    /// - Throws: `DeviceSetupError` when netlink or the signal descriptor cannot be set up.
    public func run() throws(DeviceSetupError) {
        // Control socket first: a live daemon answering on it means we must not touch netlink or rings.
        var control: ControlServer?
        if let controlSocketPath {
            do { control = try ControlServer(path: controlSocketPath, responder: lifecycle, logger: logger, limits: controlLimits) } catch {
                throw DeviceSetupError(.addressInUse, message: error.message)
            }
        }
        defer { control?.close() }
        let signalFile: FileDescriptor
        do { signalFile = try .signals([SIGTERM, SIGINT, SIGHUP]) } catch {
            throw DeviceSetupError(error, "signalfd")
        }
        let signals = signalFile.rawValue  // `signalFile` closes it when serving ends

        let parameters = TCMUModuleParameters(files: lifecycle.files)
        var netlinkBlocked = parameters.blockNetlink()
        defer { if netlinkBlocked { parameters.unblockNetlink() } }

        let socket: NetlinkSocket
        do { socket = try NetlinkSocket() } catch {
            throw DeviceSetupError(.noSuchDevice, message: "netlink: \(error)")
        }
        if !socket.kernelRepliesEnabled {
            logger.warning("kernel does not take SET_FEATURES: configfs writes will not wait for our replies")
        }
        let served = lifecycle.openExistingDevices()
        logger.info("serving \(served) existing device(s); handlers: \(lifecycle.registry.handlers.map(\.subtype))")
        if netlinkBlocked {
            parameters.unblockNetlink()
            netlinkBlocked = false
        }
        onReady(served)

        loop(socket: socket, signals: signals, control: control)
        logger.notice("shutting down")
        onStopping()
        lifecycle.shutdown()
    }

    private func loop(socket: NetlinkSocket, signals: Int32, control: ControlServer?) {
        while true {
            let ready: [Int16]
            do {
                // [netlink, signals] + the control socket's listener and connections.
                let base: [(fd: Int32, events: Int16)] = [(socket.fileDescriptor, Int16(POLLIN)), (signals, Int16(POLLIN))]
                ready = try Syscalls.poll(
                    base + (control?.pollRequests ?? []), timeoutMilliseconds: control?.pollTimeoutMilliseconds ?? -1)
            } catch {
                logger.critical("poll: \(error)")
                return
            }
            if ready[1] != 0 {
                while let signo = try? Syscalls.readSignal(signals) {
                    if signo == SIGHUP {
                        onHangup()
                        logger.info("SIGHUP: log reopened")
                    } else {
                        logger.notice("signal \(signo)")
                        return
                    }
                }
            }
            if ready[0] != 0 { serveNetlink(socket) }
            control?.serve(ready[2...])
        }
    }

    /// Answers every waiting event; a message we cannot decode still gets its reply when it names a device.
    func serveNetlink(_ socket: NetlinkSocket) {
        let received: (events: [Result<NetlinkEvent, NetlinkDecodeError>], errors: [Int32])
        do { received = try socket.receive() } catch {
            logger.error("netlink receive: \(error)")
            return
        }
        for e in received.errors where e != 0 {
            logger.warning("netlink: kernel refused a message: \(Errno(rawValue: -e))")
        }
        for item in received.events {
            let reply: NetlinkReply?
            switch item {
            case .success(let event):
                logger.debug("netlink \(event.kind) uio\(event.minor) \(event.uioName)")
                reply = lifecycle.handle(event)
            case .failure(let error):
                logger.error("netlink: \(error)")
                reply = error.reply
            }
            guard let reply else { continue }
            do { try socket.send(reply) } catch {
                logger.critical("netlink: could not send \(reply.command) for device \(reply.deviceID): \(error)")
            }
        }
    }
}
