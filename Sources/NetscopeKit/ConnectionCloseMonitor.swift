import Dispatch
import NetMetrics
import NetModel
import NetQuery
import ProcNet
#if canImport(Glibc)
import Glibc
#endif

/// `serve`'s `connections` collector: a thread that keeps a sock_diag destroy subscription
/// open between scrapes (a close is announced once; missing it between scrapes would lose
/// it), dumps TCP sockets once per `interval` for each connection's first sighting and the
/// listening ports, and counts closed connections into `ClosedConnections`. Scrapes read a copy.
package final class ConnectionCloseMonitor: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var statistics: ClosedConnections
    private var failure: String?
    private var stopping = false
    private var thread: pthread_t?
    private let interval: Double
    private let receiveBuffer: Int32

    package init(maxPorts: Int, interval: Double = 1, receiveBuffer: Int32 = 8 << 20) {
        statistics = ClosedConnections(maxPorts: maxPorts)
        self.interval = interval
        self.receiveBuffer = receiveBuffer
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        stop()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Starts the thread: `prepare` runs on it first (entering the namespace: setns moves one
    /// thread), then it subscribes and reads the current sockets. Throws what that setup threw.
    package func start(prepare: @escaping @Sendable () throws -> Void, sources: SourceOptions, proc: ProcRoot) throws {
        let ready = DispatchSemaphore(value: 0)
        let setup = SetupResult()
        let body = Box { [self] in run(prepare: prepare, sources: sources, proc: proc, ready: ready, setup: setup) }
        var handle = pthread_t()
        let created = pthread_create(&handle, nil, { argument in
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            box.body()
            return nil
        }, Unmanaged.passRetained(body).toOpaque())
        guard created == 0 else { throw MonitorError(description: "cannot start the close monitor thread (error \(created))") }
        thread = handle
        ready.wait()
        if let error = setup.error { throw error }
    }

    /// A copy of the counts; throws while the subscription is broken (the collector fails).
    package func snapshot() throws -> ClosedConnections {
        try locked {
            if let failure { throw MonitorError(description: failure) }
            return statistics
        }
    }

    package func stop() {
        guard let thread else { return }
        locked { stopping = true }
        pthread_join(thread, nil)
        self.thread = nil
    }

    private func run(prepare: () throws -> Void, sources: SourceOptions, proc: ProcRoot, ready: DispatchSemaphore, setup: SetupResult) {
        var watcher: SocketWatcher
        var ephemeral = ConnectionSide.defaultEphemeralPorts
        func open() throws -> SocketWatcher {
            let request = SocketWatchRequest(protocols: [.tcp], states: SocketStateSet.big.subtracting(.listening))
            let opened = try SocketWatcher(request: request, receiveBuffer: receiveBuffer, sources: sources, proc: proc)
            _ = try opened.start()
            return opened
        }
        do {
            try prepare()
            // /proc/sys, not a thread-self root: sysctls show the namespace of the thread reading.
            ephemeral = ProcQuery(root: ProcRoot(path: "/proc")).ephemeralPorts()
            watcher = try open()
            ready.signal()
        } catch {
            setup.error = error
            ready.signal()
            return
        }
        var lastDump = monotonicSeconds()
        while !locked({ stopping }) {
            do {
                let closes = try watcher.poll(milliseconds: 200)
                count(closes, watcher: watcher, ephemeral: ephemeral)
                if monotonicSeconds() - lastDump >= interval {
                    count(try watcher.rescan(), watcher: watcher, ephemeral: ephemeral)
                    lastDump = monotonicSeconds()
                }
                if locked({ failure }) != nil { locked { failure = nil } }
            } catch {
                // Say so at every scrape until a new subscription works; closes in between are lost.
                locked { failure = "the close monitor failed: \(error); retrying" }
                sleep(seconds: 1)
                if let reopened = try? open() {
                    watcher = reopened
                    lastDump = monotonicSeconds()
                }
            }
        }
    }

    /// Counts closes; each lifetime is as the watcher bounded it (ClosedConnections.add).
    private func count(_ events: [SocketEvent], watcher: SocketWatcher, ephemeral: ClosedRange<UInt16>) {
        guard !events.isEmpty else { return }
        locked {
            for event in events {
                if event.kind == .lost {
                    statistics.lost += event.lost ?? 0
                    continue
                }
                guard event.kind == .closed, let socket = event.socket,
                    let (side, port) = ConnectionSide.classify(socket, listeningPorts: watcher.listeningPorts, ephemeral: ephemeral)
                else { continue }
                let info = socket.tcpInfo?.value
                statistics.add(port: port, side: side, lifetime: event.lifetime, bytes: (info?.bytesAcked ?? 0) + (info?.bytesReceived ?? 0))
            }
        }
    }

    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    private final class SetupResult: @unchecked Sendable {
        var error: Error?
    }

    struct MonitorError: Error, CustomStringConvertible {
        let description: String
    }
}
