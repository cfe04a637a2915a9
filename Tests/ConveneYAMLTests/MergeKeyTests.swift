import ConveneYAML
import Testing

@Suite("Merge keys")
struct MergeKeyTests {
    @Test("a merge key brings in the keys of an aliased mapping, in its place")
    func mergeAlias() throws {
        let root = try document(
            """
            defaults: &d {channel: outbox, retries: 3}
            step:
              uses: invite
              <<: *d
              template: letter
            """)
        let step = try #require(root["step"])
        #expect(step.keys == ["uses", "channel", "retries", "template"])
        #expect(step["channel"]?.string == "outbox")
        #expect(step["<<"] == nil)
    }

    @Test("explicit keys win over merged ones, before or after the merge key")
    func explicitWins() throws {
        let root = try document(
            """
            d: &d {a: 1, b: 2, c: 3}
            m:
              a: explicit
              <<: *d
              c: also explicit
            """)
        let m = try #require(root["m"])
        #expect(m["a"]?.string == "explicit")
        #expect(m["b"]?.int == 2)
        #expect(m["c"]?.string == "also explicit")
        #expect(m.keys == ["a", "b", "c"])
    }

    @Test("in a list of merged mappings the earlier mapping wins")
    func earlierWins() throws {
        let root = try document(
            """
            one: &one {a: 1, b: 1}
            two: &two {b: 2, c: 2}
            m:
              <<: [*one, *two]
            """)
        let m = try #require(root["m"])
        #expect(m["a"]?.int == 1)
        #expect(m["b"]?.int == 1)
        #expect(m["c"]?.int == 2)
        #expect(m.keys == ["a", "b", "c"])
    }

    @Test("an inline mapping can be merged")
    func inlineMapping() throws {
        let root = try document("m:\n  <<: {a: 1}\n  b: 2\n")
        #expect(root["m"]?.keys == ["a", "b"])
    }

    @Test("a merge key whose value is not a mapping is an error at the value")
    func notAMapping() throws {
        let error = try #require(parseError("s: &s text\nm:\n  <<: *s\n"))
        #expect(error.code == .invalidMerge)
        #expect(error.location == at(3, 7))
        #expect(error.message.contains("must be a mapping or a list of mappings, not a string"))
    }

    @Test("a merge list holding something else than mappings is an error at that item")
    func listOfNonMappings() throws {
        let error = try #require(parseError("a: &a {x: 1}\nm:\n  <<: [*a, [1]]\n"))
        #expect(error.code == .invalidMerge)
        #expect(error.location == at(3, 12))
        #expect(error.message.contains("not a list"))
    }

    @Test("a quoted '<<' is an ordinary key")
    func quotedIsOrdinary() throws {
        let root = try document("'<<': {a: 1}\n")
        #expect(root.keys == ["<<"])
        #expect(root["<<"]?["a"]?.int == 1)
    }

    @Test("merging the fixture workflow's defaults gives each step its settings")
    func fixtureWorkflow() throws {
        let root = try #require(try YAMLParser.parse(fixture("workflow.yaml"), file: "workflow.yaml"))
        let dialogues = try #require(root["tracks"]?["high-level-dialogues"]?["steps"]?.sequence)
        #expect(dialogues[0]["with"]?.keys == ["channel", "language-fallback", "retries", "template"])
        #expect(dialogues[1]["with"]?["retries"]?.int == 5)
        #expect(dialogues[1]["when"]?.string == "state.replied == false")
        let governance = try #require(root["tracks"]?["ai-governance-day"]?["steps"]?.sequence)
        #expect(governance[0]["with"]?["retries"]?.int == 3)
        #expect(governance[1]["with"]?["wrap"]?.string == "yes")
        #expect(governance[1]["with"]?["ratio"]?.double == 0.5)
        #expect(root["event"]?["deadlines"]?["reply"]?.string == "2024-02-29")
        #expect(root["event"]?["name"]?["fr"]?.scalar?.style == .doubleQuoted)
    }
}
