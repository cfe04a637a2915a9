internal import CYAML

/// Builds the node tree from libyaml's events, one document, depth first.
struct TreeBuilder {
    /// A node just built, with the number of nodes it stands for once aliases are expanded.
    private struct Built {
        var node: YAMLNode
        var size: Int
        /// An untagged plain `<<` (or a `!!merge` scalar): a merge key when it is a key.
        var isMergeKey = false
    }

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

    init(events: EventStream) {
        self.events = events
    }

    /// Reads the stream: nothing, or exactly one document.
    mutating func document() throws(YAMLError) -> YAMLNode? {
        try events.advance()  // stream start
        try events.advance()
        guard events.type == YAML_DOCUMENT_START_EVENT else { return nil }
        try events.advance()
        let root = try node().node
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
    private mutating func node() throws(YAMLError) -> Built {
        let event = events.event.pointee
        let location = events.location
        switch event.type {
        case YAML_ALIAS_EVENT:
            return try alias(String(cString: event.data.alias.anchor), at: location)
        case YAML_SCALAR_EVENT:
            return try scalar(event.data.scalar, at: location)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            let anchor = events.string(data.anchor)
            let tag = try collectionTag(events.string(data.tag), isSequence: true, at: location)
            let id = begin(anchor)
            try enter(at: location)
            var items: [YAMLNode] = []
            var size = 1
            while true {
                try events.advance()
                if events.type == YAML_SEQUENCE_END_EVENT { break }
                let item = try node()
                items.append(item.node)
                size += item.size
            }
            depth -= 1
            return finish(Built(node: YAMLNode(.sequence(items), tag: tag, at: location), size: size), anchor, id)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            let anchor = events.string(data.anchor)
            let tag = try collectionTag(events.string(data.tag), isSequence: false, at: location)
            let id = begin(anchor)
            try enter(at: location)
            let built = try mapping(tag: tag, at: location)
            depth -= 1
            return finish(built, anchor, id)
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
    private mutating func finish(_ built: Built, _ anchor: String?, _ id: Int) -> Built {
        if let anchor, case .building(id) = anchors[anchor] {
            anchors[anchor] = .done(built.node, size: built.size)
        }
        return built
    }

    private mutating func alias(_ name: String, at location: SourceLocation) throws(YAMLError) -> Built {
        switch anchors[name] {
        case nil:
            throw YAMLError(
                .undefinedAlias, at: location,
                "undefined alias '\(name)'" + didYouMean(name, among: anchors.keys.sorted()))
        case .building:
            throw YAMLError(.recursiveAlias, at: location, "alias '\(name)' refers to a collection that contains it")
        case .done(var node, let size):
            expandedNodes += size
            if expandedNodes > YAMLParser.aliasExpansionLimit {
                throw YAMLError(
                    .aliasExpansionLimit, at: location,
                    "document expands aliases into more than \(YAMLParser.aliasExpansionLimit) nodes")
            }
            node.location = location
            return Built(node: node, size: size, isMergeKey: node.tag == CoreSchema.mergeTag)
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

    private mutating func scalar(_ data: yaml_event_t.__Unnamed_union_data.__Unnamed_struct_scalar, at location: SourceLocation)
        throws(YAMLError) -> Built
    {
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
        var built: Built
        if explicitTag == nil, style == .plain, text == "<<" {
            built = Built(node: YAMLNode(.scalar(YAMLScalar(text: text, style: style, value: .string(text))),
                tag: CoreSchema.mergeTag, at: location), size: 1, isMergeKey: true)
        } else {
            let (value, tag) = try resolve(text, style: style, tag: explicitTag, at: location)
            built = Built(node: YAMLNode(.scalar(YAMLScalar(text: text, style: style, value: value)), tag: tag, at: location),
                size: 1, isMergeKey: tag == CoreSchema.mergeTag)
        }
        if let anchor = events.string(data.anchor) {
            anchors[anchor] = .done(built.node, size: 1)
        }
        return built
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
    private mutating func mapping(tag: String, at location: SourceLocation) throws(YAMLError) -> Built {
        var pairs: [YAMLPair] = []
        var seen: [KeyIdentity: SourceLocation] = [:]
        var merge: (index: Int, sources: [[YAMLPair]])?
        var size = 1
        while true {
            try events.advance()
            if events.type == YAML_MAPPING_END_EVENT { break }
            let key = try node()
            try events.advance()
            let value = try node()
            size += key.size + value.size
            let identity = KeyIdentity(key.node)
            if let first = seen[identity] {
                throw YAMLError(
                    .duplicateKey, at: key.node.location,
                    "duplicate key \(Self.describe(key.node)) (first defined at line \(first.line))")
            }
            seen[identity] = key.node.location
            if key.isMergeKey {
                merge = (pairs.count, try Self.mergeSources(value.node))
            } else {
                pairs.append(YAMLPair(key: key.node, value: value.node))
            }
        }
        if let merge {
            // Explicit keys win wherever they stand; among merged mappings the first one wins.
            var merged: [YAMLPair] = []
            for source in merge.sources {
                for pair in source {
                    let identity = KeyIdentity(pair.key)
                    if seen[identity] == nil {
                        seen[identity] = pair.key.location
                        merged.append(pair)
                    }
                }
            }
            pairs.insert(contentsOf: merged, at: merge.index)
        }
        return Built(node: YAMLNode(.mapping(pairs), tag: tag, at: location), size: size)
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
