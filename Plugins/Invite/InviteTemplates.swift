internal import ConveneLetters
/// The invitation's embedded templates, in the six official languages of the United Nations.
///
/// A workflow overrides any of them with `templates:` and `subject:`; the values they may use are
/// those of ``letterValues(for:event:language:dates:deadline:)`` plus `tracks` (each `name`,
/// `dates`, `invitationOnly`) and, when the workflow has a reply page, `replyLink` (the
/// delegation's personal link) with `replyLinkLead`, the sentence that introduces it.
enum InviteTemplates {
    static let subjects: [String: String] = [
        "ar": "دعوة: {{event.name}} ({{event.reference}})",
        "en": "Invitation: {{event.name}} ({{event.reference}})",
        "es": "Invitación: {{event.name}} ({{event.reference}})",
        "fr": "Invitation\u{A0}: {{event.name}} ({{event.reference}})",
        "ru": "Приглашение: {{event.name}} ({{event.reference}})",
        "zh": "邀请函：{{event.name}}（{{event.reference}}）",
    ]

    static let bodies: [String: String] = [
        "ar": """
        المرجع: {{event.reference}}

        {{salutation}}

        {{#severalSignatories}}يشرفنا أن ندعوكم{{/severalSignatories}}{{^severalSignatories}}يشرفني أن أدعوكم{{/severalSignatories}}، باسم الجهات المنظمة، إلى حضور «{{event.name}}»، ولا سيما ما يلي:

        {{#tracks}}
        - {{name}}، {{dates}}{{#invitationOnly}} (بدعوة فقط){{/invitationOnly}}{{^invitationOnly}} (مفتوح للجمهور){{/invitationOnly}}
        {{/tracks}}

        المكان: {{event.venue}}

        {{#deadline}}
        ويُرجى التكرم بموافاتنا بردكم في موعد أقصاه {{deadline}}.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        ولأي استفسار، يُرجى الكتابة إلى {{contact.email}}.

        وتفضلوا بقبول فائق الاحترام والتقدير.

        {{#signatories}}
        {{name}}
        {{title}}

        {{/signatories}}
        """,
        "en": """
        Ref.: {{event.reference}}

        {{salutation}}

        {{#severalSignatories}}We have{{/severalSignatories}}{{^severalSignatories}}I have{{/severalSignatories}} the honour to invite you, on behalf of the organisers, to the {{event.name}}, and in particular to:

        {{#tracks}}
        - {{name}}, {{dates}}{{#invitationOnly}} (by invitation){{/invitationOnly}}{{^invitationOnly}} (open to the public){{/invitationOnly}}
        {{/tracks}}

        Venue: {{event.venue}}

        {{#deadline}}
        {{#severalSignatories}}We{{/severalSignatories}}{{^severalSignatories}}I{{/severalSignatories}} should be grateful to receive your reply by {{deadline}}.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        Any enquiries may be addressed to {{contact.email}}.

        Please accept, Excellency, the assurances of {{#severalSignatories}}our{{/severalSignatories}}{{^severalSignatories}}my{{/severalSignatories}} highest consideration.

        {{#signatories}}
        {{name}}
        {{title}}

        {{/signatories}}
        """,
        "es": """
        Ref.: {{event.reference}}

        {{salutation}}

        {{#severalSignatories}}Tenemos{{/severalSignatories}}{{^severalSignatories}}Tengo{{/severalSignatories}} el honor de invitarle, en nombre de los organizadores, al evento «{{event.name}}» y, en particular, a:

        {{#tracks}}
        - {{name}}, {{dates}}{{#invitationOnly}} (por invitación){{/invitationOnly}}{{^invitationOnly}} (abierto al público){{/invitationOnly}}
        {{/tracks}}

        Lugar: {{event.venue}}

        {{#deadline}}
        {{#severalSignatories}}Le agradeceríamos{{/severalSignatories}}{{^severalSignatories}}Le agradecería{{/severalSignatories}} que nos hiciera llegar su respuesta a más tardar el {{deadline}}.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        Para cualquier consulta, sírvase escribir a {{contact.email}}.

        {{#severalSignatories}}Aprovechamos{{/severalSignatories}}{{^severalSignatories}}Aprovecho{{/severalSignatories}} la ocasión para reiterarle el testimonio de {{#severalSignatories}}nuestra{{/severalSignatories}}{{^severalSignatories}}mi{{/severalSignatories}} más alta consideración.

        {{#signatories}}
        {{name}}
        {{title}}

        {{/signatories}}
        """,
        "fr": """
        Réf.\u{A0}: {{event.reference}}

        {{salutation}}

        {{#severalSignatories}}Nous avons{{/severalSignatories}}{{^severalSignatories}}J'ai{{/severalSignatories}} l'honneur de vous inviter, au nom des organisateurs, à prendre part, dans le cadre de «\u{A0}{{event.name}}\u{A0}», aux réunions suivantes\u{A0}:

        {{#tracks}}
        - {{name}}, {{dates}}{{#invitationOnly}} (sur invitation){{/invitationOnly}}{{^invitationOnly}} (ouvert au public){{/invitationOnly}}
        {{/tracks}}

        Lieu\u{A0}: {{event.venue}}

        {{#deadline}}
        {{#severalSignatories}}Nous vous saurions{{/severalSignatories}}{{^severalSignatories}}Je vous saurais{{/severalSignatories}} gré de bien vouloir nous faire parvenir votre réponse au plus tard le {{deadline}}.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        Pour toute question, veuillez écrire à {{contact.email}}.

        {{#severalSignatories}}Nous vous prions{{/severalSignatories}}{{^severalSignatories}}Je vous prie{{/severalSignatories}} d'agréer, {{formOfAddress}}, l'assurance de {{#severalSignatories}}notre{{/severalSignatories}}{{^severalSignatories}}ma{{/severalSignatories}} haute considération.

        {{#signatories}}
        {{name}}
        {{title}}

        {{/signatories}}
        """,
        "ru": """
        Исх.: {{event.reference}}

        {{salutation}}

        {{#severalSignatories}}Имеем{{/severalSignatories}}{{^severalSignatories}}Имею{{/severalSignatories}} честь от имени организаторов пригласить Вас на мероприятие «{{event.name}}», в частности:

        {{#tracks}}
        - {{name}}, {{dates}}{{#invitationOnly}} (по приглашению){{/invitationOnly}}{{^invitationOnly}} (открыто для публики){{/invitationOnly}}
        {{/tracks}}

        Место проведения: {{event.venue}}

        {{#deadline}}
        Просим не позднее {{deadline}} направить ответ.
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        По всем вопросам просьба обращаться по адресу {{contact.email}}.

        Примите уверения в {{#severalSignatories}}нашем{{/severalSignatories}}{{^severalSignatories}}моем{{/severalSignatories}} самом высоком уважении.

        {{#signatories}}
        {{name}}
        {{title}}

        {{/signatories}}
        """,
        "zh": """
        文号：{{event.reference}}

        {{salutation}}

        {{#severalSignatories}}我们谨{{/severalSignatories}}{{^severalSignatories}}我谨{{/severalSignatories}}代表主办方，诚挚邀请您出席{{event.name}}，特别是：

        {{#tracks}}
        - {{name}}，{{dates}}{{#invitationOnly}}（凭邀请参加）{{/invitationOnly}}{{^invitationOnly}}（对公众开放）{{/invitationOnly}}
        {{/tracks}}

        地点：{{event.venue}}

        {{#deadline}}
        敬请于{{deadline}}前回复。
        {{/deadline}}
        {{#replyLink}}

        {{replyLinkLead}}
        {{replyLink}}

        {{/replyLink}}
        如有任何疑问，请致函 {{contact.email}}。

        顺致崇高的敬意。

        {{#signatories}}
        {{name}}
        {{title}}

        {{/signatories}}
        """,
    ]
}
