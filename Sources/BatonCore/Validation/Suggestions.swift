/// "Did you mean ...?" for misspelt keys, step ids and names.
enum Suggestions {
    /// Keys people bring from other engines, mapped to ours.
    static let aliases: [String: String] = [
        "retries": "retry", "on": "triggers", "depends_on": "needs", "dependsOn": "needs", "after": "needs",
        "when": "if", "condition": "if", "foreach": "for_each", "forEach": "for_each", "loop": "for_each",
        "uses": "http", "request": "http", "run": "transform", "continue_on_error": "on_error",
        "timeout_seconds": "timeout", "headers_": "headers", "jobs": "steps", "tasks": "steps",
        "schedules": "triggers", "cron": "schedule", "tz": "timezone", "time_zone": "timezone",
        "params": "query", "querystring": "query", "data": "json", "payload": "json", "endpoint": "url",
    ]

    /// The best candidate for `word`, or nil when nothing is close.
    static func closest(to word: String, in candidates: some Collection<String>) -> String? {
        if let alias = aliases[word], candidates.contains(alias) { return alias }
        let lower = word.lowercased()
        if let sameButCase = candidates.first(where: { $0.lowercased() == lower }) { return sameButCase }
        var best: (String, Int)? = nil
        for candidate in candidates {
            let distance = editDistance(lower, candidate.lowercased())
            let allowed = max(1, min(3, candidate.count / 3))
            if distance <= allowed, best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        return best?.0
    }

    /// `; did you mean 'x'?` or an empty string.
    static func hint(for word: String, in candidates: some Collection<String>) -> String {
        closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance, counting a swap of two neighbours as one edit.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
