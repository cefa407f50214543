@testable import SCSIEmu
import Testing

/// librados and librbd are loaded at run time (CRbd, dlopen), not linked: what a machine without them, or
/// with libraries lacking a call, is told; and that Debian's libraries (scripts/deps.txt) resolve every call.
@Suite("rbd libraries loaded at run time")
struct RBDLibraryTests {
    @Test("Debian's librados.so.2 and librbd.so.1 resolve every call the store makes")
    func loadsDebiansLibraries() throws {
        let api = try RBDLibrary.load()
        let again = try RBDLibrary.load(rados: "librados.so.2", rbd: "librbd.so.1")
        #expect(unsafeBitCast(api.rbd_open, to: UnsafeRawPointer.self)
            == unsafeBitCast(again.rbd_open, to: UnsafeRawPointer.self))
    }

    @Test("a library that is not installed is named, with the package to install")
    func namesAMissingLibrary() {
        #expect(throws: StoreError.unsupported(
            "the rbd store needs Ceph's client libraries: cannot load libemud-absent.so.2: "
                + "libemud-absent.so.2: cannot open shared object file: No such file or directory (Debian: librbd1)")
        ) {
            try RBDLibrary.load(rados: "libemud-absent.so.2", rbd: "librbd.so.1")
        }
    }

    @Test("a library without the calls is named with the first call it lacks")
    func namesAMissingCall() {
        #expect(throws: StoreError.unsupported(
            "the rbd store needs Ceph's client libraries: libz.so.1 has no rados_create (Debian: librbd1)")
        ) {
            try RBDLibrary.load(rados: "libz.so.1", rbd: "libz.so.1")
        }
    }
}
