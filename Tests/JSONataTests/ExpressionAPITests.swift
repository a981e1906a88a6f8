import Testing

@testable import JSONata

/// The public API: compile, evaluate with bindings, host functions, limits, root paths, JSON round trips.
struct ExpressionAPITests {
    @Test func parseErrorCarriesCodeAndPosition() {
        do {
            _ = try JSONata.Expression("a + ")
            Issue.record("expected a syntax error")
        } catch let e as JSONataError {
            #expect(e.code == "S0207")
            #expect(e.position == 4)
            #expect(e.message == "Unexpected end of expression")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func unknownOperatorTokenIsReported() {
        #expect(throws: JSONataError.self) { try JSONata.Expression("a !! b") }
        do {
            _ = try JSONata.Expression("(1 2)")
        } catch let e as JSONataError {
            #expect(e.code == "S0202")
            #expect(e.token == "2")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func evaluatesWithBindings() throws {
        let e = try JSONata.Expression("greeting & ', ' & $name")
        let r = try e.evaluate(["greeting": "Hello"], bindings: ["name": "Ada"])
        #expect(r == .string("Hello, Ada"))
    }

    @Test func undefinedResultIsNil() throws {
        let e = try JSONata.Expression("missing.field")
        #expect(try e.evaluate(["a": 1]) == nil)
        #expect(try e.evaluate(nil) == nil)
    }

    @Test func numbersSerialiseLikeJavaScript() throws {
        #expect(try JSONata.Expression("0.1 + 0.2").evaluate(nil)?.serialized() == "0.30000000000000004")
        #expect(try JSONata.Expression("$string(0.1 + 0.2)").evaluate(nil) == .string("0.3"))
        #expect(try JSONata.Expression("1e21").evaluate(nil)?.serialized() == "1e+21")
        #expect(try JSONata.Expression("2 * 3").evaluate(nil)?.serialized() == "6")
    }

    @Test func evaluationErrorHasCodePositionAndToken() {
        do {
            _ = try JSONata.Expression("1 + 'a'").evaluate(nil)
            Issue.record("expected an error")
        } catch let e as JSONataError {
            #expect(e.code == "T2002")
            #expect(e.token == "+")
            #expect(e.position == 3)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// A built-in's signature error points at its call, as the reference reports it (these
    /// positions are jsonata-js's), and names the function, or `undefined` for one with no name.
    @Test(arguments: [
        (#"$substring("abc", "a")"#, "T0410", 11, #"Argument 2 of function "substring" does not match function signature"#),
        (#"1 + $substring("abc", "a")"#, "T0410", 15, #"Argument 2 of function "substring" does not match function signature"#),
        (#"  $sum("a")"#, "T0412", 7, #"Argument 1 of function "sum" must be an array of "numbers""#),
        (#""abc" ~> $substring("x")"#, "T0410", 20, #"Argument 2 of function "substring" does not match function signature"#),
        (#"(function($x)<n:n>{$x})("a")"#, "T0410", 24, "Argument 1 of function undefined does not match function signature"),
    ])
    func signatureErrorsPointAtTheCall(_ source: String, _ code: String, _ position: Int, _ message: String) {
        let error = #expect(throws: JSONataError.self) { try JSONata.Expression(source).evaluate(nil) }
        #expect(error?.code == code)
        #expect(error?.position == position)
        #expect(error?.message == message)
    }

    @Test func hostFunctionsAreCallable() throws {
        let double = HostFunction(name: "double", signature: "<n:n>") { args in
            guard case .number(let n)? = args.first ?? nil else { return nil }
            return .number(n * 2)
        }
        let e = try JSONata.Expression("$double(x) + 1", functions: [double])
        #expect(try e.evaluate(["x": 20]) == .number(41))
        #expect(throws: JSONataError.self) { try e.evaluate(["x": "no"]) }
    }

    @Test func hostFunctionsGetEveryDeclaredArgument() throws {
        let count = HostFunction(name: "arguments", signature: "<s-n?s?:n>") { args in .number(Double(args.count)) }
        let e = try JSONata.Expression(#"[$arguments("a"), $arguments("a", 1), "a" ~> $arguments()]"#, functions: [count])
        #expect(try e.evaluate(nil) == [3, 3, 3])
    }

    @Test func depthLimitStopsRunawayRecursion() throws {
        let e = try JSONata.Expression("($f := function($n){ $n + $f($n + 1) }; $f(0))")
        do {
            _ = try e.evaluate(nil, limits: EvaluationLimits(maxDepth: 200, timeout: .seconds(5)))
            Issue.record("expected U1001")
        } catch let err as JSONataError {
            #expect(err.code == "U1001")
        }
    }

    @Test func timeLimitStopsLongLoops() throws {
        let e = try JSONata.Expression("($f := function($n){ $n > 0 ? $f($n - 1) : 0 }; $f(100000000))")
        do {
            _ = try e.evaluate(nil, limits: EvaluationLimits(maxDepth: 1000, timeout: .milliseconds(50)))
            Issue.record("expected U1002")
        } catch let err as JSONataError {
            #expect(err.code == "U1002")
        }
    }

    @Test func rootPathsListReferencesToTheInput() throws {
        let e = try JSONata.Expression("trigger.body.title & ' ' & steps.shorten.output.body.short_url & $$.env.X & items[price > 2].name")
        let paths = e.rootPaths.map(\.fields)
        #expect(paths == [["trigger", "body", "title"], ["steps", "shorten", "output", "body", "short_url"], ["env", "X"], ["items"]])
        #expect(e.rootPaths.first?.position == 0)
    }

    @Test func rootPathsSkipLambdaParametersButSeeLambdaContext() throws {
        let e = try JSONata.Expression("$map(commits, function($c) { $c.id & repository.url })")
        #expect(e.rootPaths.map(\.fields) == [["commits"], ["repository", "url"]])
    }

    @Test func jsonRoundTripKeepsKeyOrder() throws {
        let text = #"{"b":1,"a":[true,null,"x\n\u00e9"],"c":{"z":-0.5,"y":1e+21}}"#
        let v = try JSONValue(parsing: text)
        #expect(v.serialized() == #"{"b":1,"a":[true,null,"x\né"],"c":{"z":-0.5,"y":1e+21}}"#)
        #expect(try JSONValue(parsing: v.serializedBytes()) == v)
    }

    @Test func invalidJSONIsRejected() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "{\"a\": }") }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "[1, 2") }
    }

    @Test func expressionIsSendableAcrossTasks() async throws {
        let e = try JSONata.Expression("$sum(values)")
        let results = try await withThrowingTaskGroup(of: JSONValue?.self) { group in
            for i in 0..<8 {
                group.addTask { try e.evaluate(["values": [1, 2, JSONValue.number(Double(i))]]) }
            }
            var out: [JSONValue?] = []
            for try await r in group { out.append(r) }
            return out
        }
        #expect(results.count == 8)
    }
}

/// Deep (non-tail) recursion must stop with U1001 at the default depth limit without exhausting
/// the stack of a concurrency thread.
struct DeepRecursionTests {
    @Test func defaultDepthLimitIsSafeOnConcurrencyThreads() async throws {
        let e = try JSONata.Expression("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))")
        let code: String? = await Task.detached {
            do {
                _ = try e.evaluate(nil)
                return nil
            } catch let err as JSONataError {
                return err.code
            } catch {
                return "other"
            }
        }.value
        #expect(code == "U1001")
    }

    @Test func moderateRecursionSucceeds() throws {
        let e = try JSONata.Expression("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(200))")
        #expect(try e.evaluate(nil) == .number(200))
    }
}
