#!/usr/bin/env bash
# Captures the rtnetlink fixtures from the running kernel: builds a namespace with every
# link kind the decoders must handle, dumps it with `netscope --dump-raw`, and saves what
# `ip -j` said about the same namespace next to it (the oracle the goldens were checked with).
# Usage (root): Tests/Fixtures/capture.sh [path/to/netscope]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$(swift build --show-bin-path)/netscope}
ns=nscapture$$
peer=nscapturepeer$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; ip netns del "$peer" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$ns"; ip netns add "$peer"
ip -n "$ns" link set lo up
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" link add br0 type bridge
ip -n "$ns" link set v1 master br0
for l in v0 v1 br0; do ip -n "$ns" link set "$l" up; done
ip -n "$ns" addr add 10.1.0.1/24 dev v0
ip -n "$ns" addr add 10.1.0.9/24 dev v0
ip -n "$ns" addr add 2001:db8::1/64 dev v0 nodad
ip -n "$ns" addr add 10.2.0.1/16 brd + dev br0 label br0:x
ip -n "$ns" addr add 10.9.0.1 peer 10.9.0.2/32 dev br0
ip -n "$ns" link add ifb0 type ifb
ip -n "$ns" link add vx0 type vxlan id 42 dstport 4789 local 10.1.0.1
ip -n "$ns" link add mv0 link v0 type macvlan mode bridge
ip -n "$ns" link add v2 type veth peer name v3 netns "$peer"
ip -n "$ns" link set v0 alias "uplink \"quoted\""
ip -n "$ns" link property add dev v0 altname v0-alt
rm -f "$here/links.nlcap" "$here/addrs.nlcap"
"$bin" links --netns "$ns" --dump-raw "$here/links.nlcap" >/dev/null
"$bin" addrs --netns "$ns" --dump-raw "$here/addrs.nlcap" >/dev/null
ip -n "$ns" -d -j link >"$here/links.ip.json"
ip -n "$ns" -j addr >"$here/addrs.ip.json"
"$bin" links --replay-raw "$here/links.nlcap" --json >"$here/links.golden.json"
"$bin" addrs --replay-raw "$here/addrs.nlcap" --json >"$here/addrs.golden.json"
"$bin" links --replay-raw "$here/links.nlcap" --color never >"$here/links.golden.txt"
"$bin" addrs --replay-raw "$here/addrs.nlcap" --color never >"$here/addrs.golden.txt"
echo "captured into $here"
