import Testing
@testable import JSONata

/// Checks `NumberText` against JavaScript's number rendering and the reference `$string`.
@Suite struct FormattingNumberTextTests {
    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (5, "5"), (-5, "-5"), (100, "100"), (4.35, "4.35"),
        (0.1 + 0.2, "0.30000000000000004"), (22.0 / 7, "3.142857142857143"),
        (1e21, "1e+21"), (1e20, "100000000000000000000"), (123456789012345680000, "123456789012345680000"),
        (1e-6, "0.000001"), (1e-7, "1e-7"), (1.5e-7, "1.5e-7"), (0.0000012345, "0.0000012345"),
        (123e-20, "1.23e-18"), (1e100, "1e+100"), (1e-100, "1e-100"), (-2.5e-8, "-2.5e-8"),
        (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (9007199254740992, "9007199254740992"), (1.5e300, "1.5e+300"), (0.5, "0.5"),
        (123.456, "123.456"), (1e16, "10000000000000000"), (12345.6789e10, "123456789000000"),
        (Double.nan, "NaN"), (Double.infinity, "Infinity"), (-Double.infinity, "-Infinity"),
    ] as [(Double, String)])
    func json(value: Double, expected: String) {
        #expect(NumberText.json(value) == expected)
    }

    @Test(arguments: [
        (5.0, "5"), (22.0 / 7, "3.14285714285714"), (1e100, "1e+100"), (1e-100, "1e-100"),
        (1e-6, "0.000001"), (1e-7, "1e-7"), (1e20, "100000000000000000000"), (1e21, "1e+21"),
        (90.57, "90.57"), (245.79, "245.79"), (78.8 / 2, "39.4"), (0.1 + 0.2, "0.3"),
        (1.0 / 3, "0.333333333333333"), (123456789.123456789, "123456789.123457"),
        (5890840712243076, "5890840712243076"), (9007199254740991, "9007199254740991"),
        (-5890840712243076, "-5890840712243076"), (1e15 + 1, "1000000000000001"),
        (9007199254740993.0, "9007199254740992"), (1e21 + 2e6, "1.000000000000002e+21"), (-0.0, "0"), (-1.0 / 3, "-0.333333333333333"),
    ] as [(Double, String)])
    func string(value: Double, expected: String) {
        #expect(NumberText.string(value) == expected)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func stringRejectsNonFinite(value: Double) {
        #expect(NumberText.string(value) == nil)
    }

    /// JS `toPrecision` breaks exact ties away from zero, unlike printf's half-even.
    @Test(arguments: [
        (0.125, 2, 0.13), (2.5, 1, 3.0), (1.45, 2, 1.4), (-0.125, 2, -0.13), (9.96, 2, 10.0),
        (123456789012344.5, 15, 123456789012345.0),
    ] as [(Double, Int, Double)])
    func roundedToSignificant(value: Double, precision: Int, expected: Double) {
        #expect(NumberText.roundedToSignificant(value, precision) == expected)
    }

    /// The reference `$round`: half-even on the decimal text, shifts done textually.
    @Test(arguments: [
        (2.5, 0, 2.0), (3.5, 0, 4.0), (-2.5, 0, -2.0), (1.005, 2, 1.0), (1.015, 2, 1.02),
        (0.125, 2, 0.12), (12345.6789, -2, 12300.0), (-0.4, 0, 0.0), (4.35, 1, 4.4),
        // checked against jsonata-js: shifts done exactly in integers, and Math.round's ties
        (88.58463191986084, 2, 88.58), (2.675, 2, 2.68), (-2.675, 2, -2.68), (0.0000123456789, 9, 0.000012346),
        (-556367524.1811583, 7, -556367524.1811583), (5.890600710717253e19, -4, 58906007107172530000),
        (0.49999999999999994, 0, 0.0), (1e21, 2, 1e21), (1.5e-7, 8, 1.5e-7),
    ] as [(Double, Int, Double)])
    func roundHalfEven(value: Double, precision: Int, expected: Double) {
        let rounded = NumberText.roundHalfEven(value, precision: precision)
        #expect(rounded == expected && rounded.sign == expected.sign)
    }

    /// JS `toFixed`: exact value, ties away from zero.
    @Test(arguments: [
        (0.5, 0, "1"), (1.5, 0, "2"), (2.5, 0, "3"), (1.005, 2, "1.00"), (1.45, 1, "1.4"),
        (0.125, 2, "0.13"), (123.456, 0, "123"), (0, 3, "0.000"), (1e21, 2, "1e+21"), (99.995, 2, "100.00"),
    ] as [(Double, Int, String)])
    func toFixed(value: Double, digits: Int, expected: String) {
        #expect(NumberText.toFixed(value, digits) == expected)
    }
}
