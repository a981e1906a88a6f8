import Foundation

/// A problem found while parsing a cron expression: what is wrong, how to fix it, and where.
///
/// `offset` is the 0-based offset in the expression text, counted in Unicode scalars (which for the
/// ASCII text of a cron expression are its characters), where the offending field or value
/// starts, so a validator can point at the exact column (`column = offset + 1`).
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable name for the kind of problem, for code that needs to match on it.
    public enum Code: String, Sendable, Equatable {
        /// The text is empty or has the wrong number of fields.
        case fieldCount
        /// A value is outside the field's range, e.g. minute 61.
        case outOfRange
        /// A range runs backwards, e.g. `20-8` in the hour field.
        case reversedRange
        /// A step is 0 or larger than the field's range.
        case invalidStep
        /// A month, weekday or macro name that does not exist.
        case unknownName
        /// A list has an empty item, e.g. `1,,2`.
        case emptyListItem
        /// `L`, `#` or `?` used in a field (or a form) that does not accept it.
        case misplacedModifier
        /// `#` with an occurrence outside 1-5.
        case invalidOccurrence
        /// Any other unexpected character or malformed value.
        case syntax
    }

    /// The kind of problem.
    public let code: Code
    /// What is wrong and how to fix it, in words a workflow author understands.
    public let message: String
    /// The 0-based offset (in Unicode scalars) in the expression where the offending field or value starts.
    public let offset: Int

    /// Creates an error of the given kind at a character offset in the expression.
    public init(_ code: Code, _ message: String, offset: Int) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    /// The message followed by the 1-based column it refers to.
    public var description: String {
        "\(message) (column \(offset + 1))"
    }
}
