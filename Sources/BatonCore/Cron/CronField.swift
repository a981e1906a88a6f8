/// One parsed field of a cron expression: the set of values it allows, plus the day extensions
/// (`L`, `5L`, `1#2`) that depend on the month being looked at.
struct CronField: Sendable, Hashable {
    /// Which of the six positions a field occupies; gives its name, range and value names.
    enum Kind: Sendable, Hashable, CaseIterable {
        case second, minute, hour, dayOfMonth, month, dayOfWeek

        /// The name used in error messages.
        var name: String {
            switch self {
            case .second: "second"
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }

        /// The values a user may write. Day-of-week accepts 7 as a second spelling of Sunday.
        var range: ClosedRange<Int> {
            switch self {
            case .second, .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        /// Names accepted in place of numbers (case-insensitive), indexed from `range.lowerBound`.
        var names: [String] {
            switch self {
            case .month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            default: []
            }
        }

        /// The value a name stands for, if `text` is one of `names`.
        func value(ofName text: String) -> Int? {
            names.firstIndex(of: text.uppercased()).map { $0 + range.lowerBound }
        }
    }

    let kind: Kind
    /// Bit `n` is set when value `n` is allowed (day-of-week 7 is stored as 0).
    var values: UInt64 = 0
    /// The field is `?` or starts with `*`. For the day fields this is Vixie cron's "star" flag:
    /// when either day field has it, both must match; otherwise either may.
    var isUnrestricted = false
    /// Every item is a single value (no `*`, `?`, range or step). Decides fixed-time DST handling.
    var isSingleValues = true
    /// Day-of-month `L`: the last day of the month.
    var lastDayOfMonth = false
    /// Day-of-week `nL`: bit `n` set for "the last weekday n of the month".
    var lastWeekdays: UInt8 = 0
    /// Day-of-week `n#k`: bit `(k - 1) * 7 + n` set for "the k-th weekday n of the month".
    var nthWeekdays: UInt64 = 0

    init(kind: Kind) {
        self.kind = kind
    }

    /// A field that allows every value, as `*` would.
    static func all(_ kind: Kind) -> CronField {
        var field = CronField(kind: kind)
        field.insert(kind.range)
        field.isUnrestricted = true
        field.isSingleValues = false
        return field
    }

    mutating func insert(_ value: Int) {
        let stored = kind == .dayOfWeek && value == 7 ? 0 : value
        values |= 1 << UInt64(stored)
    }

    mutating func insert(_ range: ClosedRange<Int>, step: Int = 1) {
        for value in stride(from: range.lowerBound, through: range.upperBound, by: step) {
            insert(value)
        }
    }

    func contains(_ value: Int) -> Bool {
        value >= 0 && value < 64 && values & (1 << UInt64(value)) != 0
    }

    /// The smallest allowed value that is `>= value`, looking at plain values only.
    func next(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let remaining = values & (UInt64.max << UInt64(max(value, 0)))
        return remaining == 0 ? nil : remaining.trailingZeroBitCount
    }

    /// Whether this day-of-month field allows `date`.
    func matchesDayOfMonth(_ date: CronCivilDate) -> Bool {
        contains(date.day) || (lastDayOfMonth && date.day == date.daysInMonth)
    }

    /// Whether this day-of-week field allows `date` (whose weekday is passed in to avoid recomputing it).
    func matchesDayOfWeek(_ date: CronCivilDate, weekday: Int) -> Bool {
        if contains(weekday) { return true }
        if lastWeekdays & (1 << UInt8(weekday)) != 0, date.day + 7 > date.daysInMonth { return true }
        let occurrence = (date.day - 1) / 7 + 1
        return nthWeekdays & (1 << UInt64((occurrence - 1) * 7 + weekday)) != 0
    }
}
