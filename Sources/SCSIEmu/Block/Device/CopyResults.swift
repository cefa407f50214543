import Sense
import Synchronization

/// What the copy manager keeps about the EXTENDED COPY (LID1) commands it accepted, for RECEIVE COPY
/// RESULTS with COPY STATUS and FAILED SEGMENT DETAILS (SPC-4 RECEIVE COPY STATUS(LID1), RECEIVE COPY
/// FAILURE DETAILS(LID1)).
///
/// A copy is kept under its LIST IDENTIFIER when its LIST ID USAGE is 00b or 10b (11b: the list has no
/// identifier). SPC-4 lets the copy manager preserve the results of a completed copy for a vendor
/// specific period of time and discard them: once they have been transferred, when another EXTENDED
/// COPY with the same list identifier arrives, on I_T nexus loss, or when it needs the resources. Under
/// TCMU emud sees neither I_T nexuses nor their loss (every initiator shares one list-identifier space),
/// so the vendor specific period is `retention` after completion.
final class CopyResults: Sendable {
    /// How long the results of a completed copy are kept.
    static let retention: Duration = .seconds(5)

    struct Entry: Sendable, Equatable {
        /// The copy is still running (COPY STATUS reports 00h; FAILED SEGMENT DETAILS refuses it).
        var inProgress = true
        /// SEGMENTS PROCESSED and the bytes written to the destination so far.
        var segmentsProcessed: UInt16 = 0
        var bytesTransferred: UInt64 = 0
        /// The encoded sense data of the CHECK CONDITION that ended the copy; nil after GOOD.
        var failureSense: [UInt8]?
        /// When the copy ended; the entry is discarded `retention` later.
        var completedAt: ContinuousClock.Instant?
        /// COPY STATUS, FAILED SEGMENT DETAILS already transferred in full (the entry goes once both
        /// have been, the details counting as transferred for a copy that did not fail).
        var statusTransferred = false
        var detailsTransferred = false
    }

    private let entries = Mutex<[UInt8: Entry]>([:])

    /// Starts keeping the copy `listID`; its earlier results are discarded. OPERATION IN PROGRESS when
    /// a copy with that identifier is still running (SPC-4 EXTENDED COPY(LID1): a duplicate list identifier).
    func begin(_ listID: UInt8, now: ContinuousClock.Instant) throws(Sense) {
        let duplicate = entries.withLock { e -> Bool in
            Self.expire(&e, now: now)
            if e[listID]?.inProgress == true { return true }
            e[listID] = Entry()
            return false
        }
        if duplicate { throw Sense(.illegalRequest, .operationInProgress) }
    }

    /// Records the end of copy `listID`: GOOD (`failure` nil) or the CHECK CONDITION sense it ended with.
    func finish(_ listID: UInt8, segments: UInt16, bytes: UInt64, failure: [UInt8]?, now: ContinuousClock.Instant) {
        entries.withLock { e in
            e[listID] = Entry(inProgress: false, segmentsProcessed: segments, bytesTransferred: bytes,
                              failureSense: failure, completedAt: now, detailsTransferred: failure == nil)
        }
    }

    /// Forgets copy `listID` (its parameter list was refused: the copy never started).
    func forget(_ listID: UInt8) {
        _ = entries.withLock { e in e.removeValue(forKey: listID) }
    }

    /// The entry of `listID`, if kept. `transferred` says what the caller returns of it in full
    /// (`\.statusTransferred` or `\.detailsTransferred`); a completed entry goes once both are.
    func take(_ listID: UInt8, now: ContinuousClock.Instant, marking transferred: WritableKeyPath<Entry, Bool>?) -> Entry? {
        entries.withLock { e -> Entry? in
            Self.expire(&e, now: now)
            guard var entry = e[listID] else { return nil }
            let found = entry
            if let transferred, !entry.inProgress {
                entry[keyPath: transferred] = true
                e[listID] = entry.statusTransferred && entry.detailsTransferred ? nil : entry
            }
            return found
        }
    }

    private static func expire(_ e: inout [UInt8: Entry], now: ContinuousClock.Instant) {
        for (id, entry) in e {
            if let end = entry.completedAt, now - end > retention { e[id] = nil }
        }
    }
}
