import Sense

/// FORMAT UNIT (04h) on DVD-RAM: a zero-fill of the image, in the background with IMMED. While it runs the
/// unit's condition is `.formatting(progress:)`, so media commands and TEST UNIT READY get NOT READY 04/04
/// and REQUEST SENSE reports the progress; GESN reports device-busy events at its start and end.
extension OpticalDevice {
    func formatUnit(_ c: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let m = try presentMedium()
        if let r = m.recording, !m.writeProtected { return try formatRecordable(&c, m, r) }
        guard m.profile.isRewritable else { throw Sense(.illegalRequest, .cannotFormatMediumIncompatibleMedium) }
        guard !m.writeProtected else { throw Sense(.dataProtect, .writeProtected) }
        let request = try OpticalFormatUnit.parse(cdb: c.cdb, parameters: c.dataOut, blockCount: m.blockCount)
        drive.withLock { s in
            s.format = FormatJob(medium: m, chunkBytes: formatChunkBytes)
            s.model.setBusy(true)
            unit.setCondition(.formatting(progress: 0))
        }
        if request.immediate {
            background.run { [self] in
                while case .more = formatStep() {}
            }
            return .good
        }
        while true {
            switch formatStep() {
            case .more: continue
            case .done: return .good
            case .failed(let sense): throw sense
            }
        }
    }

    enum FormatStep: Sendable {
        case more
        case done
        case failed(Sense)
    }

    /// Zeroes the next chunk of the running format and updates the progress; ends the format when done
    /// or when a write fails (the error goes to the caller; an IMMED format's error is dropped).
    func formatStep() -> FormatStep {
        guard let (job, chunk) = drive.withLock({ s in s.format.flatMap { j in j.nextChunk.map { (j, $0) } } })
        else { return finishFormat() }
        do {
            try job.medium.zero(offset: chunk.offset, count: chunk.count)
        } catch {
            _ = finishFormat()
            return .failed(error)
        }
        let finished: Bool = drive.withLock { s in
            s.format?.advance(by: chunk.count)
            guard let j = s.format, !j.finished else { return true }
            unit.setCondition(.formatting(progress: j.progress))
            return false
        }
        return finished ? finishFormat() : .more
    }

    private func finishFormat() -> FormatStep {
        let medium = drive.withLock { s -> OpticalMedium? in
            let m = s.format?.medium
            s.format = nil
            s.model.setBusy(false)
            publish(s)
            return m
        }
        do { try medium?.engine.synchronize() } catch { return .failed(error) }
        return .done
    }
}
