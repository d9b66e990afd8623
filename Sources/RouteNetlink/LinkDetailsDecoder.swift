import CNetlinkHeaders
import NetModel
import Netlink

/// The per-kind details of `ip -d link`: IFLA_INFO_DATA of bridge, vxlan, macvlan and tun
/// links, IFLA_INFO_SLAVE_DATA of bridge ports, and IFLA_AF_SPEC's IPv6 address generation
/// mode, under the JSON keys and in the order iproute2 prints them (ip/iplink_bridge.c,
/// iplink_bridge_slave.c, iplink_vxlan.c, iplink_macvlan.c, iptuntap.c, ipaddress.c's
/// print_af_spec). Kinds without a printer of their own (veth, ifb, …) have no info_data, as in
/// ip. Every read is length-checked: a short attribute throws with its offset.
public enum LinkDetailsDecoder {
    /// The attributes of one nest by type, the last of a type winning (iproute2's parse_rtattr).
    struct Table {
        var attributes: [UInt16: Attribute] = [:]
        init(_ cursor: AttributeCursor) throws {
            var cursor = cursor
            while let attribute = try cursor.next() { attributes[attribute.type] = attribute }
        }
        subscript(_ type: Int) -> Attribute? { attributes[UInt16(type)] }
    }

    /// IFLA_INFO_DATA of a link of `kind`; nil for kinds ip prints nothing for.
    public static func infoData(kind: String, _ attribute: Attribute) throws -> [AttributeValue.Field]? {
        let table = try Table(attribute.nested())
        switch kind {
        case "bridge": return try bridge(table)
        case "vxlan": return try vxlan(table)
        case "macvlan", "macvtap": return try macvlan(table)
        case "tun": return try tun(table)
        default: return nil
        }
    }

    /// IFLA_INFO_SLAVE_DATA of a port of a `kind` master; nil for masters ip prints nothing for.
    public static func portData(kind: String, _ attribute: Attribute) throws -> [AttributeValue.Field]? {
        guard kind == "bridge" else { return nil }
        return try bridgePort(try Table(attribute.nested()))
    }

    /// AF_INET6 (10) inside IFLA_AF_SPEC.
    static let inet6Family: UInt16 = 10
    /// IN6_ADDR_GEN_MODE_EUI64, _NONE, _STABLE_PRIVACY, _RANDOM, as ip names them.
    static let addressGenerationModes = ["eui64", "none", "stable_secret", "random"]

    /// IFLA_AF_SPEC's AF_INET6 IFLA_INET6_ADDR_GEN_MODE, as ip's print_af_spec names it.
    public static func addressGenerationMode(_ attribute: Attribute) throws -> String? {
        var families = attribute.nested()
        while let family = try families.next() {
            guard family.type == inet6Family else { continue }
            guard let mode = try Table(family.nested())[Int(IFLA_INET6_ADDR_GEN_MODE)] else { return nil }
            let value = try mode.uint8()
            return Int(value) < addressGenerationModes.count ? addressGenerationModes[Int(value)] : "0x" + hex(UInt64(value), width: 2)
        }
        return nil
    }

    /// Fields in the order they are asked for, each only when the kernel sent its attribute:
    /// the readers every kind's printer in ip uses (print_uint of u8/u16/u32/u64,
    /// print_on_off, print_bool of a set flag, bridge timers and ids).
    struct Fields {
        let tb: Table
        var out: [AttributeValue.Field] = []
        init(_ tb: Table) { self.tb = tb }
        mutating func u8(_ type: Int, _ key: String) throws { if let a = tb[type] { out.append(.init(key, .unsigned(UInt64(try a.uint8())))) } }
        mutating func u16(_ type: Int, _ key: String) throws { if let a = tb[type] { out.append(.init(key, .unsigned(UInt64(try a.uint16())))) } }
        mutating func u32(_ type: Int, _ key: String) throws { if let a = tb[type] { out.append(.init(key, .unsigned(UInt64(try a.uint32())))) } }
        mutating func u64(_ type: Int, _ key: String) throws { if let a = tb[type] { out.append(.init(key, .unsigned(try a.uint64()))) } }
        /// print_on_off, print_bool of a u8: true or false, whenever sent.
        mutating func onOff(_ type: Int, _ key: String) throws { if let a = tb[type] { out.append(.init(key, .bool(try a.uint8() != 0))) } }
        /// A flag ip prints only when set.
        mutating func flag(_ type: Int, _ key: String) throws { if let a = tb[type], try a.uint8() != 0 { out.append(.init(key, .bool(true))) } }
        mutating func timer(_ type: Int, _ key: String) throws { if let a = tb[type] { out.append(.init(key, .decimal(timerText(try a.uint64())))) } }
        mutating func bridgeID(_ type: Int, _ key: String) throws { if let a = tb[type] { out.append(.init(key, .text(try bridgeIDText(a)))) } }
    }

    // MARK: bridge

    /// BR_BOOLOPT_NO_LL_LEARN, BR_BOOLOPT_MCAST_VLAN_SNOOPING (linux/if_bridge.h)
    static let noLinkLocalLearnBit: UInt32 = 1 << 0
    static let multicastVLANSnoopingBit: UInt32 = 1 << 1
    /// BR_STATE_DISABLED … BR_STATE_BLOCKING
    static let portStates = ["disabled", "listening", "learning", "forwarding", "blocking"]
    /// ip's fwd_mask_tbl: the link-local groups a port may forward, by bit.
    static let forwardMaskNames: [Int: String] = [0: "stp", 2: "lacp", 14: "lldp"]

    static func bridge(_ tb: Table) throws -> [AttributeValue.Field] {
        var f = Fields(tb)
        try f.u32(IFLA_BR_FORWARD_DELAY, "forward_delay")
        try f.u32(IFLA_BR_HELLO_TIME, "hello_time")
        try f.u32(IFLA_BR_MAX_AGE, "max_age")
        try f.u32(IFLA_BR_AGEING_TIME, "ageing_time")
        try f.u32(IFLA_BR_STP_STATE, "stp_state")
        try f.u16(IFLA_BR_PRIORITY, "priority")
        try f.u8(IFLA_BR_VLAN_FILTERING, "vlan_filtering")
        if let a = tb[IFLA_BR_VLAN_PROTOCOL] { f.out.append(.init("vlan_protocol", .text(vlanProtocolName(UInt16(bigEndian: try a.uint16()))))) }
        try f.bridgeID(IFLA_BR_BRIDGE_ID, "bridge_id")
        try f.bridgeID(IFLA_BR_ROOT_ID, "root_id")
        try f.u16(IFLA_BR_ROOT_PORT, "root_port")
        try f.u32(IFLA_BR_ROOT_PATH_COST, "root_path_cost")
        try f.u8(IFLA_BR_TOPOLOGY_CHANGE, "topology_change")
        try f.u8(IFLA_BR_TOPOLOGY_CHANGE_DETECTED, "topology_change_detected")
        try f.timer(IFLA_BR_HELLO_TIMER, "hello_timer")
        try f.timer(IFLA_BR_TCN_TIMER, "tcn_timer")
        try f.timer(IFLA_BR_TOPOLOGY_CHANGE_TIMER, "topology_change_timer")
        try f.timer(IFLA_BR_GC_TIMER, "gc_timer")
        try f.u16(IFLA_BR_VLAN_DEFAULT_PVID, "vlan_default_pvid")
        try f.u8(IFLA_BR_VLAN_STATS_ENABLED, "vlan_stats_enabled")
        try f.u8(IFLA_BR_VLAN_STATS_PER_PORT, "vlan_stats_per_port")
        if let a = tb[IFLA_BR_GROUP_FWD_MASK] { f.out.append(.init("group_fwd_mask", .text(hex0x(UInt64(try a.uint16()))))) }
        if let a = tb[IFLA_BR_GROUP_ADDR] { f.out.append(.init("group_addr", .text(HardwareAddress.format(Array(try a.bytes(exactly: 6)), linkType: 1)))) }
        try f.u8(IFLA_BR_MCAST_SNOOPING, "mcast_snooping")
        if let a = tb[IFLA_BR_MULTI_BOOLOPT] {
            // struct br_boolopt_multi { __u32 optval; __u32 optmask; }
            let raw = try a.bytes(exactly: 8)
            let value = raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self), mask = raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
            if mask & noLinkLocalLearnBit != 0 { f.out.append(.init("no_linklocal_learn", .unsigned(value & noLinkLocalLearnBit != 0 ? 1 : 0))) }
            if mask & multicastVLANSnoopingBit != 0 { f.out.append(.init("mcast_vlan_snooping", .unsigned(value & multicastVLANSnoopingBit != 0 ? 1 : 0))) }
        }
        try f.u8(IFLA_BR_MCAST_ROUTER, "mcast_router")
        try f.u8(IFLA_BR_MCAST_QUERY_USE_IFADDR, "mcast_query_use_ifaddr")
        try f.u8(IFLA_BR_MCAST_QUERIER, "mcast_querier")
        try f.u32(IFLA_BR_MCAST_HASH_ELASTICITY, "mcast_hash_elasticity")
        try f.u32(IFLA_BR_MCAST_HASH_MAX, "mcast_hash_max")
        try f.u32(IFLA_BR_MCAST_LAST_MEMBER_CNT, "mcast_last_member_cnt")
        try f.u32(IFLA_BR_MCAST_STARTUP_QUERY_CNT, "mcast_startup_query_cnt")
        try f.u64(IFLA_BR_MCAST_LAST_MEMBER_INTVL, "mcast_last_member_intvl")
        try f.u64(IFLA_BR_MCAST_MEMBERSHIP_INTVL, "mcast_membership_intvl")
        try f.u64(IFLA_BR_MCAST_QUERIER_INTVL, "mcast_querier_intvl")
        try f.u64(IFLA_BR_MCAST_QUERY_INTVL, "mcast_query_intvl")
        try f.u64(IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, "mcast_query_response_intvl")
        try f.u64(IFLA_BR_MCAST_STARTUP_QUERY_INTVL, "mcast_startup_query_intvl")
        try f.u8(IFLA_BR_MCAST_STATS_ENABLED, "mcast_stats_enabled")
        try f.u8(IFLA_BR_MCAST_IGMP_VERSION, "mcast_igmp_version")
        try f.u8(IFLA_BR_MCAST_MLD_VERSION, "mcast_mld_version")
        try f.u8(IFLA_BR_NF_CALL_IPTABLES, "nf_call_iptables")
        try f.u8(IFLA_BR_NF_CALL_IP6TABLES, "nf_call_ip6tables")
        try f.u8(IFLA_BR_NF_CALL_ARPTABLES, "nf_call_arptables")
        return f.out
    }

    static func bridgePort(_ tb: Table) throws -> [AttributeValue.Field] {
        var f = Fields(tb)
        if let a = tb[IFLA_BRPORT_STATE] {
            let state = try a.uint8()
            f.out.append(Int(state) < portStates.count ? .init("state", .text(portStates[Int(state)])) : .init("state_index", .unsigned(UInt64(state))))
        }
        if let a = tb[IFLA_BRPORT_PRIORITY] { f.out.append(.init("priority", .unsigned(UInt64(try a.uint16())))) }
        if let a = tb[IFLA_BRPORT_COST] { f.out.append(.init("cost", .unsigned(UInt64(try a.uint32())))) }
        try f.onOff(IFLA_BRPORT_MODE, "hairpin")
        try f.onOff(IFLA_BRPORT_GUARD, "guard")
        try f.onOff(IFLA_BRPORT_PROTECT, "root_block")
        try f.onOff(IFLA_BRPORT_FAST_LEAVE, "fastleave")
        try f.onOff(IFLA_BRPORT_LEARNING, "learning")
        try f.onOff(IFLA_BRPORT_UNICAST_FLOOD, "flood")
        if let a = tb[IFLA_BRPORT_ID] { f.out.append(.init("id", .text(hex0x(UInt64(try a.uint16()))))) }
        if let a = tb[IFLA_BRPORT_NO] { f.out.append(.init("no", .text(hex0x(UInt64(try a.uint16()))))) }
        try f.u16(IFLA_BRPORT_DESIGNATED_PORT, "designated_port")
        try f.u16(IFLA_BRPORT_DESIGNATED_COST, "designated_cost")
        try f.bridgeID(IFLA_BRPORT_BRIDGE_ID, "bridge_id")
        try f.bridgeID(IFLA_BRPORT_ROOT_ID, "root_id")
        try f.timer(IFLA_BRPORT_HOLD_TIMER, "hold_timer")
        try f.timer(IFLA_BRPORT_MESSAGE_AGE_TIMER, "message_age_timer")
        try f.timer(IFLA_BRPORT_FORWARD_DELAY_TIMER, "forward_delay_timer")
        try f.u8(IFLA_BRPORT_TOPOLOGY_CHANGE_ACK, "topology_change_ack")
        try f.u8(IFLA_BRPORT_CONFIG_PENDING, "config_pending")
        try f.onOff(IFLA_BRPORT_PROXYARP, "proxy_arp")
        try f.onOff(IFLA_BRPORT_PROXYARP_WIFI, "proxy_arp_wifi")
        try f.u8(IFLA_BRPORT_MULTICAST_ROUTER, "multicast_router")
        try f.onOff(IFLA_BRPORT_MCAST_FLOOD, "mcast_flood")
        try f.onOff(IFLA_BRPORT_BCAST_FLOOD, "bcast_flood")
        try f.onOff(IFLA_BRPORT_MCAST_TO_UCAST, "mcast_to_unicast")
        try f.onOff(IFLA_BRPORT_NEIGH_SUPPRESS, "neigh_suppress")
        if let a = tb[IFLA_BRPORT_GROUP_FWD_MASK] {
            let mask = try a.uint16()
            f.out.append(.init("group_fwd_mask", .text(hex0x(UInt64(mask)))))
            // ip's _bitmask2str: each set bit by name, or as 0xN; none is "0x0".
            let words = (0..<16).filter { mask & (1 << $0) != 0 }.map { forwardMaskNames[$0] ?? "0x" + hex(UInt64(1) << UInt64($0), width: 1) }
            f.out.append(.init("group_fwd_mask_str", .text(words.isEmpty ? "0x0" : words.joined(by: ","))))
        }
        try f.onOff(IFLA_BRPORT_VLAN_TUNNEL, "vlan_tunnel")
        try f.onOff(IFLA_BRPORT_ISOLATED, "isolated")
        try f.onOff(IFLA_BRPORT_LOCKED, "locked")
        if let a = tb[IFLA_BRPORT_BACKUP_PORT] { f.out.append(.init("backup_port", .interface(try a.int32()))) }
        return f.out
    }

    // MARK: vxlan, macvlan, tun

    /// VXLAN_DF_UNSET, VXLAN_DF_SET, VXLAN_DF_INHERIT
    static let dontFragmentNames = ["unset", "set", "inherit"]

    static func vxlan(_ tb: Table) throws -> [AttributeValue.Field] {
        var f = Fields(tb)
        func address(_ a: Attribute, _ v4Key: String, multicast: String, _ count: Int) throws {
            let bytes = try a.bytes(exactly: count)
            guard let address = IPAddress(bytes: bytes), !address.isUnspecified else { return }
            f.out.append(.init(address.isMulticast ? multicast : v4Key, .text(address.description)))
        }
        try f.flag(IFLA_VXLAN_COLLECT_METADATA, "external")
        try f.flag(IFLA_VXLAN_VNIFILTER, "vnifilter")
        if let a = tb[IFLA_VXLAN_ID], a.payload.count >= 4 { f.out.append(.init("id", .unsigned(UInt64(try a.uint32())))) }
        if let a = tb[IFLA_VXLAN_GROUP] {
            try address(a, "remote", multicast: "group", 4)
        } else if let a = tb[IFLA_VXLAN_GROUP6] {
            try address(a, "remote6", multicast: "group6", 16)
        }
        if let a = tb[IFLA_VXLAN_LOCAL] {
            try address(a, "local", multicast: "local", 4)
        } else if let a = tb[IFLA_VXLAN_LOCAL6] {
            try address(a, "local6", multicast: "local6", 16)
        }
        if let a = tb[IFLA_VXLAN_LINK] {
            let link = try a.uint32()
            if link != 0 { f.out.append(.init("link", .interface(Int32(bitPattern: link)))) }
        }
        if let a = tb[IFLA_VXLAN_PORT_RANGE] {
            // struct ifla_vxlan_port_range { __be16 low, high; }
            let raw = try a.bytes(exactly: 4)
            f.out.append(.init("port_range", .object([
                .init("low", .unsigned(UInt64(UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt16.self))))),
                .init("high", .unsigned(UInt64(UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self))))),
            ])))
        }
        if let a = tb[IFLA_VXLAN_PORT] { f.out.append(.init("port", .unsigned(UInt64(UInt16(bigEndian: try a.uint16()))))) }
        try f.onOff(IFLA_VXLAN_LEARNING, "learning")
        try f.flag(IFLA_VXLAN_PROXY, "proxy")
        try f.flag(IFLA_VXLAN_RSC, "rsc")
        try f.flag(IFLA_VXLAN_L2MISS, "l2miss")
        try f.flag(IFLA_VXLAN_L3MISS, "l3miss")
        if let a = tb[IFLA_VXLAN_TOS] {
            let tos = try a.uint8()
            if tos != 0 { f.out.append(.init("tos", .text(hex0x(UInt64(tos))))) }
        }
        if let a = tb[IFLA_VXLAN_TTL_INHERIT], try a.uint8() != 0 {
            // ip prints "ttl inherit" in text only.
        } else if let a = tb[IFLA_VXLAN_TTL] {
            f.out.append(.init("ttl", .unsigned(UInt64(try a.uint8()))))
        }
        if let a = tb[IFLA_VXLAN_DF] {
            let df = Int(try a.uint8())
            if df < dontFragmentNames.count { f.out.append(.init("df", .text(dontFragmentNames[df]))) }
        }
        if let a = tb[IFLA_VXLAN_LABEL] {
            let label = UInt32(bigEndian: try a.uint32())
            if label != 0 { f.out.append(.init("label", .text(hex0x(UInt64(label))))) }
        }
        if let a = tb[IFLA_VXLAN_AGEING] { f.out.append(.init("ageing", .unsigned(UInt64(try a.uint32())))) }
        if let a = tb[IFLA_VXLAN_LIMIT] {
            let limit = try a.uint32()
            if limit != 0 { f.out.append(.init("limit", .unsigned(UInt64(limit)))) }
        }
        try f.onOff(IFLA_VXLAN_UDP_CSUM, "udp_csum")
        try f.onOff(IFLA_VXLAN_UDP_ZERO_CSUM6_TX, "udp_zero_csum6_tx")
        try f.onOff(IFLA_VXLAN_UDP_ZERO_CSUM6_RX, "udp_zero_csum6_rx")
        try f.flag(IFLA_VXLAN_REMCSUM_TX, "remcsum_tx")
        try f.flag(IFLA_VXLAN_REMCSUM_RX, "remcsum_rx")
        if tb[IFLA_VXLAN_GBP] != nil { f.out.append(.init("gbp", .bool(true))) }
        if tb[IFLA_VXLAN_GPE] != nil { f.out.append(.init("gpe", .bool(true))) }
        return f.out
    }

    /// MACVLAN_MODE_* by bit, as ip names them; MACVLAN_FLAG_NOPROMISC, MACVLAN_FLAG_NODST.
    static let macvlanModes: [UInt32: String] = [1: "private", 2: "vepa", 4: "bridge", 8: "passthru", 16: "source"]
    static let macvlanSource: UInt32 = 16
    static let macvlanNoPromisc: UInt16 = 1
    static let macvlanNoDestination: UInt16 = 2

    static func macvlan(_ tb: Table) throws -> [AttributeValue.Field] {
        guard let modeAttribute = tb[IFLA_MACVLAN_MODE], modeAttribute.payload.count >= 4 else { return [] }
        var out: [AttributeValue.Field] = []
        let mode = try modeAttribute.uint32()
        out.append(.init("mode", .text(macvlanModes[mode] ?? "unknown")))
        let flags = try tb[IFLA_MACVLAN_FLAGS].flatMap { $0.payload.count >= 2 ? try $0.uint16() : nil } ?? 0
        if flags & macvlanNoPromisc != 0 { out.append(.init("nopromisc", .bool(true))) }
        if flags & macvlanNoDestination != 0 { out.append(.init("nodst", .bool(true))) }
        if let a = tb[IFLA_MACVLAN_BC_QUEUE_LEN], a.payload.count >= 4 { out.append(.init("bcqueuelen", .unsigned(UInt64(try a.uint32())))) }
        if let a = tb[IFLA_MACVLAN_BC_QUEUE_LEN_USED], a.payload.count >= 4 { out.append(.init("usedbcqueuelen", .unsigned(UInt64(try a.uint32())))) }
        guard mode == macvlanSource, let count = tb[IFLA_MACVLAN_MACADDR_COUNT], count.payload.count >= 4 else { return out }
        out.append(.init("macaddr_count", .unsigned(UInt64(try count.uint32()))))
        if let data = tb[IFLA_MACVLAN_MACADDR_DATA] {
            var addresses: [String] = []
            var cursor = data.nested()
            while let entry = try cursor.next() {
                guard entry.type == UInt16(IFLA_MACVLAN_MACADDR) && entry.payload.count >= 6 else { continue }
                addresses.append(HardwareAddress.format(Array(entry.payload[0..<6]), linkType: 1))
            }
            out.append(.init("macaddr_data", .strings(addresses)))
        }
        return out
    }

    /// IFF_TUN, IFF_TAP (linux/if_tun.h)
    static let tunTypes: [UInt8: String] = [1: "tun", 2: "tap"]

    static func tun(_ tb: Table) throws -> [AttributeValue.Field] {
        var f = Fields(tb)
        if let a = tb[IFLA_TUN_TYPE] {
            let type = try a.uint8()
            f.out.append(.init("type", .text(tunTypes[type] ?? "UNKNOWN:\(type)")))
        }
        try f.onOff(IFLA_TUN_PI, "pi")
        try f.onOff(IFLA_TUN_VNET_HDR, "vnet_hdr")
        if let a = tb[IFLA_TUN_MULTI_QUEUE], try a.uint8() != 0 {
            f.out.append(.init("multi_queue", .bool(true)))
            if let n = tb[IFLA_TUN_NUM_QUEUES] { f.out.append(.init("numqueues", .unsigned(UInt64(try n.uint32())))) }
            if let n = tb[IFLA_TUN_NUM_DISABLED_QUEUES] { f.out.append(.init("numdisabled", .unsigned(UInt64(try n.uint32())))) }
        } else {
            f.out.append(.init("multi_queue", .bool(false)))
        }
        try f.onOff(IFLA_TUN_PERSIST, "persist")
        // ip names the owner and group from the user database; the ids are what the kernel keeps.
        if let a = tb[IFLA_TUN_OWNER] { f.out.append(.init("user", .user(try a.uint32()))) }
        if let a = tb[IFLA_TUN_GROUP] { f.out.append(.init("group", .group(try a.uint32()))) }
        return f.out
    }

    // MARK: formats

    /// A bridge timer in USER_HZ ticks (the kernel sends clock_t), as ip's "%i.%.2i" seconds.
    static func timerText(_ ticks: UInt64) -> String {
        let microseconds = ticks &* 10_000
        let seconds = microseconds / 1_000_000, hundredths = microseconds % 1_000_000 / 10_000
        return "\(seconds)." + (hundredths < 10 ? "0" : "") + String(hundredths)
    }

    /// struct ifla_bridge_id { __u8 prio[2]; __u8 addr[6]; } as ip's br_dump_bridge_id: the
    /// priority in hex pairs, then ether_ntoa's address (no zero padding).
    static func bridgeIDText(_ attribute: Attribute) throws -> String {
        let raw = try attribute.bytes(exactly: 8)
        let priority = hex(UInt64(raw[0]), width: 2) + hex(UInt64(raw[1]), width: 2)
        return priority + "." + (2..<8).map { String(raw[$0], radix: 16) }.joined(by: ":")
    }

    /// ETH_P_8021Q and ETH_P_8021AD as ll_proto_n2a names them; others in hex.
    static func vlanProtocolName(_ protocolNumber: UInt16) -> String {
        switch protocolNumber {
        case 0x8100: return "802.1Q"
        case 0x88A8: return "802.1ad"
        default: return "0x" + hex(UInt64(protocolNumber), width: 4)
        }
    }

    /// C's "%#llx": "0x1f", but "0" for zero.
    static func hex0x(_ value: UInt64) -> String { value == 0 ? "0" : "0x" + String(value, radix: 16) }

    static func hex(_ value: UInt64, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
