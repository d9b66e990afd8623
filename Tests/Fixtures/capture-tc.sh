#!/usr/bin/env bash
# Captures the qdisc, class, neighbour-table and drops fixtures: a namespace with an htb tree (classes, a child
# pfifo), clsact, a tbf that a UDP flood made drop, a bfifo and pfifo_fast, dumped with
# `netscope --dump-raw`, with `tc -s -j qdisc show` of the same state beside it (the oracle
# of TrafficControlReplayTests). Usage (root): Tests/Fixtures/capture-tc.sh [netscope]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$(swift build --show-bin-path)/netscope}
ns=nscaptc$$
peer=nscaptcp$$
trap 'ip netns del "$ns" 2>/dev/null || true; ip netns del "$peer" 2>/dev/null || true' EXIT
ip netns add "$ns"
ip netns add "$peer"
for n in "$ns" "$peer"; do ip netns exec "$n" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; done
ip -n "$ns" link set lo up
i=0
for l in a b c d; do
    ip -n "$ns" link add ${l}0 type veth peer name ${l}1 netns "$peer"
    ip -n "$ns" addr add 10.9.$i.1/24 dev ${l}0
    ip -n "$ns" link set ${l}0 up
    ip -n "$peer" addr add 10.9.$i.2/24 dev ${l}1
    ip -n "$peer" link set ${l}1 up
    i=$((i + 1))
done
t() { ip netns exec "$ns" tc "$@"; }
t qdisc add dev a0 root handle 1: htb default 10
t class add dev a0 parent 1: classid 1:1 htb rate 10mbit ceil 20mbit
t class add dev a0 parent 1:1 classid 1:10 htb rate 1mbit ceil 10mbit prio 1
t class add dev a0 parent 1:1 classid 1:20 htb rate 2mbit ceil 4mbit prio 2
t qdisc add dev a0 parent 1:10 handle 10: pfifo limit 50
t qdisc add dev a0 clsact
t qdisc add dev b0 root handle 2: tbf rate 200kbit burst 4kb limit 8kb
t qdisc add dev c0 root handle 3: bfifo limit 30000
t qdisc add dev d0 root pfifo_fast
ip netns exec "$ns" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for target in ("10.9.0.2", "10.9.2.2", "10.9.3.2"):
    for _ in range(40): s.sendto(b"x" * 200, (target, 9))
for _ in range(3000):
    try: s.sendto(b"x" * 1000, ("10.9.1.2", 9))
    except OSError: pass
'
sleep 1
rm -f "$here/qdiscs.nlcap" "$here/classes.nlcap"
"$bin" qdiscs --netns "$ns" --dump-raw "$here/qdiscs.nlcap" >/dev/null
"$bin" classes a0 --netns "$ns" --dump-raw "$here/classes.nlcap" >/dev/null
t -s -j qdisc show >"$here/qdiscs.tc.json"
t -s class show dev a0 >"$here/classes.tc.txt"
# The drops ledger's netlink side (links, sockets, neighbour tables, qdiscs, classes), and
# `ip -s ntable` beside it.
rm -f "$here/drops.nlcap"
"$bin" drops --all --netns "$ns" --dump-raw "$here/drops.nlcap" >/dev/null
ip -n "$ns" -s -j ntable show >"$here/ntable.ip.json"
# ethtool netlink: the family's resolution and the standard statistics of the veths.
rm -f "$here/ethtool.nlcap"
"$bin" metrics --collectors ethtool --netns "$ns" --dump-raw "$here/ethtool.nlcap" >/dev/null
echo "captured into $here"
