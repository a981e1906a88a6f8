import Testing
@testable import JSONata

/// `$formatInteger` / `$parseInteger` cases from the reference suite, plus our own.
@Suite struct FormattingIntegerPictureTests {
    /// Rows: value, picture, expected text or "!CODE".
    static let formatCases: [(Double, String, String)] = [
        (123, "000", "123"), // formatInteger.json#1
        (123, "0000", "0123"), // formatInteger.json#2
        (-3, "0000", "-0003"), // formatInteger.json#3
        (1234, "0;c", "1234"), // formatInteger.json#4
        (1234, "###0", "1234"), // formatInteger.json#5
        (12, "###0", "12"), // formatInteger.json#6
        (12.6, "###0", "12"), // formatInteger.json#7
        (123, "000;o", "123rd"), // formatInteger.json#8
        (1, "0;o", "1st"), // formatInteger.json#9
        (28, "#0;o", "28th"), // formatInteger.json#10
        (1234, "###0;o", "1234th"), // formatInteger.json#11
        (12, "###0;o", "12th"), // formatInteger.json#12
        (12340, "###١", "١٢٣٤٠"), // formatInteger.json#13
        (12340, "###０", "１２３４０"), // formatInteger.json#14
        (12340, "##0０", "!D3131"), // formatInteger.json#15
        (12, "#,##0", "12"), // formatInteger.json#16
        (1200, "#,##0", "1,200"), // formatInteger.json#17
        (120000, "#,##0", "120,000"), // formatInteger.json#18
        (12345678, "#,##0", "12,345,678"), // formatInteger.json#19
        (1234567890, "#,##0", "1,234,567,890"), // formatInteger.json#20
        (1234567890, "#,###,##0", "1,234,567,890"), // formatInteger.json#21
        (1234567890, "#:###,##0", "1234:567,890"), // formatInteger.json#22
        (1234567890, "##,##,##0", "12345,67,890"), // formatInteger.json#23
        (0, "I", ""), // formatInteger.json#24
        (1984, "I", "MCMLXXXIV"), // formatInteger.json#25
        (99, "i", "xcix"), // formatInteger.json#26
        (12, "w", "twelve"), // formatInteger.json#27
        (20, "w", "twenty"), // formatInteger.json#28
        (34, "w", "thirty-four"), // formatInteger.json#29
        (99, "W", "NINETY-NINE"), // formatInteger.json#30
        (100, "w", "one hundred"), // formatInteger.json#31
        (555, "W", "FIVE HUNDRED AND FIFTY-FIVE"), // formatInteger.json#32
        (555, "Ww", "Five Hundred and Fifty-Five"), // formatInteger.json#33
        (919, "w", "nine hundred and nineteen"), // formatInteger.json#34
        (730, "w", "seven hundred and thirty"), // formatInteger.json#35
        (1000, "w", "one thousand"), // formatInteger.json#36
        (3730, "w", "three thousand, seven hundred and thirty"), // formatInteger.json#37
        (327730, "w", "three hundred and twenty-seven thousand, seven hundred and thirty"), // formatInteger.json#38
        (4327730, "w", "four million, three hundred and twenty-seven thousand, seven hundred and thirty"), // formatInteger.json#39
        (1000000000001, "w", "one trillion and one"), // formatInteger.json#40
        (1234567890123, "w", "one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three"), // formatInteger.json#41
        (1000000000000000, "w", "one thousand trillion"), // formatInteger.json#42
        (1e+46, "w", "ten billion trillion trillion trillion"), // formatInteger.json#43
        (1234567890123456, "w", "one thousand, two hundred and thirty-four trillion, five hundred and sixty-seven billion, eight hundred and ninety million, one hundred and twenty-three thousand, four hundred and fifty-six"), // formatInteger.json#44
        (12, "w;o", "twelfth"), // formatInteger.json#45
        (20, "w;o", "twentieth"), // formatInteger.json#46
        (34, "w;o", "thirty-fourth"), // formatInteger.json#47
        (99, "W;o", "NINETY-NINTH"), // formatInteger.json#48
        (100, "w;o", "one hundredth"), // formatInteger.json#49
        (555, "W;o", "FIVE HUNDRED AND FIFTY-FIFTH"), // formatInteger.json#50
        (919, "w;o", "nine hundred and nineteenth"), // formatInteger.json#51
        (730, "w;o", "seven hundred and thirtieth"), // formatInteger.json#52
        (1000, "w;o", "one thousandth"), // formatInteger.json#53
        (3731, "w;o", "three thousand, seven hundred and thirty-first"), // formatInteger.json#54
        (327713, "w;o", "three hundred and twenty-seven thousand, seven hundred and thirteenth"), // formatInteger.json#55
        (4327732, "w;o", "four million, three hundred and twenty-seven thousand, seven hundred and thirty-second"), // formatInteger.json#56
        (1000000000001, "w;o", "one trillion and first"), // formatInteger.json#57
        (1, "A", "A"), // formatInteger.json#58
        (12, "a", "l"), // formatInteger.json#59
        (26, "a", "z"), // formatInteger.json#60
        (27, "a", "aa"), // formatInteger.json#61
        (300, "A", "KN"), // formatInteger.json#62
        (123456, "A", "FZPH"), // formatInteger.json#63
        (123456, "α", "!D3130"), // formatInteger.json#64
        // Our own.
        (21, "w;o", "twenty-first"), (123, "w", "one hundred and twenty-three"), (0, "w", "zero"),
        (-12, "w", "-twelve"), (11, "0;o", "11th"), (112, "0;o", "112th"), (22, "0;o", "22nd"),
        (1e21, "w", "one billion trillion"), (2024, "Ww;o", "Two Thousand and Twenty-Fourth"),
        (52, "A", "AZ"), (3999, "i", "mmmcmxcix"), (1234567, "#,##0", "1,234,567"), (5, "0", "5"),
        (12, "##:##0", "12"), (1234, "٠٠", "١٢٣٤"),
    ]

    /// Rows: text, picture, expected number as JSON text or "!CODE".
    static let parseCases: [(String, String, String)] = [
        ("123", "000", "123"), // parseInteger.json#1
        ("0123", "0000", "123"), // parseInteger.json#2
        ("1234", "0", "1234"), // parseInteger.json#3
        ("1234", "###0", "1234"), // parseInteger.json#4
        ("12", "###0", "12"), // parseInteger.json#5
        ("123rd", "000;o", "123"), // parseInteger.json#6
        ("1st", "0;o", "1"), // parseInteger.json#7
        ("28th", "#0;o", "28"), // parseInteger.json#8
        ("1234th", "###0;o", "1234"), // parseInteger.json#9
        ("12th", "###0;o", "12"), // parseInteger.json#10
        ("١٢٣٤٠", "###١", "12340"), // parseInteger.json#11
        ("１２３４０", "###０", "12340"), // parseInteger.json#12
        ("12", "#,##0", "12"), // parseInteger.json#13
        ("1,200", "#,##0", "1200"), // parseInteger.json#14
        ("12,345,678", "#,##0", "12345678"), // parseInteger.json#15
        ("1,234,567,890", "#,##0", "1234567890"), // parseInteger.json#16
        ("1,234,567,890", "#,###,##0", "1234567890"), // parseInteger.json#17
        ("1234:567,890", "#:###,##0", "1234567890"), // parseInteger.json#18
        ("12345,67,890", "##,##,##0", "1234567890"), // parseInteger.json#19
        ("", "I", "0"), // parseInteger.json#20
        ("MCMLXXXIV", "I", "1984"), // parseInteger.json#21
        ("xcix", "i", "99"), // parseInteger.json#22
        ("twelve", "w", "12"), // parseInteger.json#23
        ("twenty", "w", "20"), // parseInteger.json#24
        ("thirty-four", "w", "34"), // parseInteger.json#25
        ("NINETY-NINE", "W", "99"), // parseInteger.json#26
        ("one hundred", "w", "100"), // parseInteger.json#27
        ("FIVE HUNDRED AND FIFTY-FIVE", "W", "555"), // parseInteger.json#28
        ("Five Hundred and Fifty-Five", "Ww", "555"), // parseInteger.json#29
        ("nine hundred and nineteen", "w", "919"), // parseInteger.json#30
        ("seven hundred and thirty", "w", "730"), // parseInteger.json#31
        ("one thousand", "w", "1000"), // parseInteger.json#32
        ("three thousand, seven hundred and thirty", "w", "3730"), // parseInteger.json#33
        ("three hundred and twenty-seven thousand, seven hundred and thirty", "w", "327730"), // parseInteger.json#34
        ("four million, three hundred and twenty-seven thousand, seven hundred and thirty", "w", "4327730"), // parseInteger.json#35
        ("one trillion and one", "w", "1000000000001"), // parseInteger.json#36
        ("one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three", "w", "1234567890123"), // parseInteger.json#37
        ("one thousand trillion", "w", "1000000000000000"), // parseInteger.json#38
        ("ten billion trillion trillion trillion", "w", "1e+46"), // parseInteger.json#39
        ("twelfth", "w;o", "12"), // parseInteger.json#40
        ("twentieth", "w;o", "20"), // parseInteger.json#41
        ("thirty-fourth", "w;o", "34"), // parseInteger.json#42
        ("NINETY-NINTH", "W;o", "99"), // parseInteger.json#43
        ("one hundredth", "w;o", "100"), // parseInteger.json#44
        ("FIVE HUNDRED AND FIFTY-FIFTH", "W;o", "555"), // parseInteger.json#45
        ("nine hundred and nineteenth", "w;o", "919"), // parseInteger.json#46
        ("seven hundred and thirtieth", "w;o", "730"), // parseInteger.json#47
        ("Seven Hundred and Thirty-Third", "Ww;o", "733"), // parseInteger.json#48
        ("one thousandth", "w;o", "1000"), // parseInteger.json#49
        ("three thousand, seven hundred and thirty-first", "w;o", "3731"), // parseInteger.json#50
        ("three hundred and twenty-seven thousand, seven hundred and thirteenth", "w;o", "327713"), // parseInteger.json#51
        ("four million, three hundred and twenty-seven thousand, seven hundred and thirty-second", "w;o", "4327732"), // parseInteger.json#52
        ("one trillion and first", "w;o", "1000000000001"), // parseInteger.json#53
        ("A", "A", "1"), // parseInteger.json#54
        ("l", "a", "12"), // parseInteger.json#55
        ("z", "a", "26"), // parseInteger.json#56
        ("aa", "a", "27"), // parseInteger.json#57
        ("KN", "A", "300"), // parseInteger.json#58
        ("FZPH", "A", "123456"), // parseInteger.json#59
        ("50", "#", "!D3130"), // parseInteger.json#60
        // Our own.
        ("twenty-first", "w;o", "21"), ("", "0", "!nil"), ("abc", "0", "!nil"), ("seven and", "w", "!nil"),
        ("-12", "0", "-12"), ("1.234", "#.##0", "1234"),
    ]

    @Test(arguments: formatCases)
    func format(value: Double, picture: String, expected: String) {
        do {
            #expect(try IntegerPicture.format(value, picture: picture) == expected)
        } catch {
            #expect("!" + error.code == expected)
        }
    }

    @Test(arguments: parseCases)
    func parse(text: String, picture: String, expected: String) {
        do {
            let value = try IntegerPicture.parse(text, picture: picture)
            #expect(value.map(NumberText.json) ?? "!nil" == expected)
        } catch {
            #expect("!" + error.code == expected)
        }
    }

    @Test func sequenceErrorQuotesToken() {
        #expect(throws: FormattingError(code: "D3130", message:
            "Formatting or parsing an integer as a sequence starting with \"α\" is not supported by this implementation")) {
            try IntegerPicture.format(1, picture: "α")
        }
    }
}
