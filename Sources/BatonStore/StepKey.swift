/// Names one step execution within a run: a step, or one item of a `for_each` step.
public struct StepKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The step's `id:` in the workflow file.
    public var stepID: String
    /// The zero-based `for_each` item index, or `nil` for a step that does not fan out.
    public var item: Int?

    /// Names a step, or one of its `for_each` items.
    public init(_ stepID: String, item: Int? = nil) {
        precondition(item.map { $0 >= 0 } ?? true, "a for_each item index is zero or more")
        self.stepID = stepID
        self.item = item
    }

    /// `step` or `step[3]`.
    public var description: String {
        item.map { "\(stepID)[\($0)]" } ?? stepID
    }
}
