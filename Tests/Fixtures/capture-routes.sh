#!/usr/bin/env bash
# Captures the route, rule and neighbour fixtures: a namespace with gateway, multipath
# (weights), nexthop-object, metric, blackhole/unreachable/prohibit, IPv6 and policy routes,
# rules of every selector, neighbours in several states and a proxy entry; dumped with
# `netscope --dump-raw`, with what `ip -j` said about the same namespace beside it (the
# oracle of RouteReplayTests). Usage (root): Tests/Fixtures/capture-routes.sh [netscope]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$(swift build --show-bin-path)/netscope}
ns=nscaproutes$$
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip netns add "$ns"
ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
n() { ip -n "$ns" "$@"; }
n link set lo up
n link add ra type veth peer name rb
n link add rc type veth peer name rd
for l in ra rb rc rd; do n link set "$l" up; done
n addr add 10.0.0.1/24 dev ra
n addr add 10.0.1.1/24 dev rc
n addr add 2001:db8::1/64 dev ra
n addr add 2001:db8:1::1/64 dev rc
n route add 192.168.0.0/16 via 10.0.0.2 metric 50 proto static
n route add blackhole 10.99.0.0/16
n route add unreachable 10.98.0.0/16
n route add prohibit 10.97.0.0/16
n route add 172.16.0.0/12 nexthop via 10.0.0.2 weight 2 nexthop via 10.0.1.2 weight 3
n route add 10.50.0.0/16 via 10.0.0.2 table 100
n route add default via 10.0.0.254 mtu 1400 advmss 1360
n route append 10.55.0.0/16 dev ra
n route append 10.55.0.0/16 dev rc
n nexthop add id 10 via 10.0.0.3 dev ra
n route add 10.60.0.0/16 nhid 10
n -6 route add 2001:db8:5::/48 via 2001:db8::2 metric 77 mtu 1280
n -6 route add 2001:db8:9::/48 nexthop via 2001:db8::2 dev ra nexthop via 2001:db8:1::2 dev rc
n rule add from 10.1.0.0/16 table 100 pref 1000
n rule add fwmark 0x10/0xff lookup 100 pref 1001
n rule add iif ra to 10.2.0.0/16 prohibit pref 1002
n rule add not from 10.3.0.0/16 lookup 200 pref 1003
n rule add from all lookup 100 suppress_prefixlength 0 pref 1005
n rule add ipproto tcp dport 80-90 lookup 100 pref 1006
n rule add uidrange 1000-2000 lookup 100 pref 1007
n -6 rule add from 2001:db8::/32 table 100 pref 2000
n neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev ra nud permanent
n neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev ra nud stale router
n neigh add 10.0.1.9 dev rc nud failed
n -6 neigh add 2001:db8::2 lladdr 02:00:00:00:00:03 dev ra router nud reachable
sleep 0.3
rm -f "$here/routes.nlcap" "$here/rules.nlcap" "$here/neigh.nlcap"
"$bin" routes --table all --netns "$ns" --dump-raw "$here/routes.nlcap" >/dev/null
"$bin" rules --netns "$ns" --dump-raw "$here/rules.nlcap" >/dev/null
"$bin" neigh --netns "$ns" --dump-raw "$here/neigh.nlcap" >/dev/null
{ n -j -4 route show table all; n -j -6 route show table all; } | jq -c -s add >"$here/routes.ip.json"
{ n -j -4 rule; n -j -6 rule; } | jq -c -s add >"$here/rules.ip.json"
n -j neigh >"$here/neigh.ip.json"
echo "captured into $here"
