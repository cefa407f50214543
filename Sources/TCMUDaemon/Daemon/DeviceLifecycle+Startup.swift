import Logging
import SystemCalls

extension DeviceLifecycle {
    /// Serves every TCMU device that already exists (a restart): each is blocked, its ring reset so
    /// commands in flight come back BUSY and are retried rather than lost, opened, then unblocked.
    /// Returns how many are now served.
    @discardableResult
    public func openExistingDevices() -> Int {
        var served = 0
        for found in UIODiscovery(files: files).scan() {
            switch found {
            case .success(let uio):
                if add(minor: uio.minor, uioName: uio.name.description, reopen: true) == 0 { served += 1 }
            case .failure(let error):
                logger.error("start-up scan: \(error)")
            }
        }
        return served
    }

    /// Stops every device in order (tcmu-runner `close_devices`): block_dev=1 so the kernel queues no
    /// more, wait until the ring is empty (commands in progress complete), close, block_dev=0.
    /// - Parameter drainTimeoutMilliseconds: how long to wait for one ring; after that it is closed anyway
    ///   (the kernel's cmd_time_out answers what is left).
    public func shutdown(drainTimeoutMilliseconds: Int = 30_000) {
        for minor in devices.keys.sorted(by: >) {
            guard let active = devices[minor] else { continue }
            let blocked = (try? active.configFS.setAction("block_dev", 1)) != nil
            var waited = 0
            while !active.ring.isIdle && waited < drainTimeoutMilliseconds {
                Syscalls.sleep(milliseconds: 50)
                waited += 50
            }
            if !active.ring.isIdle {
                logger.warning("uio\(minor): closing with commands still in the ring after \(waited) ms")
            }
            remove(minor: minor)
            if blocked { try? active.configFS.setAction("block_dev", 0) }
        }
    }
}
