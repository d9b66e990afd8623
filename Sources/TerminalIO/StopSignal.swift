import CNetlinkHeaders


/// SIGINT/SIGTERM end long-running views cleanly: the handlers only set a flag.
public enum StopSignal {
    public static func install() { netscope_install_stop_handlers() }
    public static var requested: Bool { netscope_stop_requested() != 0 }
}
