import BatonCore
import Foundation
import JSONata
import OrderedCollections

/// The `env` and `secrets` a run's expressions see.
///
/// `env` is the workflow's own `env:` block over the process environment, minus the variables
/// that carry Baton's secrets; a secret reaches an expression only as `secrets.NAME`, which is
/// what lets Baton redact it everywhere it would otherwise be recorded.
public struct RunEnvironment: Sendable {
    /// Environment variables, secrets removed.
    public var env: OrderedDictionary<String, JSONValue>
    /// Secrets by name.
    public var secrets: OrderedDictionary<String, JSONValue>

    /// The prefix of secret variables: `BATON_SECRET_MASTODON_TOKEN` is `secrets.MASTODON_TOKEN`.
    public static let secretPrefix = "BATON_SECRET_"
    /// Variables that are never part of `env`.
    public static let reservedNames: Set<String> = ["BATON_API_TOKEN", "BATON_SECRET_KEY"]

    /// Creates an environment from explicit values.
    public init(env: OrderedDictionary<String, JSONValue> = [:], secrets: OrderedDictionary<String, JSONValue> = [:]) {
        self.env = env
        self.secrets = secrets
    }

    /// Splits a process environment into `env` and `secrets`.
    public init(process variables: [String: String]) {
        var env = OrderedDictionary<String, JSONValue>()
        var secrets = OrderedDictionary<String, JSONValue>()
        for name in variables.keys.sorted() {
            let value = variables[name]!
            if name.hasPrefix(Self.secretPrefix) {
                let secretName = String(name.dropFirst(Self.secretPrefix.count))
                if !secretName.isEmpty { secrets[secretName] = .string(value) }
            } else if !Self.reservedNames.contains(name) {
                env[name] = .string(value)
            }
        }
        self.init(env: env, secrets: secrets)
    }

    /// This environment with a workflow's `env:` block evaluated over it, in file order (an
    /// entry may use the entries before it).
    public func applying(_ entries: [EnvEntry]) throws(TemplateEvaluationError) -> RunEnvironment {
        var result = self
        for entry in entries {
            let context: JSONValue = .object(["env": .object(result.env), "secrets": .object(secrets)])
            if let value = try entry.value.evaluate(in: context) {
                result.env[entry.name] = value
            } else {
                result.env.removeValue(forKey: entry.name)
            }
        }
        return result
    }

    /// The secret values, for redaction.
    public var secretValues: [String] {
        secrets.values.compactMap { if case .string(let text) = $0 { return text } else { return nil } }
    }
}

/// Descriptions that never show a secret: a value printed by a log line, a service list or a
/// debugger shows secret names only.
extension RunEnvironment: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The variable names and secret names, without values.
    public var description: String {
        "RunEnvironment(env: \(env.count) variables, secrets: [\(secrets.keys.joined(separator: ", "))] (values hidden))"
    }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the secrets' values.
    public var customMirror: Mirror {
        Mirror(self, children: ["env": Array(env.keys), "secrets": Array(secrets.keys)], displayStyle: .struct)
    }
}
