public import ConveneCore
internal import ConveneKit
internal import Crypto
public import Foundation
public import Hummingbird

/// The reply page `convene serve` serves: a delegation's personal link opens a page in its
/// language with a form per track it may answer; what it sends is recorded in the ledger with
/// the provenance `web`, and the acknowledgement goes out with the next run.
///
/// Only a link signed with the workflow's key, bound to the event and not expired opens the page
/// (the signature is checked in constant time); any other gets a page that says so and shows no
/// data. A delegation sees and changes only its own replies. Forms carry a token derived from
/// the link and a key of the server's, and bodies are limited in size.
public struct ReplyServer: Sendable {
    /// The workflow.
    public var workflow: Workflow
    /// Its ledger.
    public var ledger: Ledger
    /// Verifies the personal links.
    public var links: ReplyLinks
    /// The clock; the real one but in tests.
    public var clock: @Sendable () -> Date
    /// Signs the forms' anti-forgery tokens (the bytes of a key: `SymmetricKey` is not
    /// `Sendable` on Linux).
    let formKey: Data

    /// The largest request body accepted, in bytes.
    public static let bodyLimit = 16 * 1024

    /// Creates a server.
    public init(workflow: Workflow, ledger: Ledger, links: ReplyLinks, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.workflow = workflow
        self.ledger = ledger
        self.links = links
        self.clock = clock
        formKey = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }

    /// The path reply links point to, under which each link adds its token.
    var basePath: String {
        let path = workflow.replyPage?.url.path ?? "/reply"
        return path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// The routes: the reply page, `GET` and `POST`, and with `adminToken` the organisers' view.
    public func router(adminToken: String? = nil) -> Router<BasicRequestContext> {
        let router = Router()
        let server = self
        if let adminToken { addAdminRoutes(to: router, token: adminToken) }
        router.get(RouterPath(basePath + "/:token")) { _, context -> Response in
            let token = context.parameters.get("token") ?? ""
            return server.respond(token: token, form: nil)
        }
        router.post(RouterPath(basePath + "/:token")) { request, context -> Response in
            let token = context.parameters.get("token") ?? ""
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.bodyLimit)
            } catch {
                return Response(status: .contentTooLarge, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "request too large\n")))
            }
            return server.respond(token: token, form: Self.formFields(String(buffer: body)))
        }
        return router
    }

    /// The fields of an `application/x-www-form-urlencoded` body.
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                (String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s))
            }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// The anti-forgery token of a link's form.
    func formToken(for link: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(link.utf8), using: SymmetricKey(data: formKey))).base64EncodedString()
    }

    /// The page for a link: the form, or, with `form`, the replies it records and the form again.
    func respond(token: String, form: [String: String]?) -> Response {
        let now = clock()
        let delegation: Delegation
        do {
            let id = try links.verify(token, now: now).delegation
            guard let found = workflow.delegations.first(where: { $0.id == id }) else { throw ReplyLinkError.forged }
            delegation = found
        } catch {
            return refusal(error, language: workflow.event.fallbackLanguage)
        }
        let language = workflow.event.letterLanguage(for: delegation)
        let words = PageWords.words(language)
        let states = (try? ledger.states(tracks: workflow.tracks.map(\.id), of: delegation.id))?[delegation.id] ?? [:]
        // The tracks it may answer: those it was invited to, and the public ones.
        let tracks = workflow.tracks.filter { track in
            track.access == .public || (states[track.id].map { $0.status != .notInvited } ?? false)
        }
        var notice = ""
        var current = states
        if let form {
            guard let sent = form["form-token"], Self.equalInConstantTime(sent, formToken(for: token)) else {
                return Response(status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "this form has expired; open your link again\n")))
            }
            var replies: [(delegation: String, reply: Reply)] = []
            var problems: [String] = []
            for track in tracks {
                guard let answerText = form["\(track.id).answer"], let answer = ReplyAnswer(rawValue: answerText) else { continue }
                var reply = Reply(
                    sequence: 0, track: track.id, answer: answer, speakingRequested: answer != .decline && form["\(track.id).speaking"] == "yes",
                    receivedAt: now, source: "web")
                if answer == .substitute {
                    let name = (form["\(track.id).substitute_name"] ?? "").trimmingCharacters(in: .whitespaces)
                    if name.isEmpty { problems.append("\(track.name(in: language)): \(words.substituteName)") }
                    let rank = (form["\(track.id).substitute_rank"] ?? "").trimmingCharacters(in: .whitespaces)
                    reply.substitute = Principal(
                        name: name, title: (form["\(track.id).substitute_title"] ?? "").trimmingCharacters(in: .whitespaces),
                        gender: .unspecified, rank: rank.isEmpty ? nil : rank)
                }
                if let text = form["\(track.id).accompanying"], !text.isEmpty {
                    if let count = Int(text), ReplyImport.accompanyingProblem(count, on: track) == nil {
                        reply.accompanying = answer == .decline ? 0 : count
                    } else {
                        problems.append("\(track.name(in: language)): \(words.accompanying)")
                    }
                }
                replies.append((delegation.id, reply))
            }
            if !problems.isEmpty {
                notice = "<div class=\"error\" role=\"alert\"><p>\(html(words.notice))</p><ul>" + problems.map { "<li>\(html($0))</li>" }.joined() + "</ul></div>"
            } else if !replies.isEmpty {
                do {
                    for stored in try ledger.record(replies: replies, enteredBy: "web", document: "reply page", at: now) {
                        current[stored.track, default: TrackState()].reply = stored
                    }
                    notice = "<div class=\"notice\" role=\"status\"><p>\(html(words.recorded))</p></div>"
                } catch {
                    return Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "your reply could not be recorded; please try again\n")))
                }
            }
        }
        let body = formPage(delegation: delegation, tracks: tracks, states: current, language: language, token: token, notice: notice)
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: page(language: language, title: words.title, body: body))))
    }

    /// The page's body: the event, what is recorded, and a form per track.
    func formPage(delegation: Delegation, tracks: [TrackInfo], states: [String: TrackState], language: String, token: String, notice: String) -> String {
        let words = PageWords.words(language)
        let event = workflow.event
        var out = "<h1>\(html(event.name(in: language)))</h1>\n<p>\(html(delegation.name(in: language))) — \(html(words.title))</p>\n\(notice)\n"
        out += "<p>\(html(words.intro))</p>\n<form method=\"post\">\n<input type=\"hidden\" name=\"form-token\" value=\"\(html(formToken(for: token)))\">\n"
        for track in tracks {
            let id = html(track.id)
            let reply = states[track.id]?.reply
            let recorded: String
            switch reply?.answer {
            case .confirm: recorded = words.confirm
            case .decline: recorded = words.decline
            case .substitute: recorded = words.substitute + (reply?.substitute.map { " (\($0.name))" } ?? "")
            case nil: recorded = words.noReply
            }
            out += "<fieldset>\n<legend>\(html(track.name(in: language)))</legend>\n"
            out += "<p>\(html(words.current)) \(html(recorded))\(reply?.speakingRequested == true ? "; " + html(words.speaking) : "")</p>\n"
            for (value, label) in [("confirm", words.confirm), ("decline", words.decline), ("substitute", words.substitute)] {
                let checked = reply?.answer.rawValue == value ? " checked" : ""
                out += "<label><input type=\"radio\" name=\"\(id).answer\" value=\"\(value)\"\(checked)> \(html(label))</label>\n"
            }
            out += "<label for=\"\(id)-name\">\(html(words.substituteName))</label><input type=\"text\" id=\"\(id)-name\" name=\"\(id).substitute_name\" maxlength=\"200\" value=\"\(html(reply?.substitute?.name ?? ""))\">\n"
            out += "<label for=\"\(id)-title\">\(html(words.substituteTitle))</label><input type=\"text\" id=\"\(id)-title\" name=\"\(id).substitute_title\" maxlength=\"200\" value=\"\(html(reply?.substitute?.title ?? ""))\">\n"
            out += "<label for=\"\(id)-rank\">\(html(words.substituteRank))</label><input type=\"text\" id=\"\(id)-rank\" name=\"\(id).substitute_rank\" maxlength=\"100\" value=\"\(html(reply?.substitute?.rank ?? ""))\">\n"
            let speaking = reply?.speakingRequested == true ? " checked" : ""
            out += "<label><input type=\"checkbox\" name=\"\(id).speaking\" value=\"yes\"\(speaking)> \(html(words.speaking))</label>\n"
            if let allowed = track.accompanying, allowed > 0 {
                out += "<label for=\"\(id)-accompanying\">\(html(words.accompanying)) (0–\(allowed))</label><input type=\"number\" id=\"\(id)-accompanying\" name=\"\(id).accompanying\" min=\"0\" max=\"\(allowed)\" value=\"\(reply?.accompanying ?? 0)\">\n"
            }
            out += "</fieldset>\n"
        }
        out += "<button type=\"submit\">\(html(words.submit))</button>\n</form>\n"
        out += "<p>\(html(words.contact)) <a href=\"mailto:\(html(event.contact.email))\">\(html(event.contact.email))</a></p>\n"
        return out
    }

    /// The page for a link that does not open the form: no data, only what to do.
    func refusal(_ error: any Error, language: String) -> Response {
        let words = PageWords.words(language)
        var status = HTTPResponse.Status.notFound
        var message = words.invalid
        if case ReplyLinkError.expired = error {
            status = .gone
            message = words.expired
        }
        let contact = workflow.event.contact.email
        let body = "<h1>\(html(words.title))</h1>\n<p role=\"alert\">\(html(message))</p>\n<p>\(html(words.contact)) <a href=\"mailto:\(html(contact))\">\(html(contact))</a></p>\n"
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: page(language: language, title: words.title, body: body))))
    }

    /// Whether two strings are equal, in a time that does not depend on where they differ.
    static func equalInConstantTime(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
