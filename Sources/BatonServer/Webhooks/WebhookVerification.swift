/// The outcome of checking a webhook delivery's signature or token.
public enum WebhookVerification: Sendable, Equatable {
    /// The delivery proved it comes from the holder of the secret.
    case accepted
    /// The delivery did not; the reason is short, safe to show the sender, and never contains
    /// the secret or the signature Baton expected.
    case rejected(String)
}
