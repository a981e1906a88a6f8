import Testing
@testable import BatonServer

/// The byte comparison every signature and token check goes through.
struct ConstantTimeTests {
    @Test(arguments: [
        ([UInt8](), [UInt8](), true),
        ([1, 2, 3], [1, 2, 3], true),
        ([1, 2, 4], [1, 2, 3], false),
        ([0, 2, 3], [1, 2, 3], false),
        ([1, 2], [1, 2, 3], false),
        ([1, 2, 3, 1], [1, 2, 3], false),
        // A shorter value repeated to the expected length must not pass for it.
        ([1], [1, 1, 1], false),
        ([], [0, 0], false),
        ([0], [], false),
    ])
    func comparesEveryByteAndTheLength(provided: [UInt8], expected: [UInt8], equal: Bool) {
        #expect(ConstantTime.equal(provided, expected) == equal)
    }
}
