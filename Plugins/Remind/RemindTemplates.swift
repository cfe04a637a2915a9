internal import ConveneLetters
/// The reminder's embedded templates, in the six official languages of the United Nations.
///
/// A workflow overrides any of them with `templates:`, `last-templates:`, `subject:` and
/// `marker:`. Besides the values of ``letterValues(for:event:language:dates:deadline:)``, templates
/// may use `tracks` (the tracks still unanswered, each `name`, `dates`), `reminder` (1 for the
/// first), `last` (whether this is the last reminder) and, when the workflow has a reply page,
/// `replyLink` (the delegation's personal link).
enum RemindTemplates {
    /// What the subject starts with, so that the reader sees at once that something is asked.
    static let markers: [String: String] = [
        "ar": "[مطلوب إجراء]",
        "en": "[Action required]",
        "es": "[Se requiere acción]",
        "fr": "[Action requise]",
        "ru": "[Требуются действия]",
        "zh": "[需采取行动]",
    ]

    static let subjects: [String: String] = [
        "ar": "{{#last}}تذكير أخير{{/last}}{{^last}}تذكير{{/last}}: {{event.name}} ({{event.reference}})",
        "en": "{{#last}}Last reminder{{/last}}{{^last}}Reminder{{/last}}: {{event.name}} ({{event.reference}})",
        "es":
            "{{#last}}Último recordatorio{{/last}}{{^last}}Recordatorio{{/last}}: {{event.name}} ({{event.reference}})",
        "fr": "{{#last}}Dernier rappel{{/last}}{{^last}}Rappel{{/last}}\u{A0}: {{event.name}} ({{event.reference}})",
        "ru":
            "{{#last}}Последнее напоминание{{/last}}{{^last}}Напоминание{{/last}}: {{event.name}} ({{event.reference}})",
        "zh": "{{#last}}最后提醒{{/last}}{{^last}}提醒{{/last}}：{{event.name}}（{{event.reference}}）",
    ]

    static let bodies: [String: String] = [
        "ar": """
        المرجع: {{event.reference}}

        {{salutation}}

        إشارةً إلى دعوتنا إلى «{{event.name}}»، لم نتلقَّ بعدُ ردكم بشأن ما يلي:

        {{#tracks}}
        - {{name}}، {{dates}}
        {{/tracks}}

        {{#deadline}}
        ويُرجى التكرم بموافاتنا بردكم في موعد أقصاه {{deadline}}.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        ويمكن توجيه الردود والاستفسارات إلى {{contact.email}}. وإذا كنتم قد أرسلتم ردكم في الأثناء، فيُرجى عدم الالتفات إلى هذا التذكير.

        وتفضلوا بقبول فائق الاحترام والتقدير.

        {{contact.name}}
        """,
        "en": """
        Ref.: {{event.reference}}

        {{salutation}}

        Further to our invitation to the {{event.name}}, we have not yet received your reply concerning:

        {{#tracks}}
        - {{name}}, {{dates}}
        {{/tracks}}

        {{#deadline}}
        We should be grateful to receive it by {{deadline}}.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        Replies and enquiries may be addressed to {{contact.email}}. If you have replied in the meantime, please disregard this reminder.

        Please accept, Excellency, the assurances of our highest consideration.

        {{contact.name}}
        """,
        "es": """
        Ref.: {{event.reference}}

        {{salutation}}

        En relación con nuestra invitación al evento «{{event.name}}», aún no hemos recibido su respuesta sobre:

        {{#tracks}}
        - {{name}}, {{dates}}
        {{/tracks}}

        {{#deadline}}
        Le agradeceríamos que nos la hiciera llegar a más tardar el {{deadline}}.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        Las respuestas y consultas pueden dirigirse a {{contact.email}}. Si ya ha respondido, le rogamos que no tenga en cuenta este recordatorio.

        Aprovechamos la ocasión para reiterarle el testimonio de nuestra más alta consideración.

        {{contact.name}}
        """,
        "fr": """
        Réf.\u{A0}: {{event.reference}}

        {{salutation}}

        Comme suite à notre invitation relative à «\u{A0}{{event.name}}\u{A0}», nous n'avons pas encore reçu votre réponse concernant\u{A0}:

        {{#tracks}}
        - {{name}}, {{dates}}
        {{/tracks}}

        {{#deadline}}
        Nous vous saurions gré de bien vouloir nous la faire parvenir au plus tard le {{deadline}}.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        Les réponses et questions peuvent être adressées à {{contact.email}}. Si vous avez répondu entre-temps, nous vous prions de ne pas tenir compte du présent rappel.

        Nous vous prions d'agréer, {{formOfAddress}}, l'assurance de notre haute considération.

        {{contact.name}}
        """,
        "ru": """
        Исх.: {{event.reference}}

        {{salutation}}

        В связи с нашим приглашением на мероприятие «{{event.name}}» сообщаем, что мы еще не получили Вашего ответа относительно следующего:

        {{#tracks}}
        - {{name}}, {{dates}}
        {{/tracks}}

        {{#deadline}}
        Просим не позднее {{deadline}} направить ответ.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        Ответы и вопросы просьба направлять по адресу {{contact.email}}. Если Вы уже ответили, просим не принимать во внимание настоящее напоминание.

        Примите уверения в нашем самом высоком уважении.

        {{contact.name}}
        """,
        "zh": """
        文号：{{event.reference}}

        {{salutation}}

        关于我们邀请您出席{{event.name}}一事，我们尚未收到您对以下活动的答复：

        {{#tracks}}
        - {{name}}，{{dates}}
        {{/tracks}}

        {{#deadline}}
        敬请于{{deadline}}前回复。
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        答复及任何疑问请致函 {{contact.email}}。如您已答复，请忽略本提醒。

        顺致崇高的敬意。

        {{contact.name}}
        """,
    ]

    static let lastBodies: [String: String] = [
        "ar": """
        المرجع: {{event.reference}}

        {{salutation}}

        إشارةً إلى دعوتنا إلى «{{event.name}}»، لم نتلقَّ حتى الآن ردكم بشأن ما يلي:

        {{#tracks}}
        - {{name}}، {{dates}}
        {{/tracks}}

        {{#deadline}}
        هذا هو التذكير الأخير: آخر موعد لتلقي الردود هو {{deadline}}، وقد يتعذر علينا مراعاة أي رد يصل بعد ذلك.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        {{^deadline}}
        هذا هو التذكير الأخير.
        {{/deadline}}
        ويمكن توجيه الردود والاستفسارات إلى {{contact.email}}. وإذا كنتم قد أرسلتم ردكم في الأثناء، فيُرجى عدم الالتفات إلى هذا التذكير.

        وتفضلوا بقبول فائق الاحترام والتقدير.

        {{contact.name}}
        """,
        "en": """
        Ref.: {{event.reference}}

        {{salutation}}

        Further to our invitation to the {{event.name}}, we have still not received your reply concerning:

        {{#tracks}}
        - {{name}}, {{dates}}
        {{/tracks}}

        {{#deadline}}
        This is our last reminder: replies are due by {{deadline}}, and we may not be able to take a later reply into account.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        {{^deadline}}
        This is our last reminder.
        {{/deadline}}
        Replies and enquiries may be addressed to {{contact.email}}. If you have replied in the meantime, please disregard this reminder.

        Please accept, Excellency, the assurances of our highest consideration.

        {{contact.name}}
        """,
        "es": """
        Ref.: {{event.reference}}

        {{salutation}}

        En relación con nuestra invitación al evento «{{event.name}}», todavía no hemos recibido su respuesta sobre:

        {{#tracks}}
        - {{name}}, {{dates}}
        {{/tracks}}

        {{#deadline}}
        Este es nuestro último recordatorio: las respuestas deben recibirse a más tardar el {{deadline}}, y es posible que no podamos tener en cuenta una respuesta posterior.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        {{^deadline}}
        Este es nuestro último recordatorio.
        {{/deadline}}
        Las respuestas y consultas pueden dirigirse a {{contact.email}}. Si ya ha respondido, le rogamos que no tenga en cuenta este recordatorio.

        Aprovechamos la ocasión para reiterarle el testimonio de nuestra más alta consideración.

        {{contact.name}}
        """,
        "fr": """
        Réf.\u{A0}: {{event.reference}}

        {{salutation}}

        Comme suite à notre invitation relative à «\u{A0}{{event.name}}\u{A0}», nous n'avons toujours pas reçu votre réponse concernant\u{A0}:

        {{#tracks}}
        - {{name}}, {{dates}}
        {{/tracks}}

        {{#deadline}}
        Le présent message constitue notre dernier rappel\u{A0}: les réponses sont attendues au plus tard le {{deadline}}, et une réponse ultérieure pourrait ne pas être prise en compte.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        {{^deadline}}
        Le présent message constitue notre dernier rappel.
        {{/deadline}}
        Les réponses et questions peuvent être adressées à {{contact.email}}. Si vous avez répondu entre-temps, nous vous prions de ne pas tenir compte du présent rappel.

        Nous vous prions d'agréer, {{formOfAddress}}, l'assurance de notre haute considération.

        {{contact.name}}
        """,
        "ru": """
        Исх.: {{event.reference}}

        {{salutation}}

        В связи с нашим приглашением на мероприятие «{{event.name}}» сообщаем, что мы до сих пор не получили Вашего ответа относительно следующего:

        {{#tracks}}
        - {{name}}, {{dates}}
        {{/tracks}}

        {{#deadline}}
        Это последнее напоминание: ответы принимаются не позднее {{deadline}}, и более поздний ответ может быть не учтен.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        {{^deadline}}
        Это последнее напоминание.
        {{/deadline}}
        Ответы и вопросы просьба направлять по адресу {{contact.email}}. Если Вы уже ответили, просим не принимать во внимание настоящее напоминание.

        Примите уверения в нашем самом высоком уважении.

        {{contact.name}}
        """,
        "zh": """
        文号：{{event.reference}}

        {{salutation}}

        关于我们邀请您出席{{event.name}}一事，我们仍未收到您对以下活动的答复：

        {{#tracks}}
        - {{name}}，{{dates}}
        {{/tracks}}

        {{#deadline}}
        这是最后一次提醒：答复截止日期为{{deadline}}，逾期答复可能无法受理。
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        {{^deadline}}
        这是最后一次提醒。
        {{/deadline}}
        答复及任何疑问请致函 {{contact.email}}。如您已答复，请忽略本提醒。

        顺致崇高的敬意。

        {{contact.name}}
        """,
    ]
}

/// The embedded templates of reminders before a track (`purpose: attendance`), in the six
/// official languages of the United Nations: to delegations that attend, with their seat, their
/// place on the wait-list and their speaking turn on each track (see ``placeLines``).
///
/// A workflow overrides any of them with `templates:` and `subject:`. Besides the values common
/// to all letters, templates may use `places` (each with `name`, `dates`, `hours`, `seated` and
/// `seat`, `waitListed` and `waitList`, `speaking` or `notReached`, and `turn`: `number`, `day`,
/// `start`, `end`).
enum AttendanceTemplates {
    static let subjects: [String: String] = [
        "ar": "قريباً: {{event.name}} ({{event.reference}})، الترتيبات الخاصة بوفدكم",
        "en": "Forthcoming: {{event.name}} ({{event.reference}}), your delegation's arrangements",
        "es": "Próximamente: {{event.name}} ({{event.reference}}), disposiciones para su delegación",
        "fr": "Prochainement\u{A0}: {{event.name}} ({{event.reference}}), dispositions pour votre délégation",
        "ru": "Скоро: {{event.name}} ({{event.reference}}), информация для Вашей делегации",
        "zh": "即将举行：{{event.name}}（{{event.reference}}），贵代表团的安排",
    ]

    static let bodies: [String: String] = [
        "ar": """
        المرجع: {{event.reference}}

        {{salutation}}

        إذ نتطلع إلى استقبال وفدكم في «{{event.name}}» ({{event.venue}})، نود أن نذكّركم بالترتيبات المتخذة له:

        \(placeLines["ar"]!)
        ويُرجى من الوفود التكرم بالحضور قبل افتتاح كل جلسة بثلاثين دقيقة لاستلام الشارات. ولأي استفسار، يُرجى الكتابة إلى {{contact.email}}.

        وتفضلوا بقبول فائق الاحترام والتقدير.

        {{contact.name}}
        """,
        "en": """
        Ref.: {{event.reference}}

        {{salutation}}

        We look forward to welcoming your delegation to the {{event.name}} ({{event.venue}}), and recall the arrangements made for it:

        \(placeLines["en"]!)
        Delegations are kindly requested to arrive thirty minutes before the opening of each session to collect their badges. Should you have any question, please write to {{contact.email}}.

        Please accept, Excellency, the assurances of our highest consideration.

        {{contact.name}}
        """,
        "es": """
        Ref.: {{event.reference}}

        {{salutation}}

        A la espera de recibir a su delegación en el evento «{{event.name}}» ({{event.venue}}), le recordamos las disposiciones adoptadas para ella:

        \(placeLines["es"]!)
        Se ruega a las delegaciones que lleguen treinta minutos antes de la apertura de cada sesión para recoger sus distintivos. Para cualquier consulta, le rogamos que escriba a {{contact.email}}.

        Aprovechamos la ocasión para reiterarle el testimonio de nuestra más alta consideración.

        {{contact.name}}
        """,
        "fr": """
        Réf.\u{A0}: {{event.reference}}

        {{salutation}}

        Dans l'attente d'accueillir votre délégation à «\u{A0}{{event.name}}\u{A0}» ({{event.venue}}), nous vous rappelons les dispositions prises pour elle\u{A0}:

        \(placeLines["fr"]!)
        Les délégations sont priées de se présenter trente minutes avant l'ouverture de chaque séance pour retirer leurs badges. Pour toute question, nous vous prions d'écrire à {{contact.email}}.

        Nous vous prions d'agréer, {{formOfAddress}}, l'assurance de notre haute considération.

        {{contact.name}}
        """,
        "ru": """
        Исх.: {{event.reference}}

        {{salutation}}

        В преддверии прибытия Вашей делегации на мероприятие «{{event.name}}» ({{event.venue}}) напоминаем о принятых для неё мерах:

        \(placeLines["ru"]!)
        Делегациям предлагается прибывать за тридцать минут до открытия каждого заседания для получения пропусков. По всем вопросам просьба писать по адресу {{contact.email}}.

        Примите уверения в нашем самом высоком уважении.

        {{contact.name}}
        """,
        "zh": """
        文号：{{event.reference}}

        {{salutation}}

        我们期待欢迎贵代表团出席{{event.name}}（{{event.venue}}），现将为贵代表团所作安排重申如下：

        \(placeLines["zh"]!)
        请各代表团在每场会议开幕前三十分钟到场领取证件。如有任何问题，请致函 {{contact.email}}。

        顺致崇高的敬意。

        {{contact.name}}
        """,
    ]
}
