@testable import Netlink
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A replay transport that notes which thread made each receive and can be slowed down or
/// told to fail, so the tests can see the read-ahead thread at work and its bounds.
private final class ObservedTransport: NetlinkTransport, @unchecked Sendable {
    let inner: ReplayTransport
    var portID: UInt32 { inner.portID }
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var threads: [pthread_t] = []
    private let failAfter: Int?

    init(_ datagrams: [[UInt8]], failAfter: Int? = nil) {
        inner = ReplayTransport(datagrams: datagrams)
        self.failAfter = failAfter
        pthread_mutex_init(lock, nil)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    var receivingThreads: [pthread_t] {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return threads
    }

    func send(_ bytes: UnsafeRawBufferPointer) throws { try inner.send(bytes) }

    func receive(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        pthread_mutex_lock(lock)
        threads.append(pthread_self())
        let count = threads.count
        pthread_mutex_unlock(lock)
        if let failAfter, count > failAfter { throw NetlinkError.system("recvfrom(test)", errno: ENOBUFS) }
        return try inner.receive(into: buffer)
    }
}

@Suite struct ReceiveAheadTests {
    /// `count` datagrams of `perDatagram` messages each, numbered in their payloads, then DONE.
    func numberedDump(datagrams count: Int, perDatagram: Int = 3) -> [[UInt8]] {
        var script: [[UInt8]] = []
        var number: UInt32 = 0
        for _ in 0..<count {
            var datagram: [UInt8] = []
            for _ in 0..<perDatagram {
                datagram += MessageBuilder.message(
                    type: 16, flags: NetlinkFlags.multi, payload: MessageBuilder.le(number) + [UInt8](repeating: UInt8(number & 0xff), count: 60))
                number += 1
            }
            script.append(datagram)
        }
        script.append(MessageBuilder.done())
        return script
    }

    /// Each message's number, and whether its 60 filler bytes still matched it when the
    /// walk reached the message's end (a slot overwritten under the walk would not).
    func walk(_ connection: NetlinkConnection, slowEvery: Int = 0) throws -> [UInt32] {
        var numbers: [UInt32] = []
        try connection.dump(dumpRequest()) { message in
            let number = message.payload.loadUnaligned(as: UInt32.self)
            if slowEvery > 0, number % UInt32(slowEvery) == 0 { usleep(2000) }
            #expect(message.payload[4..<64].allSatisfy { $0 == UInt8(number & 0xff) }, "message \(number) was overwritten")
            numbers.append(number)
        }
        return numbers
    }

    @Test func everyMessageArrivesOnceInOrderWithAndWithoutTheThread() throws {
        for ahead in [false, true] {
            let connection = NetlinkConnection(transport: ReplayTransport(datagrams: numberedDump(datagrams: 200)))
            connection.receiveAhead = ahead
            connection.receiveAheadMinimum = 0
            #expect(try walk(connection) == Array(0..<600))
            // The connection is reusable afterwards, the ring included.
            let again = NetlinkConnection(transport: ReplayTransport(datagrams: numberedDump(datagrams: 20) + numberedDump(datagrams: 20)))
            again.receiveAhead = ahead
            again.receiveAheadMinimum = 0
            #expect(try walk(again) == Array(0..<60))
            #expect(try walk(again) == Array(0..<60))
        }
    }

    @Test func aSlowWalkNeverSeesItsDatagramOverwritten() throws {
        // The caller sleeps now and then, so the thread fills the ring and must wait for
        // the caller to release the slot it is walking.
        let connection = NetlinkConnection(transport: ReplayTransport(datagrams: numberedDump(datagrams: 40)))
        connection.receiveAhead = true
        connection.receiveAheadMinimum = 0
        #expect(try walk(connection, slowEvery: 7) == Array(0..<120))
    }

    @Test func datagramsAfterTheFirstAreReceivedOnTheThread() throws {
        let me = pthread_self()
        let transport = ObservedTransport(numberedDump(datagrams: 10))
        let connection = NetlinkConnection(transport: transport)
        connection.receiveAhead = true
        connection.receiveAheadMinimum = 0
        _ = try walk(connection)
        let threads = transport.receivingThreads
        #expect(threads.count == 11)
        #expect(pthread_equal(threads[0], me) != 0)
        #expect(threads.dropFirst().allSatisfy { pthread_equal($0, me) == 0 })

        // Off, every receive is the caller's.
        let plain = ObservedTransport(numberedDump(datagrams: 10))
        let off = NetlinkConnection(transport: plain)
        off.receiveAhead = false
        _ = try walk(off)
        #expect(plain.receivingThreads.allSatisfy { pthread_equal($0, me) != 0 })
    }

    @Test func aDumpInOneDatagramStartsNoThread() throws {
        let me = pthread_self()
        let whole = MessageBuilder.message(type: 16, flags: NetlinkFlags.multi, payload: [0, 0, 0, 0]) + MessageBuilder.done()
        let transport = ObservedTransport([whole])
        let connection = NetlinkConnection(transport: transport)
        connection.receiveAhead = true
        connection.receiveAheadMinimum = 0
        var count = 0
        try connection.dump(dumpRequest()) { _ in count += 1 }
        #expect(count == 1)
        #expect(transport.receivingThreads.count == 1)
        #expect(pthread_equal(transport.receivingThreads[0], me) != 0)
    }

    @Test func onlyAFullDatagramStartsTheThread() throws {
        // Datagrams of 240 bytes, then one of 16,400 (a full one, as the kernel sends them
        // while a dump goes on), then small ones again: the thread starts after the full one.
        let me = pthread_self()
        var script = numberedDump(datagrams: 4)
        script.removeLast()
        var full: [UInt8] = []
        for number in UInt32(12)..<UInt32(12 + 205) {
            full += MessageBuilder.message(
                type: 16, flags: NetlinkFlags.multi, payload: MessageBuilder.le(number) + [UInt8](repeating: UInt8(number & 0xff), count: 60))
        }
        script.append(full)
        for number in UInt32(217)..<UInt32(220) {
            script.append(MessageBuilder.message(
                type: 16, flags: NetlinkFlags.multi, payload: MessageBuilder.le(number) + [UInt8](repeating: UInt8(number & 0xff), count: 60)))
        }
        script.append(MessageBuilder.done())
        let transport = ObservedTransport(script)
        let connection = NetlinkConnection(transport: transport)
        connection.receiveAhead = true
        connection.receiveAheadMinimum = 16384
        #expect(try walk(connection) == Array(0..<220))
        let threads = transport.receivingThreads
        #expect(threads.count == 9)
        #expect(threads.prefix(5).allSatisfy { pthread_equal($0, me) != 0 })
        #expect(threads.dropFirst(5).allSatisfy { pthread_equal($0, me) == 0 })

        // A short dump (a datagram of objects, then NLMSG_DONE alone, as the kernel ends
        // most dumps) stays on the caller's thread.
        let short = ObservedTransport(numberedDump(datagrams: 1))
        let quiet = NetlinkConnection(transport: short)
        quiet.receiveAhead = true
        _ = try walk(quiet)
        #expect(short.receivingThreads.count == 2)
        #expect(short.receivingThreads.allSatisfy { pthread_equal($0, me) != 0 })
    }

    @Test func aWalkThatThrowsStopsTheThreadWithinTheRing() {
        struct Stop: Error {}
        let transport = ObservedTransport(numberedDump(datagrams: 100))
        let connection = NetlinkConnection(transport: transport)
        connection.receiveAhead = true
        connection.receiveAheadMinimum = 0
        #expect(throws: Stop.self) {
            try connection.dump(dumpRequest()) { message in
                if message.payload.loadUnaligned(as: UInt32.self) == 7 { throw Stop() }
            }
        }
        // Message 7 is in the third datagram: the thread read at most a ring's worth beyond
        // it (and one receive it had begun), never the rest of the dump.
        #expect(transport.receivingThreads.count <= 3 + ReceiveAhead.slotCount + 1)
    }

    @Test func aReceiveErrorArrivesAfterTheDatagramsBeforeIt() {
        let transport = ObservedTransport(numberedDump(datagrams: 50), failAfter: 20)
        let connection = NetlinkConnection(transport: transport)
        connection.receiveAhead = true
        connection.receiveAheadMinimum = 0
        var numbers: [UInt32] = []
        #expect(throws: NetlinkError.system("recvfrom(test)", errno: ENOBUFS)) {
            try connection.dump(dumpRequest()) { numbers.append($0.payload.loadUnaligned(as: UInt32.self)) }
        }
        #expect(numbers == Array(0..<60))
    }

    @Test func anEmptyDatagramMidDumpIsMalformed() {
        var script = numberedDump(datagrams: 5)
        script.insert([], at: 3)
        let connection = NetlinkConnection(transport: ReplayTransport(datagrams: script))
        connection.receiveAhead = true
        connection.receiveAheadMinimum = 0
        do {
            try connection.dump(dumpRequest()) { _ in }
            Issue.record("expected an error")
        } catch let error as NetlinkError {
            #expect(error.kind == .malformed)
            #expect(error.description.contains("empty datagram"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func theEndOfAnExchangeIsRecognisedByTypeSequenceAndPort() {
        func ends(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBytes { ReceiveAhead.endsExchange($0, sequence: 9, portID: 4242) }
        }
        let data = MessageBuilder.message(type: 16, flags: NetlinkFlags.multi, seq: 9, pid: 4242, payload: [0, 0, 0, 0])
        let done = MessageBuilder.message(type: NetlinkMessageType.done, flags: NetlinkFlags.multi, seq: 9, pid: 4242, payload: [0, 0, 0, 0])
        let error = MessageBuilder.message(type: NetlinkMessageType.error, seq: 9, pid: 0, payload: [UInt8](repeating: 0, count: 20))
        let overrun = MessageBuilder.message(type: NetlinkMessageType.overrun, seq: 9, pid: 4242, payload: [])
        #expect(!ends(data + data))
        #expect(ends(data + done))
        #expect(ends(error))
        #expect(ends(overrun))
        // Another request's end, or another port's, is not ours.
        #expect(!ends(data + MessageBuilder.message(type: NetlinkMessageType.done, seq: 8, pid: 4242, payload: [0, 0, 0, 0])))
        #expect(!ends(data + MessageBuilder.message(type: NetlinkMessageType.done, seq: 9, pid: 77, payload: [0, 0, 0, 0])))
        // What cannot be walked ends the read-ahead; the caller's walk reports it.
        #expect(ends([]))
        #expect(ends(Array(data[0..<10])))
        #expect(ends(MessageBuilder.le(UInt32(8)) + [UInt8](repeating: 0, count: 12)))
        #expect(ends(data + Array(data[0..<18])))
    }
}
