import JSONata

extension WorkflowChecker {
    /// Reads any value as a template, compiling every `${{ }}` in it.
    func template(_ node: SourceNode, scope: ExpressionScope) -> Template? {
        switch node.kind {
        case .scalar(.string(let text), _, _):
            guard TemplateScanner.containsTemplate(text) else { return .literal(.string(text)) }
            return stringTemplate(text, node: node, scope: scope)
        case .scalar:
            return .literal(json(node))
        case .sequence(let items):
            var templates: [Template] = []
            var failed = false
            for item in items {
                if let template = template(item, scope: scope) { templates.append(template) } else { failed = true }
            }
            if failed { return nil }
            if templates.allSatisfy({ $0.literalValue != nil }) { return .literal(json(node)) }
            return .array(templates)
        case .mapping(let entries):
            var members: [Template.ObjectMember] = []
            var failed = false
            for entry in entries {
                if TemplateScanner.containsTemplate(entry.key) {
                    error("keys cannot hold expressions ('\(entry.key)'); build the object in one expression instead, "
                          + "e.g. ${{ {key: value} }}", at: entry.keyLocation)
                    failed = true
                    continue
                }
                if let template = template(entry.value, scope: scope) {
                    members.append(Template.ObjectMember(key: entry.key, value: template))
                } else {
                    failed = true
                }
            }
            if failed { return nil }
            if members.allSatisfy({ $0.value.literalValue != nil }) { return .literal(json(node)) }
            return .object(members)
        }
    }

    /// A template that must be a mapping of names to values (headers, query, form).
    func memberTemplates(_ node: SourceNode, _ what: String, scope: ExpressionScope) -> [Template.ObjectMember]? {
        guard let entries = node.entries else {
            error("\(what) must be a mapping of names to values, not \(node.kindDescription)", at: node.location)
            return nil
        }
        var members: [Template.ObjectMember] = []
        for entry in entries {
            guard let value = template(entry.value, scope: scope) else { continue }
            if entry.value.entries != nil || entry.value.items != nil {
                error("\(what) '\(entry.key)' must be a single value, not \(entry.value.kindDescription)",
                      at: entry.value.location)
                continue
            }
            members.append(Template.ObjectMember(key: entry.key, value: value))
        }
        return members
    }

    /// A value that must be one `${{ }}` expression (`if`, `for_each`, `items`, `key`, `match`).
    /// A literal is accepted where `allowLiteral` says so (`if: false`, `for_each: [1, 2]`).
    func expressionTemplate(_ node: SourceNode, _ what: String, scope: ExpressionScope,
                            allowLiteral: (SourceNode) -> Bool = { _ in false }) -> Template? {
        if let text = node.string {
            if TemplateScanner.containsTemplate(text) { return template(node, scope: scope) }
            error("\(what) takes an expression; write it as ${{ \(text) }}", at: node.location)
            return nil
        }
        guard allowLiteral(node) else {
            error("\(what) takes an expression like ${{ ... }}, not \(node.kindDescription)", at: node.location)
            return nil
        }
        return template(node, scope: scope)
    }

    private func stringTemplate(_ text: String, node: SourceNode, scope: ExpressionScope) -> Template? {
        let pieces: [TemplateScanner.Piece]
        do {
            pieces = try TemplateScanner.scan(text)
        } catch {
            self.error(error.message, at: source.location(ofOffset: error.offset, in: text, of: node))
            return nil
        }
        var parts: [Template.InterpolationPart] = []
        var failed = false
        for piece in pieces {
            switch piece {
            case .text(let literal):
                parts.append(.text(literal))
            case .expression(let expressionSource, let offset):
                guard let expression = compile(expressionSource, offset: offset, in: text, node: node, scope: scope) else {
                    failed = true
                    continue
                }
                parts.append(.expression(expression))
            }
        }
        if failed { return nil }
        if parts.count == 1, case .expression(let expression) = parts[0] { return .expression(expression) }
        return .interpolation(parts)
    }

    private func compile(_ expressionSource: String, offset: Int, in value: String, node: SourceNode,
                         scope: ExpressionScope) -> TemplateExpression? {
        // Offsets here count Unicode scalars, as columns do; the scanner counted Characters.
        let scalarOffset = value.prefix(offset).unicodeScalars.count
        let location = source.location(ofOffset: scalarOffset, in: value, of: node)
        do {
            let compiled = try JSONata.Expression(expressionSource)
            let expression = TemplateExpression(source: expressionSource, location: location, compiled: compiled)
            expressionUses.append(ExpressionUse(expression: expression, scope: scope, node: node, value: value,
                                                offset: scalarOffset))
            return expression
        } catch let failure as JSONataError {
            let position = expressionSource.scalarOffset(ofUTF16: failure.position)
            let at = source.location(ofOffset: scalarOffset + position, in: value, of: node)
            error("invalid expression: \(failure.message) (\(failure.code))", at: at)
            return nil
        } catch {
            self.error("invalid expression: \(error)", at: location)
            return nil
        }
    }
}

extension String {
    /// Converts an offset in UTF-16 code units (as JSONata reports positions) to Unicode scalars.
    func scalarOffset(ofUTF16 offset: Int) -> Int {
        let clamped = Swift.min(Swift.max(offset, 0), utf16.count)
        let index = utf16.index(utf16.startIndex, offsetBy: clamped)
        return unicodeScalars.distance(from: unicodeScalars.startIndex, to: index)
    }
}
