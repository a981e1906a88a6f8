import Foundation

/// A parsed cron schedule, such as `30 2 * * *` or `@daily`, that can compute its next fire times
/// in a time zone.
///
/// Syntax (fields separated by spaces or tabs):
/// - Five fields `minute hour day-of-month month day-of-week`, or six with a leading `second`
///   field. Without one, jobs fire at second 0.
/// - In any field: `*`, a value, a range `10-50`, a step `*/15`, `10-50/5` or `5/10` (from 5 to the
///   field's maximum), and comma-separated lists of these.
/// - Months `JAN`-`DEC` and weekdays `SUN`-`SAT` by name, case-insensitive. Day-of-week is 0-7;
///   0 and 7 are both Sunday, and a range may end on Sunday (`FRI-SUN`, `5-7`).
/// - Day-of-month `L` is the last day of the month. Day-of-week `5L` (or `FRIL`) is the last
///   Friday of the month and `1#2` (or `MON#2`) the second Monday; these may appear in lists.
/// - `?` is accepted in day-of-month and day-of-week, as Quartz users write it, and means exactly
///   `*` (it is never required, and both fields may hold one).
/// - Macros `@yearly` (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`) and `@hourly`.
///
/// Day matching follows Vixie cron: when both day-of-month and day-of-week are restricted, a day
/// matching either fires (`0 0 13 * 5`: every 13th and every Friday). When either is `?` or
/// starts with `*`, a day must match both, so with a plain `*` only the other field restricts.
/// As in Vixie cron's source, a field starting with `*` counts as unrestricted even with a step:
/// `0 0 */2 * 1` is odd-numbered days that are Mondays, not odd days or Mondays.
///
/// Not accepted: `L` alone in day-of-week (ambiguous: write `6L` or put `L` in day-of-month),
/// Quartz's `W`, `L-n` and year field, and `@reboot`.
///
/// Daylight-saving time follows Vixie cron's manual; see ``isFixedTime`` and
/// ``next(after:in:)``.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The text the expression was parsed from, exactly as given.
    public let source: String

    let second: CronField
    let minute: CronField
    let hour: CronField
    let dayOfMonth: CronField
    let month: CronField
    let dayOfWeek: CronField

    /// Parses a cron expression, throwing a ``CronError`` that says what is wrong and where.
    public init(_ text: String) throws(CronError) {
        let fields = try Self.parseFields(text)
        self.source = text
        self.second = fields[0]
        self.minute = fields[1]
        self.hour = fields[2]
        self.dayOfMonth = fields[3]
        self.month = fields[4]
        self.dayOfWeek = fields[5]
    }

    /// Whether this is a *fixed-time* job: its second (when given), minute and hour fields are
    /// single values or lists of them, as in `30 2 * * *` or `0 8,20 * * *`.
    ///
    /// Vixie cron treats such jobs specially across daylight-saving changes: each listed wall time
    /// fires once per day. A time skipped by a spring-forward gap fires at the first instant after
    /// the gap (several listed times in the same gap fire once, together); a time that happens
    /// twice fires at its first occurrence only, so with `30 1,2 * * *` on a New York fall-back
    /// day 01:30 fires in EDT and 02:30 (which happens once) in EST.
    ///
    /// Any other job (a `*`, range or step in those fields, e.g. `*/15 * * * *`, `0 * * * *`,
    /// `0 9-17 * * *`, `@hourly`) is a *wildcard* job and follows the wall clock as it is: times
    /// inside a gap do not occur and times in a repeated hour fire in both occurrences. A seconds
    /// field counts too: `0 30 2 * * *` is fixed-time, `* 30 2 * * *` is a wildcard job. The day
    /// and month fields play no part in this.
    public var isFixedTime: Bool {
        second.isSingleValues && minute.isSingleValues && hour.isSingleValues
    }

    /// The source text.
    public var description: String { source }
}
