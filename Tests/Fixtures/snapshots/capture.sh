#!/bin/sh
# Captures a.json and b.json: snapshots of one namespace before and after scripted changes
# (the fixtures of SnapshotDiffTests). Needs root and a built netscope.
set -eu
cd "$(dirname "$0")"
NETSCOPE=${NETSCOPE:-../../../.build/debug/netscope}
NS=nst-fixture-$$
ip netns add $NS
trap 'kill $HOLDER 2>/dev/null || true; ip netns del $NS' EXIT
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
