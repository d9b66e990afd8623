import ArgumentParser
import NetModel
import ProcNet
import SockDiag
#if canImport(Glibc)
import NetQuery
#endif

/// The words after the flags of `sockets` and `watch sockets`: `state`/`exclude` words, then
/// an ss filter expression; and the filter's names resolved against this namespace.
enum SocketWords {
    /// Splits the leading `state X` / `exclude X` words from the filter expression. As in ss,
    /// they apply left to right: the first `state` starts from no state, the first `exclude`
    /// from `all`, and each later word adds or removes. Words that leave no state give
    /// `fallback` (ss keeps its default view).
    static func statesAndFilter(
        _ words: [String], initial: SocketStateSet, all: SocketStateSet = .all, fallback: SocketStateSet,
        context: FilterParser.Context, protocols: Set<SocketProtocol>
    ) throws -> (SocketStateSet, SocketFilter?) {
        var states = initial
        var sawStates = false
        // A quoted expression ('state established dport = :22') is split at blanks, as ss does.
        var rest = words.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }[...]
        while let word = rest.first, ["state", "exclude", "excl"].contains(word) {
            rest = rest.dropFirst()
            guard let name = rest.first else { throw ValidationError("\(word) needs a state name") }
            guard let set = SocketStateSet.named(name) else {
                throw ValidationError("unknown state \"\(name)\"; known: \(SocketStateSet.names.joined(separator: ", "))")
            }
            if word == "state" {
                if !sawStates { states = [] }
                states.formUnion(set)
            } else {
                if !sawStates { states = all }
                states.subtract(set)
            }
            sawStates = true
            rest = rest.dropFirst()
        }
        if sawStates && states.isEmpty { states = fallback }
        // Options are recognised wherever they appear; one that is not known is an error, not
        // a filter word.
        if let stray = rest.first(where: { $0.hasPrefix("-") && $0.count > 1 && Int($0) == nil }) {
            throw ValidationError("unknown option \(stray)")
        }
        // Service names as ss reads them: for the protocols listed (MPTCP's ports are TCP's).
        let services = (protocols.contains(.tcp) || protocols.contains(.mptcp) ? ["tcp"] : []) + (protocols.contains(.udp) ? ["udp"] : [])
        do { return (states, try FilterParser.parse(Array(rest), context: context, services: services)) } catch let error as FilterError {
            throw ValidationError(error.description)
        }
    }

    /// The filter with `autobound` bound to this namespace's ephemeral port range, cgroup
    /// paths to their ids, and device names to indexes (from `links`).
    static func resolve(_ filter: SocketFilter, proc: ProcRoot, links: [Interface]) throws -> SocketFilter {
        var filter = filter
        if filter.needsUserSpaceRecheck { filter = try filter.resolvingPortRange(ProcQuery(root: proc).ephemeralPorts()) }
        do {
            if filter.mentionsCgroup { filter = try filter.resolvingCgroups(CgroupIDs.id(of:)) }
            if filter.mentionsDevice {
                var byName: [String: UInt32] = [:]
                for link in links {
                    byName[link.name] = UInt32(bitPattern: link.index)
                    for alt in link.alternativeNames { byName[alt] = UInt32(bitPattern: link.index) }
                }
                filter = try filter.resolvingDevices { byName[$0] }
            }
        } catch let error as FilterError {
            throw CLIError(error.description)
        }
        return filter
    }
}
