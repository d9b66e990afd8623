import Netlink
import Testing

@Suite struct MessageWalkTests {
    @Test func walksEveryMessageInPlace() throws {
        let stream = MessageBuilder.message(type: 16, payload: [1, 2, 3]) + MessageBuilder.message(type: 17, payload: [])
        var seen: [(UInt16, Int)] = []
        try withBytes(stream) { raw in
            try Netlink.forEachMessage(in: raw, operation: "t") { seen.append(($0.type, $0.payload.count)); return true }
        }
        #expect(seen.map(\.0) == [16, 17])
        #expect(seen.map(\.1) == [3, 0])
    }

    @Test func rejectsTruncatedMessage() {
        let full = MessageBuilder.message(type: 16, payload: [UInt8](repeating: 7, count: 40))
        for cut in 1..<full.count {
            let truncated = Array(full[0..<cut])
            #expect(throws: NetlinkError.self, "cut at \(cut)") {
                try withBytes(truncated) { raw in try Netlink.forEachMessage(in: raw, operation: "t") { _ in true } }
            }
        }
    }

    @Test func namesTheProblemAndOffset() {
        var bad = MessageBuilder.message(type: 16, payload: [])
        bad += MessageBuilder.le(UInt32(9999)) + [UInt8](repeating: 0, count: 12)
        do {
            try withBytes(bad) { raw in try Netlink.forEachMessage(in: raw, operation: "RTM_GETLINK dump") { _ in true } }
            Issue.record("expected an error")
        } catch let error as NetlinkError {
            #expect(error.kind == .malformed)
            #expect(error.offset == 16)
            #expect(error.description.contains("declares length 9999"))
            #expect(error.description.hasPrefix("RTM_GETLINK dump"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func rejectsLengthShorterThanHeader() {
        let bad = MessageBuilder.le(UInt32(8)) + [UInt8](repeating: 0, count: 12)
        #expect(throws: NetlinkError.self) {
            try withBytes(bad) { raw in try Netlink.forEachMessage(in: raw, operation: "t") { _ in true } }
        }
    }

    @Test func headerShorterThanFamilyHeaderIsAnError() throws {
        let stream = MessageBuilder.message(type: 16, payload: [1, 2, 3, 4])
        try withBytes(stream) { raw in
            try Netlink.forEachMessage(in: raw, operation: "t") { message in
                #expect(throws: NetlinkError.self) { _ = try message.split(headerSize: 16, operation: "RTM_NEWLINK") }
                return true
            }
        }
    }
}
