import Glibc
import NetModel
import NetOutput
import Testing

@Suite struct IPAddressTests {
    func ntop(_ bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = bytes.withUnsafeBytes { inet_ntop(AF_INET6, $0.baseAddress, &buffer, 64) }
        return String(cString: buffer)
    }

    /// Our formatter must print exactly what glibc's inet_ntop prints (iproute2 uses it).
    @Test func ipv6MatchesInetNtop() {
        var generator = SystemRandomNumberGenerator()
        var cases: [[UInt8]] = [
            [UInt8](repeating: 0, count: 16),
            [UInt8](repeating: 0, count: 15) + [1],
            [UInt8](repeating: 0, count: 10) + [0xff, 0xff, 10, 0, 0, 1],
            [UInt8](repeating: 0, count: 12) + [10, 0, 0, 1],
            [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 12),
            [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x4c, 0xe5, 0xeb, 0xff, 0xfe, 0x4e, 0x4d, 0x2d],
            [0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0],
        ]
        for _ in 0..<2000 {
            // Sparse words make zero runs of every length and position.
            cases.append((0..<8).flatMap { _ -> [UInt8] in
                Int.random(in: 0..<3, using: &generator) == 0
                    ? [UInt8.random(in: 0...255, using: &generator), UInt8.random(in: 0...255, using: &generator)] : [0, 0]
            })
        }
        for bytes in cases {
            #expect(IPAddress(bytes: bytes)!.description == ntop(bytes))
        }
    }

    @Test func parsesWhatItPrints() {
        for text in ["10.0.0.1", "::", "::1", "2001:db8::1", "fe80::1:2", "::ffff:10.1.2.3", "1:2:3:4:5:6:7:8"] {
            #expect(IPAddress(text)?.description == text)
        }
        for bad in ["1.2.3", "1.2.3.256", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", ""] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func hardwareAddresses() {
        #expect(HardwareAddress.format([0x4e, 0xe5, 0x0b, 0, 1, 0xff], linkType: 1) == "4e:e5:0b:00:01:ff")
        #expect(HardwareAddress.format([10, 0, 0, 1], linkType: 768) == "10.0.0.1")
    }
}

@Suite struct FlagNameTests {
    @Test func linkFlagsInIproute2Order() {
        let flags = InterfaceFlags([.up, .broadcast, .multicast, .lowerUp, .running])
        #expect(flags.names == ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"])
        #expect(InterfaceFlags([.up, .broadcast]).names == ["NO-CARRIER", "BROADCAST", "UP"])
        #expect(InterfaceFlags(rawValue: 0x8000_0000 | 0x1 | 0x40).names == ["UP", "80000000"])
    }

    @Test func addressFlags() {
        #expect(AddressFlags([.permanent]).names(family: .inet) == [])
        #expect(AddressFlags([]).names(family: .inet6) == ["dynamic"])
        #expect(AddressFlags([.secondary, .permanent]).names(family: .inet6) == ["temporary"])
        #expect(AddressFlags([.secondary, .permanent]).names(family: .inet) == ["secondary"])
        #expect(AddressFlags([.tentative, .permanent, .noPrefixRoute]).names(family: .inet6) == ["tentative", "noprefixroute"])
        #expect(AddressFlags(rawValue: 0x80 | 0x10000).names(family: .inet) == ["flags 10000"])
    }
}

@Suite struct AddressFormatTests {
    /// The allocation-free formatter used by the socket table prints what `description` does.
    @Test func formatIntoMatchesDescription() {
        var generator = SystemRandomNumberGenerator()
        var buffer = [UInt8](repeating: 0, count: 64)
        for _ in 0..<3000 {
            let bytes: [UInt8] = Bool.random(using: &generator)
                ? (0..<4).map { _ in UInt8.random(in: 0...255, using: &generator) }
                : (0..<8).flatMap { _ -> [UInt8] in Int.random(in: 0..<3, using: &generator) == 0 ? [UInt8.random(in: 0...255), 1] : [0, 0] }
            let address = IPAddress(bytes: bytes)!
            let length = buffer.withUnsafeMutableBufferPointer { address.format(into: $0.baseAddress!) }
            #expect(String(decoding: buffer[0..<length], as: UTF8.self) == address.description)
        }
        for text in ["::", "::1", "::ffff:1.2.3.4", "1::", "2001:db8::1:0:0:1", "0.0.0.0", "255.255.255.255"] {
            let address = IPAddress(text)!
            let length = buffer.withUnsafeMutableBufferPointer { address.format(into: $0.baseAddress!) }
            #expect(String(decoding: buffer[0..<length], as: UTF8.self) == text)
        }
    }
}
