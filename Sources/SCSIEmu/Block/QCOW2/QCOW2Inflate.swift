import CZlib

// The qcow2 store's only raw-memory code: zlib needs pointers into the input and output arrays.

/// Inflates a qcow2 compressed cluster: raw deflate data (no zlib header, window bits −12, as QEMU
/// writes it) that must expand to exactly `count` bytes. Trailing bytes after the stream (the rest of
/// the last 512-byte sector) are ignored.
func qcow2Inflate(_ input: [UInt8], count: Int) throws(StoreError) -> [UInt8] {
    var output = [UInt8](repeating: 0, count: count)
    var input = input
    let produced: Int? = input.withUnsafeMutableBytes { inBuf in
        output.withUnsafeMutableBytes { outBuf in
            var stream = z_stream()
            guard czlib_inflate_init2(&stream, -12) == Z_OK else { return nil }
            defer { inflateEnd(&stream) }
            stream.next_in = inBuf.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = uInt(inBuf.count)
            stream.next_out = outBuf.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(outBuf.count)
            let r = inflate(&stream, Z_FINISH)
            // Z_BUF_ERROR with a full output buffer is how QEMU's images end when padding follows.
            guard r == Z_STREAM_END || (r == Z_BUF_ERROR && stream.avail_out == 0) || (r == Z_OK && stream.avail_out == 0)
            else { return nil }
            return outBuf.count - Int(stream.avail_out)
        }
    }
    guard produced == count else { throw .corrupt("compressed cluster does not inflate to \(count) bytes") }
    return output
}

/// Deflates `input` as raw deflate (window bits −12), as qcow2 stores compressed clusters.
func qcow2Deflate(_ input: [UInt8], level: Int32 = 6) -> [UInt8]? {
    var input = input
    var output = [UInt8](repeating: 0, count: input.count + input.count / 8 + 256)
    let n: Int? = input.withUnsafeMutableBytes { inBuf in
        output.withUnsafeMutableBytes { outBuf in
            var stream = z_stream()
            guard czlib_deflate_init2(&stream, level, -12) == Z_OK else { return nil }
            defer { deflateEnd(&stream) }
            stream.next_in = inBuf.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = uInt(inBuf.count)
            stream.next_out = outBuf.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(outBuf.count)
            guard deflate(&stream, Z_FINISH) == Z_STREAM_END else { return nil }
            return outBuf.count - Int(stream.avail_out)
        }
    }
    guard let n else { return nil }
    return Array(output.prefix(n))
}
