import CRbd

/// librados and librbd, loaded when the first rbd device opens (CRbd's `dlopen`), not linked: emud starts
/// without them and runs where they are not installed; only an rbd device then fails, saying why.
enum RBDLibrary {
    /// The process's calls into librados and librbd, loaded on the first call.
    /// - Throws: `StoreError.unsupported` naming the library or call that is missing.
    static func load() throws(StoreError) -> emud_rbd_api {
        var message = [CChar](repeating: 0, count: 512)
        guard let api = emud_rbd(&message, message.count) else {
            throw missing(message)
        }
        return api.pointee
    }

    /// The calls, once `load()` has succeeded (librbd's callbacks, which run only after it has).
    static var loaded: emud_rbd_api { emud_rbd(nil, 0)!.pointee }

    /// Loads the libraries named (a test's way to reach the failure paths).
    static func load(rados: String, rbd: String) throws(StoreError) -> emud_rbd_api {
        let api = UnsafeMutablePointer<emud_rbd_api>.allocate(capacity: 1)
        defer { api.deallocate() }
        var message = [CChar](repeating: 0, count: 512)
        guard emud_rbd_load_libraries(rados, rbd, api, &message, message.count) == 0 else {
            throw missing(message)
        }
        return api.pointee
    }

    private static func missing(_ message: [CChar]) -> StoreError {
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return .unsupported("the rbd store needs Ceph's client libraries: \(text) (Debian: librbd1)")
    }
}
