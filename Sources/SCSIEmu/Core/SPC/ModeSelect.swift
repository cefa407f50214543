import Sense

// MODE SELECT(6) (SPC-5 MODE SELECT(6) command)
// | 0 | OPERATION CODE (15h) |
// | 1 | reserved (7–5) | PF (4) | reserved (3–2) | RTD (1) | SP (0) |
// | 2–3 | reserved | 4 | PARAMETER LIST LENGTH | 5 | CONTROL |
//
// MODE SELECT(10)
// | 0 | OPERATION CODE (55h) |
// | 1 | reserved (7–5) | PF (4) | reserved (3–2) | RTD (1) | SP (0) |
// | 2–6 | reserved | 7–8 | PARAMETER LIST LENGTH | 9 | CONTROL |
//
// Parameter list: mode parameter header (4 or 8 bytes, as in MODE SENSE), block descriptors, mode pages.
// In MODE SELECT the header's MODE DATA LENGTH, MEDIUM TYPE and DEVICE-SPECIFIC PARAMETER are not used
// (reserved or ignored for direct-access devices), and each page's PS bit is reserved (must be 0).

extension SPC {
    public static func modeSelect6<D: SPCDevice>(_ d: D, _ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        try modeSelect(d, cmd, tenByte: false, parameterListLength: Int(cmd.cdb[4]))
    }

    public static func modeSelect10<D: SPCDevice>(_ d: D, _ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        try modeSelect(d, cmd, tenByte: true, parameterListLength: Int(cmd.cdb.u16(7)))
    }

    /// Validates the whole parameter list against the device's pages, then applies every page at once
    /// (nothing changes when any check fails):
    /// - PF = 0 (vendor-specific pages) is INVALID FIELD IN CDB at byte 1 bit 4; SP = 1 when no page is
    ///   saveable, at byte 1 bit 0; RTD = 1 (revert to defaults) with a non-zero parameter list length, at
    ///   byte 1 bit 1.
    /// - A list that truncates the header, a block descriptor or a page: PARAMETER LIST LENGTH ERROR.
    /// - In the list (INVALID FIELD IN PARAMETER LIST, pointer into the list): a block descriptor length
    ///   other than 0 or one descriptor; a descriptor that changes the block length or the number of
    ///   blocks (0 and all ones mean "unchanged"); PS = 1; an unknown page or subpage; a page length other
    ///   than the page's; any bit outside the changeable mask that differs from the current value; a
    ///   changeable field holding a value the device does not support (`unsupportedModePageField`).
    /// Afterwards the unit's sense format follows the Control page's D_SENSE and the device is told.
    static func modeSelect<D: SPCDevice>(
        _ d: D, _ cmd: SCSICommand, tenByte: Bool, parameterListLength: Int
    ) throws(Sense) -> CommandOutcome {
        let cdb = cmd.cdb
        let save = cdb.bit(1, 0)
        var pages = d.unit.withState { $0.modePages }
        guard cdb.bit(1, 4) else { throw invalidFieldInCDB(byte: 1, bit: 4) }
        if save, !pages.contains(where: \.isSaveable) { throw invalidFieldInCDB(byte: 1, bit: 0) }
        if cdb.bit(1, 1) {
            guard parameterListLength == 0 else { throw invalidFieldInCDB(byte: 1, bit: 1) }
            for i in pages.indices {
                pages[i].current = pages[i].defaults
                if save, pages[i].isSaveable { pages[i].saved = pages[i].defaults }
            }
            commitModePages(d, pages)
            return .good
        }
        guard parameterListLength > 0 else { return .good }

        let list = cmd.dataOut.bytes(from: 0, length: parameterListLength)
        let headerLength = tenByte ? 8 : 4
        guard list.count >= headerLength else { throw parameterListLengthError }
        let descriptorLength = tenByte ? Int(list.bigEndianValue(at: 6, width: 2)) : Int(list[3])
        let longLBA = tenByte && list[4] & 0x01 != 0
        guard list.count >= headerLength + descriptorLength else { throw parameterListLengthError }
        if descriptorLength > 0 {
            try checkBlockDescriptor(
                d, list, at: headerLength, length: descriptorLength, longLBA: longLBA,
                lengthField: tenByte ? 6 : 3)
        }

        var offset = headerLength + descriptorLength
        while offset < list.count {
            let start = offset
            let index = try applyModePage(from: list, at: &offset, to: &pages, save: save)
            let page = pages[index]
            if let field = d.unsupportedModePageField(page.current, code: page.code, subpage: page.subpage) {
                throw invalidFieldInParameterList(byte: start + field.byte, bit: field.bit)
            }
        }
        commitModePages(d, pages)
        return .good
    }

    /// Checks the one block descriptor a MODE SELECT may carry: it must describe the current format.
    static func checkBlockDescriptor<D: SPCDevice>(
        _ d: D, _ list: [UInt8], at offset: Int, length: Int, longLBA: Bool, lengthField: Int
    ) throws(Sense) {
        let size = longLBA ? 16 : 8
        guard length == size, let current = d.modeBlockDescriptor else {
            throw invalidFieldInParameterList(byte: lengthField)
        }
        let blocks = list.bigEndianValue(at: offset, width: longLBA ? 8 : 4)
        let allOnes: UInt64 = longLBA ? .max : 0xFFFF_FFFF
        let reported = longLBA ? current.numberOfBlocks : min(current.numberOfBlocks, 0xFFFF_FFFF)
        guard blocks == 0 || blocks == allOnes || blocks == reported else {
            throw invalidFieldInParameterList(byte: offset)
        }
        let reserved = longLBA ? list.bigEndianValue(at: offset + 8, width: 4) : UInt64(list[offset + 4])
        if reserved != 0 { throw invalidFieldInParameterList(byte: offset + (longLBA ? 8 : 4)) }
        let blockLengthAt = offset + (longLBA ? 12 : 5)
        let blockLength = list.bigEndianValue(at: blockLengthAt, width: longLBA ? 4 : 3)
        guard blockLength == UInt64(current.blockLength) else { throw invalidFieldInParameterList(byte: blockLengthAt) }
    }

    /// Checks one page of the list at `offset` against the device's page and applies it to `pages`;
    /// advances `offset` past it. Returns the page's index in `pages`.
    @discardableResult
    static func applyModePage(
        from list: [UInt8], at offset: inout Int, to pages: inout [ModePage], save: Bool
    ) throws(Sense) -> Int {
        let start = offset
        let first = list[start]
        if first & 0x80 != 0 { throw invalidFieldInParameterList(byte: start, bit: 7) }  // PS is reserved
        let subpageFormat = first & 0x40 != 0
        let headerLength = subpageFormat ? 4 : 2
        guard list.count >= start + headerLength else { throw parameterListLengthError }
        let code = first & 0x3F
        let subpage = subpageFormat ? list[start + 1] : 0
        let pageLength = subpageFormat ? Int(list.bigEndianValue(at: start + 2, width: 2)) : Int(list[start + 1])

        guard let index = pages.firstIndex(where: { $0.code == code && $0.subpage == subpage }),
            pages[index].isSubpageFormat == subpageFormat
        else {
            if subpageFormat, subpage != 0, pages.contains(where: { $0.code == code }) {
                throw invalidFieldInParameterList(byte: start + 1)
            }
            throw invalidFieldInParameterList(byte: start, bit: 5)
        }
        let page = pages[index]
        guard headerLength + pageLength == page.length else {
            throw invalidFieldInParameterList(byte: start + (subpageFormat ? 2 : 1))
        }
        guard list.count >= start + page.length else { throw parameterListLengthError }

        var updated = page.current
        for i in headerLength..<page.length {
            let sent = list[start + i]
            let stray = (sent ^ page.current[i]) & ~page.changeable[i]
            if stray != 0 {
                throw invalidFieldInParameterList(byte: start + i, bit: UInt8(7 - stray.leadingZeroBitCount))
            }
            updated[i] = sent
        }
        pages[index].current = updated
        if save, page.isSaveable { pages[index].saved = updated }
        offset = start + page.length
        return index
    }

    /// Stores the new pages, applies D_SENSE to the unit's sense format, and tells the device and the
    /// unit's observer (`LogicalUnit.observeModePages`).
    static func commitModePages<D: SPCDevice>(_ d: D, _ pages: [ModePage]) {
        d.unit.withState { s in
            s.modePages = pages
            s.senseFormat = ModePage.senseFormat(in: pages)
        }
        d.modePagesChanged()
        d.unit.modePagesCommitted(pages)
    }
}
