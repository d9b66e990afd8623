#!/usr/bin/env bash
# Captures a /proc/net tree from a namespace with known sockets into Tests/Fixtures/proc,
# for the ProcNet parser tests and `--proc-root`. Usage (root): Tests/Fixtures/capture-proc.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ns=nsproc$$
holder=
cleanup() { [ -n "$holder" ] && kill "$holder" 2>/dev/null; ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" python3 - <<'PY' &
import socket, time, os
l4 = socket.socket(); l4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l4.bind(("127.0.0.1", 8080)); l4.listen(16)
l6 = socket.socket(socket.AF_INET6); l6.bind(("::1", 8443)); l6.listen(4)
c = socket.create_connection(("127.0.0.1", 8080)); s, _ = l4.accept(); c.send(b"x" * 100)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 5353))
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(("::", 5354))
x = socket.socket(socket.AF_UNIX); p = "/tmp/netscope fixture.sock"
if os.path.exists(p): os.unlink(p)
x.bind(p); x.listen(1)
a = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); a.bind("\0netscope-abstract")
pair = socket.socketpair()
open("/tmp/nsproc.ready", "w").close()
time.sleep(60)
PY
holder=$!
for _ in $(seq 50); do [ -e /tmp/nsproc.ready ] && break; sleep 0.1; done
rm -f /tmp/nsproc.ready
# Some ICMP and UDP so the counters are not all zero.
ip netns exec "$ns" python3 -c "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); [s.sendto(b\"p\", (\"127.0.0.1\", 9)) for _ in range(3)]"
mkdir -p "$here/proc/net/dev_snmp6"
for f in snmp netstat snmp6 sockstat sockstat6 dev softnet_stat tcp tcp6 udp udp6 raw raw6 unix; do
  ip netns exec "$ns" cat "/proc/net/$f" >"$here/proc/net/$f"
done
ip netns exec "$ns" cat /proc/net/dev_snmp6/lo >"$here/proc/net/dev_snmp6/lo"
# The neighbour tables' stat files exist in the initial namespace only.
mkdir -p "$here/proc/net/stat"
for f in arp_cache ndisc_cache nf_conntrack; do
  cat "/proc/net/stat/$f" >"$here/proc/net/stat/$f"
done
echo "captured into $here/proc"
