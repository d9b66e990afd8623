#!/usr/bin/env python3
"""Writes the seed corpus for fuzz-netscope from the committed fixtures: each seed is one
selector byte (which parser, see Sources/fuzz-netscope/Fuzz.swift) and that parser's input."""
import os, struct, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures")
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
count = 0

def seed(selector, data):
    global count
    with open(os.path.join(out, f"seed-{selector:02d}-{count:04d}"), "wb") as f:
        f.write(bytes([selector]) + data)
    count += 1

def datagrams(name):
    data = open(os.path.join(root, name), "rb").read()
    assert data[:8] == b"NSNLCAP1", name
    pos = 8
    while pos + 4 <= len(data):
        (length,) = struct.unpack_from("<I", data, pos)
        yield data[pos + 4:pos + 4 + length]
        pos += 4 + length

for name, selectors in [("links.nlcap", [0, 2, 3, 4]), ("addrs.nlcap", [1]), ("sockets.nlcap", [5, 6, 7, 15]),
                        ("links.badattr.nlcap", [0]), ("links.truncated.nlcap", [0]), ("links.noname.nlcap", [0])]:
    for datagram in datagrams(name):
        for selector in selectors:
            seed(selector, datagram)
proc = os.path.join(root, "proc", "net")
for name, selector in [("snmp", 8), ("netstat", 8), ("snmp6", 9), ("dev_snmp6", 9), ("sockstat", 10), ("sockstat6", 10),
                       ("dev", 11), ("softnet_stat", 11), ("tcp", 12), ("tcp6", 12), ("udp", 12), ("unix", 12)]:
    path = os.path.join(proc, name)
    if os.path.isdir(path):
        for entry in sorted(os.listdir(path)):
            seed(selector, open(os.path.join(path, entry), "rb").read())
    elif os.path.exists(path):
        seed(selector, open(path, "rb").read())
for expression in ["sport = :22", "dport > :1024 and src 10.0.0.0/8", "( sport = :22 or sport = :80 ) and src 127.0.0.1",
                   "not dst [::1]:443", "dev 2", "src [2001:db8::]/32:443", "! sport = :0 and ! ( dst 10/8 or dst [::1] )"]:
    seed(13, expression.encode())
for name in ["snapshots/a.json", "snapshots/diff.golden.json", "overview.golden.json"]:
    seed(14, open(os.path.join(root, name), "rb").read())
print(f"{count} seeds in {out}")
