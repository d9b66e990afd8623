import CNetlinkHeaders
import NetModel
import Netlink

/// FRA_* attribute types of RTM_NEWRULE (linux/fib_rules.h).
enum RuleAttribute {
    static let destination: UInt16 = 1             // FRA_DST
    static let source: UInt16 = 2                  // FRA_SRC
    static let inputInterfaceName: UInt16 = 3      // FRA_IIFNAME
    static let gotoTarget: UInt16 = 4              // FRA_GOTO
    static let priority: UInt16 = 6                // FRA_PRIORITY
    static let fwmark: UInt16 = 10                 // FRA_FWMARK
    static let flow: UInt16 = 11                   // FRA_FLOW
    static let tunnelID: UInt16 = 12               // FRA_TUN_ID
    static let suppressInterfaceGroup: UInt16 = 13 // FRA_SUPPRESS_IFGROUP
    static let suppressPrefixLength: UInt16 = 14   // FRA_SUPPRESS_PREFIXLEN
    static let table: UInt16 = 15                  // FRA_TABLE
    static let fwmask: UInt16 = 16                 // FRA_FWMASK
    static let outputInterfaceName: UInt16 = 17    // FRA_OIFNAME
    static let l3mdev: UInt16 = 19                 // FRA_L3MDEV
    static let uidRange: UInt16 = 20               // FRA_UID_RANGE
    static let proto: UInt16 = 21                  // FRA_PROTOCOL
    static let ipProto: UInt16 = 22                // FRA_IP_PROTO
    static let sourcePortRange: UInt16 = 23        // FRA_SPORT_RANGE
    static let destinationPortRange: UInt16 = 24   // FRA_DPORT_RANGE
}

public enum RuleDecoder {
    /// struct fib_rule_hdr (12 bytes) and FRA_* attributes.
    public static func decode(_ message: NetlinkMessage) throws -> Rule {
        let operation = "RTM_NEWRULE"
        var (raw, cursor) = try message.split(headerSize: MemoryLayout<fib_rule_hdr>.size, operation: operation)
        let header = raw.loadUnaligned(as: fib_rule_hdr.self)
        let family = AddressFamily(rawValue: header.family)
        var rule = Rule(
            family: family, destinationLength: header.dst_len, sourceLength: header.src_len, tos: header.tos,
            table: UInt32(header.table), action: header.action, flags: header.flags)
        try NetlinkError.context("\(operation) family \(family.rawValue)") {
            while let attribute = try cursor.next() {
                switch attribute.type {
                case RuleAttribute.destination: rule.destination = try RouteDecoder.address(attribute, family: family)
                case RuleAttribute.source: rule.source = try RouteDecoder.address(attribute, family: family)
                case RuleAttribute.inputInterfaceName: rule.inputInterface = attribute.string()
                case RuleAttribute.gotoTarget: rule.gotoTarget = try attribute.uint32()
                case RuleAttribute.priority: rule.priority = try attribute.uint32()
                case RuleAttribute.fwmark: rule.fwmark = try attribute.uint32()
                case RuleAttribute.flow: rule.flow = try attribute.uint32()
                case RuleAttribute.tunnelID: rule.tunnelID = UInt64(bigEndian: try attribute.uint64())
                case RuleAttribute.suppressInterfaceGroup: rule.suppressInterfaceGroup = try attribute.uint32()
                case RuleAttribute.suppressPrefixLength: rule.suppressPrefixLength = try attribute.uint32()
                case RuleAttribute.table: rule.table = try attribute.uint32()
                case RuleAttribute.fwmask: rule.fwmask = try attribute.uint32()
                case RuleAttribute.outputInterfaceName: rule.outputInterface = attribute.string()
                case RuleAttribute.l3mdev: rule.l3mdev = try attribute.uint8() != 0
                case RuleAttribute.uidRange:  // struct fib_rule_uid_range { u32 start; u32 end; }
                    let raw = try attribute.bytes(exactly: 8)
                    rule.uidRange = (raw.loadUnaligned(as: UInt32.self), raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                case RuleAttribute.proto: rule.proto = try attribute.uint8()
                case RuleAttribute.ipProto: rule.ipProto = try attribute.uint8()
                case RuleAttribute.sourcePortRange, RuleAttribute.destinationPortRange:  // struct fib_rule_port_range
                    let raw = try attribute.bytes(exactly: 4)
                    let range = (raw.loadUnaligned(as: UInt16.self), raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
                    if attribute.type == RuleAttribute.sourcePortRange { rule.sourcePortRange = range } else { rule.destinationPortRange = range }
                default: break
                }
            }
        }
        return rule
    }
}
