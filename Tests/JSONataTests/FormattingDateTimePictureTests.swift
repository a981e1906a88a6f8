import Testing
@testable import JSONata

/// `$fromMillis` / `$toMillis` cases from the reference suite (function-fromMillis,
/// function-tomillis), plus our own.
@Suite struct FormattingDateTimePictureTests {
    /// A fixed `$now()` for parsing: 2023-11-14T22:13:20Z.
    static let now: Double = 1_700_000_000_000

    /// Rows: millis, picture, timezone, expected text or "!CODE".
    static let formatCases: [(Double, String?, String?, String)] = [
        (1, nil, nil, "1970-01-01T00:00:00.001Z"), // case000.json
        (1509380732935, nil, nil, "2017-10-30T16:25:32.935Z"), // case001.json
        (1521801216617, "Hello", nil, "Hello"), // formatDateTime.json#1
        (1521801216617, "Year: [Y0001]", nil, "Year: 2018"), // formatDateTime.json#2
        (1521801216617, "Year: <[Y0001]>", nil, "Year: <2018>"), // formatDateTime.json#3
        (1521801216617, "Year: <[Y9,999,*]>", nil, "Year: <2,018>"), // formatDateTime.json#4
        (1521801216617, "[[Year: <[Y0001]>", nil, "[Year: <2018>"), // formatDateTime.json#5
        (1521801216617, "Year]]: <[Y0001]>", nil, "Year]: <2018>"), // formatDateTime.json#6
        (1521801216617, "[[Year]]: [[[Y0001]]]", nil, "[Year]: [2018]"), // formatDateTime.json#7
        (1521801216617, "[D#1]/[M#1]/[Y0001]", nil, "23/3/2018"), // formatDateTime.json#8
        (1522616700000, "[F0] [FNn]", nil, "7 Sunday"), // formatDateTime.json#9
        (1522703100000, "[F0] [FNn]", nil, "1 Monday"), // formatDateTime.json#10
        (1521801216617, "[Y0001]-[M01]-[D01]", nil, "2018-03-23"), // formatDateTime.json#11
        (1521801216617, "[M01]/[D01]/[Y0001] at [H01]:[m01]:[s01]", nil, "03/23/2018 at 10:33:36"), // formatDateTime.json#12
        (1521801216617, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z01:01t]", nil, "2018-03-23T10:33:36.617Z"), // formatDateTime.json#13
        (1521801216617, "[Y]-[ M01]-[D 01]T[H01 ]:[ m   ]:[s].[f0  01][Z01:\n 01t]", nil, "2018-03-23T10:33:36.617Z"), // formatDateTime.json#14
        (1521801216617, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0100", "2018-03-23T11:33:36.617+0100"), // formatDateTime.json#15
        (1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01]", nil, "2018-07-11T12:00:00+00:00"), // formatDateTime.json#16
        (1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01t]", nil, "2018-07-11T12:00:00Z"), // formatDateTime.json#17
        (1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", "-0500", "2018-07-11T07:00:00-05:00"), // formatDateTime.json#18
        (1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "-0500", "2018-07-11T07:00:00-5"), // formatDateTime.json#19
        (1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", "+1000", "2018-07-11T22:00:00+10:00"), // formatDateTime.json#20
        (1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "+1000", "2018-07-11T22:00:00+10"), // formatDateTime.json#21
        (1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "+0530", "2018-07-11T17:30:00+5:30"), // formatDateTime.json#22
        (1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][z]", "-0500", "2018-07-11T07:00:00GMT-05:00"), // formatDateTime.json#23
        (1204405500000, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530", "2008-03-02T02:35:00.000+0530"), // formatDateTime.json#24
        (1230757500000, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530", "2009-01-01T02:35:00.000+0530"), // formatDateTime.json#25
        (1230757500000, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z010101t]", "+0530", "!D3134"), // formatDateTime.json#26
        (1521801216617, "[D#1,2]/[M1,2]/[Y,2]", nil, "23/03/18"), // formatDateTime.json#27
        (1521801216617, "[D#1,2]/[M1,2]/[Y0001,2]", nil, "23/03/2018"), // formatDateTime.json#28
        (1521801216617, "[D#1,2]/[M1,2]/[Y##01,2-2]", nil, "23/03/18"), // formatDateTime.json#29
        (1521801216617, "[D#1,2]/[M1,2]/[Y0001,2-2]", nil, "23/03/18"), // formatDateTime.json#30
        (1521801216617, "[D1] [M01] [YI]", nil, "23 03 MMXVIII"), // formatDateTime.json#31
        (1521801216617, "[Da] [MA] [Yi]", nil, "w C mmxviii"), // formatDateTime.json#32
        (1521801216617, "[D1o] [M01] [Y]", nil, "23rd 03 2018"), // formatDateTime.json#33
        (1521801216617, "[Yw]", nil, "two thousand and eighteen"), // formatDateTime.json#34
        (1521801216617, "[Dwo] [M01] [Y]", nil, "twenty-third 03 2018"), // formatDateTime.json#35
        (1521801216617, "[D1o] [MNn] [Y]", nil, "23rd March 2018"), // formatDateTime.json#36
        (1521801216617, "[D1o] [MN] [Y]", nil, "23rd MARCH 2018"), // formatDateTime.json#37
        (1521801216617, "[FNn], [D1o] [MNn] [Y]", nil, "Friday, 23rd March 2018"), // formatDateTime.json#38
        (1521801216617, "[FNn], the [Dwo] of [MNn] [Y] [E]", nil, "Friday, the twenty-third of March 2018 ISO"), // formatDateTime.json#39
        (1521801216617, "[FNn,3-3], [D1o] [MNn,3-3] [Y] [C]", nil, "Fri, 23rd Mar 2018 ISO"), // formatDateTime.json#40
        (1521801216617, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", nil, "friday, 23/3/2018 10:33:36 am"), // formatDateTime.json#41
        (1204405500000, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", nil, "saturday, 1/3/2008 9:05:00 pm"), // formatDateTime.json#42
        (1199664000000, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", nil, "monday, 7/1/2008 12:00:00 am"), // formatDateTime.json#43
        (1514808000000, "[dwo] day of the year", nil, "first day of the year"), // formatDateTime.json#44
        (1546257600000, "[d] days in [Y0001]", nil, "365 days in 2018"), // formatDateTime.json#45
        (1483185600000, "[d] days in [Y0001]", nil, "366 days in 2016"), // formatDateTime.json#46
        (1514808000000, "Week: [W]", nil, "Week: 1"), // formatDateTime.json#47
        (1515326400000, "Week: [W]", nil, "Week: 1"), // formatDateTime.json#48
        (1545739200000, "Week: [W]", nil, "Week: 52"), // formatDateTime.json#49
        (1388577600000, "Week: [W]", nil, "Week: 1"), // formatDateTime.json#50
        (1419854400000, "Week: [W]", nil, "Week: 1"), // formatDateTime.json#51
        (1419768000000, "Week: [W]", nil, "Week: 52"), // formatDateTime.json#52
        (1419336000000, "Week: [W]", nil, "Week: 52"), // formatDateTime.json#53
        (1420113600000, "Week: [W]", nil, "Week: 1"), // formatDateTime.json#54
        (1420459200000, "Week: [W]", nil, "Week: 2"), // formatDateTime.json#55
        (1451304000000, "Week: [W]", nil, "Week: 53"), // formatDateTime.json#56
        (1451563200000, "Week: [W]", nil, "Week: 53"), // formatDateTime.json#57
        (1451736000000, "Week: [W]", nil, "Week: 53"), // formatDateTime.json#58
        (1359460800000, "Week: [w] of [xNn]", nil, "Week: 5 of January"), // formatDateTime.json#59
        (1359633600000, "Week: [w] of [xNn]", nil, "Week: 5 of January"), // formatDateTime.json#60
        (1359720000000, "Week: [w] of [xNn]", nil, "Week: 5 of January"), // formatDateTime.json#61
        (1514808000000, "Week: [w] of [xNn]", nil, "Week: 1 of January"), // formatDateTime.json#62
        (1483272000000, "Week: [w] of [xNn]", nil, "Week: 5 of December"), // formatDateTime.json#63
        (1533038400000, "Week: [w] of [xNn]", nil, "Week: 1 of August"), // formatDateTime.json#64
        (1419940800000, "Week: [w] of [xNn]", nil, "Week: 1 of January"), // formatDateTime.json#65
        (1521801216617, "[F], [D]/[M]/[Y] [h]:[m]:[s] [PN]", nil, "friday, 23/3/2018 10:33:36 AM"), // formatDateTime.json#67
        (1521801216617, "[F], [D]/[M]/[Y] [h]:[m]:[s] [Pn]", nil, "friday, 23/3/2018 10:33:36 am"), // formatDateTime.json#68
        (1419940800000, "[YN]-[M]-[D]", nil, "!D3133"), // formatDateTime.json#69
        (1419940800000, "[YN]-[M", nil, "!D3135"), // formatDateTime.json#70
        // formatDateTime.json#66 ($toMillis('2018-10-21T13:05:00Z') = 1540127100000 in three zones).
        (1540127100000, nil, nil, "2018-10-21T13:05:00.000Z"),
        (1540127100000, nil, "-0500", "2018-10-21T08:05:00.000-05:00"),
        (1540127100000, nil, "0000", "2018-10-21T13:05:00.000Z"),
        // Our own.
        (-1, nil, nil, "1969-12-31T23:59:59.999Z"), (0, "[Y0001]-[M01]-[D01]", "+0530", "1970-01-01"),
        (1204405500000, "[H01]:[m01][Z]", "-0530", "15:35-05:30"), (1e18, nil, nil, "!nil"),
        (1521801216617, "[Y0001] [W01] [X]", nil, "2018 12 2018"), (1521801216617, "[YN]", nil, "!D3133"),
        (1521801216617, "[q]", nil, "!D3132"), (1521801216617, "[MNn,*-3] [FN,2]", nil, "Mar FRIDAY"),
    ]

    /// Rows: text, picture (nil = ISO 8601), expected millis as JSON text, "!nil" or "!CODE".
    static let parseCases: [(String, String?, String)] = [
        ("1970-01-01T00:00:00.001Z", nil, "1"), // case001.json
        ("2018-02-01T09:42:13.123+0000", nil, "1517478133123"), // case002.json
        ("2017-10-30", nil, "1509321600000"), // case003.json
        ("2017-10-30T15:28:34Z", nil, "1509377314000"), // case004.json
        ("2018", nil, "1514764800000"), // case005.json
        ("foo", nil, "!D3110"), // case007.json
        ("01-02-2018", nil, "!D3110"), // case008.json
        ("2018-02-03 11:15:33", nil, "!D3110"), // case009.json
        ("201802", "[Y0001][M01]", "1517443200000"), // case010.json
        ("201802", "[Y,*-4][M01]", "1517443200000"), // case011.json
        ("20180205", "[Y0001][M01][D01]", "1517788800000"), // case012.json
        ("2018", "[Y1]", "1514764800000"), // parseDateTime.json#2
        ("2018-03-27", "[Y1]-[M01]-[D01]", "1522108800000"), // parseDateTime.json#3
        ("2018-03-27T14:03:00.123Z", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z", "1522159380123"), // parseDateTime.json#4
        ("27th 3 1976", "[D1o] [M#1] [Y0001]", "196732800000"), // parseDateTime.json#5
        ("21st 12 1881", "[D1o] [M01] [Y0001]", "-2777932800000"), // parseDateTime.json#6
        ("2nd 12 2012", "[D1o] [M01] [Y0001]", "1354406400000"), // parseDateTime.json#7
        ("MCMLXXXIV", "[YI]", "441763200000"), // parseDateTime.json#8
        ("27 03 MMXVIII", "[D1] [M01] [YI]", "1522108800000"), // parseDateTime.json#9
        ("27 iii MMXVIII", "[D1] [Mi] [YI]", "1522108800000"), // parseDateTime.json#10
        ("w C mmxviii", "[Da] [MA] [Yi]", "1521763200000"), // parseDateTime.json#11
        ("ae C mmxviii", "[Da] [MA] [Yi]", "1522454400000"), // parseDateTime.json#12
        ("27th April 2008", "[D1o] [MNn] [Y0001]", "1209254400000"), // parseDateTime.json#13
        ("21 August 2017", "[D1] [MNn] [Y0001]", "1503273600000"), // parseDateTime.json#14
        ("2 Feb 2012", "[D1] [MNn,3-3] [Y0001]", "1328140800000"), // parseDateTime.json#15
        ("one thousand, nine hundred and eighty-four", "[Yw]", "441763200000"), // parseDateTime.json#16
        ("nineteen hundred and eighty-four", "[Yw]", "441763200000"), // parseDateTime.json#17
        ("twenty-seven April 2008", "[Dw] [MNn] [Y0001]", "1209254400000"), // parseDateTime.json#18
        ("twenty-seventh April 2008", "[Dw] [MNn] [Y0001]", "1209254400000"), // parseDateTime.json#19
        ("twenty-first August two thousand and seventeen", "[Dw] [MNn] [Yw]", "1503273600000"), // parseDateTime.json#20
        ("TWENTY-SECOND August two thousand and seventeen", "[DW] [MNn] [Yw]", "1503360000000"), // parseDateTime.json#21
        ("Twentieth of August, two thousand and seventeen", "[DW] of [MNn], [Yw]", "1503187200000"), // parseDateTime.json#22
        ("4/4/2018 12:06 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]", "1522800360000"), // parseDateTime.json#23
        ("4/4/2018 06:30 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]", "1522823400000"), // parseDateTime.json#24
        ("4/4/2018 12:06 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]", "1522843560000"), // parseDateTime.json#25
        ("4/4/2018 11:30 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]", "1522884600000"), // parseDateTime.json#26
        ("2018-094", "[Y0001]-[d001]", "1522800000000"), // parseDateTime.json#27
        ("2018-05-22", "[Y]-[M]-[q]", "!D3132"), // parseDateTime.json#35
        ("2018-05-22", "[YN]-[M]-[D]", "!D3133"), // parseDateTime.json#36
        ("2018-22", "[Y]-[D]", "!D3136"), // parseDateTime.json#37
        ("5-22 23:59", "[M]-[D] [m]:[s]", "!D3136"), // parseDateTime.json#38
        ("2018-3-2-5", "[X]-[x]-[w]-[F1]", "!D3136"), // parseDateTime.json#39
        ("2018-32-5", "[X]-[W]-[F1]", "!D3136"), // parseDateTime.json#40
        ("Hello", "Hello", "!nil"), // parseDateTime.json#1
        ("irrelevent string", "[Y]-[M]-[D]", "!nil"), // parseDateTime.json#34
        ("20240101123849", "[Y0000][M00][D00][H00][m00][s00]", "1704112729000"), // case013.json
        // Our own.
        ("2018-02-01T09:42:13.5-01:30", nil, "1517483533500"), ("2018-13", nil, "!nil"),
        ("1899-12-31", "[Y0001]-[M01]-[D01]", "-2209075200000"), ("12:00:00 pm", "[h]:[m]:[s] [P]", "1699963200000"),
        ("27/3/2018 -05:30", "[D]/[M]/[Y] [Z]", "1522128600000"),
    ]

    /// Rows: text, parse picture, format picture (nil = ISO), expected (suite chains of both).
    static let roundTripCases: [(String, String, String?, String)] = [
        ("2005-01-01", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2004-W53-6"), // isoWeekDate.json#0
        ("2005-01-02", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2004-W53-7"), // isoWeekDate.json#1
        ("2005-12-31", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2005-W52-6"), // isoWeekDate.json#2
        ("2006-01-01", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2005-W52-7"), // isoWeekDate.json#3
        ("2006-01-02", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2006-W01-1"), // isoWeekDate.json#4
        ("2006-12-31", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2006-W52-7"), // isoWeekDate.json#5
        ("2007-01-01", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2007-W01-1"), // isoWeekDate.json#6
        ("2007-12-30", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2007-W52-7"), // isoWeekDate.json#7
        ("2007-12-31", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2008-W01-1"), // isoWeekDate.json#8
        ("2008-01-01", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2008-W01-2"), // isoWeekDate.json#9
        ("2008-12-28", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2008-W52-7"), // isoWeekDate.json#10
        ("2008-12-29", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2009-W01-1"), // isoWeekDate.json#11
        ("2008-12-30", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2009-W01-2"), // isoWeekDate.json#12
        ("2008-12-31", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2009-W01-3"), // isoWeekDate.json#13
        ("2009-01-01", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2009-W01-4"), // isoWeekDate.json#14
        ("2009-12-31", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2009-W53-4"), // isoWeekDate.json#15
        ("2010-01-01", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2009-W53-5"), // isoWeekDate.json#16
        ("2010-01-02", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2009-W53-6"), // isoWeekDate.json#17
        ("2010-01-03", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]", "2009-W53-7"), // isoWeekDate.json#18
        ("Wednesday, 14th November 2018", "[FNn], [D1o] [MNn] [Y]", nil, "2018-11-14T00:00:00.000Z"), // parseDateTime.json#30
        ("Mon, Twelfth November 2018", "[FNn,*-3], [DWwo] [MNn] [Y]", nil, "2018-11-12T00:00:00.000Z"), // parseDateTime.json#31
        ("2018--180", "[Y]--[d]", nil, "2018-06-29T00:00:00.000Z"), // parseDateTime.json#32
        ("three hundred and sixty-fifth day of 2018", "[dwo] day of [Y]", nil, "2018-12-31T00:00:00.000Z"), // parseDateTime.json#33
        ("2020-09-09 08:00:00 +02:00", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]", nil, "2020-09-09T06:00:00.000Z"), // parseDateTime.json#41
        ("2020-09-09 08:00:00 GMT-05:00", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z]", nil, "2020-09-09T13:00:00.000Z"), // parseDateTime.json#42
        ("2020-09-09 12:00:00 +05:30", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]", nil, "2020-09-09T06:30:00.000Z"), // parseDateTime.json#43
        ("2020-09-09 12:00:00 GMT-5", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z01]", nil, "2020-09-09T17:00:00.000Z"), // parseDateTime.json#44
        ("2020-09-09 12:00:00 +0530", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z0001]", nil, "2020-09-09T06:30:00.000Z"), // parseDateTime.json#45
        ("2026-04-08T19:05:04.01987", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f1]", nil, "2026-04-08T19:05:04.019Z"), // parseDateTime.json#46
    ]

    @Test(arguments: formatCases)
    func format(millis: Double, picture: String?, timezone: String?, expected: String) {
        do {
            let text = try DateTimePicture.format(millis: millis, picture: picture, timezone: timezone)
            #expect((text ?? "!nil") == expected)
        } catch {
            #expect("!" + error.code == expected)
        }
    }

    @Test(arguments: parseCases)
    func parse(text: String, picture: String?, expected: String) {
        do {
            let millis = try DateTimePicture.parse(text, picture: picture, now: Self.now)
            #expect(millis.map(NumberText.json) ?? "!nil" == expected)
        } catch {
            #expect("!" + error.code == expected)
        }
    }

    @Test(arguments: roundTripCases)
    func roundTrip(text: String, parsePicture: String, formatPicture: String?, expected: String) throws {
        let millis = try #require(try DateTimePicture.parse(text, picture: parsePicture, now: Self.now))
        #expect(try DateTimePicture.format(millis: millis, picture: formatPicture) == expected)
    }

    /// parseDateTime.json#28-29: a time alone takes today's date from `$now()`.
    @Test func timeOnlyTakesDateFromNow() throws {
        let millis = try #require(try DateTimePicture.parse("13:45", picture: "[H]:[m]", now: Self.now))
        #expect(try DateTimePicture.format(millis: millis) == "2023-11-14T13:45:00.000Z")
    }

    @Test func isoErrorMessage() {
        #expect(throws: FormattingError(code: "D3110", message:
            "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given \"foo\"")) {
            try DateTimePicture.parse("foo", picture: nil, now: 0)
        }
    }
}
