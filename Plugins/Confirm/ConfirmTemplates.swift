internal import ConveneLetters
/// The acknowledgement's embedded templates, in the six official languages of the United Nations.
///
/// A workflow overrides any of them with `templates:` and `subject:`. Besides the values of
/// ``letterValues(for:event:language:dates:deadline:)``, templates may use `track` (`id`, `name`,
/// `dates`) and `reply`: `answer` (`confirm`, `decline`, `substitute`), one of `confirmed`,
/// `declined`, `substituted` set, `speakingRequested`, `date` (when it was received), `source`,
/// `sequence` and, for a substitution, `substitute` (`name`, `title`).
enum ConfirmTemplates {
    static let subjects: [String: String] = [
        "ar": "تم تسجيل الرد: {{track.name}} — {{event.name}}",
        "en": "Reply recorded: {{track.name}} — {{event.name}}",
        "es": "Respuesta registrada: {{track.name}} — {{event.name}}",
        "fr": "Réponse enregistrée\u{A0}: {{track.name}} — {{event.name}}",
        "ru": "Ответ зарегистрирован: {{track.name}} — {{event.name}}",
        "zh": "答复已登记：{{track.name}} — {{event.name}}",
    ]

    static let bodies: [String: String] = [
        "ar": """
        المرجع: {{event.reference}}

        {{salutation}}

        نؤكد استلام ردكم المؤرخ {{reply.date}} بشأن «{{track.name}}» ({{track.dates}}) في إطار «{{event.name}}»، وقد سجلنا ما يلي:

        {{#reply.confirmed}}
        - المشاركة: مؤكدة
        {{/reply.confirmed}}
        {{#reply.declined}}
        - المشاركة: اعتذار عن عدم الحضور
        {{/reply.declined}}
        {{#reply.substituted}}
        - المشاركة: عن طريق ممثل{{#reply.substitute}}، {{name}}{{#title}}، {{title}}{{/title}}{{/reply.substitute}}
        {{/reply.substituted}}
        {{#reply.speakingRequested}}
        - طلب أخذ الكلمة: مسجَّل
        {{/reply.speakingRequested}}

        وإذا كانت أيٌّ من هذه المعلومات غير صحيحة، يُرجى الكتابة إلى {{contact.email}}.

        وتفضلوا بقبول فائق الاحترام والتقدير.

        {{contact.name}}
        """,
        "en": """
        Ref.: {{event.reference}}

        {{salutation}}

        We acknowledge receipt of your reply of {{reply.date}} concerning the {{track.name}} ({{track.dates}}) of the {{event.name}}, and have recorded the following:

        {{#reply.confirmed}}
        - Participation: confirmed
        {{/reply.confirmed}}
        {{#reply.declined}}
        - Participation: declined
        {{/reply.declined}}
        {{#reply.substituted}}
        - Participation: through a representative{{#reply.substitute}}, {{name}}{{#title}}, {{title}}{{/title}}{{/reply.substitute}}
        {{/reply.substituted}}
        {{#reply.speakingRequested}}
        - Speaking time: requested
        {{/reply.speakingRequested}}

        Should any of this be incorrect, please write to {{contact.email}}.

        Please accept, Excellency, the assurances of our highest consideration.

        {{contact.name}}
        """,
        "es": """
        Ref.: {{event.reference}}

        {{salutation}}

        Acusamos recibo de su respuesta del {{reply.date}} relativa a «{{track.name}}» ({{track.dates}}), en el marco del evento «{{event.name}}», y hemos registrado lo siguiente:

        {{#reply.confirmed}}
        - Participación: confirmada
        {{/reply.confirmed}}
        {{#reply.declined}}
        - Participación: declinada
        {{/reply.declined}}
        {{#reply.substituted}}
        - Participación: por medio de un representante{{#reply.substitute}}, {{name}}{{#title}}, {{title}}{{/title}}{{/reply.substitute}}
        {{/reply.substituted}}
        {{#reply.speakingRequested}}
        - Solicitud de tiempo de palabra: registrada
        {{/reply.speakingRequested}}

        Si alguno de estos datos no fuera correcto, le rogamos que escriba a {{contact.email}}.

        Aprovechamos la ocasión para reiterarle el testimonio de nuestra más alta consideración.

        {{contact.name}}
        """,
        "fr": """
        Réf.\u{A0}: {{event.reference}}

        {{salutation}}

        Nous accusons réception de votre réponse du {{reply.date}} concernant «\u{A0}{{track.name}}\u{A0}» ({{track.dates}}), dans le cadre de «\u{A0}{{event.name}}\u{A0}», et en avons pris note comme suit\u{A0}:

        {{#reply.confirmed}}
        - Participation\u{A0}: confirmée
        {{/reply.confirmed}}
        {{#reply.declined}}
        - Participation\u{A0}: déclinée
        {{/reply.declined}}
        {{#reply.substituted}}
        - Participation\u{A0}: par l'intermédiaire d'un représentant{{#reply.substitute}}, {{name}}{{#title}}, {{title}}{{/title}}{{/reply.substitute}}
        {{/reply.substituted}}
        {{#reply.speakingRequested}}
        - Demande de temps de parole\u{A0}: enregistrée
        {{/reply.speakingRequested}}

        Si ces informations sont inexactes, nous vous prions d'écrire à {{contact.email}}.

        Nous vous prions d'agréer, {{formOfAddress}}, l'assurance de notre haute considération.

        {{contact.name}}
        """,
        "ru": """
        Исх.: {{event.reference}}

        {{salutation}}

        Подтверждаем получение Вашего ответа от {{reply.date}} относительно «{{track.name}}» ({{track.dates}}) в рамках мероприятия «{{event.name}}» и сообщаем, что зарегистрировано следующее:

        {{#reply.confirmed}}
        - Участие: подтверждено
        {{/reply.confirmed}}
        {{#reply.declined}}
        - Участие: отклонено
        {{/reply.declined}}
        {{#reply.substituted}}
        - Участие: через представителя{{#reply.substitute}}, {{name}}{{#title}}, {{title}}{{/title}}{{/reply.substitute}}
        {{/reply.substituted}}
        {{#reply.speakingRequested}}
        - Просьба о предоставлении слова: зарегистрирована
        {{/reply.speakingRequested}}

        Если эти сведения неверны, просьба написать по адресу {{contact.email}}.

        Примите уверения в нашем самом высоком уважении.

        {{contact.name}}
        """,
        "zh": """
        文号：{{event.reference}}

        {{salutation}}

        我们已收到您于{{reply.date}}就{{event.name}}“{{track.name}}”（{{track.dates}}）所作的答复，现登记如下：

        {{#reply.confirmed}}
        - 出席：确认出席
        {{/reply.confirmed}}
        {{#reply.declined}}
        - 出席：不出席
        {{/reply.declined}}
        {{#reply.substituted}}
        - 出席：由代表出席{{#reply.substitute}}，{{name}}{{#title}}，{{title}}{{/title}}{{/reply.substitute}}
        {{/reply.substituted}}
        {{#reply.speakingRequested}}
        - 发言时间申请：已登记
        {{/reply.speakingRequested}}

        如上述信息有误，请致函 {{contact.email}}。

        顺致崇高的敬意。

        {{contact.name}}
        """,
    ]
}
