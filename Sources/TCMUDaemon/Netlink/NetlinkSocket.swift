import CNetlink

// The one file that calls libnl (libnl-genl-3 through the CNetlink system library). Messages are turned
// into `NetlinkEvent` / `NetlinkReply` values here and nowhere else.

/// A libnl failure: the libnl error code (NLE_*, positive) and what we were doing.
public struct NetlinkError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int32
    public var operation: String

    public init(code: Int32, operation: String) {
        self.code = code < 0 ? -code : code
        self.operation = operation
    }

    public var description: String {
        "\(operation): \(String(cString: nl_geterror(code))) (libnl \(code))"
    }
}

// MARK: - Message encoding and decoding

/// Builds and parses TCMU genl messages with libnl's own builders (`genlmsg_put`, `nla_put_*`,
/// `genlmsg_parse`), so tests exercise exactly the code the daemon runs.
///
/// ```
/// nlmsghdr (16) | genlmsghdr: cmd u8, version u8, reserved u16 | attributes (nlattr: len u16, type u16, data, pad to 4)
/// ```
public enum NetlinkCodec {
    /// Encodes an event the way the kernel sends it (for tests and replay).
    public static func encode(_ event: NetlinkEvent, family: UInt16) -> [UInt8] {
        build(family: family, command: event.kind.command, version: event.version, flags: 0) { msg in
            var ok = nla_put_string(msg, NetlinkAttribute.device.rawValue, event.uioName) == 0
            ok = ok && nla_put_u32(msg, NetlinkAttribute.minor.rawValue, event.minor) == 0
            if let id = event.deviceID {
                ok = ok && nla_put_u32(msg, NetlinkAttribute.deviceID.rawValue, id) == 0
            }
            if case .reconfig(let change) = event.kind {
                switch change {
                case .config(let s): ok = ok && nla_put_string(msg, NetlinkAttribute.deviceConfig.rawValue, s) == 0
                case .size(let n): ok = ok && nla_put_u64(msg, NetlinkAttribute.deviceSize.rawValue, n) == 0
                case .writeCache(let on):
                    ok = ok && nla_put_u8(msg, NetlinkAttribute.writeCache.rawValue, on ? 1 : 0) == 0
                case .unknown: break
                }
            }
            return ok
        }
    }

    /// Encodes a *_DONE reply: CMD_STATUS (s32) then DEVICE_ID (u32), as the kernel's handler reads them.
    public static func encode(_ reply: NetlinkReply, family: UInt16) -> [UInt8] {
        build(family: family, command: reply.command, version: tcmuNetlinkVersion, flags: 0) { msg in
            put(reply, into: msg)
        }
    }

    /// Adds a reply's attributes to a message; false when libnl ran out of room.
    static func put(_ reply: NetlinkReply, into msg: OpaquePointer) -> Bool {
        nla_put_s32(msg, NetlinkAttribute.commandStatus.rawValue, reply.status) == 0
            && nla_put_u32(msg, NetlinkAttribute.deviceID.rawValue, reply.deviceID) == 0
    }

    /// Decodes an event from a whole netlink message.
    public static func decodeEvent(_ bytes: [UInt8]) throws(NetlinkDecodeError) -> NetlinkEvent {
        let parsed = try withHeader(bytes) { hdr throws(NetlinkDecodeError) in try parse(hdr) }
        return try parsed.event()
    }

    /// Decodes a *_DONE reply from a whole netlink message.
    public static func decodeReply(_ bytes: [UInt8]) throws(NetlinkDecodeError) -> NetlinkReply {
        let parsed = try withHeader(bytes) { hdr throws(NetlinkDecodeError) in try parse(hdr) }
        guard let command = NetlinkCommand(rawValue: parsed.command),
            [.addedDeviceDone, .removedDeviceDone, .reconfigDeviceDone].contains(command)
        else { throw NetlinkDecodeError("command \(parsed.command) is not a *_DONE reply") }
        guard let status = parsed.status, let id = parsed.deviceID else {
            throw NetlinkDecodeError("reply without CMD_STATUS or DEVICE_ID")
        }
        return NetlinkReply(command: command, deviceID: id, status: status)
    }

    // MARK: libnl internals

    /// The attributes of one message, copied out of libnl's buffers.
    struct Parsed {
        var command: UInt8
        var version: UInt8
        var device: String?
        var minor: UInt32?
        var deviceID: UInt32?
        var config: String?
        var size: UInt64?
        var writeCache: UInt8?
        var status: Int32?

        func event() throws(NetlinkDecodeError) -> NetlinkEvent {
            let kind: NetlinkEvent.Kind
            switch NetlinkCommand(rawValue: command) {
            case .addedDevice?: kind = .added
            case .removedDevice?: kind = .removed
            case .reconfigDevice?:
                if let config { kind = .reconfig(.config(config)) }
                else if let size { kind = .reconfig(.size(size)) }
                else if let writeCache { kind = .reconfig(.writeCache(writeCache != 0)) }
                else { kind = .reconfig(.unknown) }
            default: throw NetlinkDecodeError("command \(command) is not a device event")
            }
            guard let device, let minor else {
                let owed = deviceID.flatMap { id in
                    kind.command.doneCommand.map { NetlinkReply(command: $0, deviceID: id, status: -22) }
                }
                throw NetlinkDecodeError("event \(command) without DEVICE or MINOR", reply: owed)
            }
            if version > 1 && deviceID == nil {
                throw NetlinkDecodeError("version \(version) event \(command) without DEVICE_ID")
            }
            return NetlinkEvent(kind: kind, uioName: device, minor: minor, deviceID: deviceID, version: version)
        }
    }

    /// Validates the genl header and parses the attributes against the TCMU policy.
    static func parse(_ hdr: UnsafeMutablePointer<nlmsghdr>) throws(NetlinkDecodeError) -> Parsed {
        guard genlmsg_valid_hdr(hdr, 0) != 0, let genl = genlmsg_hdr(hdr) else {
            throw NetlinkDecodeError("message too short for a generic netlink header")
        }
        var policy = [nla_policy](repeating: nla_policy(), count: Int(NetlinkAttribute.max) + 1)
        func set(_ a: NetlinkAttribute, _ type: Int) { policy[Int(a.rawValue)].type = UInt16(type) }
        set(.device, NLA_STRING)
        set(.minor, NLA_U32)
        set(.deviceConfig, NLA_STRING)
        set(.deviceSize, NLA_U64)
        set(.writeCache, NLA_U8)
        set(.commandStatus, NLA_S32)
        set(.deviceID, NLA_U32)
        set(.supportsKernelCommandReply, NLA_U8)
        var attrs = [UnsafeMutablePointer<nlattr>?](repeating: nil, count: Int(NetlinkAttribute.max) + 1)
        let rc = attrs.withUnsafeMutableBufferPointer { a in
            policy.withUnsafeMutableBufferPointer { p in
                genlmsg_parse(hdr, 0, a.baseAddress, NetlinkAttribute.max, p.baseAddress)
            }
        }
        guard rc == 0 else {
            throw NetlinkDecodeError("bad attributes: \(String(cString: nl_geterror(rc)))")
        }
        func attr(_ a: NetlinkAttribute) -> UnsafeMutablePointer<nlattr>? { attrs[Int(a.rawValue)] }
        return Parsed(
            command: genl.pointee.cmd, version: genl.pointee.version,
            device: attr(.device).flatMap { nla_get_string($0) }.map { String(cString: $0) },
            minor: attr(.minor).map { nla_get_u32($0) },
            deviceID: attr(.deviceID).map { nla_get_u32($0) },
            config: attr(.deviceConfig).flatMap { nla_get_string($0) }.map { String(cString: $0) },
            size: attr(.deviceSize).map { nla_get_u64($0) },
            writeCache: attr(.writeCache).map { nla_get_u8($0) },
            status: attr(.commandStatus).map { nla_get_s32($0) })
    }

    /// Copies untrusted bytes into 4-byte aligned memory and checks `nlmsg_len` against them.
    static func withHeader<R>(
        _ bytes: [UInt8], _ body: (UnsafeMutablePointer<nlmsghdr>) throws(NetlinkDecodeError) -> R
    ) throws(NetlinkDecodeError) -> R {
        let headerSize = MemoryLayout<nlmsghdr>.size
        guard bytes.count >= headerSize else { throw NetlinkDecodeError("\(bytes.count) bytes: no nlmsghdr") }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 8)
        defer { raw.deallocate() }
        bytes.withUnsafeBytes { raw.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        let hdr = raw.bindMemory(to: nlmsghdr.self, capacity: 1)
        guard Int(hdr.pointee.nlmsg_len) >= headerSize, Int(hdr.pointee.nlmsg_len) <= bytes.count else {
            throw NetlinkDecodeError("nlmsg_len \(hdr.pointee.nlmsg_len) outside the \(bytes.count) bytes given")
        }
        return try body(hdr)
    }

    /// Allocates a genl message, lets `fill` add attributes and returns the wire bytes.
    static func build(
        family: UInt16, command: NetlinkCommand, version: UInt8, flags: Int32,
        _ fill: (OpaquePointer) -> Bool
    ) -> [UInt8] {
        guard let msg = buildMessage(family: family, command: command, version: version, flags: flags, fill)
        else { return [] }
        defer { nlmsg_free(msg) }
        guard let hdr = nlmsg_hdr(msg) else { return [] }
        return Array(UnsafeRawBufferPointer(start: hdr, count: Int(hdr.pointee.nlmsg_len)))
    }
}

// MARK: - The socket

/// A generic netlink socket joined to TCM-USER's "config" group: receives device events, sends replies.
///
/// Used from one thread (the daemon's event loop): poll `fileDescriptor`, then `receive`.
public final class NetlinkSocket {
    private let socket: OpaquePointer
    /// The TCM-USER family id.
    public let family: UInt16
    /// Whether the kernel took SET_FEATURES (false on kernels without command replies).
    public private(set) var kernelRepliesEnabled = false
    private let inbox: Inbox

    /// Messages collected by the libnl callbacks during one `nl_recvmsgs` call.
    final class Inbox {
        var events: [Result<NetlinkEvent, NetlinkDecodeError>] = []
        var errors: [Int32] = []
    }

    /// Connects, resolves the family and group, asks for kernel command replies (SET_FEATURES with
    /// SUPP_KERN_CMD_REPLY=1; EOPNOTSUPP tolerated), then joins the group and goes non-blocking.
    /// - Throws: `NetlinkError` when TCM-USER is not there (target_core_user not loaded) or joining fails.
    public init() throws(NetlinkError) {
        guard let sock = nl_socket_alloc() else { throw NetlinkError(code: NLE_NOMEM, operation: "nl_socket_alloc") }
        var ok = false
        defer { if !ok { nl_socket_free(sock) } }
        nl_socket_disable_seq_check(sock)
        var rc = genl_connect(sock)
        guard rc >= 0 else { throw NetlinkError(code: rc, operation: "genl_connect") }
        defer { if !ok { nl_close(sock) } }
        rc = genl_ctrl_resolve(sock, "TCM-USER")
        guard rc >= 0 else { throw NetlinkError(code: rc, operation: "resolve family TCM-USER (is target_core_user loaded?)") }
        let family = UInt16(truncatingIfNeeded: rc)
        let group = genl_ctrl_resolve_grp(sock, "TCM-USER", "config")
        guard group >= 0 else { throw NetlinkError(code: group, operation: "resolve group TCM-USER/config") }

        // Before joining the group, so no event can arrive while nl_send_sync waits for its ACK.
        let features = NetlinkCodec.buildMessage(family: family, command: .setFeatures, flags: NLM_F_ACK) { msg in
            nla_put_u8(msg, NetlinkAttribute.supportsKernelCommandReply.rawValue, 1) == 0
        }
        guard let features else { throw NetlinkError(code: NLE_NOMEM, operation: "build SET_FEATURES") }
        rc = nl_send_sync(sock, features)  // frees the message
        if rc < 0 && rc != -NLE_OPNOTSUPP {
            throw NetlinkError(code: rc, operation: "SET_FEATURES")
        }
        kernelRepliesEnabled = rc >= 0

        rc = nl_socket_add_membership(sock, group)
        guard rc >= 0 else { throw NetlinkError(code: rc, operation: "join TCM-USER/config") }
        rc = nl_socket_set_nonblocking(sock)
        guard rc >= 0 else { throw NetlinkError(code: rc, operation: "nl_socket_set_nonblocking") }

        let inbox = Inbox()
        let context = Unmanaged.passUnretained(inbox).toOpaque()
        nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, { msg, arg in
            guard let msg, let arg, let hdr = nlmsg_hdr(msg) else { return Int32(NL_SKIP.rawValue) }
            let inbox = Unmanaged<Inbox>.fromOpaque(arg).takeUnretainedValue()
            inbox.events.append(Result { () throws(NetlinkDecodeError) in try NetlinkCodec.parse(hdr).event() })
            return Int32(NL_OK.rawValue)
        }, context)
        nl_socket_modify_err_cb(sock, NL_CB_CUSTOM, { _, err, arg in
            if let err, let arg {
                Unmanaged<Inbox>.fromOpaque(arg).takeUnretainedValue().errors.append(err.pointee.error)
            }
            return Int32(NL_SKIP.rawValue)
        }, context)
        self.socket = sock
        self.family = family
        self.inbox = inbox
        ok = true
    }

    deinit {
        nl_close(socket)
        nl_socket_free(socket)
    }

    /// The socket's descriptor, for poll.
    package var fileDescriptor: Int32 { nl_socket_get_fd(socket) }

    /// Reads what is waiting. Returns the events in order and the errno of any NLMSG_ERROR the kernel
    /// sent back (for a reply it could not match, say).
    public func receive() throws(NetlinkError) -> (events: [Result<NetlinkEvent, NetlinkDecodeError>], errors: [Int32]) {
        inbox.events.removeAll(keepingCapacity: true)
        inbox.errors.removeAll(keepingCapacity: true)
        let rc = nl_recvmsgs_default(socket)
        if rc < 0 && rc != -NLE_AGAIN && inbox.events.isEmpty {
            throw NetlinkError(code: rc, operation: "nl_recvmsgs")
        }
        return (inbox.events, inbox.errors)
    }

    /// Sends a *_DONE reply.
    public func send(_ reply: NetlinkReply) throws(NetlinkError) {
        guard let msg = NetlinkCodec.buildMessage(family: family, command: reply.command, flags: 0, {
            NetlinkCodec.put(reply, into: $0)
        }) else { throw NetlinkError(code: NLE_NOMEM, operation: "build \(reply.command)") }
        defer { nlmsg_free(msg) }
        let rc = nl_send_auto(socket, msg)
        guard rc >= 0 else { throw NetlinkError(code: rc, operation: "send \(reply.command)") }
    }
}

extension NetlinkCodec {
    /// A filled genl message the caller owns (nlmsg_free), or nil when libnl ran out of room.
    static func buildMessage(
        family: UInt16, command: NetlinkCommand, version: UInt8 = tcmuNetlinkVersion, flags: Int32,
        _ fill: (OpaquePointer) -> Bool
    ) -> OpaquePointer? {
        guard let msg = nlmsg_alloc() else { return nil }
        guard genlmsg_put(msg, UInt32(NL_AUTO_PORT), UInt32(NL_AUTO_SEQ), Int32(family), 0, flags,
                          command.rawValue, version) != nil, fill(msg)
        else {
            nlmsg_free(msg)
            return nil
        }
        return msg
    }
}
