internal import ConveneLetters
/// The acknowledgement's embedded templates, in the six official languages of the United Nations.
///
/// A workflow overrides any of them with `templates:` and `subject:`. Besides the values of
/// ``letterValues(for:event:language:dates:deadline:)``, templates may use `track` (`id`, `name`,
/// `dates`) and `reply`: `answer` (`confirm`, `decline`, `substitute`), one of `confirmed`,
/// `declined`, `substituted` set, `speakingRequested`, `date` (when it was received), `source`,
/// `sequence`, `accompanying` (a number) and `hasAccompanying`, for a substitution `substitute`
/// (`name`, `title`), and what became of the reply:
/// one of `accepted`, `lateWaitListed`, `lateRefused` (received after `deadline`) and
/// `notInvited` (a track by invitation, a delegation not invited to it) set; with a reply page,
/// `replyLink` and `replyLinkChange`, the sentence that offers it for changing the reply.
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
        {{#reply.hasAccompanying}}
        - عدد المرافقين: {{reply.accompanying}}
        {{/reply.hasAccompanying}}
        {{#reply.lateWaitListed}}

        وقد وردنا ردكم بعد الموعد النهائي المحدد في {{deadline}}؛ ولذلك أُدرج وفدكم في قائمة الانتظار، وسنكتب إليكم إذا أصبح مكان متاحاً.
        {{/reply.lateWaitListed}}
        {{#reply.lateRefused}}

        وقد وردنا ردكم بعد الموعد النهائي المحدد في {{deadline}}، ويؤسفنا أنه تعذر أخذه في الاعتبار.
        {{/reply.lateRefused}}
        {{#reply.notInvited}}

        والمشاركة في هذا الاجتماع مقصورة على المدعوين، ووفدكم ليس من بين الوفود المدعوة؛ وقد سُجّل ردكم ولكن تعذر أخذه في الاعتبار.
        {{/reply.notInvited}}
        {{#replyLink}}

        {{replyLinkChange}}
        {{replyLink}}
        {{/replyLink}}

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
        {{#reply.hasAccompanying}}
        - Accompanying persons: {{reply.accompanying}}
        {{/reply.hasAccompanying}}
        {{#reply.lateWaitListed}}

        Your reply reached us after the deadline of {{deadline}}; your delegation has therefore been placed on the waiting list, and we shall write to you should a place become available.
        {{/reply.lateWaitListed}}
        {{#reply.lateRefused}}

        Your reply reached us after the deadline of {{deadline}} and, regrettably, could not be taken into account.
        {{/reply.lateRefused}}
        {{#reply.notInvited}}

        Participation in this meeting is by invitation only, and your delegation is not among those invited; your reply has been recorded but could not be taken into account.
        {{/reply.notInvited}}
        {{#replyLink}}

        {{replyLinkChange}}
        {{replyLink}}
        {{/replyLink}}

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
        {{#reply.hasAccompanying}}
        - Personas acompañantes: {{reply.accompanying}}
        {{/reply.hasAccompanying}}
        {{#reply.lateWaitListed}}

        Su respuesta nos llegó después de la fecha límite del {{deadline}}; por consiguiente, su delegación ha sido inscrita en la lista de espera, y le escribiremos si queda una plaza disponible.
        {{/reply.lateWaitListed}}
        {{#reply.lateRefused}}

        Su respuesta nos llegó después de la fecha límite del {{deadline}} y, lamentablemente, no ha podido tenerse en cuenta.
        {{/reply.lateRefused}}
        {{#reply.notInvited}}

        La participación en esta reunión es solo por invitación y su delegación no figura entre las invitadas; su respuesta ha quedado registrada, pero no ha podido tenerse en cuenta.
        {{/reply.notInvited}}
        {{#replyLink}}

        {{replyLinkChange}}
        {{replyLink}}
        {{/replyLink}}

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
        {{#reply.hasAccompanying}}
        - Personnes accompagnantes\u{A0}: {{reply.accompanying}}
        {{/reply.hasAccompanying}}
        {{#reply.lateWaitListed}}

        Votre réponse nous est parvenue après la date limite du {{deadline}}\u{A0}; votre délégation a donc été inscrite sur la liste d'attente, et nous vous écrirons si une place se libère.
        {{/reply.lateWaitListed}}
        {{#reply.lateRefused}}

        Votre réponse nous est parvenue après la date limite du {{deadline}} et n'a malheureusement pas pu être prise en compte.
        {{/reply.lateRefused}}
        {{#reply.notInvited}}

        La participation à cette réunion se fait uniquement sur invitation et votre délégation ne figure pas parmi les délégations invitées\u{A0}; votre réponse a été enregistrée mais n'a pas pu être prise en compte.
        {{/reply.notInvited}}
        {{#replyLink}}

        {{replyLinkChange}}
        {{replyLink}}
        {{/replyLink}}

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
        {{#reply.hasAccompanying}}
        - Сопровождающие лица: {{reply.accompanying}}
        {{/reply.hasAccompanying}}
        {{#reply.lateWaitListed}}

        Ваш ответ поступил после установленного срока ({{deadline}}); поэтому ваша делегация включена в лист ожидания, и мы сообщим вам, если освободится место.
        {{/reply.lateWaitListed}}
        {{#reply.lateRefused}}

        Ваш ответ поступил после установленного срока ({{deadline}}) и, к сожалению, не может быть учтен.
        {{/reply.lateRefused}}
        {{#reply.notInvited}}

        Участие в этом заседании возможно только по приглашению, и ваша делегация не входит в число приглашенных; ваш ответ зарегистрирован, но не может быть учтен.
        {{/reply.notInvited}}
        {{#replyLink}}

        {{replyLinkChange}}
        {{replyLink}}
        {{/replyLink}}

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
        {{#reply.hasAccompanying}}
        - 随行人员：{{reply.accompanying}}
        {{/reply.hasAccompanying}}
        {{#reply.lateWaitListed}}

        贵方答复于截止日期（{{deadline}}）之后收到；因此，贵代表团已被列入候补名单，如有空缺，我们将另行通知。
        {{/reply.lateWaitListed}}
        {{#reply.lateRefused}}

        贵方答复于截止日期（{{deadline}}）之后收到，很遗憾未能予以考虑。
        {{/reply.lateRefused}}
        {{#reply.notInvited}}

        本次会议仅限受邀者参加，贵代表团不在受邀之列；贵方答复已予登记，但未能予以考虑。
        {{/reply.notInvited}}
        {{#replyLink}}

        {{replyLinkChange}}
        {{replyLink}}
        {{/replyLink}}

        如上述信息有误，请致函 {{contact.email}}。

        顺致崇高的敬意。

        {{contact.name}}
        """,
    ]
}
