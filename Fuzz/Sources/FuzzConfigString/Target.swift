import FuzzSupport
import SCSIEmu

/// Config strings as configfs hands them over: the registry's split and handler lookup, then the
/// handler's own check (nothing is opened). Every refusal must name a field.
enum FuzzTarget {
    static func run(_ bytes: [UInt8]) {
        let s = String(decoding: bytes, as: UTF8.self)
        do throws(ConfigError) {
            try HandlerRegistry.standard.checkConfig(s)
        } catch {
            if error.reason.isEmpty { fuzzFailure("a refusal without a reason for '\(s)': \(error)") }
        }
    }
}
