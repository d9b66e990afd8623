/// One interface address (RTM_NEWADDR: struct ifaddrmsg + IFA_*).
public struct InterfaceAddress: Hashable, Sendable {
    /// ifa_family
    public var family: AddressFamily
    /// ifa_prefixlen
    public var prefixLength: UInt8
    /// ifa_flags, widened by IFA_FLAGS when present (IFA_F_*)
    public var flags: AddressFlags
    /// ifa_scope (RT_SCOPE_*)
    public var scope: UInt8
    /// ifa_index
    public var interfaceIndex: Int32
    /// IFA_LOCAL: the address itself (absent for IPv6, where IFA_ADDRESS is it).
    public var local: IPAddress?
    /// IFA_ADDRESS: the peer on point-to-point links, else equal to `local`.
    public var address: IPAddress?
    /// IFA_BROADCAST, IFA_ANYCAST
    public var broadcast: IPAddress?
    public var anycast: IPAddress?
    /// IFA_LABEL (IPv4 only)
    public var label: String?
    /// IFA_CACHEINFO ifa_valid / ifa_prefered, seconds; 0xFFFFFFFF means forever.
    public var validLifetime: UInt32?
    public var preferredLifetime: UInt32?
    /// IFA_RT_PRIORITY
    public var metric: UInt32?
    /// IFA_PROTO
    public var proto: UInt8?

    public init(family: AddressFamily, prefixLength: UInt8, flags: AddressFlags, scope: UInt8, interfaceIndex: Int32) {
        self.family = family
        self.prefixLength = prefixLength
        self.flags = flags
        self.scope = scope
        self.interfaceIndex = interfaceIndex
    }

    /// The interface's own address: IFA_LOCAL, or IFA_ADDRESS where there is no IFA_LOCAL.
    public var primary: IPAddress? { local ?? address }

    /// The infinite lifetime value (INFINITY_LIFE_TIME).
    public static let forever: UInt32 = 0xFFFF_FFFF
}

/// IFA_F_* flags.
public struct AddressFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let secondary = AddressFlags(rawValue: 0x01)
    public static let noDAD = AddressFlags(rawValue: 0x02)
    public static let optimistic = AddressFlags(rawValue: 0x04)
    public static let dadFailed = AddressFlags(rawValue: 0x08)
    public static let homeAddress = AddressFlags(rawValue: 0x10)
    public static let deprecated = AddressFlags(rawValue: 0x20)
    public static let tentative = AddressFlags(rawValue: 0x40)
    public static let permanent = AddressFlags(rawValue: 0x80)
    public static let manageTemporaryAddress = AddressFlags(rawValue: 0x100)
    public static let noPrefixRoute = AddressFlags(rawValue: 0x200)
    public static let multicastAutoJoin = AddressFlags(rawValue: 0x400)
    public static let stablePrivacy = AddressFlags(rawValue: 0x800)

    /// The words iproute2 prints (print_ifa_flags), in its order: "dynamic" for a
    /// non-permanent address, "temporary" for IPv6 secondary, unknown bits as "flags XX".
    public func names(family: AddressFamily) -> [String] {
        var result: [String] = []
        forEachName(family: family) { result.append($0) }
        return result
    }

    /// The same words one by one, for renderers that write them straight out.
    public func forEachName(family: AddressFamily, _ body: (String) -> Void) {
        var remaining = rawValue
        for (flag, name) in AddressFlags.printOrder {
            if flag == .permanent {
                if remaining & flag.rawValue == 0 { body("dynamic") }
            } else if remaining & flag.rawValue != 0 {
                body(flag == .secondary && family == .inet6 ? "temporary" : name)
            }
            remaining &= ~flag.rawValue
        }
        if remaining != 0 {
            let hex = String(remaining, radix: 16)
            body("flags " + (hex.count < 2 ? "0" + hex : hex))
        }
    }

    /// print_ifa_flags' order, built once rather than per address.
    static let printOrder: [(AddressFlags, String)] = [
        (.secondary, "secondary"), (.noDAD, "nodad"), (.optimistic, "optimistic"),
        (.dadFailed, "dadfailed"), (.homeAddress, "home"), (.deprecated, "deprecated"),
        (.tentative, "tentative"), (.permanent, "permanent"), (.manageTemporaryAddress, "mngtmpaddr"),
        (.noPrefixRoute, "noprefixroute"), (.multicastAutoJoin, "autojoin"),
        (.stablePrivacy, "stable-privacy"),
    ]
}

/// RT_SCOPE_* names as iproute2 prints them (rtnl_rtscope_n2a).
extension InterfaceAddress {
    /// "10.0.0.1/24", or "10.9.0.1 peer 10.9.0.2/32" for a point-to-point address, as ip
    /// prints it; "-" without an address.
    public var text: String {
        let prefix = "/\(prefixLength)"
        guard let primary else { return "-" }
        if let local, let peer = address, peer != local {
            return "\(local) peer \(peer)\(prefix)"
        }
        return "\(primary)\(prefix)"
    }
}

public enum ScopeNames {
    public static func name(_ scope: UInt8) -> String {
        switch scope {
        case 0: return "global"
        case 200: return "site"
        case 253: return "link"
        case 254: return "host"
        case 255: return "nowhere"
        default: return String(scope)
        }
    }
}
