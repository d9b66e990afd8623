import NetModel
import Netlink
import Testing
import NetOutput
import NetRender

@Suite struct AddressFixtureTests {
    func load() throws -> ([Interface], [InterfaceAddress]) {
        let query = try Fixtures.query("addrs.nlcap")
        return (try query.interfaces(), try query.addresses())
    }

    @Test func decodesAddresses() throws {
        let (links, addresses) = try load()
        let names = InterfaceNames(links)
        let text = addresses.map { "\(names[$0.interfaceIndex]) \($0.primary!)/\($0.prefixLength)" }
        #expect(text.contains("v0 10.1.0.1/24"))
        #expect(text.contains("v0 2001:db8::1/64"))
        #expect(text.contains("lo ::1/128"))
        let secondary = try #require(addresses.first { $0.primary == IPAddress("10.1.0.9") })
        #expect(secondary.flags.contains(.secondary))
        let labelled = try #require(addresses.first { $0.primary == IPAddress("10.2.0.1") })
        #expect(labelled.label == "br0:x")
        #expect(labelled.broadcast == IPAddress("10.2.255.255"))
        let pointToPoint = try #require(addresses.first { $0.local == IPAddress("10.9.0.1") })
        #expect(pointToPoint.address == IPAddress("10.9.0.2"))
        #expect(addresses.allSatisfy { $0.validLifetime != nil })
    }

    @Test func jsonMatchesGolden() throws {
        let (links, addresses) = try load()
        let output = Fixtures.render {
            AddressRenderer.render(links, addresses: addresses, names: InterfaceNames(links), to: $0, options: RenderOptions(format: .json))
        }
        #expect(output == (try Fixtures.text("addrs.golden.json")))
    }

    @Test func tableMatchesGolden() throws {
        let (links, addresses) = try load()
        let output = Fixtures.render {
            AddressRenderer.render(links, addresses: addresses, names: InterfaceNames(links), to: $0, options: RenderOptions(format: .table))
        }
        #expect(output == (try Fixtures.text("addrs.golden.txt")))
    }

    @Test func ndjsonIsOneObjectPerInterface() throws {
        let (links, addresses) = try load()
        let output = Fixtures.render {
            AddressRenderer.render(links, addresses: addresses, names: InterfaceNames(links), to: $0, options: RenderOptions(format: .ndjson))
        }
        let lines = output.split(separator: "\n")
        #expect(lines.count == links.count)
        #expect(lines.allSatisfy { $0.hasPrefix("{\"ifindex\":") && $0.hasSuffix("}") })
    }

    @Test func everyTruncationOfAnAddressDumpIsReported() throws {
        let datagrams = try CaptureFormat.datagrams(in: Fixtures.bytes("addrs.nlcap"))
        // The address dump follows the link dump (and its NLMSG_DONE) in the recording.
        let addressDatagram = try #require(datagrams.first { datagram in
            datagram.count > 16 && datagram.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt16.self) } == 20
        })
        for cut in 0..<addressDatagram.count {
            #expect(throws: NetlinkError.self, "cut at \(cut)") {
                _ = try Fixtures.query(datagrams: [Array(addressDatagram[0..<cut])]).addresses()
            }
        }
    }
}
