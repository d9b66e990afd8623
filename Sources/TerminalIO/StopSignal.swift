import CNetlinkHeaders


/// SIGINT/SIGTERM end long-running views cleanly: the handlers only set a flag.
package enum StopSignal {
    package static func install() { netscope_install_stop_handlers() }
    package static var requested: Bool { netscope_stop_requested() != 0 }
}
