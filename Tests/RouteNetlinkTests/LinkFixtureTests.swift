@testable import RouteNetlink
import NetModel
import Netlink
import TestSupport
import Testing
import NetOutput
import NetRender

@Suite struct LinkFixtureTests {
    @Test func decodesEveryLinkKind() throws {
        let links = try Fixtures.query("links.nlcap").interfaces()
        #expect(links.map(\.name) == ["lo", "v1", "v0", "br0", "ifb0", "vx0", "mv0", "v2"])
        let byName = Dictionary(uniqueKeysWithValues: links.map { ($0.name, $0) })
        #expect(byName["lo"]?.linkType == 772)
        #expect(byName["lo"]?.kind == nil)
        #expect(byName["v0"]?.kind == "veth")
        #expect(byName["v0"]?.alias == "uplink \"quoted\"")
        #expect(byName["v0"]?.alternativeNames == ["v0-alt"])
        #expect(byName["v1"]?.portKind == "bridge")
        #expect(byName["v1"]?.masterIndex == byName["br0"]?.index)
        #expect(byName["v1"]?.linkIndex == byName["v0"]?.index)
        #expect(byName["br0"]?.kind == "bridge")
        #expect(byName["ifb0"]?.txQueueLength == 32)
        #expect(byName["vx0"]?.kind == "vxlan")
        #expect(byName["mv0"]?.kind == "macvlan")
        #expect(byName["v2"]?.linkNetnsID == 0)
        #expect(byName["v0"]?.operState == .up)
        #expect(byName["ifb0"]?.operState == .down)
        #expect(byName["v0"]?.mtu == 1500)
        #expect(byName["v0"]?.flags.contains([.up, .lowerUp, .broadcast, .multicast]) == true)
    }

    @Test func jsonMatchesGolden() throws {
        let links = try Fixtures.query("links.nlcap").interfaces()
        let output = Fixtures.render {
            LinkRenderer.render(links, names: InterfaceNames(links), to: $0, options: RenderOptions(format: .json))
        }
        #expect(output == (try Fixtures.text("links.golden.json")))
    }

    @Test func tableMatchesGolden() throws {
        let links = try Fixtures.query("links.nlcap").interfaces()
        let output = Fixtures.render {
            LinkRenderer.render(links, names: InterfaceNames(links), to: $0, options: RenderOptions(format: .table))
        }
        #expect(output == (try Fixtures.text("links.golden.txt")))
    }

    @Test func truncatedFixtureIsAClearError() throws {
        do {
            _ = try Fixtures.query("links.truncated.nlcap").interfaces()
            Issue.record("expected an error")
        } catch let error as NetlinkError {
            #expect(error.kind == .malformed)
            #expect(error.description.contains("truncated"))
        }
    }

    @Test func badAttributeLengthNamesMessageAndAttribute() throws {
        do {
            _ = try Fixtures.query("links.badattr.nlcap").interfaces()
            Issue.record("expected an error")
        } catch let error as NetlinkError {
            #expect(error.description.contains("RTM_NEWLINK ifindex 1"))
            #expect(error.description.contains("attribute type 4 has 2 payload bytes, expected 4"))
        }
    }

    @Test func missingNameIsAnError() throws {
        #expect(throws: NetlinkError.self) { _ = try Fixtures.query("links.noname.nlcap").interfaces() }
    }

    /// Every possible cut of the first datagram must raise an error, never crash and never
    /// return a silently shortened list.
    @Test func everyTruncationOfARealDumpIsReported() throws {
        let datagrams = try CaptureFormat.datagrams(in: Fixtures.bytes("links.nlcap"))
        let first = datagrams[0]
        for cut in stride(from: 0, to: first.count, by: 1) {
            let damaged = [Array(first[0..<cut])]
            #expect(throws: NetlinkError.self, "cut at \(cut)") {
                _ = try Fixtures.query(datagrams: damaged).interfaces()
            }
        }
    }

    /// A newer kernel's unknown attribute in every message must be skipped, not fatal.
    @Test func unknownAttributesFromNewerKernelsAreSkipped() throws {
        let datagrams = try CaptureFormat.datagrams(in: Fixtures.bytes("links.nlcap"))
        var rewritten: [UInt8] = []
        try datagrams[0].withUnsafeBytes { raw in
            try Netlink.forEachMessage(in: raw, operation: "t") { message in
                guard message.type == RouteMessageType.newLink else { return true }
                let extra: [UInt8] = [8, 0, 0x00, 0x30, 1, 2, 3, 4]  // type 0x3000: unknown
                let payload = Array(message.payload) + extra
                let length = UInt32(16 + payload.count)
                rewritten += withUnsafeBytes(of: length) { Array($0) }
                rewritten += withUnsafeBytes(of: message.type) { Array($0) }
                rewritten += withUnsafeBytes(of: message.flags) { Array($0) }
                rewritten += [UInt8](repeating: 0, count: 8) + payload
                return true
            }
        }
        let done: [UInt8] = [20, 0, 0, 0, 3, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        let original = try Fixtures.query("links.nlcap").interfaces()
        let extended = try Fixtures.query(datagrams: [rewritten, done]).interfaces()
        #expect(extended.count > 0)
        #expect(extended == Array(original.prefix(extended.count)))
    }
}

/// The goldens are checked against what `ip -j` printed for the same namespace at capture time.
@Suite struct GoldenOracleTests {
    /// `ip -d -j link` keys we do not decode yet (per-kind details).
    static let undecoded: Set<String> = ["info_data", "info_slave_data", "inet6_addr_gen_mode"]

    @Test func linksGoldenAgreesWithIproute2() throws {
        let ours = try JSONOracle.parse(Fixtures.text("links.golden.json"))
        let theirs = try JSONOracle.parse(Fixtures.text("links.ip.json"))
        #expect(JSONOracle.differences(ours: ours, theirs: theirs, ignoring: Self.undecoded) == [])
    }

    @Test func addressesGoldenAgreesWithIproute2() throws {
        let ours = try JSONOracle.parse(Fixtures.text("addrs.golden.json"))
        let theirs = try JSONOracle.parse(Fixtures.text("addrs.ip.json"))
        #expect(JSONOracle.differences(ours: ours, theirs: theirs) == [])
    }
}

/// rtnl_link_stats64 decoded field by field: each value lands in the field of its position
/// (LinkStatistics.fieldOrder is the struct's order), a shorter struct from an older kernel
/// leaves the newer fields 0, and fewer than 23 fields is malformed.
@Suite struct LinkStatisticsDecodingTests {
    static func decode(fields: Int) throws -> LinkStatistics {
        let values = (0..<fields).map { UInt64($0 + 1) * 1_000_003 }
        return try values.withUnsafeBytes { try LinkDecoder.decodeStatistics(Attribute(rawType: 23, payload: $0, offset: 0)) }
    }

    @Test func everyFieldLandsInItsPlace() throws {
        let statistics = try Self.decode(fields: 26)
        for (index, field) in LinkStatistics.fieldOrder.enumerated() {
            #expect(statistics[keyPath: field] == UInt64(index + 1) * 1_000_003, "field \(index)")
        }
    }

    @Test func anOlderKernelsShorterStructLeavesTheNewerFieldsZero() throws {
        let statistics = try Self.decode(fields: 23)
        #expect(statistics.txCompressed == 23 * 1_000_003)
        #expect(statistics.rxNoHandler == 0 && statistics.rxOtherhostDropped == 0)
        #expect(throws: NetlinkError.self) { try Self.decode(fields: 22) }
    }
}
