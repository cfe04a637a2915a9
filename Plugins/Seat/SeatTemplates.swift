internal import ConveneLetters

/// The seat and speaking-time notification's embedded templates, in the six official languages
/// of the United Nations.
///
/// A workflow overrides any of them with `templates:` and `subject:`. Besides the values common
/// to all letters (`salutation`, `event`, `contact`, …), templates may use `places`, the tracks
/// the delegation is placed on, each with the values of a place (`name`, `dates`, `hours`,
/// `seated` and `seat`, `waitListed` and `waitList`, `speaking` or `notReached`, and `turn`:
/// `number`, `day`, `start`, `end`), and, for a delegation with a turn, `minutes`, the length of
/// a turn.
enum SeatTemplates {
    static let subjects: [String: String] = [
        "ar": "ترتيبات الجلوس والكلمات: {{event.name}} ({{event.reference}})",
        "en": "Seating and speaking arrangements: {{event.name}} ({{event.reference}})",
        "es": "Asientos y uso de la palabra: {{event.name}} ({{event.reference}})",
        "fr": "Places et temps de parole\u{A0}: {{event.name}} ({{event.reference}})",
        "ru": "Рассадка и выступления: {{event.name}} ({{event.reference}})",
        "zh": "座位和发言安排：{{event.name}}（{{event.reference}}）",
    ]

    static let bodies: [String: String] = [
        "ar": """
        المرجع: {{event.reference}}

        {{salutation}}

        يشرفنا أن نحيطكم علماً بالترتيبات المتخذة لوفدكم في إطار «{{event.name}}» ({{event.venue}}):

        \(placeLines["ar"]!)
        {{#minutes}}
        المدة المخصصة لكل كلمة في قائمة المتكلمين (بالدقائق): {{minutes}}.

        {{/minutes}}
        ولأي استفسار، يُرجى الكتابة إلى {{contact.email}}.

        وتفضلوا بقبول فائق الاحترام والتقدير.

        {{contact.name}}
        """,
        "en": """
        Ref.: {{event.reference}}

        {{salutation}}

        We have the honour to inform you of the arrangements made for your delegation at the {{event.name}} ({{event.venue}}):

        \(placeLines["en"]!)
        {{#minutes}}
        Each turn on a speakers' list lasts {{minutes}} minutes.

        {{/minutes}}
        Should you have any question, please write to {{contact.email}}.

        Please accept, Excellency, the assurances of our highest consideration.

        {{contact.name}}
        """,
        "es": """
        Ref.: {{event.reference}}

        {{salutation}}

        Tenemos el honor de comunicarle las disposiciones adoptadas para su delegación en el marco del evento «{{event.name}}» ({{event.venue}}):

        \(placeLines["es"]!)
        {{#minutes}}
        Cada turno de la lista de oradores dura {{minutes}} minutos.

        {{/minutes}}
        Para cualquier consulta, le rogamos que escriba a {{contact.email}}.

        Aprovechamos la ocasión para reiterarle el testimonio de nuestra más alta consideración.

        {{contact.name}}
        """,
        "fr": """
        Réf.\u{A0}: {{event.reference}}

        {{salutation}}

        Nous avons l'honneur de vous faire connaître les dispositions prises pour votre délégation dans le cadre de «\u{A0}{{event.name}}\u{A0}» ({{event.venue}})\u{A0}:

        \(placeLines["fr"]!)
        {{#minutes}}
        Chaque intervention inscrite sur une liste des orateurs dure {{minutes}}\u{A0}minutes.

        {{/minutes}}
        Pour toute question, nous vous prions d'écrire à {{contact.email}}.

        Nous vous prions d'agréer, {{formOfAddress}}, l'assurance de notre haute considération.

        {{contact.name}}
        """,
        "ru": """
        Исх.: {{event.reference}}

        {{salutation}}

        Имеем честь сообщить Вам о мерах, принятых в отношении Вашей делегации в рамках мероприятия «{{event.name}}» ({{event.venue}}):

        \(placeLines["ru"]!)
        {{#minutes}}
        Продолжительность каждого выступления по списку ораторов — {{minutes}} мин.

        {{/minutes}}
        По всем вопросам просьба писать по адресу {{contact.email}}.

        Примите уверения в нашем самом высоком уважении.

        {{contact.name}}
        """,
        "zh": """
        文号：{{event.reference}}

        {{salutation}}

        谨通知贵代表团在{{event.name}}（{{event.venue}}）期间的安排如下：

        \(placeLines["zh"]!)
        {{#minutes}}
        发言名单上每次发言时间为{{minutes}}分钟。

        {{/minutes}}
        如有任何问题，请致函 {{contact.email}}。

        顺致崇高的敬意。

        {{contact.name}}
        """,
    ]
}
