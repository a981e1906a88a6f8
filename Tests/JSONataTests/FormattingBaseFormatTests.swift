import Testing
@testable import JSONata

/// `$formatBase` cases from the reference suite (function-formatBase), plus our own.
@Suite struct FormattingBaseFormatTests {
    /// Rows: value, radix (nil = default), expected text or "!CODE".
    static let cases: [(Double, Double?, String)] = [
        (100, nil, "100"), // case000.json
        (100, 2, "1100100"), // case002.json
        (-100, 2, "-1100100"), // case003.json
        (100, 36, "2s"), // case004.json
        (99.5, 2.5, "1100100"), // case005.json
        (100, 1, "!D3100"), // case006.json
        (100, 37, "!D3100"), // case007.json
        (5890840712243076, nil, "5890840712243076"), // case008.json (value from its data)
        // Our own.
        (255, 16, "ff"), (-255.5, 16, "-100"), (0, 2, "0"), (-0.4, 2, "0"), (35, 36, "z"),
        (1e21, 2, "1101100011010111001001101011011100010111011110101000000000000000000000"),
        (18446744073709551616, 16, "10000000000000000"), (1e21, nil, "1e+21"), (100, 36.6, "!D3100"),
    ]

    @Test(arguments: cases)
    func format(value: Double, radix: Double?, expected: String) {
        do {
            #expect(try BaseFormat.format(value, radix: radix) == expected)
        } catch {
            #expect("!" + error.code == expected)
        }
    }

    @Test func radixErrorMessage() {
        #expect(throws: FormattingError(code: "D3100", message:
            "The radix of the formatBase function must be between 2 and 36.  It was given 37")) {
            try BaseFormat.format(100, radix: 37)
        }
    }
}
