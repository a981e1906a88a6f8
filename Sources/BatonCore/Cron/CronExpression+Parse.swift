extension CronExpression {
    /// The macros and the five fields each stands for.
    static let macros: [(name: String, fields: String)] = [
        ("@yearly", "0 0 1 1 *"),
        ("@annually", "0 0 1 1 *"),
        ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"),
        ("@daily", "0 0 * * *"),
        ("@midnight", "0 0 * * *"),
        ("@hourly", "0 * * * *"),
    ]

    /// Splits `text` into fields and parses each; returns second, minute, hour, day-of-month,
    /// month and day-of-week.
    static func parseFields(_ text: String) throws(CronError) -> [CronField] {
        // Offsets count Unicode scalars, the unit the workflow validator maps back to columns.
        let chars = text.unicodeScalars.map(Character.init)
        var tokens: [Range<Int>] = []
        var index = 0
        while index < chars.count {
            if chars[index] == " " || chars[index] == "\t" {
                index += 1
                continue
            }
            let start = index
            while index < chars.count, chars[index] != " ", chars[index] != "\t" { index += 1 }
            tokens.append(start..<index)
        }
        guard let first = tokens.first else {
            throw CronError(
                .fieldCount,
                "the cron expression is empty; write 'minute hour day-of-month month day-of-week', e.g. '0 9 * * 1-5'",
                offset: 0)
        }
        if chars[first.lowerBound] == "@" {
            return try parseMacro(chars, tokens)
        }
        guard tokens.count == 5 || tokens.count == 6 else {
            let offset = tokens.count > 6 ? tokens[6].lowerBound : chars.count
            throw CronError(
                .fieldCount,
                "expected 5 or 6 fields, found \(tokens.count); a cron expression is 'minute hour day-of-month month day-of-week', optionally preceded by 'second'",
                offset: offset)
        }
        var fields: [CronField] = []
        if tokens.count == 5 {
            var second = CronField(kind: .second)
            second.insert(0)
            fields.append(second)
        }
        let kinds: [CronField.Kind] = tokens.count == 6
            ? [.second, .minute, .hour, .dayOfMonth, .month, .dayOfWeek]
            : [.minute, .hour, .dayOfMonth, .month, .dayOfWeek]
        for (kind, bounds) in zip(kinds, tokens) {
            fields.append(try CronField.parse(kind, in: chars, bounds: bounds))
        }
        return fields
    }

    private static func parseMacro(_ chars: [Character], _ tokens: [Range<Int>]) throws(CronError) -> [CronField] {
        let name = String(chars[tokens[0]])
        guard let macro = macros.first(where: { $0.name == name.lowercased() }) else {
            let known = macros.map(\.name).joined(separator: ", ")
            let hint = name.lowercased() == "@reboot"
                ? "@reboot is not supported: a schedule fires at clock times; use one of \(known)"
                : "unknown macro '\(name)'; use one of \(known), or five cron fields"
            throw CronError(.unknownName, hint, offset: tokens[0].lowerBound)
        }
        guard tokens.count == 1 else {
            throw CronError(
                .fieldCount,
                "'\(name)' stands alone; remove what follows it, or write five cron fields instead",
                offset: tokens[1].lowerBound)
        }
        // The expansion is known to be valid, so parsing it cannot fail.
        do {
            return try parseFields(macro.fields)
        } catch {
            preconditionFailure("macro \(name) expands to invalid fields: \(error)")
        }
    }
}
