extension Substring {
    /// Without leading and trailing spaces and tabs, the optional whitespace HTTP allows around
    /// header values and parameters.
    func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
