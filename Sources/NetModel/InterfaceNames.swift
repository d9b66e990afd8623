public struct InterfaceNames: Sendable {
    private var names: [Int32: String] = [:]
    /// Interfaces that are not administratively up: a link whose peer or lower device is one
    /// of them shows M-DOWN, as in ip.
    private var down: Set<Int32> = []

    public init(_ interfaces: [Interface]) {
        for interface in interfaces {
            names[interface.index] = interface.name
            if !interface.flags.contains(.up) { down.insert(interface.index) }
        }
    }

    /// Names alone (no flags), when a command resolved just the indexes it shows.
    public init(names: [Int32: String]) { self.names = names }

    /// The link's flags as ip prints them: IFF_* names, then M-DOWN when its peer or lower
    /// device (IFLA_LINK, in this namespace) is down.
    public func flagNames(_ interface: Interface) -> [String] {
        var result = interface.flags.names
        if peerIsDown(interface) { result.append("M-DOWN") }
        return result
    }

    /// Whether the link's peer or lower device (IFLA_LINK, in this namespace) is known here
    /// and down: ip's M-DOWN.
    public func peerIsDown(_ interface: Interface) -> Bool {
        guard let link = interface.linkIndex, link != 0, interface.linkNetnsID == nil else { return false }
        return names[link] != nil && down.contains(link)
    }

    /// The name, or "if<N>" as iproute2 prints an index it cannot resolve.
    public subscript(index: Int32) -> String { names[index] ?? "if\(index)" }
}
