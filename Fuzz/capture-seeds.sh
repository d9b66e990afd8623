#!/usr/bin/env bash
# Captures the route, rule and neighbour dumps the fuzz seeds need beyond Tests/Fixtures:
# a namespace with gateway, multipath, metric and IPv6 routes, two rules and neighbours in
# several states, dumped with `netscope --dump-raw`. Usage (root): Fuzz/capture-seeds.sh [netscope]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$(cd "$here/.." && swift build --show-bin-path)/netscope}
ns=nsfuzzseed$$
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" link set v0 up; ip -n "$ns" link set v1 up
ip -n "$ns" addr add 10.1.0.1/24 dev v0
ip -n "$ns" addr add 2001:db8::1/64 dev v0 nodad
ip -n "$ns" route add 10.5.0.0/16 via 10.1.0.2 metric 7
ip -n "$ns" route add 10.6.0.0/16 nexthop via 10.1.0.2 weight 2 nexthop via 10.1.0.3
ip -n "$ns" route add 2001:db8:5::/48 via 2001:db8::2 mtu 1400
ip -n "$ns" rule add from 10.1.0.0/24 table 100 pref 100
ip -n "$ns" rule add fwmark 0x10/0xff lookup 100 pref 101
ip -n "$ns" neigh add 10.1.0.2 lladdr 02:00:00:00:00:02 dev v0
ip -n "$ns" -6 neigh add 2001:db8::2 lladdr 02:00:00:00:00:03 dev v0 nud stale
for kind in routes rules neigh; do
    rm -f "$here/seeds/$kind.nlcap"
    "$bin" "$kind" --netns "$ns" --dump-raw "$here/seeds/$kind.nlcap" >/dev/null
done
echo "captured into $here/seeds"
