extension CommandSpec {
    /// A row that touches the backing store (`.storageIO`: the ring may run it on an I/O worker thread;
    /// with `async` also `.completesAsynchronously`), by default only while the unit is ready: how the
    /// disk and the zoned disk write every store row of their tables.
    static func storage(
        _ opcode: UInt8, serviceAction: UInt16? = nil, _ name: String, usage: [UInt8], _ direction: DataDirection,
        states: DeviceStates = .readyOnly, timeouts: CommandTimeouts = .io, async: Bool = false,
        _ handler: @escaping Handler
    ) -> Self {
        Self(opcode, serviceAction: serviceAction, name, usage: usage, direction: direction, states: states,
             flags: async ? [.storageIO, .completesAsynchronously] : .storageIO, timeouts: timeouts, handler: handler)
    }
}
