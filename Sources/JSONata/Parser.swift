import Foundation

/// Pratt (top-down operator precedence) parser producing the raw tree that
/// `ASTProcessor` then rewrites into evaluable form.
struct Parser {
    var lexer: Lexer
    var current: Token
    let sourceLength: Int
    /// How deeply `expression` is nested right now (see ``maximumNesting``).
    var nesting = 0

    /// The deepest nesting of sub-expressions accepted. Parsing, checking and evaluating all
    /// recurse over the tree, so an expression nested many thousands deep would overflow the
    /// thread's stack and kill the process; it is refused with an error instead. Expressions
    /// people write stay far below it.
    static let maximumNesting = 500

    static func tooDeep(at position: Int) -> JSONataError {
        JSONataError(code: "U1001", position: position,
                     message: "The expression is nested more than \(maximumNesting) levels deep; split it into smaller parts bound with :=")
    }

    static let bindingPowers: [String: Int] = [
        ".": 75, "[": 80, "]": 0, "{": 70, "}": 0, "(": 80, ")": 0, ",": 0, "@": 80, "#": 80, ";": 0,
        ":": 0, "?": 20, "+": 50, "-": 50, "*": 60, "/": 60, "%": 60, "|": 0, "=": 40, "<": 40, ">": 40,
        "^": 40, "**": 0, "..": 0, ":=": 10, "!=": 40, "<=": 40, ">=": 40, "~>": 40, "and": 30, "or": 25,
        "in": 40, "&": 50, "??": 40, "?:": 40,
    ]

    init(_ source: String) throws {
        lexer = Lexer(source)
        sourceLength = lexer.src.count
        current = Token(kind: .end, position: 0)
        try advance()
    }

    /// The identifier the reference's symbol table uses for the current token.
    var id: String {
        switch current.kind {
        case .op: return current.text
        case .name, .variable: return "(name)"
        case .string, .number, .value: return "(literal)"
        case .regex: return "(regex)"
        case .end: return "(end)"
        }
    }

    /// The token's value as the reference reports it in errors.
    var tokenValue: String {
        switch current.kind {
        case .end: return "(end)"
        case .number: return NumberText.json(current.number)
        case .value: return current.literal.serialized()
        case .regex: return current.regexPattern
        default: return current.text
        }
    }

    var lbp: Int {
        if current.kind == .op { return Parser.bindingPowers[current.text] ?? 0 }
        return 0
    }

    mutating func advance(_ expected: String? = nil, infix: Bool = false) throws {
        if let expected, id != expected {
            let code = current.kind == .end ? "S0203" : "S0202"
            throw JSONataError(code: code, position: current.position, token: tokenValue, value: .string(expected))
        }
        guard let token = try lexer.next(prefix: infix) else {
            current = Token(kind: .end, position: sourceLength)
            return
        }
        if token.kind == .op && Parser.bindingPowers[token.text] == nil {
            throw JSONataError(code: "S0204", position: token.position, token: token.text)
        }
        current = token
    }

    mutating func parse() throws -> SyntaxNode {
        let expr = try expression(0)
        if current.kind != .end {
            throw JSONataError(code: "S0201", position: current.position, token: tokenValue)
        }
        return expr
    }

    mutating func expression(_ rbp: Int) throws -> SyntaxNode {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Parser.maximumNesting { throw Parser.tooDeep(at: current.position) }
        let t = current
        let tValue = tokenValue
        try advance(nil, infix: true)
        var left = try nud(t, tValue)
        // Each operator in a chain (`1+1+...`, `a.b.c...`) wraps the tree so far one level
        // deeper without recursing here: count those levels too (freeing a tree thousands of
        // levels deep recurses as well).
        var chained = 0
        while rbp < lbp {
            chained += 1
            if nesting + chained > Parser.maximumNesting { throw Parser.tooDeep(at: current.position) }
            let op = current
            try advance()
            left = try led(op, left)
        }
        return left
    }

    mutating func nud(_ t: Token, _ tValue: String) throws -> SyntaxNode {
        switch t.kind {
        case .name:
            let n = SyntaxNode(.name, position: t.position)
            n.text = t.text
            n.start = t.start
            return n
        case .variable:
            let n = SyntaxNode(.variable, position: t.position)
            n.text = t.text
            n.start = t.start
            return n
        case .string:
            let n = SyntaxNode(.string, position: t.position)
            n.start = t.start
            n.text = t.text
            n.literal = .string(t.text)
            return n
        case .number:
            let n = SyntaxNode(.number, position: t.position)
            n.literal = .number(t.number)
            return n
        case .value:
            let n = SyntaxNode(.value, position: t.position)
            n.literal = t.literal
            return n
        case .regex:
            let n = SyntaxNode(.regex, position: t.position)
            n.regex = try RegexTranslator.compile(pattern: t.regexPattern, flags: t.regexFlags, position: t.position)
            return n
        case .end:
            let n = SyntaxNode(.error, position: t.position)
            n.text = "S0207"
            return n
        case .op:
            break
        }
        switch t.text {
        case "and", "or", "in":
            let n = SyntaxNode(.name, position: t.position)
            n.text = t.text
            return n
        case "-":
            let n = SyntaxNode(.unary, position: t.position)
            n.text = "-"
            n.lhs = try expression(70)
            return n
        case "*": return SyntaxNode(.wildcard, position: t.position)
        case "**": return SyntaxNode(.descendant, position: t.position)
        case "%": return SyntaxNode(.parent, position: t.position)
        case "(":
            let n = SyntaxNode(.block, position: t.position)
            while id != ")" {
                n.expressions.append(try expression(0))
                if id != ";" { break }
                try advance(";")
            }
            try advance(")", infix: true)
            return n
        case "[":
            let n = SyntaxNode(.arrayConstructor, position: t.position)
            if id != "]" {
                while true {
                    var item = try expression(0)
                    if id == ".." {
                        let range = SyntaxNode(.binary, position: current.position)
                        range.text = ".."
                        range.lhs = item
                        try advance("..")
                        range.rhs = try expression(0)
                        item = range
                    }
                    n.expressions.append(item)
                    if id != "," { break }
                    try advance(",")
                }
            }
            try advance("]", infix: true)
            return n
        case "{":
            let n = SyntaxNode(.objectConstructor, position: t.position)
            n.pairs = try objectPairs()
            return n
        case "|":
            let n = SyntaxNode(.transform, position: t.position)
            n.lhs = try expression(0)
            try advance("|")
            n.rhs = try expression(0)
            if id == "," {
                try advance(",")
                n.third = try expression(0)
            }
            try advance("|")
            return n
        default:
            throw JSONataError(code: "S0211", position: t.position, token: tValue)
        }
    }

    mutating func objectPairs() throws -> [(SyntaxNode, SyntaxNode)] {
        var pairs: [(SyntaxNode, SyntaxNode)] = []
        if id != "}" {
            while true {
                let k = try expression(0)
                try advance(":")
                let v = try expression(0)
                pairs.append((k, v))
                if id != "," { break }
                try advance(",")
            }
        }
        try advance("}", infix: true)
        return pairs
    }

    mutating func led(_ t: Token, _ left: SyntaxNode) throws -> SyntaxNode {
        let bp = Parser.bindingPowers[t.text] ?? 0
        switch t.text {
        case "(":
            let n = SyntaxNode(.function, position: t.position)
            n.procedure = left
            if id != ")" {
                while true {
                    if current.kind == .op && current.text == "?" {
                        n.kind = .partial
                        n.arguments.append(SyntaxNode(.placeholder, position: current.position))
                        try advance("?")
                    } else {
                        n.arguments.append(try expression(0))
                    }
                    if id != "," { break }
                    try advance(",")
                }
            }
            try advance(")", infix: true)
            if left.kind == .name && (left.text == "function" || left.text == "\u{03BB}") {
                for (i, arg) in n.arguments.enumerated() where arg.kind != .variable {
                    throw JSONataError(code: "S0208", position: arg.position, token: describe(arg), value: .number(Double(i + 1)))
                }
                n.kind = .lambda
                n.params = ContiguousArray(n.arguments.map(\.text))
                n.arguments = []
                n.procedure = nil
                if id == "<" {
                    let sigPos = current.position
                    var depth = 1
                    var sig = "<"
                    while depth > 0 && id != "{" && id != "(end)" {
                        try advance()
                        if id == ">" { depth -= 1 } else if id == "<" { depth += 1 }
                        sig += tokenValue
                    }
                    try advance(">")
                    do {
                        n.signature = try Signature(sig)
                    } catch let e as SignatureError {
                        throw JSONataError(code: e.code, position: sigPos + e.offset, token: e.token)
                    }
                }
                try advance("{")
                n.body = try expression(0)
                try advance("}")
            }
            return n
        case "[":
            if id == "]" {
                var step = left
                while step.kind == .binary && step.text == "[", let l = step.lhs { step = l }
                step.keepArray = true
                try advance("]")
                return left
            }
            let n = SyntaxNode(.binary, position: t.position)
            n.text = "["
            n.lhs = left
            n.rhs = try expression(0)
            try advance("]", infix: true)
            return n
        case "^":
            try advance("(")
            let n = SyntaxNode(.binary, position: t.position)
            n.text = "^"
            n.lhs = left
            while true {
                var descending = false
                if id == "<" {
                    try advance("<")
                } else if id == ">" {
                    descending = true
                    try advance(">")
                }
                n.sortTerms.append((try expression(0), descending))
                if id != "," { break }
                try advance(",")
            }
            try advance(")")
            return n
        case "{":
            let n = SyntaxNode(.binary, position: t.position)
            n.text = "{"
            n.lhs = left
            n.pairs = try objectPairs()
            return n
        case ":=":
            if left.kind != .variable {
                throw JSONataError(code: "S0212", position: left.position, token: describe(left))
            }
            let n = SyntaxNode(.binary, position: t.position)
            n.text = ":="
            n.lhs = left
            n.rhs = try expression(bp - 1)
            return n
        case "@", "#":
            let n = SyntaxNode(.binary, position: t.position)
            n.text = t.text
            n.lhs = left
            n.rhs = try expression(bp)
            if n.rhs?.kind != .variable {
                throw JSONataError(code: "S0214", position: n.rhs?.position ?? t.position, token: t.text)
            }
            return n
        case "?":
            let n = SyntaxNode(.condition, position: t.position)
            n.lhs = left
            n.rhs = try expression(0)
            if id == ":" {
                try advance(":")
                n.third = try expression(0)
            }
            return n
        case "??", "?:":
            let n = SyntaxNode(.binary, position: t.position)
            n.text = t.text
            n.lhs = left
            n.rhs = try expression(0)
            return n
        default:
            let n = SyntaxNode(.binary, position: t.position)
            n.text = t.text
            n.lhs = left
            n.rhs = try expression(bp)
            return n
        }
    }

    func describe(_ n: SyntaxNode) -> String {
        switch n.kind {
        case .number, .value: return n.literal.serialized()
        default: return n.text
        }
    }
}
