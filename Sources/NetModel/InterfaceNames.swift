/// ifindex -> name, for master and peer names (what ll_index_to_name does in iproute2).
///
/// Held as arrays sorted by index, looked up by binary search: the kernel dumps links in
/// ifindex order, so building is a copy. A Dictionary<Int32, String> here (its hashing, and
/// the runtime's first conformance lookup it needs) was 4% of `links` on a thousand links.
public struct InterfaceNames: Sendable {
    private var indexes: [Int32] = []
    private var names: [String] = []
    /// Interfaces that are not administratively up: a link whose peer or lower device is one
    /// of them shows M-DOWN, as in ip.
    private var down: [Bool] = []

    public init(_ interfaces: [Interface]) {
        indexes.reserveCapacity(interfaces.count)
        names.reserveCapacity(interfaces.count)
        down.reserveCapacity(interfaces.count)
        var sorted = true
        for interface in interfaces {
            if let last = indexes.last, last >= interface.index { sorted = false }
            indexes.append(interface.index)
            names.append(interface.name)
            down.append(!interface.flags.contains(.up))
        }
        if !sorted { sortByIndex() }
    }

    /// Names alone (no flags), when a command resolved just the indexes it shows.
    public init(names: [Int32: String]) {
        for (index, name) in names {
            indexes.append(index)
            self.names.append(name)
            down.append(false)
        }
        sortByIndex()
    }

    /// Sorts the three arrays together; of a repeated index the last one given is kept, as
    /// the dictionary this replaced did (an index appears once in a dump).
    private mutating func sortByIndex() {
        let order = indexes.indices.sorted { indexes[$0] != indexes[$1] ? indexes[$0] < indexes[$1] : $0 < $1 }
        var keep: [Int] = []
        keep.reserveCapacity(order.count)
        for position in order {
            if let last = keep.last, indexes[last] == indexes[position] { keep[keep.count - 1] = position } else { keep.append(position) }
        }
        indexes = keep.map { indexes[$0] }
        names = keep.map { names[$0] }
        down = keep.map { down[$0] }
    }

    /// The position of `index`, if known.
    private func position(of index: Int32) -> Int? {
        var low = 0
        var high = indexes.count
        while low < high {
            let middle = (low + high) / 2
            if indexes[middle] < index { low = middle + 1 } else { high = middle }
        }
        return low < indexes.count && indexes[low] == index ? low : nil
    }

    /// The link's flags as ip prints them: IFF_* names, then M-DOWN when its peer or lower
    /// device (IFLA_LINK, in this namespace) is down.
    public func flagNames(_ interface: Interface) -> [String] {
        var result: [String] = []
        forEachFlagName(interface) { result.append($0) }
        return result
    }

    /// The same words one by one, for renderers that write them straight out.
    public func forEachFlagName(_ interface: Interface, _ body: (String) -> Void) {
        interface.flags.forEachName(body)
        if peerIsDown(interface) { body("M-DOWN") }
    }

    /// Whether the link's peer or lower device (IFLA_LINK, in this namespace) is known here
    /// and down: ip's M-DOWN.
    public func peerIsDown(_ interface: Interface) -> Bool {
        guard let link = interface.linkIndex, link != 0, interface.linkNetnsID == nil else { return false }
        return position(of: link).map { down[$0] } ?? false
    }

    /// The name, or "if<N>" as iproute2 prints an index it cannot resolve.
    public subscript(index: Int32) -> String { position(of: index).map { names[$0] } ?? "if\(index)" }
}
