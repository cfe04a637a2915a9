internal import CYAML

/// Builds the node tree from libyaml's events, one document, depth first.
///
/// Each build step adds to a running `size`: the number of nodes the tree holds once aliases
/// are expanded, which is what the alias cap counts.
struct TreeBuilder {
    /// What an anchor name refers to at this point of the stream.
    private enum Anchor {
        /// A collection still being built; an alias to it would make the tree infinite.
        case building(id: Int)
        case done(YAMLNode, size: Int)
    }

    private let events: EventStream
    private var anchors: [String: Anchor] = [:]
    private var nextAnchorID = 0
    private var expandedNodes = 0
    private var depth = 0
    /// Whether the node just built is an untagged plain `<<` (or a `!!merge` scalar), which is a
    /// merge key when it stands as a key.
    private var builtMergeKey = false

    init(events: EventStream) {
        self.events = events
    }

    /// Reads the stream: nothing, or exactly one document.
    mutating func document() throws(YAMLError) -> YAMLNode? {
        try events.advance()  // stream start
        try events.advance()
        guard events.type == YAML_DOCUMENT_START_EVENT else { return nil }
        try events.advance()
        var size = 0
        let root = try node(size: &size)
        try events.advance()  // document end
        try events.advance()
        if events.type == YAML_DOCUMENT_START_EVENT {
            throw YAMLError(
                .multipleDocuments, at: events.location,
                "the stream has more than one document; put each document in a file of its own")
        }
        return root
    }

    /// Builds the node whose first event is the current one, leaving its last event current.
    /// - Parameter size: increased by the number of nodes built, aliases counted expanded.
    private mutating func node(size: inout Int) throws(YAMLError) -> YAMLNode {
        let event = events.event.pointee
        let location = events.location
        switch event.type {
        case YAML_SCALAR_EVENT:
            size += 1
            return try scalar(event.data.scalar, at: location)
        case YAML_ALIAS_EVENT:
            return try alias(String(cString: event.data.alias.anchor), at: location, size: &size)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            let anchor = events.string(data.anchor)
            let tag = try collectionTag(events.string(data.tag), isSequence: true, at: location)
            let id = begin(anchor)
            try enter(at: location)
            var items: [YAMLNode] = []
            var ownSize = 1
            while true {
                try events.advance()
                if events.type == YAML_SEQUENCE_END_EVENT { break }
                items.append(try node(size: &ownSize))
            }
            depth -= 1
            builtMergeKey = false
            let node = YAMLNode(content: .sequence(items), tag: tag, location: location)
            finish(node, size: ownSize, anchor: anchor, id: id)
            size += ownSize
            return node
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            let anchor = events.string(data.anchor)
            let tag = try collectionTag(events.string(data.tag), isSequence: false, at: location)
            let id = begin(anchor)
            try enter(at: location)
            var ownSize = 1
            let node = try mapping(tag: tag, at: location, size: &ownSize)
            depth -= 1
            builtMergeKey = false
            finish(node, size: ownSize, anchor: anchor, id: id)
            size += ownSize
            return node
        default:
            throw YAMLError(.syntax, at: location, "unexpected libyaml event \(event.type.rawValue)")
        }
    }

    // MARK: Anchors and aliases

    /// Marks an anchored collection as under construction, shadowing any earlier anchor.
    private mutating func begin(_ anchor: String?) -> Int {
        guard let anchor else { return 0 }
        nextAnchorID += 1
        anchors[anchor] = .building(id: nextAnchorID)
        return nextAnchorID
    }

    /// Records a finished collection under its anchor, unless a node inside it took the name since.
    private mutating func finish(_ node: YAMLNode, size: Int, anchor: String?, id: Int) {
        if let anchor, case .building(id) = anchors[anchor] {
            anchors[anchor] = .done(node, size: size)
        }
    }

    private mutating func alias(_ name: String, at location: SourceLocation, size: inout Int) throws(YAMLError)
        -> YAMLNode
    {
        switch anchors[name] {
        case nil:
            throw YAMLError(
                .undefinedAlias, at: location,
                "undefined alias '\(name)'" + didYouMean(name, among: anchors.keys.sorted()))
        case .building:
            throw YAMLError(.recursiveAlias, at: location, "alias '\(name)' refers to a collection that contains it")
        case .done(var node, let anchoredSize):
            expandedNodes += anchoredSize
            if expandedNodes > YAMLParser.aliasExpansionLimit {
                throw YAMLError(
                    .aliasExpansionLimit, at: location,
                    "document expands aliases into more than \(YAMLParser.aliasExpansionLimit) nodes")
            }
            size += anchoredSize
            node.location = location
            builtMergeKey = node.tag == CoreSchema.mergeTag
            return node
        }
    }

    private mutating func enter(at location: SourceLocation) throws(YAMLError) {
        depth += 1
        if depth > YAMLParser.nestingLimit {
            throw YAMLError(
                .nestingLimit, at: location, "collections nest more than \(YAMLParser.nestingLimit) levels deep")
        }
    }

    // MARK: Scalars

    private mutating func scalar(
        _ data: yaml_event_t.__Unnamed_union_data.__Unnamed_struct_scalar, at location: SourceLocation
    ) throws(YAMLError) -> YAMLNode {
        let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
        let style: YAMLScalar.Style =
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: .literal
            case YAML_FOLDED_SCALAR_STYLE: .folded
            default: .plain
            }
        let explicitTag = events.string(data.tag)
        let value: YAMLScalar.Value
        let tag: String
        if explicitTag == nil, style == .plain, text.utf8.count == 2, text == "<<" {
            (value, tag, builtMergeKey) = (.string(text), CoreSchema.mergeTag, true)
        } else {
            (value, tag) = try resolve(text, style: style, tag: explicitTag, at: location)
            builtMergeKey = explicitTag != nil && tag == CoreSchema.mergeTag
        }
        let scalar = YAMLScalar(text: text, style: style, value: value)
        let node = YAMLNode(content: .scalar(scalar), tag: tag, location: location)
        if let anchor = events.string(data.anchor) {
            anchors[anchor] = .done(node, size: 1)
        }
        return node
    }

    /// A scalar's value and resolved tag: the core schema for an untagged plain scalar, a string
    /// for other untagged ones and for `!`, and the explicit tag's type otherwise.
    private func resolve(_ text: String, style: YAMLScalar.Style, tag: String?, at location: SourceLocation)
        throws(YAMLError) -> (YAMLScalar.Value, String)
    {
        guard let tag, tag != "!" else {
            guard tag == nil, style == .plain else { return (.string(text), CoreSchema.strTag) }
            let value = CoreSchema.resolve(text)
            return (value, CoreSchema.tag(of: value))
        }
        func mismatch(_ what: String) -> YAMLError {
            YAMLError(
                .invalidTaggedValue, at: location,
                "'\(text)' is not \(what), but is tagged \(CoreSchema.shortForm(tag))")
        }
        switch tag {
        case CoreSchema.strTag:
            return (.string(text), tag)
        case CoreSchema.nullTag:
            guard CoreSchema.isNull(text) else { throw mismatch("null") }
            return (.null, tag)
        case CoreSchema.boolTag:
            guard let bool = CoreSchema.bool(text) else { throw mismatch("a boolean (true or false)") }
            return (.bool(bool), tag)
        case CoreSchema.intTag:
            switch CoreSchema.integer(text) {
            case .int(let int): return (.int(int), tag)
            case .tooLarge:
                throw YAMLError(.invalidTaggedValue, at: location, "integer '\(text)' does not fit in 64 bits")
            case nil: throw mismatch("an integer")
            }
        case CoreSchema.floatTag:
            if let float = CoreSchema.float(text) { return (.float(float), tag) }
            switch CoreSchema.integer(text) {
            case .int(let int): return (.float(Double(int)), tag)
            case .tooLarge(let approximation): return (.float(approximation), tag)
            case nil: throw mismatch("a number")
            }
        case CoreSchema.seqTag:
            throw YAMLError(.invalidTaggedValue, at: location, "a scalar cannot be tagged !!seq")
        case CoreSchema.mapTag:
            throw YAMLError(.invalidTaggedValue, at: location, "a scalar cannot be tagged !!map")
        default:
            // Local tags (`!secret`) and other global ones (`!!binary`) keep their text.
            return (.string(text), tag)
        }
    }

    /// A collection's resolved tag; a core scalar tag, or the other collection's tag, is an error.
    private func collectionTag(_ tag: String?, isSequence: Bool, at location: SourceLocation)
        throws(YAMLError) -> String
    {
        let natural = isSequence ? CoreSchema.seqTag : CoreSchema.mapTag
        guard let tag, tag != "!", tag != natural else { return natural }
        switch tag {
        case CoreSchema.seqTag, CoreSchema.mapTag, CoreSchema.strTag, CoreSchema.intTag, CoreSchema.floatTag,
            CoreSchema.boolTag, CoreSchema.nullTag:
            throw YAMLError(
                .invalidTaggedValue, at: location,
                "\(isSequence ? "a list" : "a mapping") cannot be tagged \(CoreSchema.shortForm(tag))")
        default:
            return tag
        }
    }

    // MARK: Mappings

    /// Reads a mapping's pairs up to its end event, refusing duplicate keys and applying `<<`.
    private mutating func mapping(tag: String, at location: SourceLocation, size: inout Int) throws(YAMLError)
        -> YAMLNode
    {
        var pairs: [YAMLPair] = []
        pairs.reserveCapacity(4)
        var keys = KeyIndex()
        var merge: (index: Int, key: SourceLocation, sources: [[YAMLPair]])?
        while true {
            try events.advance()
            if events.type == YAML_MAPPING_END_EVENT { break }
            let key = try node(size: &size)
            let isMergeKey = builtMergeKey
            try events.advance()
            let value = try node(size: &size)
            if isMergeKey {
                if let merge { throw Self.duplicate(key, first: merge.key) }
                merge = (pairs.count, key.location, try Self.mergeSources(value))
            } else {
                if let first = keys.location(of: key, in: pairs) { throw Self.duplicate(key, first: first) }
                pairs.append(YAMLPair(key: key, value: value))
            }
        }
        if let merge {
            // Explicit keys win wherever they stand; among merged mappings the first one wins.
            var merged: [YAMLPair] = []
            var mergedKeys = KeyIndex()
            for source in merge.sources {
                for pair in source where keys.location(of: pair.key, in: pairs) == nil {
                    if mergedKeys.location(of: pair.key, in: merged) == nil { merged.append(pair) }
                }
            }
            pairs.insert(contentsOf: merged, at: merge.index)
        }
        return YAMLNode(content: .mapping(pairs), tag: tag, location: location)
    }

    private static func duplicate(_ key: YAMLNode, first: SourceLocation) -> YAMLError {
        YAMLError(
            .duplicateKey, at: key.location,
            "duplicate key \(describe(key)) (first defined at line \(first.line))")
    }

    /// The mappings a merge key's value brings in: one mapping, or a list of them.
    private static func mergeSources(_ value: YAMLNode) throws(YAMLError) -> [[YAMLPair]] {
        switch value.content {
        case .mapping(let pairs):
            return [pairs]
        case .sequence(let items):
            var sources: [[YAMLPair]] = []
            for item in items {
                guard let pairs = item.mapping else {
                    throw YAMLError(
                        .invalidMerge, at: item.location,
                        "a merge key '<<' list may hold only mappings, not \(item.kindDescription)")
                }
                sources.append(pairs)
            }
            return sources
        case .scalar:
            throw YAMLError(
                .invalidMerge, at: value.location,
                "the value of a merge key '<<' must be a mapping or a list of mappings, not \(value.kindDescription)")
        }
    }

    private static func describe(_ key: YAMLNode) -> String {
        key.scalar.map { "'\($0.text)'" } ?? "(\(key.kindDescription))"
    }
}

/// Finds a key among a mapping's pairs so far. Most mappings are small, and comparing a few
/// scalar keys costs less than hashing them, so a hash table is built only for large mappings.
private struct KeyIndex {
    private static let linearLimit = 16
    private var table: [KeyIdentity: SourceLocation] = [:]
    private var indexed = 0

    /// The location of the key in `pairs` equal to `key`, if any.
    mutating func location(of key: YAMLNode, in pairs: [YAMLPair]) -> SourceLocation? {
        if pairs.count < Self.linearLimit {
            return pairs.first { Self.same($0.key, key) }?.key.location
        }
        while indexed < pairs.count {
            table[KeyIdentity(pairs[indexed].key)] = pairs[indexed].key.location
            indexed += 1
        }
        return table[KeyIdentity(key)]
    }

    private static func same(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
        if case .scalar(let x) = a.content {
            guard case .scalar(let y) = b.content else { return false }
            return x.value == y.value && a.tag == b.tag
        }
        if case .scalar = b.content { return false }
        return KeyIdentity(a) == KeyIdentity(b)
    }
}

/// What makes two mapping keys the same: equal resolved values and tags, whatever their spelling
/// (`1` and `0x1`, `~` and `null`, `a` and `"a"`), their style or their place.
private enum KeyIdentity: Hashable {
    struct Pair: Hashable {
        var key: KeyIdentity
        var value: KeyIdentity
    }

    case scalar(tag: String?, value: YAMLScalar.Value)
    case sequence([KeyIdentity])
    case mapping(Set<Pair>)

    init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let scalar):
            self = .scalar(tag: node.tag, value: scalar.value)
        case .sequence(let items):
            self = .sequence(items.map(KeyIdentity.init))
        case .mapping(let pairs):
            self = .mapping(Set(pairs.map { Pair(key: KeyIdentity($0.key), value: KeyIdentity($0.value)) }))
        }
    }
}
