import Testing

@testable import ConveneCore

/// The fields of a step's `when:` in the reference campaign, more or less.
private let schema = ConditionSchema(fields: [
    "state.replied": .bool,
    "state.reminders": .int,
    "state.status": .enumeration(
        "status", cases: ["invited", "reminded", "confirmed", "declined", "seated", "wait-listed"]),
    "delegation.region": .string,
    "delegation.language": .string,
    "delegation.focal-point": .string,
    "principal.rank": .string,
    "principal.previous-rank": .string,
    "a": .bool, "b": .bool, "c": .bool,
    "x": .int, "y": .int,
])

/// Evaluates `source` for a record given by field path; missing fields are null.
private func holds(_ source: String, _ record: [String: ConditionValue] = [:]) throws -> Bool {
    let condition = try Condition(source, schema: schema)
    return condition.evaluate { record[condition.fields[$0]] ?? .null }
}

/// The error that constructing `source` throws, if any.
private func rejection(of source: String) -> ConditionError? {
    do {
        _ = try Condition(source, schema: schema)
        return nil
    } catch {
        return error
    }
}

private let bools = [false, true]

@Suite("Conditions: parsing and precedence")
struct ConditionParsingTests {
    @Test(
        "the examples of the design parse and read their fields in order of first use",
        arguments: [
            (
                #"state.replied == false and delegation.region in ["Africa", "Europe"]"#,
                ["state.replied", "delegation.region"]
            ),
            ("not state.replied", ["state.replied"]),
            (
                #"state.status in ["invited", "reminded"] and principal.rank != "head-of-state""#,
                ["state.status", "principal.rank"]
            ),
            (
                #"state.reminders < 2 or (delegation.language == "fr" and state.status == "invited")"#,
                ["state.reminders", "delegation.language", "state.status"]
            ),
        ])
    func examples(source: String, fields: [String]) throws {
        let condition = try Condition(source, schema: schema)
        #expect(condition.fields == fields)
        #expect(condition.source == source)
        #expect(condition.description == source)
    }

    @Test("a field read twice gets one slot")
    func uniqueFields() throws {
        let condition = try Condition("x > 1 and y < 3 and x < 5 or y == 0", schema: schema)
        #expect(condition.fields == ["x", "y"])
        #expect(condition.evaluate { $0 == 0 ? .int(2) : .int(9) } == false)
        #expect(condition.evaluate { $0 == 0 ? .int(2) : .int(0) } == true)
    }

    @Test("'and' binds tighter than 'or'")
    func andOverOr() throws {
        for a in bools { for b in bools { for c in bools {
            let record: [String: ConditionValue] = ["a": .bool(a), "b": .bool(b), "c": .bool(c)]
            #expect(try holds("a or b and c", record) == (a || (b && c)))
            #expect(try holds("a and b or c", record) == ((a && b) || c))
            #expect(try holds("(a or b) and c", record) == ((a || b) && c))
        } } }
    }

    @Test("'not' binds tighter than 'and' and looser than a comparison")
    func notPrecedence() throws {
        for a in bools { for b in bools {
            let record: [String: ConditionValue] = ["a": .bool(a), "b": .bool(b)]
            #expect(try holds("not a and b", record) == (!a && b))
            #expect(try holds("not (a and b)", record) == !(a && b))
            #expect(try holds("not not a", record) == a)
            #expect(try holds("not a == true", record) == !(a == true))
            #expect(try holds("not a or not b", record) == (!a || !b))
        } }
    }

    @Test("whitespace, including line breaks, is free between tokens and optional around symbols")
    func whitespace() throws {
        let record: [String: ConditionValue] = ["x": .int(1), "state.status": .string("invited")]
        #expect(try holds("x==1", record))
        #expect(try holds("  x\t==\n1  ", record))
        #expect(try holds(#"(x>0)and(state.status in['invited','reminded'])"#, record))
    }

    @Test("identifiers may contain hyphens and digits after their first character")
    func hyphenatedFields() throws {
        let condition = try Condition(
            #"delegation.focal-point != null and principal.previous-rank == "minister""#,
            schema: schema)
        #expect(condition.fields == ["delegation.focal-point", "principal.previous-rank"])
    }

    @Test("keywords are whole words, so a field may start with one")
    func keywordPrefixes() throws {
        let schema = ConditionSchema(fields: ["notes": .string, "order": .int, "india": .bool])
        let condition = try Condition(#"india and notes == "x" or order > 1"#, schema: schema)
        #expect(condition.fields == ["india", "notes", "order"])
    }

    @Test("strings take double or single quotes, with escapes for quotes and backslashes")
    func stringLiterals() throws {
        let cases: [(String, String)] = [
            (#"principal.rank == "head-of-state""#, "head-of-state"),
            (#"principal.rank == 'head-of-state'"#, "head-of-state"),
            (#"principal.rank == "say \"hi\"""#, #"say "hi""#),
            (#"principal.rank == 'l\'Ambassadeur'"#, "l'Ambassadeur"),
            (#"principal.rank == "it's""#, "it's"),
            (#"principal.rank == "back\\slash""#, #"back\slash"#),
            (#"principal.rank == "Côte d’Ivoire""#, "Côte d’Ivoire"),
            (#"principal.rank == """#, ""),
        ]
        for (source, value) in cases {
            #expect(try holds(source, ["principal.rank": .string(value)]), "\(source)")
            #expect(try !holds(source, ["principal.rank": .string(value + "!")]), "\(source)")
        }
    }

    @Test("integers may be negative")
    func integers() throws {
        #expect(try holds("x == -3", ["x": .int(-3)]))
        #expect(try holds("x > -1", ["x": .int(0)]))
        #expect(try holds("x == 0", ["x": .int(0)]))
        #expect(try holds("x in [-1, 0, 1]", ["x": .int(-1)]))
    }

    @Test("true, false and comparisons of literals are conditions that read no field")
    func constants() throws {
        for (source, value) in [
            ("true", true), ("false", false), ("1 == 1", true), ("1 < 0", false),
            (#""a" != "b""#, true), ("null == null", true), ("2 in [1, 2]", true),
            ("not true or false", false),
        ] {
            let condition = try Condition(source, schema: schema)
            #expect(condition.fields.isEmpty)
            #expect(condition.evaluate { _ in .null } == value, "\(source)")
        }
    }
}

@Suite("Conditions: errors")
struct ConditionErrorTests {
    @Test(
        "each syntax error says what was expected and points at the offending token",
        arguments: [
            ("", "the condition is empty", 1),
            ("   ", "the condition is empty", 1),
            ("state.replied ==", "expected a value after '=='", 17),
            ("state.replied == )", "expected a value after '==', found ')'", 18),
            ("state.replied == false x", "unexpected 'x' after the end of the condition", 24),
            (
                "state.replied == false adn x == 1",
                "unexpected 'adn' after the end of the condition (did you mean 'and'?)", 24
            ),
            (
                "a == true AND b",
                "unexpected 'AND' after the end of the condition (did you mean 'and'?)", 11
            ),
            ("and a", "expected a condition, found 'and'", 1),
            ("a and", "expected a condition after 'and'", 6),
            ("a or )", "expected a condition after 'or', found ')'", 6),
            ("not", "expected a condition after 'not'", 4),
            ("(a", "expected ')' to close the '(' at column 1", 3),
            ("(a or (b)", "expected ')' to close the '(' at column 1", 10),
            ("( )", "expected a condition after '(', found ')'", 3),
            ("a )", "unexpected ')' after the end of the condition", 3),
            ("a = true", "'=' is not an operator; use '==' to compare", 3),
            ("a && b", "use 'and' instead of '&&'", 3),
            ("a || b", "use 'or' instead of '||'", 3),
            ("!a", "use 'not' instead of '!'", 1),
            ("x <> 1", "use '!=' instead of '<>'", 3),
            ("x == 1 == 2", "comparisons cannot be chained; join them with 'and'", 8),
            (
                "(a) == true",
                "a condition in parentheses cannot be compared; compare a field with a value", 5
            ),
            (#"state.status in "invited""#, #"expected '[' after 'in', found '"invited"'"#, 17),
            (#"state.status not ["invited"]"#, "expected 'in' after 'not', found '['", 18),
            (#"state.status not in "x""#, #"expected '[' after 'not in', found '"x"'"#, 21),
            ("state.status in []", "a list needs at least one value", 18),
            (#"state.status in ["invited",]"#, "expected a value after ',', found ']'", 28),
            (#"state.status in ["invited""#, "expected ',' or ']' after a value in the list", 27),
            (
                #"state.status in ["invited" "reminded"]"#,
                #"expected ',' or ']' after a value in the list, found '"reminded"'"#, 28
            ),
            (
                "x in [1, y]", "a list holds values, not fields such as 'y'", 10
            ),
            (
                #"delegation.region == "Africa"#,
                #"the string is not closed; expected a closing ""#, 22
            ),
            (
                #"delegation.region == 'Africa"#,
                "the string is not closed; expected a closing '", 22
            ),
            (
                #"delegation.region == "a\nb""#,
                #"unknown escape '\n' in a string; only \", \' and \\ are allowed"#, 24
            ),
            ("x < -", "expected digits after '-'", 6),
            ("x < 99999999999999999999", "the number 99999999999999999999 is too large", 5),
            ("state. == 1", "expected a field name after '.'", 7),
            ("x == 1 and ? ", "expected a condition after 'and', found '?'", 12),
        ])
    func syntaxErrors(source: String, message: String, column: Int) throws {
        let error = try #require(rejection(of: source))
        #expect(error.message == message)
        #expect(error.column == column)
    }

    @Test("an unknown field is reported with a suggestion and its column")
    func unknownField() throws {
        let error = try #require(rejection(of: "state.replied == false and state.repled"))
        #expect(error.message == "unknown field 'state.repled' (did you mean 'state.replied'?)")
        #expect(error.column == 28)
        #expect(error.description == "column 28: unknown field 'state.repled' (did you mean 'state.replied'?)")
    }

    @Test("a misspelt literal is reported as an unknown field with the literal suggested")
    func misspeltLiteral() throws {
        let error = try #require(rejection(of: "state.replied == flase"))
        #expect(error.message == "unknown field 'flase' (did you mean 'false'?)")
        #expect(error.column == 18)
    }

    @Test("an unknown field with nothing close is reported without a suggestion")
    func unknownFieldWithoutSuggestion() throws {
        let error = try #require(rejection(of: "zzzzzz.qqqqq"))
        #expect(error.message == "unknown field 'zzzzzz.qqqqq'")
        #expect(error.column == 1)
    }

    @Test("columns count characters, not bytes")
    func columnsCountCharacters() throws {
        let error = try #require(rejection(of: #"delegation.region == "Genève – Zürich" and nope"#))
        #expect(error.message == "unknown field 'nope'")
        #expect(error.column == 44)
    }

    @Test(
        "each type error names the types and points at the offending token",
        arguments: [
            (
                "state.status == 'invitd'", "'invitd' is not a status (did you mean 'invited'?)", 17
            ),
            (
                #"state.status in ["invited", "remindd"]"#,
                "'remindd' is not a status (did you mean 'reminded'?)", 29
            ),
            (#"state.status != "nonsense""#, "'nonsense' is not a status", 17),
            (
                "delegation.region == 3",
                "cannot compare 'delegation.region' (a string) with 3 (an integer)", 19
            ),
            (
                #"3 != delegation.region"#,
                "cannot compare 3 (an integer) with 'delegation.region' (a string)", 3
            ),
            ("a == 1", "cannot compare 'a' (a boolean) with 1 (an integer)", 3),
            (#"1 == "1""#, #"cannot compare 1 (an integer) with "1" (a string)"#, 3),
            (
                "state.status == delegation.region",
                "cannot compare 'state.status' (a status) with 'delegation.region' (a string)", 14
            ),
            (
                "x < delegation.region",
                "cannot compare 'x' (an integer) with 'delegation.region' (a string)", 3
            ),
            (
                "state.replied < true",
                "'<' does not apply to 'state.replied' (a boolean); only integers and strings are ordered",
                15
            ),
            (
                #"state.status >= "invited""#,
                "'>=' does not apply to 'state.status' (a status); only integers and strings are ordered",
                14
            ),
            ("x < null", "null can only be compared with '==' or '!='", 5),
            (
                #"delegation.region in ["Africa", 3]"#,
                "the list for 'delegation.region' must hold strings, not 3 (an integer)", 33
            ),
            ("x not in [1, true]", "the list for 'x' must hold integers, not true (a boolean)", 14),
            ("null in [1]", "null cannot be looked for in a list; use '== null'", 1),
            (
                "state.reminders",
                "'state.reminders' is an integer, not a condition; compare it with a value", 1
            ),
            (#""yes""#, #""yes" is a string, not a condition"#, 1),
            ("null", "null is not true or false, not a condition", 1),
            (
                "state.replied and state.reminders",
                "'and' needs a condition on each side, but 'state.reminders' is an integer", 19
            ),
            (
                "delegation.region or a",
                "'or' needs a condition on each side, but 'delegation.region' is a string", 1
            ),
            (
                "not state.status",
                "'not' needs a condition, but 'state.status' is a status", 5
            ),
            ("a and (b or 3)", "'or' needs a condition on each side, but 3 is an integer", 13),
        ])
    func typeErrors(source: String, message: String, column: Int) throws {
        let error = try #require(rejection(of: source))
        #expect(error.message == message)
        #expect(error.column == column)
    }

    @Test("an enumeration whose name starts with a vowel takes 'an'")
    func enumerationArticle() throws {
        let schema = ConditionSchema(fields: ["track.access": .enumeration("access", cases: ["public"])])
        #expect(throws: ConditionError.self) { try Condition("track.access < 'public'", schema: schema) }
        do {
            _ = try Condition("not track.access", schema: schema)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "'not' needs a condition, but 'track.access' is an access")
        }
    }
}

@Suite("Conditions: evaluation")
struct ConditionEvaluationTests {
    @Test("comparisons of integers follow Swift's")
    func integerTruthTable() throws {
        let operators: [(String, (Int, Int) -> Bool)] = [
            ("==", (==)), ("!=", (!=)), ("<", (<)), ("<=", (<=)), (">", (>)), (">=", (>=)),
        ]
        for (op, swift) in operators {
            let fieldFirst = try Condition("x \(op) 1", schema: schema)
            let literalFirst = try Condition("1 \(op) x", schema: schema)
            let fields = try Condition("x \(op) y", schema: schema)
            for x in -1...3 {
                #expect(fieldFirst.evaluate { _ in .int(x) } == swift(x, 1), "x \(op) 1 for \(x)")
                #expect(literalFirst.evaluate { _ in .int(x) } == swift(1, x), "1 \(op) x for \(x)")
                for y in -1...1 {
                    #expect(
                        fields.evaluate { $0 == 0 ? .int(x) : .int(y) } == swift(x, y),
                        "x \(op) y for \(x), \(y)")
                }
            }
        }
    }

    @Test("strings are compared exactly and ordered like Swift strings")
    func stringComparisons() throws {
        #expect(try holds(#"delegation.language == "fr""#, ["delegation.language": .string("fr")]))
        #expect(try !holds(#"delegation.language == "fr""#, ["delegation.language": .string("FR")]))
        #expect(try holds(#"delegation.region < "Europe""#, ["delegation.region": .string("Africa")]))
        #expect(try !holds(#"delegation.region >= "Europe""#, ["delegation.region": .string("Asia")]))
        #expect(try holds(#""Europe" > delegation.region"#, ["delegation.region": .string("Asia")]))
        #expect(
            try holds(
                "delegation.region <= delegation.language",
                ["delegation.region": .string("Asia"), "delegation.language": .string("Asia")]))
    }

    @Test("booleans compare with == and != and stand alone")
    func booleanTruthTable() throws {
        for a in bools { for b in bools {
            let record: [String: ConditionValue] = ["a": .bool(a), "b": .bool(b)]
            #expect(try holds("a", record) == a)
            #expect(try holds("a == true", record) == a)
            #expect(try holds("a != false", record) == a)
            #expect(try holds("a == b", record) == (a == b))
            #expect(try holds("a != b", record) == (a != b))
            #expect(try holds("a and b", record) == (a && b))
            #expect(try holds("a or b", record) == (a || b))
        } }
    }

    @Test("an enumeration compares with its cases and with fields of the same enumeration")
    func enumerations() throws {
        let invited: [String: ConditionValue] = ["state.status": .string("invited")]
        #expect(try holds(#"state.status == "invited""#, invited))
        #expect(try !holds(#"state.status != "invited""#, invited))
        #expect(try holds(#"state.status in ["invited", "reminded"]"#, invited))
        #expect(try !holds(#"state.status not in ["invited", "reminded"]"#, invited))
        #expect(try holds(#"state.status not in ["confirmed", "wait-listed"]"#, invited))
        let schema = ConditionSchema(fields: [
            "state.status": .enumeration("status", cases: ["invited", "reminded"]),
            "previous.status": .enumeration("status", cases: ["invited", "reminded"]),
        ])
        let condition = try Condition("state.status == previous.status", schema: schema)
        #expect(condition.evaluate { _ in .string("reminded") })
        #expect(!condition.evaluate { $0 == 0 ? .string("invited") : .string("reminded") })
    }

    @Test("membership tests each value of the list")
    func membership() throws {
        for region in ["Africa", "Europe", "Asia", "Americas", ""] {
            let record: [String: ConditionValue] = ["delegation.region": .string(region)]
            let inList = region == "Africa" || region == "Europe"
            #expect(try holds(#"delegation.region in ["Africa", "Europe"]"#, record) == inList)
            #expect(try holds(#"delegation.region not in ["Africa", "Europe"]"#, record) == !inList)
            #expect(try holds(#"not delegation.region in ["Africa", "Europe"]"#, record) == !inList)
        }
    }

    @Test("the examples of the design hold for a record that should match and fail for one that should not")
    func designExamples() throws {
        let pending: [String: ConditionValue] = [
            "state.replied": .bool(false), "state.reminders": .int(1),
            "state.status": .string("reminded"), "delegation.region": .string("Africa"),
            "delegation.language": .string("fr"), "principal.rank": .string("minister"),
        ]
        var done = pending
        done["state.replied"] = .bool(true)
        done["state.reminders"] = .int(2)
        done["state.status"] = .string("confirmed")
        done["delegation.region"] = .string("Asia")
        done["principal.rank"] = .string("head-of-state")
        for source in [
            #"state.replied == false and delegation.region in ["Africa", "Europe"]"#,
            "not state.replied",
            #"state.status in ["invited", "reminded"] and principal.rank != "head-of-state""#,
            #"state.reminders < 2 or (delegation.language == "fr" and state.status == "reminded")"#,
        ] {
            #expect(try holds(source, pending), "\(source)")
            #expect(try !holds(source, done), "\(source)")
        }
    }

    @Test("'and' and 'or' do not read their right side once the left decides")
    func shortCircuit() throws {
        var read: [Int] = []
        let and = try Condition("a and b", schema: schema)
        #expect(!and.evaluate { read.append($0); return .bool(false) })
        #expect(read == [0])
        read = []
        #expect(and.evaluate { read.append($0); return .bool(true) })
        #expect(read == [0, 1])
        read = []
        let or = try Condition("a or b", schema: schema)
        #expect(or.evaluate { read.append($0); return .bool(true) })
        #expect(read == [0])
        read = []
        let negated = try Condition("not (a or b)", schema: schema)
        #expect(!negated.evaluate { read.append($0); return .bool(true) })
        #expect(read == [0])
    }

    @Test("nested and, or and not agree with Swift for every combination")
    func nestedTruthTable() throws {
        let sources: [(String, (Bool, Bool, Bool) -> Bool)] = [
            ("not (a and (b or not c))", { a, b, c in !(a && (b || !c)) }),
            ("(a or b) and (not b or c)", { a, b, c in (a || b) && (!b || c) }),
            ("not (not a or b) or c and a", { a, b, c in !(!a || b) || (c && a) }),
            ("a and b and c or not a and not b", { a, b, c in (a && b && c) || (!a && !b) }),
        ]
        for (source, swift) in sources {
            let condition = try Condition(source, schema: schema)
            for a in bools { for b in bools { for c in bools {
                let values = ["a": a, "b": b, "c": c]
                let result = condition.evaluate { .bool(values[condition.fields[$0]]!) }
                #expect(result == swift(a, b, c), "\(source) for \(a), \(b), \(c)")
            } } }
        }
    }

    @Test("'and', 'or' and 'not' compile away: one instruction per test, constants fold")
    func compiledShape() throws {
        let condition = try Condition(
            #"not (a and b) or state.reminders >= 2 and delegation.region in ["Africa"]"#,
            schema: schema)
        #expect(condition.program.instructions.count == 4)
        #expect(try Condition("a and 1 == 1", schema: schema).program.instructions.count == 1)
        let constant = try Condition("a or true", schema: schema)
        #expect(constant.program.instructions.isEmpty)
        #expect(constant.evaluate { _ in .bool(false) })
    }

    @Test("a condition compiled once evaluates many records without being parsed again")
    func manyEvaluations() throws {
        let condition = try Condition(
            #"state.replied == false and delegation.region in ["Africa", "Europe"] and state.reminders < 2"#,
            schema: schema)
        let regions: [ConditionValue] = [.string("Africa"), .string("Asia"), .string("Europe"), .null]
        var matches = 0
        for i in 0..<100_000 {
            let record: [ConditionValue] = [.bool(i % 2 == 1), regions[i % 4], .int(i % 3)]
            if condition.evaluate({ record[$0] }) { matches += 1 }
        }
        // Even i with region Africa or Europe: i % 4 is 0 or 2, so every even i; then i % 3 < 2.
        let expected = (0..<100_000).filter { $0 % 2 == 0 && $0 % 3 < 2 }.count
        #expect(matches == expected)
    }
}

@Suite("Conditions: null")
struct ConditionNullTests {
    @Test("a null field equals only null")
    func equality() throws {
        #expect(try holds("x == null"))
        #expect(try !holds("x != null"))
        #expect(try !holds("x == 1"))
        #expect(try holds("x != 1"))
        #expect(try holds("null == x"))
        #expect(try !holds("x == null", ["x": .int(0)]))
        #expect(try holds("x != null", ["x": .int(0)]))
        #expect(try holds(#"delegation.region == null"#))
        #expect(try holds(#"state.status == null"#))
        #expect(try holds(#"state.status != "invited""#))
    }

    @Test("a null field fails every ordering, and so does its opposite")
    func ordering() throws {
        for op in ["<", "<=", ">", ">="] {
            #expect(try !holds("x \(op) 1"), "x \(op) 1")
            #expect(try !holds("1 \(op) x"), "1 \(op) x")
            #expect(try !holds(#"delegation.region \#(op) "M""#), "region \(op)")
            #expect(try !holds("x \(op) y", ["y": .int(1)]), "x \(op) y")
            #expect(try holds("not x \(op) 1"), "not x \(op) 1")
        }
    }

    @Test("a null boolean field is false on its own")
    func bareBoolean() throws {
        #expect(try !holds("state.replied"))
        #expect(try holds("not state.replied"))
        #expect(try !holds("state.replied == false"))
        #expect(try holds("state.replied != true"))
    }

    @Test("a null field is in a list only if the list holds null")
    func membership() throws {
        #expect(try !holds(#"delegation.region in ["Africa"]"#))
        #expect(try holds(#"delegation.region not in ["Africa"]"#))
        #expect(try holds(#"delegation.region in ["Africa", null]"#))
        #expect(try !holds(#"delegation.region not in [null]"#))
        #expect(try holds(#"state.status in [null, "invited"]"#))
    }

    @Test("two null fields are equal to each other")
    func twoFields() throws {
        #expect(try holds("x == y"))
        #expect(try !holds("x == y", ["x": .int(1)]))
        #expect(try holds("x != y", ["y": .int(1)]))
    }
}
