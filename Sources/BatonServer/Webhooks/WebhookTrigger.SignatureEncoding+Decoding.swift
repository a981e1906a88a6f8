import BatonCore
import Foundation

extension WebhookTrigger.SignatureEncoding {
    /// The bytes a signature text stands for, or nil when it is not valid in this encoding.
    ///
    /// Hex accepts either case, since senders differ; base64 is the standard alphabet with padding.
    func decode(_ text: Substring) -> [UInt8]? {
        switch self {
        case .hex: return Self.decodeHex(text.utf8)
        case .base64: return Data(base64Encoded: String(text)).map { [UInt8]($0) }
        }
    }

    /// Decodes an even number of hex digits of either case.
    static func decodeHex(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var high: UInt8? = nil
        for character in text {
            guard let nibble = character.hexDigitValue else { return nil }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }
}
