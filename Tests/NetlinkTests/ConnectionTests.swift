import Netlink
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The dump loop against a replay transport: the kernel's answers, scripted. Every dump
/// test runs twice: receiving on the caller's thread, and with a ReceiveAhead thread.
@Suite struct ConnectionTests {
    func collect(_ datagrams: [[UInt8]], attempts: Int = 5, ahead: Bool) throws -> (types: [UInt16], restarts: Int) {
        let connection = NetlinkConnection(transport: ReplayTransport(datagrams: datagrams))
        connection.maxDumpAttempts = attempts
        connection.receiveAhead = ahead
        connection.receiveAheadMinimum = 0
        var types: [UInt16] = []
        var restarts = 0
        try connection.dump(dumpRequest(), restart: { restarts += 1; types.removeAll() }) { types.append($0.type) }
        return (types, restarts)
    }

    @Test(arguments: [false, true]) func dumpEndsAtDone(ahead: Bool) throws {
        let datagram = MessageBuilder.message(type: 16, flags: NetlinkFlags.multi, payload: [0, 0, 0, 0])
            + MessageBuilder.message(type: 16, flags: NetlinkFlags.multi, payload: [0, 0, 0, 0])
        let result = try collect([datagram, MessageBuilder.done()], ahead: ahead)
        #expect(result.types == [16, 16])
        #expect(result.restarts == 0)
    }

    @Test(arguments: [false, true]) func kernelErrorCarriesExtendedAck(ahead: Bool) {
        do {
            _ = try collect([MessageBuilder.error(-22, message: "Invalid header for link dump", offset: 20)], ahead: ahead)
            Issue.record("expected an error")
        } catch let error as NetlinkError {
            #expect(error.kind == .kernel)
            #expect(error.errno == 22)
            #expect(error.message == "Invalid header for link dump")
            #expect(error.offset == 20)
            #expect(error.description == "TEST dump: Invalid argument (kernel: Invalid header for link dump) [at request byte 20]")
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test(arguments: [false, true]) func errorWithoutExtendedAck(ahead: Bool) {
        #expect(throws: NetlinkError(kind: .kernel, operation: "TEST dump", errno: 1)) {
            _ = try collect([MessageBuilder.error(-1, message: nil)], ahead: ahead)
        }
    }

    @Test(arguments: [false, true]) func errorInsideDone(ahead: Bool) {
        let done = MessageBuilder.done(flags: NetlinkFlags.multi | NetlinkFlags.ackTLVs, error: -95,
                                       tlvs: MessageBuilder.attribute(1, Array("not supported".utf8) + [0]))
        #expect(throws: NetlinkError(kind: .kernel, operation: "TEST dump", errno: 95, message: "not supported")) {
            _ = try collect([done], ahead: ahead)
        }
    }

    @Test(arguments: [false, true]) func interruptedDumpRestartsThenSucceeds(ahead: Bool) throws {
        let dirty = MessageBuilder.message(type: 16, flags: NetlinkFlags.multi | NetlinkFlags.dumpInterrupted, payload: [1, 0, 0, 0])
        let clean = MessageBuilder.message(type: 17, flags: NetlinkFlags.multi, payload: [2, 0, 0, 0])
        let result = try collect([dirty, MessageBuilder.done(), clean, MessageBuilder.done()], ahead: ahead)
        #expect(result.types == [17])
        #expect(result.restarts == 1)
    }

    @Test(arguments: [false, true]) func interruptedDumpGivesUpAfterBudget(ahead: Bool) {
        let dirty = MessageBuilder.message(type: 16, flags: NetlinkFlags.multi | NetlinkFlags.dumpInterrupted, payload: [1, 0, 0, 0])
        let script = Array(repeating: [dirty, MessageBuilder.done()], count: 3).flatMap { $0 }
        do {
            _ = try collect(script, attempts: 3, ahead: ahead)
            Issue.record("expected an error")
        } catch let error as NetlinkError {
            #expect(error.kind == .interrupted)
            #expect(error.description.contains("3 attempts"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test(arguments: [false, true]) func truncatedReplyIsMalformedNotACrash(ahead: Bool) {
        let datagram = MessageBuilder.message(type: 16, flags: NetlinkFlags.multi, payload: [UInt8](repeating: 1, count: 32))
        #expect(throws: NetlinkError.self) { _ = try collect([Array(datagram[0..<20])], ahead: ahead) }
    }

    @Test(arguments: [false, true]) func recordingThatEndsEarlyIsReported(ahead: Bool) {
        let datagram = MessageBuilder.message(type: 16, flags: NetlinkFlags.multi, payload: [0, 0, 0, 0])
        do {
            _ = try collect([datagram], ahead: ahead)
            Issue.record("expected an error")
        } catch let error as NetlinkError {
            #expect(error.description.contains("recording ended"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func requestIsStampedWithFreshSequence() throws {
        let transport = ReplayTransport(datagrams: [MessageBuilder.done(), MessageBuilder.done()])
        let connection = NetlinkConnection(transport: transport)
        try connection.dump(dumpRequest()) { _ in }
        try connection.dump(dumpRequest()) { _ in }
        let sequences = transport.requests.map { NetlinkRequest(bytes: $0, operation: "").sequence }
        #expect(sequences.count == 2)
        #expect(sequences[0] != sequences[1])
    }
}

@Suite struct CaptureFormatTests {
    @Test func roundTripsAndRejectsDamage() throws {
        let good = CaptureFormat.magic + MessageBuilder.le(UInt32(3)) + [1, 2, 3]
        #expect(try CaptureFormat.datagrams(in: good) == [[1, 2, 3]])
        #expect(throws: NetlinkError.self) { _ = try CaptureFormat.datagrams(in: Array("NOTMAGIC".utf8)) }
        #expect(throws: NetlinkError.self) { _ = try CaptureFormat.datagrams(in: Array(good.dropLast())) }
        #expect(throws: NetlinkError.self) { _ = try CaptureFormat.datagrams(in: CaptureFormat.magic + [1, 0]) }
    }
}
