import Testing
@testable import JSONata

/// `$formatNumber` cases from the reference suite (function-formatNumber), plus our own.
@Suite struct FormattingNumberPictureTests {
    /// Rows: value, picture, options, expected text or "!CODE" for an expected error.
    static let suiteCases: [(Double, String, [String: String], String)] = [
        (12345.6, "#,###.00", [:], "12,345.60"), // case000.json
        (12345678.9, "9,999.99", [:], "12,345,678.90"), // case001.json
        (123412345678.9, "9,9,99.99", [:], "123412345,6,78.90"), // case002.json
        (1234.56789, "9,999.999,999", [:], "1,234.567,890"), // case003.json
        (123.9, "9999", [:], "0124"), // case004.json
        (0.14, "01%", [:], "14%"), // case005.json
        (0.4857, "###.###‰", [:], "485.7‰"), // case006.json
        (0.14, "###pm", ["per-mille": "pm"], "140pm"), // case007.json
        (-6, "000", [:], "-006"), // case008.json
        (1234.5678, "00.000e0", [:], "12.346e2"), // case009.json
        (1234.5678, "00.000e000", [:], "12.346e002"), // case010.json
        (1234.5678, "①①.①①①e①", ["zero-digit": "⑟"], "①②.③④⑥e②"), // case011.json
        (0.234, "0.0e0", [:], "2.3e-1"), // case012.json
        (0.234, "#.00e0", [:], "0.23e0"), // case013.json
        (0.123, "#.e9", [:], "0.1e0"), // case014.json
        (0.234, ".00e0", [:], ".23e0"), // case015.json
        (2392.14*(-36.58), "000,000.000###;###,###.000###", [:], "87,504.4812"), // case016.json
        (2.14*86.58, "PREFIX##00.000###SUFFIX", [:], "PREFIX185.2812SUFFIX"), // case017.json
        (1E20, "#,######", [:], "100,000000,000000,000000"), // case018.json
        (20, "#;#;#", [:], "!D3080"), // case019.json
        (20, "#.0.0", [:], "!D3081"), // case020.json
        (20, "#0%%", [:], "!D3082"), // case021.json
        (20, "#0‰‰", [:], "!D3083"), // case022.json
        (20, "#0%‰", [:], "!D3084"), // case023.json
        (20, ".e0", [:], "!D3085"), // case024.json
        (20, "0+.e0", [:], "!D3086"), // case025.json
        (20, "0,.e0", [:], "!D3087"), // case026.json
        (20, "0,", [:], "!D3088"), // case027.json
        (20, "0,,0", [:], "!D3089"), // case028.json
        (20, "0#.e0", [:], "!D3090"), // case029.json
        (20, "#0.#0e0", [:], "!D3091"), // case030.json
        (20, "#0.0e0%", [:], "!D3092"), // case031.json
        (20, "#0.0e0,0", [:], "!D3093"), // case032.json
        (2, "000.000", [:], "002.000"), // case033.json
        (2, "AAA.AAA", ["zero-digit": "A"], "AAC.AAA"), // case034.json
        (0.1, "AeAAA", ["zero-digit": "A"], "Be-AAB"), // case035.json
        (0, "0e0", [:], "0e0"), // issue785.json#0
        (-42, "0e0", [:], "-4e1"), // issue785.json#1
        (42, "0e0", [:], "4e1"), // issue785.json#2
        (0, "0.00e0", [:], "0.00e0"), // issue785.json#3
        (42, "%%", [:], "!D3086"), // issue786.json#0
        (42, "‰‰", [:], "!D3086"), // issue786.json#1
        (42, "%‰", [:], "!D3086"), // issue786.json#2
        (42, "---", [:], "!D3086"), // issue786.json#3
    ]

    static let extraCases: [(Double, String, [String: String], String)] = [
        (1234.5, "#,##0.00", [:], "1,234.50"),
        (-1234.5, "#,##0.00;(#,##0.00)", [:], "(1,234.50)"),
        (0.5, "0", [:], "0"), (1.5, "0", [:], "2"), (2.5, "0", [:], "2"),
        (1234.5, "#.##0,00", ["decimal-separator": ",", "grouping-separator": "."], "1.234,50"),
        (0, "#", [:], "0"), (0.25, "#%", [:], "25%"), (-0.0, "0.0", [:], "0.0"),
        (123456.789, "#,##,###.##", [:], "1,23,456.79"),
        // irregular grouping over fewer digits than its separators need: no leading separator
        // (jsonata-js writes "8,0,4", ",5," and ",45,804", wrong too)
        (804, "#,##,##0", [:], "804"), (1234567, "#,##,##0", [:], "12,34,567"), (5, "#,##,##0", [:], "5"),
        (45804, "#,##,##0", [:], "45,804"), (5, "00,00,000", [:], "00,00,005"),
        (Double.infinity, "#,##0", [:], "Infinity"), (-Double.infinity, "#0", ["infinity": "inf"], "-inf"),
        (Double.nan, "#0", [:], "NaN"),
        (12, "0 items", [:], "12 items"),
        (1e-10, "0.0e0", [:], "1.0e-10"),
    ]

    @Test(arguments: suiteCases + extraCases)
    func format(value: Double, picture: String, options: [String: String], expected: String) {
        do {
            let text = try NumberPicture.format(value, picture: picture, options: options)
            #expect(text == expected)
        } catch {
            #expect("!" + error.code == expected)
        }
    }

    @Test func errorCarriesReferenceMessage() {
        #expect(throws: FormattingError(code: "D3080", message: "The picture string must only contain a maximum of two sub-pictures")) {
            try NumberPicture.format(1, picture: "#;#;#")
        }
    }
}
