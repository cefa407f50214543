import TCMUDaemon
import Testing

@Suite struct NetlinkCodecTests {
    static let events: [NetlinkEvent] = [
        NetlinkEvent(kind: .added, uioName: "tcm-user/1/d0/file//var/d.img", minor: 3, deviceID: 17),
        NetlinkEvent(kind: .removed, uioName: "tcm-user/1/d0/file//var/d.img", minor: 3, deviceID: 17),
        NetlinkEvent(kind: .reconfig(.size(1 << 40)), uioName: "tcm-user/2/z/zbc/model-HA@/z", minor: 0, deviceID: 0),
        NetlinkEvent(kind: .reconfig(.config("file//other")), uioName: "tcm-user/1/d/file//x", minor: 9, deviceID: 4),
        NetlinkEvent(kind: .reconfig(.writeCache(true)), uioName: "tcm-user/1/d/file//x", minor: 9, deviceID: 4),
        NetlinkEvent(kind: .added, uioName: "tcm-user/1/old/file//x", minor: 1, deviceID: nil, version: 1),
    ]

    @Test(arguments: events) func eventRoundTripsThroughLibnl(_ event: NetlinkEvent) throws {
        let bytes = NetlinkCodec.encode(event, family: 0x1d)
        // nlmsghdr: length (LE host order), type = family id; genlmsghdr: cmd, version.
        #expect(Int(bytes[0]) | Int(bytes[1]) << 8 == bytes.count)
        #expect(bytes[4] == 0x1d && bytes[5] == 0)
        #expect(bytes[16] == event.kind.command.rawValue)
        #expect(bytes[17] == event.version)
        #expect(try NetlinkCodec.decodeEvent(bytes) == event)
    }

    @Test func replyCarriesStatusThenDeviceID() throws {
        let reply = NetlinkReply(command: .addedDeviceDone, deviceID: 0x01020304, status: -2)
        let bytes = NetlinkCodec.encode(reply, family: 0x20)
        #expect(bytes.count == 16 + 4 + 8 + 8)
        #expect(bytes[16] == 4 && bytes[17] == 2)
        // nlattr CMD_STATUS: len 8, type 7, s32 -2 (host order).
        #expect(Array(bytes[20..<28]) == [8, 0, 7, 0, 0xFE, 0xFF, 0xFF, 0xFF])
        // nlattr DEVICE_ID: len 8, type 8, u32.
        #expect(Array(bytes[28..<36]) == [8, 0, 8, 0, 0x04, 0x03, 0x02, 0x01])
        #expect(try NetlinkCodec.decodeReply(bytes) == reply)
    }

    @Test func everyEventMapsToItsDoneReply() {
        #expect(Self.events[0].reply(status: 0) == NetlinkReply(command: .addedDeviceDone, deviceID: 17, status: 0))
        #expect(Self.events[1].reply(status: 0)?.command == .removedDeviceDone)
        #expect(Self.events[2].reply(status: -95)?.command == .reconfigDeviceDone)
        #expect(Self.events[5].reply(status: 0) == nil)  // version 1: no DEVICE_ID, no reply expected
    }

    @Test func malformedMessagesAreRefusedNotTrusted() {
        let good = NetlinkCodec.encode(Self.events[0], family: 0x1d)
        #expect(throws: NetlinkDecodeError.self) { try NetlinkCodec.decodeEvent(Array(good.prefix(12))) }
        var long = good
        long[0] = UInt8(truncatingIfNeeded: good.count + 64)  // nlmsg_len beyond the bytes
        #expect(throws: NetlinkDecodeError.self) { try NetlinkCodec.decodeEvent(long) }
        // A reply is not an event.
        let reply = NetlinkCodec.encode(NetlinkReply(command: .addedDeviceDone, deviceID: 1, status: 0), family: 0x1d)
        #expect(throws: NetlinkDecodeError.self) { try NetlinkCodec.decodeEvent(reply) }
    }

    @Test func eventWithoutDeviceStillOwesItsReply() throws {
        // A v2 ADDED with DEVICE_ID but no DEVICE/MINOR: cannot be served, must still be answered.
        let bytes = NetlinkCodec.encode(
            NetlinkEvent(kind: .reconfig(.unknown), uioName: "x", minor: 0, deviceID: 42), family: 0x1d)
        // Drop the DEVICE and MINOR attributes: rebuild the header length around the DEVICE_ID attribute.
        let deviceAttr = Int(bytes[20]) | Int(bytes[21]) << 8
        let firstLen = (deviceAttr + 3) & ~3
        var stripped = Array(bytes[0..<20]) + Array(bytes[(20 + firstLen + 8)...])
        stripped[0] = UInt8(stripped.count)
        #expect { try NetlinkCodec.decodeEvent(stripped) } throws: { error in
            (error as? NetlinkDecodeError)?.reply == NetlinkReply(command: .reconfigDeviceDone, deviceID: 42, status: -22)
        }
    }
}
