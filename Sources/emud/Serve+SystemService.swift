import Logging
import SystemService
import TCMUDaemon

/// `emud serve` as a system service: tcmu-runner's D-Bus API on the bus `--dbus` names (started once the
/// daemon is ready, so targetcli never sees a half-started emud), and systemd's READY / STATUS /
/// RELOADING (SIGHUP) / STOPPING notifications for a `Type=notify` unit.
enum ServeSystemService {
    /// Hooks the service into the daemon's start, SIGHUP and stop. `bus`: `system`, `none`, or an address.
    static func attach(to daemon: Daemon, bus: String, logger: Logger) {
        let notifier = ServiceManagerNotifier()
        let methods = TCMUServiceMethods(
            registry: daemon.lifecycle.registry, files: daemon.lifecycle.files, logger: logger)
        let service = TCMUBusService(methods: methods, logger: logger)
        var busState = "D-Bus off"
        let status = { "serving \(daemon.lifecycle.devices.count) device(s); \(busState)" }
        daemon.onReady = { _ in
            if bus != "none" {
                do {
                    try service.start(address: bus == "system" ? .system : .address(bus))
                    busState = "D-Bus \(TCMUBusService.busName)"
                } catch {
                    // The one line: targetcli will not list emud's handlers, everything else works.
                    logger.warning("D-Bus: \(error); serving without it (targetcli will not list user: backstores)")
                    busState = "D-Bus unavailable"
                }
            }
            notifier.ready(status: status())
        }
        let hangup = daemon.onHangup
        daemon.onHangup = {
            notifier.reloading()
            hangup()
            notifier.ready(status: status())
        }
        daemon.onStopping = {
            notifier.stopping(status: "draining \(daemon.lifecycle.devices.count) device(s)")
            service.stop()
        }
    }
}
