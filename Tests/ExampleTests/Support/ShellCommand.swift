/// A command line from the README, split into words as a POSIX shell would for the simple
/// quoting the README uses: single quotes, double quotes, and backslash escapes outside them.
struct ShellCommand: Equatable {
    var words: [String]

    init(_ line: String) {
        var words: [String] = []
        var current: String? = nil
        var quote: Character? = nil
        var escaped = false
        for character in line {
            if escaped {
                current = (current ?? "") + String(character)
                escaped = false
            } else if let open = quote {
                if character == open { quote = nil } else { current = (current ?? "") + String(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                current = current ?? ""
            } else if character == "\\" {
                escaped = true
            } else if character.isWhitespace {
                if let word = current { words.append(word) }
                current = nil
            } else {
                current = (current ?? "") + String(character)
            }
        }
        if let word = current { words.append(word) }
        self.words = words
    }

    /// The values of an option that takes one (`-H 'A: b'` or `--header 'A: b'`), in order.
    func values(of names: String...) -> [String] {
        zip(words, words.dropFirst()).filter { names.contains($0.0) }.map(\.1)
    }

    /// The first word that is neither an option nor an option's value.
    func firstArgument(after index: Int, optionsWithValue: Set<String>) -> String? {
        var skip = false
        for word in words.dropFirst(index) {
            if skip { skip = false; continue }
            if optionsWithValue.contains(word) { skip = true; continue }
            if word.hasPrefix("-") { continue }
            return word
        }
        return nil
    }
}
