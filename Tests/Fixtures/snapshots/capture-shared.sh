#!/bin/sh
# Captures shared.json: a namespace whose routes share prefixes (IPv6 link routes on two
# devices, one IPv4 prefix appended on two links, an IPv6 multipath route) and whose
# listeners share ports (a dual-stack pair, a SO_REUSEPORT pair), with one connection.
# The fixture of SnapshotDiffTests' identity tests. Needs root and a built netscope.
set -eu
cd "$(dirname "$0")"
NETSCOPE=${NETSCOPE:-../../../.build/debug/netscope}
NS=nst-fixture-$$
ip netns add $NS
trap 'kill $HOLDER 2>/dev/null || true; ip netns del $NS' EXIT
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
