import Netlink
import Testing

@Suite struct AttributeCursorTests {
    @Test func typedGettersAndUnknownTypesSkipped() throws {
        let bytes = MessageBuilder.attribute(4, MessageBuilder.le(UInt32(1500)))
            + MessageBuilder.attribute(999, [9, 9, 9])  // unknown to any decoder: must just pass
            + MessageBuilder.attribute(3, Array("eth0".utf8) + [0])
            + MessageBuilder.attribute(23, MessageBuilder.le(UInt64(1) << 40))
        try withBytes(bytes) { raw in
            var cursor = AttributeCursor(raw)
            var types: [UInt16] = []
            while let attribute = try cursor.next() {
                types.append(attribute.type)
                switch attribute.type {
                case 4: #expect(try attribute.uint32() == 1500)
                case 3: #expect(attribute.string() == "eth0")
                case 23: #expect(try attribute.uint64() == 1 << 40)
                default: break
                }
            }
            #expect(types == [4, 999, 3, 23])
        }
    }

    @Test func shortPayloadNamesTypeAndExpectedLength() throws {
        let bytes = MessageBuilder.attribute(4, [1, 2])
        try withBytes(bytes) { raw in
            var cursor = AttributeCursor(raw, baseOffset: 100)
            let attribute = try #require(try cursor.next())
            do {
                _ = try attribute.uint32()
                Issue.record("expected an error")
            } catch let error as NetlinkError {
                #expect(error.description.contains("attribute type 4 has 2 payload bytes, expected 4"))
                #expect(error.offset == 100)
            }
        }
    }

    @Test func overlongAttributeIsRejected() {
        var bytes = MessageBuilder.attribute(3, Array("abc".utf8))
        bytes[0] = 200
        #expect(throws: NetlinkError.self) {
            try withBytes(bytes) { raw in
                var cursor = AttributeCursor(raw)
                while try cursor.next() != nil {}
            }
        }
    }

    @Test func everyTruncationThrowsUnlessItFallsOnAnAttributeEnd() {
        // 14 bytes + 2 padding, then 8 bytes. Cuts at 0, 16 and inside the padding (14, 15)
        // leave whole attributes; every other cut must be reported.
        let bytes = MessageBuilder.attribute(3, Array("interface".utf8) + [0]) + MessageBuilder.attribute(4, [1, 0, 0, 0])
        let clean: Set<Int> = [0, 14, 15, 16]
        for cut in 0..<bytes.count {
            let truncated = Array(bytes[0..<cut])
            var failed = false
            do {
                try withBytes(truncated) { raw in
                    var cursor = AttributeCursor(raw)
                    while try cursor.next() != nil {}
                }
            } catch {
                failed = error is NetlinkError
            }
            #expect(failed == !clean.contains(cut), "cut at \(cut)")
        }
    }

    @Test func nestedAttributes() throws {
        let inner = MessageBuilder.attribute(1, Array("veth".utf8) + [0]) + MessageBuilder.attribute(4, Array("bridge".utf8) + [0])
        let outer = MessageBuilder.attribute(18 | Attribute.nestedFlag, inner)
        try withBytes(outer) { raw in
            var cursor = AttributeCursor(raw)
            let attribute = try #require(try cursor.next())
            #expect(attribute.type == 18)
            var nested = attribute.nested()
            #expect(try nested.next()?.string() == "veth")
            #expect(try nested.next()?.string() == "bridge")
            #expect(try nested.next() == nil)
        }
    }

    struct Grown: BitwiseCopyable { var a: UInt32; var b: UInt32; var c: UInt32 }

    @Test func lengthTolerantStructs() throws {
        // An older kernel sends 8 bytes of a 12-byte struct: the rest reads as zero.
        let short = MessageBuilder.attribute(1, MessageBuilder.le(UInt32(7)) + MessageBuilder.le(UInt32(8)))
        // A newer kernel sends 16: the extra 4 are ignored.
        let long = MessageBuilder.attribute(1, [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0])
        try withBytes(short) { raw in
            var cursor = AttributeCursor(raw)
            let value = try #require(try cursor.next()).lengthTolerant(Grown.self, zero: Grown(a: 0, b: 0, c: 0))
            #expect(value.a == 7 && value.b == 8 && value.c == 0)
        }
        try withBytes(long) { raw in
            var cursor = AttributeCursor(raw)
            let value = try #require(try cursor.next()).lengthTolerant(Grown.self, zero: Grown(a: 0, b: 0, c: 0))
            #expect(value.a == 1 && value.b == 2 && value.c == 3)
        }
    }
}
