#if canImport(Glibc)
import Glibc
#endif

/// qcow2 images made by qemu-img (the reference writer), for the qcow2 fuzz targets and seeds.
public enum QemuImage {
    /// A 1 MiB qcow2 image with 4 KiB clusters and a few clusters written: `$FUZZ_QCOW2_IMAGE` when set,
    /// otherwise made once in the scratch directory with qemu-img / qemu-io.
    public static func pristineQcow2() -> String {
        if let p = getenv("FUZZ_QCOW2_IMAGE") { return String(cString: p) }
        let path = FuzzDevice.path("pristine.qcow2")
        make(path, clusterSize: 4096, compressed: false)
        return path
    }

    /// Makes a 1 MiB qcow2 image at `path` with data at a few offsets; `compressed`: through
    /// `qemu-img convert -c` (compressed clusters).
    public static func make(_ path: String, clusterSize: Int, compressed: Bool) {
        let q = "'\(path)'"
        var script = "qemu-img create -q -f qcow2 -o cluster_size=\(clusterSize) \(q) 1M"
        script += " && qemu-io -f qcow2 -c 'write -P 0x5a 0 8k' -c 'write -P 0xa5 512k 4k' -c 'write -z 64k 4k' \(q) >/dev/null"
        if compressed {
            script += " && qemu-img convert -c -O qcow2 -o cluster_size=\(clusterSize) \(q) \(q).c && mv \(q).c \(q)"
        }
        guard system(script) == 0 else { fuzzFailure("qemu-img/qemu-io failed (qemu-utils installed?): \(script)") }
    }
}
