/// The SPC rows every device kind shares (TEST UNIT READY, REQUEST SENSE, INQUIRY, MODE SENSE/SELECT 6
/// and 10, REPORT SUPPORTED OPERATION CODES). START STOP UNIT and PREVENT ALLOW MEDIUM REMOVAL are the
/// drive's own rows (LoEj moves the tray; PREVENT really locks it).
extension OpticalDevice {
    static var sharedRows: [Row] { SPC.commonRows(for: OpticalDevice.self) }
}
