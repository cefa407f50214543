import CZlib

// The qcow2 store's only raw-memory code: zlib needs pointers into the input and output arrays.

/// Inflates a qcow2 compressed cluster: raw deflate data (no zlib header, window bits −12, as QEMU
/// writes it) that must expand to exactly `count` bytes. Trailing bytes after the stream (the rest of
/// the last 512-byte sector) are ignored.
func qcow2Inflate(_ input: [UInt8], count: Int) throws(StoreError) -> [UInt8] {
    let output = zlibStream(input, outputCount: count) { stream in
        guard czlib_inflate_init2(&stream, -12) == Z_OK else { return false }
        defer { inflateEnd(&stream) }
        let r = inflate(&stream, Z_FINISH)
        // Z_BUF_ERROR with a full output buffer is how QEMU's images end when padding follows.
        return r == Z_STREAM_END || (r == Z_BUF_ERROR || r == Z_OK) && stream.avail_out == 0
    }
    guard let output, output.count == count else { throw .corrupt("compressed cluster does not inflate to \(count) bytes") }
    return output
}

/// Deflates `input` as raw deflate (window bits −12), as qcow2 stores compressed clusters.
func qcow2Deflate(_ input: [UInt8], level: Int32 = 6) -> [UInt8]? {
    zlibStream(input, outputCount: input.count + input.count / 8 + 256) { stream in
        guard czlib_deflate_init2(&stream, level, -12) == Z_OK else { return false }
        defer { deflateEnd(&stream) }
        return deflate(&stream, Z_FINISH) == Z_STREAM_END
    }
}

/// Runs `body` (init, one call, end) over a z_stream from all of `input` into `outputCount` bytes: the
/// bytes produced, or nil when `body` says it failed.
private func zlibStream(_ input: [UInt8], outputCount: Int, _ body: (inout z_stream) -> Bool) -> [UInt8]? {
    var input = input
    var output = [UInt8](repeating: 0, count: outputCount)
    let produced: Int? = input.withUnsafeMutableBytes { inBuf in
        output.withUnsafeMutableBytes { outBuf in
            var stream = z_stream()
            stream.next_in = inBuf.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = uInt(inBuf.count)
            stream.next_out = outBuf.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(outBuf.count)
            guard body(&stream) else { return nil }
            return outBuf.count - Int(stream.avail_out)
        }
    }
    guard let produced else { return nil }
    return Array(output.prefix(produced))
}
