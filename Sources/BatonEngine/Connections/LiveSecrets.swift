import Foundation
import Synchronization

/// Secret values learnt while the process runs (connections' access and refresh tokens),
/// which every ``Redactor`` built with it masks as well as its fixed secrets.
public final class LiveSecrets: Sendable {
    private struct State {
        var known: Set<String> = []
        /// The values and their URL-escaped forms, longest first.
        var sorted: [String] = []
    }

    private let state = Mutex(State())

    /// Creates an empty set.
    public init() {}

    /// Adds `values` (those shorter than ``Redactor/minimumLength`` are ignored, as the redactor does).
    public func add<S: Sequence>(_ values: S) where S.Element == String {
        state.withLock { state in
            var changed = false
            for value in values where value.count >= Redactor.minimumLength {
                if state.known.insert(value).inserted { changed = true }
                let escaped = URLQuery.escape(value)
                if escaped != value, state.known.insert(escaped).inserted { changed = true }
            }
            if changed {
                state.sorted = state.known.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
            }
        }
    }

    /// The values to mask, longest first.
    public var values: [String] { state.withLock { $0.sorted } }

    /// Whether no value was added yet.
    public var isEmpty: Bool { state.withLock { $0.known.isEmpty } }
}

/// Never prints the values.
extension LiveSecrets: CustomStringConvertible {
    /// How many values it holds.
    public var description: String { "LiveSecrets(\(values.count) values hidden)" }
}
