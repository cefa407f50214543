/// The handlers `emud` serves. Each device kind adds its handlers on its own line below, so merging the
/// kinds touches separate lines: Block (SBC) `file` and `qcow`, Optical (MMC) `fbo`, Zoned (ZBC) `zbc`.
/// Subtype names are tcmu-runner's, unchanged, so existing configfs setups keep working.
extension HandlerRegistry {
    public static let standard: HandlerRegistry = {
        let handlers: [any DeviceHandler] = [
            FileHandler(), QcowHandler(),  // Block (SBC)
            RBDHandler(),  // Block (SBC) on Ceph RBD
            FBOHandler(),  // Optical (MMC)
            ZBCHandler(),  // Zoned (ZBC)
        ]
        return HandlerRegistry(handlers)
    }()
}
