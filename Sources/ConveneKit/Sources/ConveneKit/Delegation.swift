/// An invitee of the event: a Member State's delegation, an observer, an organisation.
public struct Delegation: Sendable, Hashable, Codable {
    /// Stable key (ISO 3166 alpha-3 for states).
    public var id: String
    /// Name per language code (`en`, `fr`, …).
    public var names: [String: String]
    /// The delegation's working language, a language code.
    public var language: String
    /// Who leads the delegation and is addressed by letters.
    public var principal: Principal
    /// Where letters go; the principal's address first.
    public var addresses: [Address]
    /// The roster row's other columns (`region`, `m49`, …), by column name; columns that have a
    /// property of their own (id, names, language, principal, addresses) are not repeated here.
    public var fields: [String: String]

    /// Creates a delegation.
    public init(
        id: String, names: [String: String], language: String, principal: Principal,
        addresses: [Address], fields: [String: String] = [:]
    ) {
        self.id = id
        self.names = names
        self.language = language
        self.principal = principal
        self.addresses = addresses
        self.fields = fields
    }

    /// The name in a language, else in English, else the id.
    /// - Parameter language: a language code.
    public func name(in language: String) -> String {
        names[language] ?? names["en"] ?? names.values.sorted().first ?? id
    }

    /// The addresses with a given role.
    public func addresses(_ role: Address.Role) -> [Address] {
        addresses.filter { $0.role == role }
    }
}

/// The person a delegation's letters are addressed to.
public struct Principal: Sendable, Hashable, Codable {
    /// Full name as it is written on an envelope.
    public var name: String
    /// Office: "Minister of Communications", "Ministre du numérique".
    public var title: String
    /// For salutations.
    public var gender: Gender
    /// Rung on the precedence ladder (`minister`, `head-of-state`, …), if known.
    public var rank: String?

    /// Creates a principal.
    public init(name: String, title: String, gender: Gender, rank: String? = nil) {
        self.name = name
        self.title = title
        self.gender = gender
        self.rank = rank
    }
}

/// Grammatical gender used to choose a salutation.
public enum Gender: String, Sendable, Hashable, Codable, CaseIterable {
    case female, male, unspecified
}

/// A mailbox a delegation can be written to.
public struct Address: Sendable, Hashable, Codable {
    /// Whose mailbox this is.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case principal, focalPoint = "focal-point", mission
    }

    /// Whose mailbox this is.
    public var role: Role
    /// The mailbox.
    public var mailbox: Mailbox

    /// Creates an address.
    public init(role: Role, mailbox: Mailbox) {
        self.role = role
        self.mailbox = mailbox
    }
}

/// A display name and an e-mail address.
public struct Mailbox: Sendable, Hashable, Codable {
    /// Display name, if any.
    public var name: String?
    /// `local@domain`.
    public var email: String

    /// Creates a mailbox.
    public init(name: String? = nil, email: String) {
        self.name = name
        self.email = email
    }
}
