import Foundation
import OrderedCollections

func formattingError(_ error: any Error) -> JSONataError {
    if let e = error as? FormattingError { return JSONataError(code: e.code, position: -1, message: e.message) }
    if let e = error as? JSONataError { return e }
    return JSONataError(code: "D3137", position: -1, message: String(describing: error))
}

extension Builtins {
    static let miscFunctions: [Builtin] = [
        Builtin("formatNumber", "<n-so?:s>") { _, args, _, _ in
            guard let x = argNumber(args, 0) else { return nil }
            var options: [String: String] = [:]
            if let o = arg(args, 2), let entries = o.objectEntries {
                for (k, v) in entries { if let s = v.stringValue { options[k] = s } }
            }
            do {
                return .string(try NumberPicture.format(x, picture: argString(args, 1) ?? "", options: options))
            } catch { throw formattingError(error) }
        },
        Builtin("formatBase", "<n-n?:s>") { _, args, _, _ in
            guard let x = argNumber(args, 0) else { return nil }
            do { return .string(try BaseFormat.format(x, radix: argNumber(args, 1))) } catch { throw formattingError(error) }
        },
        Builtin("formatInteger", "<n-s:s>") { _, args, _, _ in
            guard let x = argNumber(args, 0) else { return nil }
            do { return .string(try IntegerPicture.format(x, picture: argString(args, 1) ?? "")) } catch { throw formattingError(error) }
        },
        Builtin("parseInteger", "<s-s:n>") { _, args, _, _ in
            guard let s = argString(args, 0) else { return nil }
            do {
                return try IntegerPicture.parse(s, picture: argString(args, 1) ?? "").map { .number($0) }
            } catch { throw formattingError(error) }
        },
        Builtin("now", "<s?s?:s>") { ev, args, _, _ in
            do {
                return try PictureCache.format(millis: ev.timestamp, picture: argString(args, 0), timezone: argString(args, 1)).map { .string($0) }
            } catch { throw formattingError(error) }
        },
        Builtin("millis", "<:n>") { ev, _, _, _ in .number(ev.timestamp) },
        Builtin("fromMillis", "<n-s?s?:s>") { _, args, _, _ in
            guard let x = argNumber(args, 0) else { return nil }
            do {
                return try PictureCache.format(millis: x, picture: argString(args, 1), timezone: argString(args, 2)).map { .string($0) }
            } catch { throw formattingError(error) }
        },
        Builtin("toMillis", "<s-s?:n>") { ev, args, _, _ in
            guard let s = argString(args, 0) else { return nil }
            if argString(args, 1) == nil, let fast = ISOTimestamp.millis(s) { return .number(fast) }
            do {
                return try DateTimePicture.parse(s, picture: argString(args, 1), now: ev.timestamp).map { .number($0) }
            } catch { throw formattingError(error) }
        },
        Builtin("eval", "<sx?:x>") { ev, args, input, env in
            guard let src = argString(args, 0) else { return nil }
            var context = input
            if args.count > 1, let focus = arg(args, 1) {
                context = focus
                if focus.isArray && !focus.isSequence {
                    let b = ArrayBox([focus], sequence: true)
                    b.outerWrapper = true
                    context = .array(b)
                }
            }
            let ast: Node
            do {
                ast = try Compiler.compile(src)
            } catch let e as JSONataError {
                throw JSONataError(code: "D3120", position: -1, value: .string(e.message))
            }
            do {
                return try ev.evaluate(ast, context, env)
            } catch let e as JSONataError {
                throw JSONataError(code: "D3121", position: -1, value: .string(e.message))
            }
        },
    ]
}
