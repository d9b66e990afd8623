/// A neighbour table (arp_cache, ndisc_cache) with its statistics, as `ip -s ntable` shows it
/// (RTM_NEWNEIGHTBL: NDTA_NAME, NDTA_CONFIG, NDTA_STATS). The tables are the kernel's, shared
/// by every namespace, so the statistics are host-wide.
public struct NeighborTable: Sendable, Equatable {
    public var family: AddressFamily
    public var name: String
    /// ndt_config.ndtc_entries
    public var entries: UInt32?
    /// struct ndt_stats in `ip -s ntable`'s names and order: allocs, destroys, hash_grows,
    /// res_failed, lookups, hits, rcv_probes_mcast, rcv_probes_ucast, periodic_gc_runs,
    /// forced_gc_runs, table_fulls (and fields newer kernels append, unnamed).
    public var statistics: [(name: String, value: UInt64)] = []

    public init(family: AddressFamily, name: String) {
        self.family = family
        self.name = name
    }

    public static let statisticNames = [
        "allocs", "destroys", "hash_grows", "res_failed", "lookups", "hits", "rcv_probes_mcast", "rcv_probes_ucast",
        "periodic_gc_runs", "forced_gc_runs", "table_fulls",
    ]

    public static func == (a: NeighborTable, b: NeighborTable) -> Bool {
        a.family == b.family && a.name == b.name && a.entries == b.entries
            && a.statistics.elementsEqual(b.statistics) { $0.name == $1.name && $0.value == $1.value }
    }
}
