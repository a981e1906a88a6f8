/// Why a webhook body could not be read, with the HTTP status to answer.
public struct WebhookBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400 when the body is broken for its declared type, 415 when Baton cannot read the type at all.
    public var status: Int
    /// What is wrong and, where it helps, where and how to fix it.
    public var message: String

    /// An error with the given status and message.
    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// The body is bytes Baton cannot turn into text.
    static let notText = WebhookBodyError(status: 415, message: "the body is not UTF-8 text; send JSON, a form or text")
}
