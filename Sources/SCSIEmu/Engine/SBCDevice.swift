import Sense

/// A device whose media commands run on a `BlockEngine`: the disk, the zoned disk and the optical drive.
/// Its rows are written once (`SBC+Rows.swift`); each kind chooses which it offers and with which usage.
public protocol SBCDevice: SPCDevice {
    /// The engine a media command reaches now, or the sense why none does. This is where a medium policy
    /// plugs in: the optical drive answers NOT READY without a disc (or while formatting) and hands out
    /// the engine of the disc in the tray; a disk always has its one engine.
    func mediaEngine() throws(Sense) -> BlockEngine
    /// LBPME/LBPRZ of READ CAPACITY(16): the unit is thin provisioned and deallocated blocks read as zeros.
    var isThin: Bool { get }
}

extension SBCDevice {
    public var isThin: Bool { false }

    /// Re-reads WCE from the Caching mode page after MODE SELECT (SBC-4 §7.5.6).
    func applyCachingPage(to engine: BlockEngine) {
        let wce = unit.withState { s in
            s.modePages.first { $0.code == 0x08 && $0.subpage == 0 }.map { $0.current.count > 2 && $0.current[2] & 0x04 != 0 }
        }
        if let wce { engine.setWriteCacheEnabled(wce) }
    }
}
