import Foundation
import Testing
@testable import BatonCore

/// Parsing cron expressions: what is accepted, how it is classified, and every kind of error with
/// its exact message and offset.
struct CronParseTests {
    struct Invalid: Sendable, CustomTestStringConvertible {
        let text: String
        let code: CronError.Code
        let message: String
        let offset: Int

        init(_ text: String, _ code: CronError.Code, _ message: String, at offset: Int) {
            self.text = text
            self.code = code
            self.message = message
            self.offset = offset
        }

        var testDescription: String { "'\(text)'" }
    }

    static let usage = "a cron expression is 'minute hour day-of-month month day-of-week', optionally preceded by 'second'"
    static let advice = "write a number, a range (1-5), a step (*/15) or a list (1,2)"
    static let macroList = "@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"

    static let invalid: [Invalid] = [
        // Field count.
        Invalid("", .fieldCount, "the cron expression is empty; write 'minute hour day-of-month month day-of-week', e.g. '0 9 * * 1-5'", at: 0),
        Invalid("   ", .fieldCount, "the cron expression is empty; write 'minute hour day-of-month month day-of-week', e.g. '0 9 * * 1-5'", at: 0),
        Invalid("0 9 * *", .fieldCount, "expected 5 or 6 fields, found 4; \(usage)", at: 7),
        Invalid("0 0 9 * * * *", .fieldCount, "expected 5 or 6 fields, found 7; \(usage)", at: 12),
        // Out of range, in every field.
        Invalid("60 0 0 * * *", .outOfRange, "second value 60 is out of range 0-59", at: 0),
        Invalid("61 * * * *", .outOfRange, "minute value 61 is out of range 0-59", at: 0),
        Invalid("  61 * * * *", .outOfRange, "minute value 61 is out of range 0-59", at: 2),
        Invalid("5-70 * * * *", .outOfRange, "minute value 70 is out of range 0-59", at: 2),
        Invalid("0 24 * * *", .outOfRange, "hour value 24 is out of range 0-23", at: 2),
        Invalid("0 0 32 * *", .outOfRange, "day-of-month value 32 is out of range 1-31", at: 4),
        Invalid("0 0 0 * *", .outOfRange, "day-of-month value 0 is out of range 1-31", at: 4),
        Invalid("0 0 * 13 *", .outOfRange, "month value 13 is out of range 1-12", at: 6),
        Invalid("0 0 * * 8", .outOfRange, "day-of-week value 8 is out of range 0-7 (0 and 7 are Sunday)", at: 8),
        Invalid("0 0 * * 8#2", .outOfRange, "day-of-week value 8 is out of range 0-7 (0 and 7 are Sunday)", at: 8),
        Invalid("99999999999999999999 * * * *", .outOfRange, "minute value 99999999999999999999 is out of range 0-59", at: 0),
        // Reversed ranges, with the fix spelled out.
        Invalid("0 20-8 * * *", .reversedRange,
                "hour range 20-8 is reversed; write the smaller value first, or split a range that wraps around into two: '20-23,0-8'", at: 2),
        Invalid("50-10/5 * * * *", .reversedRange,
                "minute range 50-10 is reversed; write the smaller value first, or split a range that wraps around into two: '50-59,0-10'", at: 0),
        Invalid("0 0 1 NOV-FEB *", .reversedRange,
                "month range NOV-FEB is reversed; write the smaller value first, or split a range that wraps around into two: 'NOV-DEC,JAN-FEB'", at: 6),
        Invalid("0 0 * * FRI-MON", .reversedRange,
                "day-of-week range FRI-MON is reversed; write the smaller value first, or split a range that wraps around into two: 'FRI-SAT,SUN-MON'", at: 8),
        // Steps.
        Invalid("*/0 * * * *", .invalidStep, "minute step 0 is invalid; a step must be 1 or more, as in '*/15'", at: 2),
        Invalid("0 0 * * 1-5/0", .invalidStep, "day-of-week step 0 is invalid; a step must be 1 or more, as in '*/15'", at: 12),
        Invalid("*/61 * * * *", .invalidStep, "minute step 61 is larger than the field's range 0-59; use a step from 1 to 60", at: 2),
        Invalid("*/ * * * *", .syntax, "expected a number after '/' in the minute field, as in '*/15'", at: 2),
        // Names.
        Invalid("0 0 * FOO *", .unknownName, "unknown month name 'FOO'; use JAN-DEC or 1-12", at: 6),
        Invalid("0 0 * * FUN", .unknownName, "unknown day-of-week name 'FUN'; use SUN-SAT or 0-7 (0 and 7 are Sunday)", at: 8),
        Invalid("0 MON * * *", .syntax, "hour field expects a number, found 'MON'", at: 2),
        // Empty list items.
        Invalid("1,,2 * * * *", .emptyListItem, "minute list '1,,2' has an empty item; remove the extra comma", at: 2),
        Invalid(",5 * * * *", .emptyListItem, "minute list ',5' has an empty item; remove the extra comma", at: 0),
        Invalid("0 0 * * 1,", .emptyListItem, "day-of-week list '1,' has an empty item; remove the extra comma", at: 10),
        // L where it does not belong.
        Invalid("L * * * *", .misplacedModifier,
                "'L' is not allowed in the minute field; it means 'last' only in day-of-month ('L') and day-of-week ('5L')", at: 0),
        Invalid("5L * * * *", .misplacedModifier,
                "'L' is not allowed in the minute field; it means 'last' only in day-of-month ('L') and day-of-week ('5L')", at: 1),
        Invalid("0 0 * 5L *", .misplacedModifier,
                "'L' is not allowed in the month field; it means 'last' only in day-of-month ('L') and day-of-week ('5L')", at: 7),
        Invalid("0 0 5L * *", .misplacedModifier,
                "'5L' is not valid in day-of-month: 'L' stands alone there (the last day of the month); 'nL' (the last weekday n) belongs in day-of-week", at: 4),
        Invalid("0 0 * * L", .misplacedModifier,
                "'L' alone in day-of-week is ambiguous; write '5L' for the last Friday of the month, or put 'L' in day-of-month for the last day", at: 8),
        Invalid("0 0 L-2 * *", .syntax,
                "unexpected '-' after 'L' in the day-of-month field; 'L' (the last day of the month) takes no range, step or offset; write just 'L'", at: 5),
        Invalid("0 0 * * 5L/2", .syntax,
                "unexpected '/' after '5L' in the day-of-week field; 'nL' (the last weekday n of the month) takes no range, step or list item around it", at: 10),
        // '#' where it does not belong, or with an impossible occurrence.
        Invalid("0 0 1#2 * *", .misplacedModifier, "'#' is only allowed in day-of-week, as in '1#2' for the second Monday of the month", at: 5),
        Invalid("0 0 * * 1#6", .invalidOccurrence,
                "'#6' asks for occurrence 6 of a weekday; a weekday occurs at most 5 times a month, use 1-5", at: 10),
        Invalid("0 0 * * MON#0", .invalidOccurrence,
                "'#0' asks for occurrence 0 of a weekday; a weekday occurs at most 5 times a month, use 1-5", at: 12),
        Invalid("0 0 * * 1#", .syntax, "expected a number 1-5 after '#', as in '1#2' for the second Monday", at: 10),
        Invalid("0 0 * * 1-5#2", .syntax, "unexpected '#' in the day-of-week field; \(advice)", at: 11),
        // '?' outside the day fields, or not alone.
        Invalid("? * * * *", .misplacedModifier,
                "'?' is only allowed in day-of-month and day-of-week, where it means the same as '*'; use '*' in the minute field", at: 0),
        Invalid("0 0 ?,1 * *", .misplacedModifier, "'?' must stand alone in the day-of-month field, where it means the same as '*'", at: 4),
        // Macros.
        Invalid("@fortnightly", .unknownName, "unknown macro '@fortnightly'; use one of \(macroList), or five cron fields", at: 0),
        Invalid(" @reboot", .unknownName, "@reboot is not supported: a schedule fires at clock times; use one of \(macroList)", at: 1),
        Invalid("@daily 5", .fieldCount, "'@daily' stands alone; remove what follows it, or write five cron fields instead", at: 7),
        // Anything else.
        Invalid("%5 * * * *", .syntax, "unexpected '%' in the minute field; \(advice)", at: 0),
        Invalid("0 9 * * 1-5x", .syntax, "unexpected 'x' in the day-of-week field; \(advice)", at: 11),
        Invalid("1- * * * *", .syntax, "'1-' in the minute field is incomplete; \(advice)", at: 0),
        Invalid("0 0 15W * *", .syntax, "unexpected 'W' in the day-of-month field; \(advice)", at: 6),
        Invalid("0 0 1-L * *", .syntax, "a day-of-month range must end in a value, as in '1-5'", at: 6),
    ]

    @Test(arguments: invalid)
    func rejectsWithMessageAndOffset(_ row: Invalid) {
        #expect(throws: CronError(row.code, row.message, offset: row.offset)) {
            try CronExpression(row.text)
        }
    }

    static let valid: [(text: String, isFixedTime: Bool)] = [
        ("30 2 * * *", true),
        ("0 8,20 * * *", true),
        ("0 9 * * 1-5", true),
        ("0 0 L * *", true),
        ("0 0 * * 5L", true),
        ("0 0 * * 1#2", true),
        ("0 30 2 * * *", true),
        ("0,30 15 8 * * *", true),
        ("@daily", true),
        ("@midnight", true),
        ("@weekly", true),
        ("@monthly", true),
        ("@yearly", true),
        ("*/15 * * * *", false),
        ("0 * * * *", false),
        ("0 9-17 * * *", false),
        ("0-0 2 * * *", false),
        ("5/10 2 * * *", false),
        ("30 */2 * * *", false),
        ("* 30 2 * * *", false),
        ("*/10 30 2 * * *", false),
        ("@hourly", false),
        ("0 0 ? * MON", true),
        ("0 0 1 JAN-mar ?", true),
        ("0 0 * * sun", true),
        ("0 0 * * FRI#3,1L", true),
        ("0 0 1,15,L * *", true),
        ("0 0 * * 0-7/2", true),
        ("59 59 23 31 12 7", true),
    ]

    @Test(arguments: valid)
    func classifiesFixedTimeJobs(_ text: String, _ isFixedTime: Bool) throws {
        let cron = try CronExpression(text)
        #expect(cron.isFixedTime == isFixedTime)
        #expect(cron.source == text)
    }

    @Test func macrosMeanTheirFields() throws {
        let pairs = [("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"),
                     ("@weekly", "0 0 * * 0"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"),
                     ("@hourly", "0 * * * *"), ("@DAILY", "0 0 * * *")]
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let start = try CronTestSupport.instant("2026-03-01T00:00:00Z")
        for (macro, fields) in pairs {
            let a = try CronExpression(macro).nextDates(after: start, in: berlin, count: 5)
            let b = try CronExpression(fields).nextDates(after: start, in: berlin, count: 5)
            #expect(a == b, "\(macro) should mean \(fields)")
        }
    }

    @Test func namesAndNumbersAreTheSame() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        let start = try CronTestSupport.instant("2026-01-01T00:00:00Z")
        let pairs = [("0 0 * JAN-MAR MON-FRI", "0 0 * 1-3 1-5"), ("0 0 * * sun", "0 0 * * 7"),
                     ("0 0 * * SAT-SUN", "0 0 * * 6,0"), ("0 0 * * MON#2", "0 0 * * 1#2"),
                     ("0 0 * * friL", "0 0 * * 5L"), ("0 0 ? * 5", "0 0 * * 5"), ("0 0 1 * ?", "0 0 1 * *")]
        for (named, numbered) in pairs {
            let a = try CronExpression(named).nextDates(after: start, in: utc, count: 10)
            let b = try CronExpression(numbered).nextDates(after: start, in: utc, count: 10)
            #expect(a == b, "\(named) should mean \(numbered)")
        }
    }

    @Test func equalityFollowsTheSource() throws {
        #expect(try CronExpression("0 9 * * 1-5") == CronExpression("0 9 * * 1-5"))
        #expect(try CronExpression("0 9 * * 1-5") != CronExpression("0 9 * * 2-5"))
        #expect(try CronExpression("0 9 * * 1-5").description == "0 9 * * 1-5")
    }

    @Test func errorDescriptionNamesTheColumn() {
        #expect(throws: CronError.self) { try CronExpression("0 24 * * *") }
        do {
            _ = try CronExpression("0 24 * * *")
        } catch {
            #expect(error.description == "hour value 24 is out of range 0-23 (column 3)")
            #expect(error.offset == 2)
        }
    }
}
