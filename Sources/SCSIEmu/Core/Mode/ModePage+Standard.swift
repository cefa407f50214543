// The standard mode pages SPC and SBC devices share. Each factory draws its page; values follow what
// LIO/tcmu-runner report where they are right, and only the fields the emulation honours are changeable.

extension ModePage {
    // Read-Write Error Recovery (SBC-4 §6.5, Read-Write Error Recovery mode page), page 01h, length 0Ah
    // | 2 | AWRE | ARRE | TB | RC | EER | PER | DTE | DCR |
    // | 3 | READ RETRY COUNT | 4–6 | obsolete | 7 | LBPERE (7) | reserved (6–0) |
    // | 8 | WRITE RETRY COUNT | 9 | reserved | 10–11 | RECOVERY TIME LIMIT |
    /// Read-Write Error Recovery: all zero (no retries, no reallocation: a file has no defects), nothing
    /// changeable.
    public static var readWriteErrorRecovery: ModePage {
        ModePage(code: 0x01, parameters: [UInt8](repeating: 0, count: 10),
                 changeable: [UInt8](repeating: 0, count: 10))
    }

    // Caching (SBC-4 §6.5.5), page 08h, length 12h
    // | 2 | IC | ABPF | CAP | DISC | SIZE | WCE (2) | MF | RCD (0) |
    // | 3 | DEMAND READ RETENTION PRIORITY (7–4) | WRITE RETENTION PRIORITY (3–0) |
    // | 4–5 | DISABLE PRE-FETCH TRANSFER LENGTH | 6–7 | MINIMUM PRE-FETCH | 8–9 | MAXIMUM PRE-FETCH |
    // | 10–11 | MAXIMUM PRE-FETCH CEILING |
    // | 12 | FSW | LBCSS | DRA | vendor specific (4–3) | SYNC_PROG (2–1) | NV_DIS |
    // | 13 | NUMBER OF CACHE SEGMENTS | 14–15 | CACHE SEGMENT SIZE | 16 | reserved | 17–19 | obsolete |
    /// Caching: WCE as given and changeable (MODE SELECT turns the write cache on or off); RCD 0 (the read
    /// cache is the page cache). DPO and FUA support is the header's DPOFUA bit, not this page.
    public static func caching(writeCacheEnabled: Bool) -> ModePage {
        var p = [UInt8](repeating: 0, count: 0x12)
        p[0] = writeCacheEnabled ? 0x04 : 0x00
        var c = [UInt8](repeating: 0, count: 0x12)
        c[0] = 0x04
        return ModePage(code: 0x08, parameters: p, changeable: c)
    }

    // Control (SPC-5 §7.5.8), page 0Ah, length 0Ah
    // | 2 | TST (7–5) | TMF_ONLY (4) | DPICZ (3) | D_SENSE (2) | GLTSD (1) | RLEC (0) |
    // | 3 | QUEUE ALGORITHM MODIFIER (7–4) | NUAR (3) | QERR (2–1) | obsolete (0) |
    // | 4 | VS (7) | RAC (6) | UA_INTLCK_CTRL (5–4) | SWP (3) | obsolete (2–0) |
    // | 5 | ATO (7) | TAS (6) | ATMPE (5) | RWWP (4) | SBLP (3) | AUTOLOAD MODE (2–0) |
    // | 6–7 | obsolete | 8–9 | BUSY TIMEOUT PERIOD | 10–11 | EXTENDED SELF-TEST COMPLETION TIME |
    /// Control: TST 000b (one task set), GLTSD 1 (no log parameters are saved), QUEUE ALGORITHM MODIFIER
    /// 1h (unrestricted reordering: I/O runs on worker threads), QERR 00b, TAS 1, busy timeout FFFFh
    /// (unlimited). D_SENSE as given and changeable: it switches the sense data format.
    public static func control(descriptorSense: Bool) -> ModePage {
        var p = [UInt8](repeating: 0, count: 0x0A)
        p[0] = (descriptorSense ? 0x04 : 0x00) | 0x02
        p[1] = 0x10
        p[3] = 0x40
        p[6] = 0xFF
        p[7] = 0xFF
        var c = [UInt8](repeating: 0, count: 0x0A)
        c[0] = 0x04
        return ModePage(code: 0x0A, parameters: p, changeable: c)
    }

    // Control Extension (SPC-5 Control Extension mode page), page 0Ah subpage 01h, length 1Ch
    // | 4 | reserved (7–4) | DLC (3) | TCMOS (2) | SCSIP (1) | IALUAE (0) |
    // | 5 | reserved (7–4) | INITIAL COMMAND PRIORITY (3–0) |
    // | 6 | MAXIMUM SENSE DATA LENGTH | 7–31 | reserved |
    /// Control Extension: all zero (no timestamp, no priorities, sense length not limited), nothing
    /// changeable.
    public static var controlExtension: ModePage {
        ModePage(code: 0x0A, subpage: 0x01, parameters: [UInt8](repeating: 0, count: 0x1C),
                 changeable: [UInt8](repeating: 0, count: 0x1C))
    }

    // Informational Exceptions Control (SPC-5 §7.5, Informational Exceptions Control mode page), page 1Ch, length 0Ah
    // | 2 | PERF (7) | reserved | EBF (5) | EWASC (4) | DEXCPT (3) | TEST (2) | EBACKERR (1) | LOGERR (0) |
    // | 3 | reserved (7–4) | METHOD OF REPORTING INFORMATIONAL EXCEPTIONS (3–0) |
    // | 4–7 | INTERVAL TIMER | 8–11 | REPORT COUNT |
    /// Informational Exceptions Control: DEXCPT 1 (no failure prediction to report), MRIE 0, nothing
    /// changeable.
    public static var informationalExceptions: ModePage {
        var p = [UInt8](repeating: 0, count: 0x0A)
        p[0] = 0x08
        return ModePage(code: 0x1C, parameters: p, changeable: [UInt8](repeating: 0, count: 0x0A))
    }
}
