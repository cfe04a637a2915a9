import ConveneYAML
import Testing

@Suite("Large documents")
struct LargeDocumentTests {
    /// A workflow of about 1 MB: tracks of steps with settings, merge keys, and a roster with
    /// French names (so that the non-ASCII column path is exercised too).
    static func largeWorkflow(bytes: Int = 1_000_000) -> String {
        var text = """
            event:
              reference: CL-24/2
              time-zone: Europe/Zurich
            defaults: &defaults
              channel: outbox
              retries: 3
              language-fallback: fr
            tracks:

            """
        var track = 0
        while text.utf8.count < bytes / 2 {
            text += "  track-\(track):\n    dates: [2024-05-27, 2024-05-28]\n    access: invitation\n    steps:\n"
            for step in 0..<10 {
                text += """
                        - uses: convene/invite@1
                          with:
                            <<: *defaults
                            template: "letter-\(step)"
                            ratio: 0.\(step)5
                          before: { date: deadlines.reply, by: \(step)d }
                          when: state.replied == false and delegation.rank <= \(step)

                    """
            }
            track += 1
        }
        text += "roster:\n"
        var delegation = 0
        while text.utf8.count < bytes {
            text += """
                  - id: D\(delegation)
                    name: { fr: "République de Corée \(delegation)", en: Republic of Korea \(delegation) }
                    principal: { title: Ministre, gender: f, rank: \(delegation % 7) }
                    languages: [fr, en]
                    replied: \(delegation % 2 == 0 ? "true" : "false")

                """
            delegation += 1
        }
        return text
    }

    // Parse time is measured by the benchmark executable in release builds, not here: a timed
    // test on a shared 2-core machine is either flaky or too lax to mean anything.
    @Test("a 1 MB workflow with merge keys and French names parses whole")
    func oneMegabyte() throws {
        let text = Self.largeWorkflow()
        #expect(text.utf8.count >= 1_000_000)
        let root = try YAMLParser.parse(text, file: "large.yaml")
        #expect(root?["roster"]?.sequence?.isEmpty == false)
        #expect(root?["tracks"]?["track-0"]?["steps"]?.sequence?[0]["with"]?["retries"]?.int == 3)
        #expect(root?["roster"]?.sequence?[0]["name"]?["fr"]?.string == "République de Corée 0")
    }
}
