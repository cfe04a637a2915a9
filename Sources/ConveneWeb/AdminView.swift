internal import ConveneCore
internal import ConveneKit
import Foundation
internal import Hummingbird

/// The organisers' view: per-track counts, the replies, and the plans and speakers' lists, behind
/// a token (`/admin?token=…`) that `convene serve` prints at start or reads from
/// `CONVENE_ADMIN_TOKEN`.
extension ReplyServer {
    /// Adds `/admin` and `/admin/artifacts/NAME` to a router.
    func addAdminRoutes(to router: Router<BasicRequestContext>, token: String) {
        let server = self
        router.get("/admin") { request, _ -> Response in
            guard Self.equalInConstantTime(request.uri.queryParameters["token"].map(String.init) ?? "", token) else { return Self.forbidden }
            let language = request.uri.queryParameters["lang"].map(String.init) ?? "en"
            return server.adminPage(token: token, language: AdminWords.all[language] == nil ? "en" : language)
        }
        router.get("/admin/artifacts/:name") { request, context -> Response in
            guard Self.equalInConstantTime(request.uri.queryParameters["token"].map(String.init) ?? "", token) else { return Self.forbidden }
            let name = context.parameters.get("name") ?? ""
            guard let artifact = (try? server.ledger.artifacts())?.last(where: { $0.name == name }) else {
                return Response(status: .notFound)
            }
            let type =
                name.hasSuffix(".svg") ? "image/svg+xml" : name.hasSuffix(".html") ? "text/html; charset=utf-8"
                : name.hasSuffix(".json") ? "application/json" : name.hasSuffix(".csv") ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8"
            return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: artifact.content)))
        }
    }

    static var forbidden: Response {
        Response(status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "a valid admin token is needed\n")))
    }

    /// Counts per track and status, the latest reply of each delegation on each track, the documents.
    func adminPage(token: String, language: String = "en") -> Response {
        let words = AdminWords.all[language] ?? AdminWords.all["en"]!
        let trackIDs = workflow.tracks.map(\.id)
        let counts = (try? ledger.statusCounts(tracks: trackIDs)) ?? [:]
        let states = (try? ledger.states(tracks: trackIDs)) ?? [:]
        var body = "<h1>\(html(workflow.event.name(in: language))) — \(html(words.replies))</h1>\n<h2>\(html(words.perTrack))</h2>\n<table>\n<thead><tr><th scope=\"col\">\(html(words.track))</th>"
        let statuses = ParticipationStatus.allCases
        for status in statuses { body += "<th scope=\"col\">\(status.rawValue)</th>" }
        body += "</tr></thead>\n<tbody>\n"
        for track in workflow.tracks {
            body += "<tr><th scope=\"row\">\(html(track.name(in: language)))</th>"
            for status in statuses { body += "<td>\(counts[track.id]?[status] ?? 0)</td>" }
            body += "</tr>\n"
        }
        body += "</tbody>\n</table>\n<h2>\(html(words.replies))</h2>\n<table>\n<thead><tr>"
        for heading in words.columns { body += "<th scope=\"col\">\(html(heading))</th>" }
        body += "</tr></thead>\n<tbody>\n"
        let local = LocalTime(timeZone: workflow.event.timeZone)
        for delegation in workflow.delegations {
            for track in workflow.tracks {
                guard let reply = states[delegation.id]?[track.id]?.reply else { continue }
                var answer = reply.answer.rawValue
                if let substitute = reply.substitute { answer += " (\(substitute.name))" }
                body += "<tr><td>\(html(delegation.name(in: language)))</td><td>\(html(track.id))</td><td>\(html(answer))</td>"
                body += "<td>\(reply.speakingRequested ? "yes" : "")</td><td>\(local.string(from: reply.receivedAt))</td><td>\(html(reply.source))</td></tr>\n"
            }
        }
        body += "</tbody>\n</table>\n<h2>\(html(words.documents))</h2>\n<ul>\n"
        var seen = Set<String>()
        for artifact in ((try? ledger.artifacts()) ?? []).reversed() where seen.insert(artifact.name).inserted {
            let query = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            body += "<li><a href=\"/admin/artifacts/\(html(artifact.name))?token=\(query)\">\(html(artifact.name))</a></li>\n"
        }
        body += "</ul>\n"
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: page(language: language, title: words.replies, body: body))))
    }
}

/// The organisers' view's words (`/admin?lang=fr`).
struct AdminWords: Sendable {
    var replies, perTrack, track, documents: String
    /// delegation, track, answer, speaking, received, source.
    var columns: [String]

    static let all: [String: AdminWords] = [
        "en": AdminWords(
            replies: "Replies", perTrack: "Per track", track: "track", documents: "Plans and speakers' lists",
            columns: ["delegation", "track", "answer", "speaking", "received", "source"]),
        "fr": AdminWords(
            replies: "Réponses", perTrack: "Par réunion", track: "réunion", documents: "Plans de salle et listes des orateurs",
            columns: ["délégation", "réunion", "réponse", "temps de parole", "reçue le", "source"]),
        "es": AdminWords(
            replies: "Respuestas", perTrack: "Por reunión", track: "reunión", documents: "Planos de asientos y listas de oradores",
            columns: ["delegación", "reunión", "respuesta", "uso de la palabra", "recibida", "fuente"]),
        "ar": AdminWords(
            replies: "الردود", perTrack: "حسب الاجتماع", track: "الاجتماع", documents: "خطط الجلوس وقوائم المتكلمين",
            columns: ["الوفد", "الاجتماع", "الرد", "طلب الكلمة", "تاريخ الاستلام", "المصدر"]),
        "ru": AdminWords(
            replies: "Ответы", perTrack: "По заседаниям", track: "заседание", documents: "Планы рассадки и списки ораторов",
            columns: ["делегация", "заседание", "ответ", "выступление", "получен", "источник"]),
        "zh": AdminWords(
            replies: "答复", perTrack: "按会议", track: "会议", documents: "座位图和发言名单",
            columns: ["代表团", "会议", "答复", "发言", "收到时间", "来源"]),
    ]
}
