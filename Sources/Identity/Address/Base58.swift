/// Base58 with the Bitcoin alphabet, as SS58 uses it.
enum Base58 {
    static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix(while: { $0 == 0 }).count
        // Base-58 digits, least significant first.
        var digits: [UInt8] = []
        digits.reserveCapacity(bytes.count * 138 / 100 + 1)
        for byte in bytes[zeros...] {
            var carry = Int(byte)
            for i in digits.indices {
                carry += Int(digits[i]) << 8
                digits[i] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        let out = [UInt8](repeating: alphabet[0], count: zeros) + digits.reversed().map { alphabet[Int($0)] }
        return String(decoding: out, as: UTF8.self)
    }

    /// A character outside the alphabet, with its position in the string.
    struct InvalidCharacter: Error {
        var character: Character
        var position: Int
    }

    static func decode(_ text: String) throws(InvalidCharacter) -> [UInt8] {
        var bytes: [UInt8] = []  // least significant first
        var zeros = 0
        var seenNonZero = false
        for (position, ch) in text.enumerated() {
            guard let ascii = ch.asciiValue, ascii < 128, values[Int(ascii)] >= 0 else {
                throw InvalidCharacter(character: ch, position: position)
            }
            let digit = Int(values[Int(ascii)])
            if !seenNonZero {
                if digit == 0 { zeros += 1; continue }
                seenNonZero = true
            }
            var carry = digit
            for i in bytes.indices {
                carry += Int(bytes[i]) * 58
                bytes[i] = UInt8(carry & 0xff)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xff))
                carry >>= 8
            }
        }
        return [UInt8](repeating: 0, count: zeros) + bytes.reversed()
    }
}
