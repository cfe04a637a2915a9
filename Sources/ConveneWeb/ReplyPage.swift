internal import ConveneCore
internal import ConveneKit
internal import ConveneLetters
import Foundation

/// The reply page's words in the six official languages of the United Nations.
struct PageWords: Sendable {
    var title, intro, confirm, decline, substitute, substituteName, substituteTitle, substituteRank: String
    var speaking, accompanying, submit, recorded, current, noReply, invalid, expired, contact, notice: String

    static func words(_ language: String) -> PageWords { all[language] ?? all["en"]! }

    static let all: [String: PageWords] = [
        "en": PageWords(
            title: "Your reply", intro: "Please tell us, for each meeting, whether you will attend.", confirm: "I will attend",
            decline: "I will not attend", substitute: "I will send someone in my place", substituteName: "Name of the person attending",
            substituteTitle: "Their title", substituteRank: "Their rank (e.g. vice-minister, ambassador)",
            speaking: "I request speaking time", accompanying: "Accompanying persons", submit: "Send my reply",
            recorded: "Thank you: your reply has been recorded.", current: "Recorded so far:", noReply: "no reply yet",
            invalid: "This link is not valid. Please use the link in your invitation.", expired: "This link has expired.",
            contact: "For any question, please write to", notice: "Please correct the following:"),
        "fr": PageWords(
            title: "Votre réponse", intro: "Veuillez nous indiquer, pour chaque réunion, si vous y participerez.",
            confirm: "Je participerai", decline: "Je ne participerai pas", substitute: "Je me ferai représenter",
            substituteName: "Nom de la personne qui participera", substituteTitle: "Sa fonction",
            substituteRank: "Son rang (par exemple vice-ministre, ambassadeur)", speaking: "Je demande un temps de parole",
            accompanying: "Personnes accompagnatrices", submit: "Envoyer ma réponse",
            recorded: "Merci : votre réponse a été enregistrée.", current: "Enregistré à ce jour :", noReply: "pas encore de réponse",
            invalid: "Ce lien n'est pas valable. Veuillez utiliser le lien figurant dans votre invitation.",
            expired: "Ce lien a expiré.", contact: "Pour toute question, veuillez écrire à", notice: "Veuillez corriger ce qui suit :"),
        "es": PageWords(
            title: "Su respuesta", intro: "Le rogamos que nos indique, para cada reunión, si asistirá.", confirm: "Asistiré",
            decline: "No asistiré", substitute: "Enviaré a un representante", substituteName: "Nombre de la persona que asistirá",
            substituteTitle: "Su cargo", substituteRank: "Su rango (p. ej., viceministro, embajador)",
            speaking: "Solicito tiempo de palabra", accompanying: "Personas acompañantes", submit: "Enviar mi respuesta",
            recorded: "Gracias: su respuesta ha quedado registrada.", current: "Registrado hasta ahora:", noReply: "sin respuesta",
            invalid: "Este enlace no es válido. Utilice el enlace que figura en su invitación.", expired: "Este enlace ha caducado.",
            contact: "Para cualquier consulta, escriba a", notice: "Le rogamos que corrija lo siguiente:"),
        "ar": PageWords(
            title: "ردكم", intro: "يُرجى إعلامنا، بالنسبة إلى كل اجتماع، بما إذا كنتم ستحضرونه.", confirm: "سأحضر",
            decline: "لن أحضر", substitute: "سأوفد من ينوب عني", substituteName: "اسم الشخص الذي سيحضر", substituteTitle: "منصبه",
            substituteRank: "رتبته (مثل نائب وزير، سفير)", speaking: "أطلب وقتاً لإلقاء كلمة", accompanying: "عدد المرافقين",
            submit: "إرسال ردي", recorded: "شكراً لكم: تم تسجيل ردكم.", current: "المسجَّل حتى الآن:", noReply: "لا رد بعد",
            invalid: "هذا الرابط غير صالح. يُرجى استخدام الرابط الوارد في دعوتكم.", expired: "انتهت صلاحية هذا الرابط.",
            contact: "لأي استفسار، يُرجى الكتابة إلى", notice: "يُرجى تصحيح ما يلي:"),
        "ru": PageWords(
            title: "Ваш ответ", intro: "Просим сообщить по каждому заседанию, примете ли Вы в нем участие.", confirm: "Я приму участие",
            decline: "Я не приму участия", substitute: "Я направлю представителя", substituteName: "Имя участника",
            substituteTitle: "Его должность", substituteRank: "Его ранг (например, заместитель министра, посол)",
            speaking: "Прошу предоставить время для выступления", accompanying: "Сопровождающие лица", submit: "Отправить ответ",
            recorded: "Спасибо: Ваш ответ зарегистрирован.", current: "Зарегистрировано:", noReply: "ответа пока нет",
            invalid: "Эта ссылка недействительна. Воспользуйтесь ссылкой из приглашения.", expired: "Срок действия ссылки истек.",
            contact: "По всем вопросам просьба писать по адресу", notice: "Просьба исправить следующее:"),
        "zh": PageWords(
            title: "您的答复", intro: "请就每场会议告知是否出席。", confirm: "我将出席", decline: "我不出席", substitute: "我将派代表出席",
            substituteName: "出席人员姓名", substituteTitle: "其职务", substituteRank: "其级别（如副部长、大使）", speaking: "我申请发言时间",
            accompanying: "随行人员人数", submit: "提交答复", recorded: "谢谢：您的答复已登记。", current: "目前已登记：", noReply: "尚未答复",
            invalid: "此链接无效。请使用邀请函中的链接。", expired: "此链接已过期。", contact: "如有任何问题，请致函", notice: "请更正以下内容："),
    ]
}

/// HTML-escaped text, for content and double-quoted attribute values.
func html(_ text: String) -> String { htmlEscaped(text) }

/// A page in a language, with the event's name as its heading.
func page(language: String, title: String, body: String) -> String {
    let direction = language == "ar" ? " dir=\"rtl\"" : ""
    return """
        <!DOCTYPE html>
        <html lang="\(html(language))"\(direction)>
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(html(title))</title>
        <style>
        body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#111;background:#fff;line-height:1.5}
        fieldset{margin:1.5rem 0;border:1px solid #555;padding:1rem}legend{font-weight:bold}
        label{display:block;margin:.3rem 0}input[type=text],input[type=number]{font-size:1rem;padding:.3rem;border:1px solid #333}
        button{font-size:1rem;padding:.5rem 1rem;background:#0b4f8a;color:#fff;border:0}
        :focus{outline:3px solid #c60}.notice{border-left:4px solid #0a7a2f;padding:.5rem 1rem}.error{border-left:4px solid #b00020;padding:.5rem 1rem}
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
}
