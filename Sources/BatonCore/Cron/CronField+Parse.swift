extension CronField {
    /// Parses the field occupying `bounds` of the expression `chars`.
    ///
    /// Error offsets are indices into `chars`, so they point into the whole expression.
    static func parse(_ kind: Kind, in chars: [Character], bounds: Range<Int>) throws(CronError) -> CronField {
        if bounds.count == 1, chars[bounds.lowerBound] == "?" {
            guard kind == .dayOfMonth || kind == .dayOfWeek else {
                throw CronError(
                    .misplacedModifier,
                    "'?' is only allowed in day-of-month and day-of-week, where it means the same as '*'; use '*' in the \(kind.name) field",
                    offset: bounds.lowerBound)
            }
            return .all(kind)
        }
        var field = CronField(kind: kind)
        // Vixie cron's rule: a day field whose text starts with '*' (even '*/2') counts as unrestricted.
        field.isUnrestricted = chars[bounds.lowerBound] == "*"
        var itemStart = bounds.lowerBound
        for index in bounds.lowerBound...bounds.upperBound where index == bounds.upperBound || chars[index] == "," {
            guard index > itemStart else {
                let text = String(chars[bounds])
                throw CronError(
                    .emptyListItem,
                    "\(kind.name) list '\(text)' has an empty item; remove the extra comma",
                    offset: itemStart)
            }
            var scanner = CronItemScanner(chars: chars, position: itemStart, end: index)
            try field.parseItem(&scanner)
            itemStart = index + 1
        }
        return field
    }

    /// The values `*` stands for. Day-of-week uses 0-6 so that Sunday is not counted twice in steps.
    private var fullRange: ClosedRange<Int> {
        kind == .dayOfWeek ? 0...6 : kind.range
    }

    private mutating func parseItem(_ scanner: inout CronItemScanner) throws(CronError) {
        let itemStart = scanner.position
        var low: Int
        var high: Int
        var isSpan = false
        switch scanner.peek {
        case "*":
            scanner.advance()
            (low, high) = (fullRange.lowerBound, fullRange.upperBound)
            isSpan = true
        case "?":
            throw CronError(
                .misplacedModifier,
                kind == .dayOfMonth || kind == .dayOfWeek
                    ? "'?' must stand alone in the \(kind.name) field, where it means the same as '*'"
                    : "'?' is only allowed in day-of-month and day-of-week, where it means the same as '*'; use '*' in the \(kind.name) field",
                offset: itemStart)
        default:
            switch try parseValue(&scanner) {
            case .lastDayOfMonth:
                try expectEnd(&scanner, after: "L", hint: "'L' (the last day of the month) takes no range, step or offset; write just 'L'")
                lastDayOfMonth = true
                return
            case .lastWeekday(let weekday):
                try expectEnd(&scanner, after: scanner.text(from: itemStart), hint: "'nL' (the last weekday n of the month) takes no range, step or list item around it")
                lastWeekdays |= 1 << UInt8(weekday % 7)
                isSingleValues = false
                return
            case .number(let value):
                (low, high) = (value, value)
            }
        }

        if !isSpan, scanner.peek == "L" || scanner.peek == "l" {
            try rejectLastSuffix(at: scanner.position, itemStart: itemStart, item: scanner.text(from: itemStart) + "L")
            scanner.advance()
            lastWeekdays |= 1 << UInt8(low % 7)
            isSingleValues = false
            try expectEnd(&scanner, after: scanner.text(from: itemStart), hint: "'nL' (the last weekday n of the month) takes no range, step or list item around it")
            return
        }
        if !isSpan, scanner.peek == "#" {
            try parseOccurrence(weekday: low, &scanner)
            return
        }
        if !isSpan, scanner.peek == "-" {
            scanner.advance()
            let endStart = scanner.position
            guard case .number(var end) = try parseValue(&scanner) else {
                throw CronError(.syntax, "a \(kind.name) range must end in a value, as in '1-5'", offset: endStart)
            }
            // 'FRI-SUN' (or '5-0') means Friday to Sunday: Sunday can also be 7.
            if kind == .dayOfWeek, end == 0, low > 0 { end = 7 }
            guard low <= end else { throw reversedRange(from: itemStart, scanner: scanner) }
            high = end
            isSpan = true
        }
        var step = 1
        if scanner.peek == "/" {
            scanner.advance()
            let stepStart = scanner.position
            guard let (text, value) = scanner.digits() else {
                throw CronError(.syntax, "expected a number after '/' in the \(kind.name) field, as in '*/15'", offset: stepStart)
            }
            let span = fullRange.count
            guard value >= 1 else {
                throw CronError(.invalidStep, "\(kind.name) step 0 is invalid; a step must be 1 or more, as in '*/15'", offset: stepStart)
            }
            guard value <= span else {
                throw CronError(
                    .invalidStep,
                    "\(kind.name) step \(text) is larger than the field's range \(fullRange.lowerBound)-\(fullRange.upperBound); use a step from 1 to \(span)",
                    offset: stepStart)
            }
            step = value
            // '5/10' means '5-<max>/10' ('7/2' in day-of-week is just Sunday).
            if !isSpan { high = max(fullRange.upperBound, low) }
            isSpan = true
        }
        try expectEnd(&scanner, after: nil, hint: nil)
        if isSpan { isSingleValues = false }
        insert(low...high, step: step)
    }

    private enum ParsedValue {
        case number(Int)
        case lastDayOfMonth
        case lastWeekday(Int)
    }

    /// Parses a number or a name at the scanner, checking it against the field's range.
    private func parseValue(_ scanner: inout CronItemScanner) throws(CronError) -> ParsedValue {
        let start = scanner.position
        if let (text, value) = scanner.digits() {
            guard kind.range.contains(value) else {
                let suffix = kind == .dayOfWeek ? " (0 and 7 are Sunday)" : ""
                throw CronError(
                    .outOfRange,
                    "\(kind.name) value \(text) is out of range \(kind.range.lowerBound)-\(kind.range.upperBound)\(suffix)",
                    offset: start)
            }
            return .number(value)
        }
        guard let word = scanner.letters() else {
            throw unexpectedCharacter(scanner)
        }
        let upper = word.uppercased()
        if upper == "L" {
            switch kind {
            case .dayOfMonth:
                return .lastDayOfMonth
            case .dayOfWeek:
                throw CronError(
                    .misplacedModifier,
                    "'L' alone in day-of-week is ambiguous; write '5L' for the last Friday of the month, or put 'L' in day-of-month for the last day",
                    offset: start)
            default:
                throw misplacedLast(at: start)
            }
        }
        if let value = kind.value(ofName: upper) {
            return .number(value)
        }
        // 'FRIL' is the named spelling of '5L'.
        if kind == .dayOfWeek, upper.count == 4, upper.hasSuffix("L"), let value = kind.value(ofName: String(upper.dropLast())) {
            return .lastWeekday(value)
        }
        switch kind {
        case .month:
            throw CronError(.unknownName, "unknown month name '\(word)'; use JAN-DEC or 1-12", offset: start)
        case .dayOfWeek:
            throw CronError(.unknownName, "unknown day-of-week name '\(word)'; use SUN-SAT or 0-7 (0 and 7 are Sunday)", offset: start)
        default:
            throw CronError(.syntax, "\(kind.name) field expects a number, found '\(word)'", offset: start)
        }
    }

    private mutating func parseOccurrence(weekday: Int, _ scanner: inout CronItemScanner) throws(CronError) {
        guard kind == .dayOfWeek else {
            throw CronError(
                .misplacedModifier,
                "'#' is only allowed in day-of-week, as in '1#2' for the second Monday of the month",
                offset: scanner.position)
        }
        scanner.advance()
        let start = scanner.position
        guard let (text, occurrence) = scanner.digits() else {
            throw CronError(.syntax, "expected a number 1-5 after '#', as in '1#2' for the second Monday", offset: start)
        }
        guard (1...5).contains(occurrence) else {
            throw CronError(
                .invalidOccurrence,
                "'#\(text)' asks for occurrence \(text) of a weekday; a weekday occurs at most 5 times a month, use 1-5",
                offset: start)
        }
        try expectEnd(&scanner, after: "#\(text)", hint: "'n#k' (the k-th weekday n of the month) takes no range or step")
        nthWeekdays |= 1 << UInt64((occurrence - 1) * 7 + weekday % 7)
        isSingleValues = false
    }

    private func rejectLastSuffix(at offset: Int, itemStart: Int, item: String) throws(CronError) {
        switch kind {
        case .dayOfWeek:
            return
        case .dayOfMonth:
            throw CronError(
                .misplacedModifier,
                "'\(item)' is not valid in day-of-month: 'L' stands alone there (the last day of the month); 'nL' (the last weekday n) belongs in day-of-week",
                offset: itemStart)
        default:
            throw misplacedLast(at: offset)
        }
    }

    private func misplacedLast(at offset: Int) -> CronError {
        CronError(
            .misplacedModifier,
            "'L' is not allowed in the \(kind.name) field; it means 'last' only in day-of-month ('L') and day-of-week ('5L')",
            offset: offset)
    }

    private func expectEnd(_ scanner: inout CronItemScanner, after token: String?, hint: String?) throws(CronError) {
        guard scanner.isAtEnd else {
            if let token, let hint {
                throw CronError(.syntax, "unexpected '\(scanner.peek!)' after '\(token)' in the \(kind.name) field; \(hint)", offset: scanner.position)
            }
            throw unexpectedCharacter(scanner)
        }
    }

    private func unexpectedCharacter(_ scanner: CronItemScanner) -> CronError {
        let advice = "write a number, a range (1-5), a step (*/15) or a list (1,2)"
        guard let found = scanner.peek else {
            let item = String(scanner.chars[scanner.start..<scanner.end])
            return CronError(.syntax, "'\(item)' in the \(kind.name) field is incomplete; \(advice)", offset: scanner.start)
        }
        return CronError(.syntax, "unexpected '\(found)' in the \(kind.name) field; \(advice)", offset: scanner.position)
    }

    private func reversedRange(from start: Int, scanner: CronItemScanner) -> CronError {
        let text = scanner.text(from: start)
        let parts = text.split(separator: "-", maxSplits: 1).map(String.init)
        let usesNames = parts.first?.first?.isLetter ?? false
        let maxText = usesNames ? kind.names.last! : "\(fullRange.upperBound)"
        let minText = usesNames ? kind.names.first! : "\(fullRange.lowerBound)"
        return CronError(
            .reversedRange,
            "\(kind.name) range \(text) is reversed; write the smaller value first, or split a range that wraps around into two: '\(parts[0])-\(maxText),\(minText)-\(parts[1])'",
            offset: start)
    }
}

/// Reads one list item of a cron field character by character, tracking absolute offsets.
struct CronItemScanner {
    let chars: [Character]
    /// Where the item starts and ends in `chars`.
    let start: Int
    let end: Int
    var position: Int

    init(chars: [Character], position: Int, end: Int) {
        self.chars = chars
        self.start = position
        self.end = end
        self.position = position
    }

    var isAtEnd: Bool { position >= end }
    var peek: Character? { isAtEnd ? nil : chars[position] }

    mutating func advance() { position += 1 }

    /// The item's text from `start` up to the current position.
    func text(from start: Int) -> String { String(chars[start..<position]) }

    /// Reads a run of ASCII digits; its text and value (`Int.max` when it overflows).
    mutating func digits() -> (String, Int)? {
        let start = position
        while let c = peek, c.isASCII, c.isNumber { advance() }
        guard position > start else { return nil }
        let text = self.text(from: start)
        return (text, Int(text) ?? Int.max)
    }

    /// Reads a run of ASCII letters.
    mutating func letters() -> String? {
        let start = position
        while let c = peek, c.isASCII, c.isLetter { advance() }
        return position > start ? text(from: start) : nil
    }
}
