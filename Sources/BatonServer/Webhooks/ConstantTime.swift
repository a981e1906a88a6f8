/// Byte comparison whose running time does not depend on where two values differ.
///
/// An early exit on the first differing byte would let a sender find a valid signature one byte
/// at a time by timing Baton's answers.
enum ConstantTime {
    /// Whether `provided` equals `expected`, taking time that depends only on `expected.count`.
    ///
    /// Every byte of `expected` is visited whatever `provided` holds; a length mismatch is folded
    /// into the result at the end rather than returned early. `expected` must be the value whose
    /// length is not secret (a MAC of fixed size); compare digests when lengths are secret too.
    @inline(never)
    static func equal(_ provided: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = 0
        let providedCount = provided.count
        for index in 0..<expected.count {
            // Wrap around a shorter `provided` so the loop does the same work for any length.
            let byte = providedCount == 0 ? 0 : provided[index % providedCount]
            difference |= byte ^ expected[index]
        }
        let lengthDiffers: UInt8 = providedCount == expected.count ? 0 : 1
        return (difference | lengthDiffers) == 0
    }
}
