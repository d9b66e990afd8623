import NetModel
import Netlink
import RouteNetlink

/// Qdiscs and classes over rtnetlink, as `tc -s qdisc show` / `tc -s class show`.
package struct TrafficControlQuery {
    package let connection: NetlinkConnection

    package init(connection: NetlinkConnection) { self.connection = connection }

    /// Qdisc kinds that have classes (the class dump is one request per device, so only
    /// devices with one of these are asked).
    package static let classful: Set<String> = ["htb", "hfsc", "cbq", "drr", "qfq", "prio", "mq", "mqprio", "multiq", "ets", "cake", "taprio"]

    /// Every qdisc (child qdiscs included), or those of one interface.
    package func qdiscs(interface: Int32? = nil) throws -> [TrafficControlObject] {
        try connection.collect(RouteRequests.dumpTrafficControl(classes: false, interface: interface ?? 0)) { message in
            guard message.type == RouteMessageType.newQdisc else { return nil }
            let qdisc = try TrafficControlDecoder.decode(message)
            return interface == nil || qdisc.interfaceIndex == interface ? qdisc : nil
        }
    }

    /// The classes of these interfaces: the kernel dumps classes one device at a time.
    package func classes(interfaces: [Int32]) throws -> [TrafficControlObject] {
        try interfaces.flatMap { index in
            try connection.collect(RouteRequests.dumpTrafficControl(classes: true, interface: index)) { message in
                guard message.type == RouteMessageType.newClass else { return nil }
                let trafficClass = try TrafficControlDecoder.decode(message)
                return trafficClass.interfaceIndex == index ? trafficClass : nil
            }
        }
    }
}

/// The neighbour tables with their statistics, as `ip -s ntable`.
package struct NeighborTableQuery {
    package let connection: NetlinkConnection

    package init(connection: NetlinkConnection) { self.connection = connection }

    package func tables() throws -> [NeighborTable] {
        try connection.collect(RouteRequests.dumpNeighborTables()) { message in
            message.type == RouteMessageType.newNeighborTable ? try NeighborTableDecoder.decode(message) : nil
        }
    }
}
