#!/bin/sh
# Captures a.json and b.json: snapshots of one namespace before and after scripted changes
# (the fixtures of SnapshotDiffTests). With "shared", captures shared.json instead: routes
# that share prefixes (IPv6 link routes on two devices, one IPv4 prefix appended on two
# links, an IPv6 multipath route) and listeners that share ports (a dual-stack pair, a
# SO_REUSEPORT pair), with one connection. Needs root and a built netscope.
set -eu
cd "$(dirname "$0")"
NETSCOPE=${NETSCOPE:-../../../.build/debug/netscope}
NS=nst-fixture-$$
ip netns add $NS
trap 'kill $HOLDER 2>/dev/null || true; ip netns del $NS' EXIT
if [ "${1:-}" = shared ]; then
ip netns exec $NS sysctl -q -w net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n $NS link set lo up
ip -n $NS link add sa type veth peer name sb
ip -n $NS link set sa up
ip -n $NS link set sb up
ip -n $NS addr add 10.8.0.1/24 dev sa
ip -n $NS addr add 10.8.1.1/24 dev sb
ip -n $NS addr add 2001:db8:a::1/64 dev sa
ip -n $NS addr add 2001:db8:b::1/64 dev sb
ip -n $NS route append 10.50.0.0/16 dev sa
ip -n $NS route append 10.50.0.0/16 dev sb
ip -n $NS -6 route add 2001:db8:9::/64 via 2001:db8:a::2 dev sa
ip -n $NS -6 route append 2001:db8:9::/64 via 2001:db8:b::2 dev sb
ip netns exec $NS python3 -c '
import socket, time
v4 = socket.socket(); v4.bind(("0.0.0.0", 7000)); v4.listen(8)
v6 = socket.socket(socket.AF_INET6); v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1); v6.bind(("::", 7000)); v6.listen(8)
group = []
for _ in range(2):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1); s.bind(("0.0.0.0", 7001)); s.listen(8); group.append(s)
c = socket.create_connection(("127.0.0.1", 7000)); a, _ = v4.accept()
time.sleep(30)' &
HOLDER=$!
sleep 1
$NETSCOPE snapshot --netns $NS -o shared.json
exit 0
fi
ip netns exec $NS sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n $NS link set lo up
ip -n $NS link add fa type veth peer name fb
ip -n $NS link set fa up
ip -n $NS link set fb up
ip -n $NS link add old type veth peer name old2
ip -n $NS addr add 10.8.0.1/24 dev fa
ip -n $NS route add 10.44.0.0/16 via 10.8.0.2
ip -n $NS route add blackhole 10.45.0.0/16 table 100
ip -n $NS rule add from 10.45.0.0/16 table 100 pref 1000
ip -n $NS neigh add 10.8.0.9 lladdr 02:00:00:00:00:09 dev fa
ip netns exec $NS python3 -c '
import socket, time
l = socket.socket(); l.bind(("127.0.0.1", 8080)); l.listen(8)
c = socket.create_connection(("127.0.0.1", 8080)); s, _ = l.accept()
time.sleep(30)' &
HOLDER=$!
sleep 0.5
$NETSCOPE snapshot --netns $NS -o a.json
ip -n $NS route add 10.60.0.0/16 via 10.8.0.2
ip -n $NS route replace 10.44.0.0/16 via 10.8.0.3
ip -n $NS link set fa mtu 1400
ip -n $NS addr add 10.9.9.1/24 dev fb
ip -n $NS link del old
ip -n $NS rule del pref 1000
ip -n $NS neigh change 10.8.0.9 lladdr 02:00:00:00:00:0a dev fa
ip netns exec $NS python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(50): s.sendto(b"x" * 100, ("127.0.0.1", 9))'
kill $HOLDER; wait $HOLDER 2>/dev/null || true
sleep 0.2
$NETSCOPE snapshot --netns $NS -o b.json
