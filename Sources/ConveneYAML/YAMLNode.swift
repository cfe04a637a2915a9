/// A node of a YAML document, with its resolved tag and where it starts in the source.
///
/// Aliases are already expanded (an alias becomes a copy of its anchored node, located at the
/// alias) and merge keys (`<<`) already applied, so a consumer sees plain values only.
public struct YAMLNode: Sendable, Hashable {
    /// What a node holds.
    public enum Content: Sendable, Hashable {
        /// A scalar: a string, number, boolean or null.
        case scalar(YAMLScalar)
        /// A sequence (a list), in source order.
        case sequence([YAMLNode])
        /// A mapping, its pairs in source order; keys are unique.
        case mapping([YAMLPair])
    }

    /// What the node holds.
    public var content: Content
    /// The resolved tag, such as `tag:yaml.org,2002:str`; a local tag such as `!secret` is kept
    /// as written. `nil` only for nodes built by hand without one.
    public var tag: String?
    /// Where the node starts: its first property (anchor or tag) or its content.
    public var location: SourceLocation

    /// The scalar, if the node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { scalar } else { nil }
    }

    /// The items, if the node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { items } else { nil }
    }

    /// The pairs, if the node is a mapping.
    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { pairs } else { nil }
    }

    /// The value of the pair whose key is a scalar written as `key`, if the node is a mapping.
    /// - Parameter key: the key's text (`"when"`, or `"404"` for the integer key `404`).
    /// - Returns: the value, or `nil` when the node is no mapping or has no such key.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.scalar?.text == key }?.value
    }

    /// The string, if the node is a scalar that resolved to a string (`"12"`, not `12`).
    public var string: String? {
        if case .string(let string) = scalar?.value { string } else { nil }
    }

    /// The boolean, if the node is a scalar that resolved to one.
    public var bool: Bool? {
        if case .bool(let bool) = scalar?.value { bool } else { nil }
    }

    /// The integer, if the node is a scalar that resolved to one.
    public var int: Int? {
        if case .int(let int) = scalar?.value { int } else { nil }
    }

    /// The number, if the node is a scalar that resolved to an integer or a float.
    public var double: Double? {
        switch scalar?.value {
        case .int(let int): Double(int)
        case .float(let double): double
        default: nil
        }
    }

    /// Whether the node is a null scalar (`~`, `null` or nothing).
    public var isNull: Bool {
        scalar?.value == .null
    }

    /// What the node is, for messages such as "expected a mapping, found a list": "a mapping",
    /// "a list", "a string", "an integer", "a number", "a boolean" or "null".
    public var kindDescription: String {
        switch content {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar):
            switch scalar.value {
            case .null: "null"
            case .bool: "a boolean"
            case .int: "an integer"
            case .float: "a number"
            case .string: "a string"
            }
        }
    }
}

// The public initialisers live in extensions so that the module keeps the synthesised memberwise
// ones, which the optimiser builds in place; a hand-written `self.x = x` initialiser costs the
// parser a copy and a release of every node it makes.
extension YAMLNode {
    /// Creates a node.
    /// - Parameters:
    ///   - content: what the node holds.
    ///   - tag: the resolved tag, if any.
    ///   - location: where the node starts.
    public init(_ content: Content, tag: String? = nil, at location: SourceLocation) {
        self.init(content: content, tag: tag, location: location)
    }
}

/// A key and its value in a mapping.
public struct YAMLPair: Sendable, Hashable {
    /// The key, usually a string scalar.
    public var key: YAMLNode
    /// The value.
    public var value: YAMLNode

    /// Creates a pair.
    /// - Parameters:
    ///   - key: the key.
    ///   - value: the value.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
