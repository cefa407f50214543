import Sense

/// The SPC rows every device kind shares (INQUIRY, REQUEST SENSE, MODE SENSE/SELECT, REPORT SUPPORTED
/// OPERATION CODES, TEST UNIT READY) come from the SPC core once merged; until then only TEST UNIT READY.
extension OpticalDevice {
    static var sharedRows: [Row] {
        [
            // TEST UNIT READY (00h): GOOD when ready; the state column answers NOT READY otherwise.
            Row(0x00, "TEST UNIT READY", usage: [0x00, 0, 0, 0, 0, 0], direction: .none, states: .readyOnly) {
                _, _ throws(Sense) in .good
            }
        ]
    }
}
