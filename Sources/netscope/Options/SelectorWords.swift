import ArgumentParser
import NetModel
import NetQuery

/// ip's selector words after `routes` and `neighbors`, parsed into selectors. Device names
/// are resolved against the interfaces of the namespace being read.
enum SelectorWords {
    /// `[table T] [dev|oif X] [proto P] [type T] [scope S] [via GW] [src A] [root|match|exact PREFIX | PREFIX]`
    static func route(_ words: [String], family: AddressFamily?, interfaces: [Interface]) throws -> (selector: RouteSelector, table: String?) {
        var selector = RouteSelector()
        var table: String?
        var rest = Words(words)
        func value(_ key: String) throws -> String { try rest.value(for: key) }
        func prefix(_ key: String, _ text: String) throws -> IPPrefix {
            guard let prefix = IPPrefix(text, family: family) else { throw ValidationError("\(key): not an address or prefix: \"\(text)\"") }
            if let family, let given = prefix.family, given != family {
                throw ValidationError("\(key): \"\(text)\" is not an \(family.name) prefix (-4/-6 chose \(family.name))")
            }
            return prefix
        }
        while let word = rest.next() {
            switch word {
            case "table": table = try value(word)
            case "dev", "oif": selector.outputInterface = try device(try value(word), interfaces)
            case "proto", "protocol":
                let text = try value(word)
                guard let proto = IprouteNames.proto(named: text) else { throw ValidationError("unknown protocol \"\(text)\" (names: rt_protos)") }
                selector.proto = proto
            case "type":
                let text = try value(word)
                guard let type = IprouteNames.type(named: text) else { throw ValidationError("unknown route type \"\(text)\"") }
                selector.type = type
            case "scope":
                let text = try value(word)
                guard let scope = IprouteNames.scope(named: text) else { throw ValidationError("unknown scope \"\(text)\"") }
                selector.scope = scope
            case "via": selector.via = try prefix(word, try value(word))
            case "src": selector.preferredSource = try prefix(word, try value(word))
            case "root": selector.root = try prefix(word, try value(word))
            case "match": selector.match = try prefix(word, try value(word))
            case "exact":
                let exact = try prefix(word, try value(word))
                selector.root = exact
                selector.match = exact
            default:
                // A bare prefix is `exact`, as in ip.
                guard IPPrefix(word, family: family) != nil else {
                    throw ValidationError("unknown route selector \"\(word)\" (table, dev, proto, type, scope, via, src, root, match, exact, PREFIX)")
                }
                let exact = try prefix("prefix", word)
                selector.root = exact
                selector.match = exact
            }
        }
        return (selector, table)
    }

    /// `[dev X] [nud STATE]… [proxy] [to PREFIX | PREFIX]`
    static func neighbor(_ words: [String], interfaces: [Interface]) throws -> (selector: NeighborSelector, prefix: IPPrefix?) {
        var selector = NeighborSelector()
        var prefix: IPPrefix?
        var rest = Words(words)
        func value(_ key: String) throws -> String { try rest.value(for: key) }
        while let word = rest.next() {
            switch word {
            case "dev": selector.interface = try device(try value(word), interfaces)
            case "nud":
                let text = try value(word)
                guard let state = IprouteNames.neighborState(named: text) else {
                    throw ValidationError("unknown neighbour state \"\(text)\" (permanent, noarp, reachable, stale, none, incomplete, delay, probe, failed, all)")
                }
                selector.states = (selector.states ?? 0) | state
            case "proxy": selector.proxy = true
            case "to":
                let text = try value(word)
                guard let parsed = IPPrefix(text) else { throw ValidationError("to: not an address or prefix: \"\(text)\"") }
                prefix = parsed
            default:
                guard let parsed = IPPrefix(word) else {
                    throw ValidationError("unknown neighbour selector \"\(word)\" (dev, nud, proxy, to, PREFIX)")
                }
                prefix = parsed
            }
        }
        return (selector, prefix)
    }

    /// The words left to read.
    struct Words {
        private var rest: ArraySlice<String>
        init(_ words: [String]) { rest = words[...] }

        mutating func next() -> String? {
            guard let word = rest.first else { return nil }
            rest = rest.dropFirst()
            return word
        }

        /// The value after `key`, which must be there.
        mutating func value(for key: String) throws -> String {
            guard let word = next() else { throw ValidationError("\(key) needs a value") }
            return word
        }
    }

    static func device(_ name: String, _ interfaces: [Interface]) throws -> Int32 {
        guard let interface = interfaces.named(name) else {
            throw CLIError("no interface \"\(name)\" (`netscope links` lists them)")
        }
        return interface.index
    }
}
