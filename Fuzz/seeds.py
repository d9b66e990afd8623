#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target (see Sources/fuzz-netscope/Fuzz.swift) from the
committed fixtures: Tests/Fixtures plus the route/rule/neighbour dumps in Fuzz/seeds.
Usage: seeds.py OUTDIR  (writes OUTDIR/<target>/seed-NNNN)"""
import os, struct, sys

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "Tests", "Fixtures")
out = sys.argv[1]
counts = {}

def seed(target, data):
    directory = os.path.join(out, target)
    os.makedirs(directory, exist_ok=True)
    n = counts.get(target, 0)
    with open(os.path.join(directory, f"seed-{n:04d}"), "wb") as f:
        f.write(data)
    counts[target] = n + 1

def datagrams(path):
    data = open(path, "rb").read()
    assert data[:8] == b"NSNLCAP1", path
    pos = 8
    while pos + 4 <= len(data):
        (length,) = struct.unpack_from("<I", data, pos)
        yield data[pos + 4:pos + 4 + length]
        pos += 4 + length

def messages(datagram):
    pos = 0
    while pos + 16 <= len(datagram):
        (length,) = struct.unpack_from("<I", datagram, pos)
        if length < 16:
            return
        yield datagram[pos:pos + length]
        pos += (length + 3) & ~3

# Netlink dumps: whole datagrams for the decoders, attribute runs for the cursor.
dumps = [(os.path.join(fixtures, "links.nlcap"), ["link"], 16 + 16),
         (os.path.join(fixtures, "links.badattr.nlcap"), ["link"], None),
         (os.path.join(fixtures, "links.truncated.nlcap"), ["link"], None),
         (os.path.join(fixtures, "links.noname.nlcap"), ["link"], None),
         (os.path.join(fixtures, "addrs.nlcap"), ["addr"], 16 + 8),
         (os.path.join(here, "seeds", "routes.nlcap"), ["route"], 16 + 12),
         (os.path.join(here, "seeds", "rules.nlcap"), ["rule"], 16 + 12),
         (os.path.join(here, "seeds", "neigh.nlcap"), ["neigh"], 16 + 12),
         (os.path.join(fixtures, "qdiscs.nlcap"), ["tc"], 16 + 20),
         (os.path.join(fixtures, "classes.nlcap"), ["tc"], 16 + 20),
         (os.path.join(fixtures, "drops.nlcap"), ["ntable", "tc"], 16 + 4),
         (os.path.join(fixtures, "ethtool.nlcap"), ["ethtool"], 16 + 4),
         (os.path.join(fixtures, "sockets.nlcap"), ["inet", "unix", "packet"], None),
         (os.path.join(fixtures, "destroy.nlcap"), ["inet"], 16 + 72)]
for path, targets, header in dumps:
    for datagram in datagrams(path):
        for target in targets:
            seed(target, datagram)
        if header:
            for message in messages(datagram):
                if len(message) > header:
                    seed("attr", message[header:])

# tcp_info blocks: the INET_DIAG_INFO payloads of the captured TCP sockets.
for datagram in datagrams(os.path.join(fixtures, "sockets.nlcap")):
    for message in messages(datagram):
        (kind,) = struct.unpack_from("<H", message, 4)
        if kind != 20 or len(message) < 16 + 72:  # SOCK_DIAG_BY_FAMILY, inet_diag_msg
            continue
        pos = 16 + 72
        while pos + 4 <= len(message):
            length, attr = struct.unpack_from("<HH", message, pos)
            if length < 4:
                break
            if attr & 0x3fff == 2:  # INET_DIAG_INFO
                seed("tcpinfo", message[pos + 4:pos + length])
            pos += (length + 3) & ~3

proc = os.path.join(fixtures, "proc", "net")
for name, target in [("snmp", "snmp"), ("netstat", "snmp"), ("snmp6", "snmp6"), ("dev_snmp6", "snmp6"),
                     ("sockstat", "sockstat"), ("sockstat6", "sockstat"), ("dev", "dev"), ("softnet_stat", "softnet"),
                     ("stat", "stattable"),
                     ("tcp", "procsockets"), ("tcp6", "procsockets"), ("udp", "procsockets"), ("udp6", "procsockets"),
                     ("raw", "procsockets"), ("unix", "procsockets")]:
    path = os.path.join(proc, name)
    paths = [os.path.join(path, e) for e in sorted(os.listdir(path))] if os.path.isdir(path) else [path]
    for p in paths:
        seed(target, open(p, "rb").read())

for name in sorted(os.listdir(os.path.join(fixtures, "namespaces"))):
    seed("namespaces", open(os.path.join(fixtures, "namespaces", name), "rb").read())

for expression in ["sport = :22", "dport > :1024 and src 10.0.0.0/8", "( sport = :22 or sport = :80 ) and src 127.0.0.1",
                   "not dst [::1]:443", "dev 2", "dev lo", "src [2001:db8::]/32:443", "sport ge :1024 and dport lt :80",
                   "! sport = :0 and ! ( dst 10/8 or dst [::1] )", "src unix:/run/* or src *:8080", "dport != :ssh",
                   "autobound", "cgroup /system.slice", "sport eq :http and ( dst 192.168.0.0/16 or dst fe80::/10 )"]:
    seed("filter", expression.encode())

for name in ["snapshots/a.json", "snapshots/b.json", "snapshots/diff.golden.json", "overview.golden.json",
             "links.golden.json", "sockets.golden.json"]:
    seed("json", open(os.path.join(fixtures, name), "rb").read())

# HTTP: the first byte is where the request is cut into two reads.
for split, request in [
        (5, b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nAccept: application/openmetrics-text;version=1.0.0\r\n\r\n"),
        (40, b"GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n"
             b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.0\r\n\r\n"),
        (0, b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"),
        (30, b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n"),
        (3, b"DELETE /metrics?x=1 HTTP/1.1\r\n\r\n"),
        (1, b"GET /metrics HTTP/1.1\r\n" + b"X-A: b\r\n" * 70 + b"\r\n"),
        (9, b"GARBAGE\r\n\r\n")]:
    seed("http", bytes([split]) + request)

for target in sorted(counts):
    print(f"{counts[target]:5d} seeds for {target}")
