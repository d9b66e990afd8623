#!/usr/bin/env python3
"""Captures sock_diag destroy notifications (the SKNLGRP_*_DESTROY groups) from a real kernel
into Tests/Fixtures/destroy.nlcap (NSNLCAP1: one record per datagram), and what the sockets
were into destroy.expected.json, for SockDiagDestroyTests. Run as root:
    unshare -n python3 Tests/Fixtures/capture-destroy.py
It closes, in this order: a TCP/IPv4 connection (client sends 1000 bytes, server 77; client
closes first), its listener, a TCP/IPv6 connection (client sends 5 bytes), its listener, a
bound UDP/IPv4 socket and a connected UDP/IPv6 socket."""
import json, os, socket, struct, subprocess, time

here = os.path.dirname(os.path.abspath(__file__))
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
time.sleep(0.5)  # ::1 leaves tentative state
events = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)  # NETLINK_SOCK_DIAG
events.bind((0, 0b1111))  # groups 1-4: TCP and UDP over IPv4 and IPv6
expected = []

def tcp(family, host, payload, reply):
    srv = socket.socket(family); srv.bind((host, 0)); srv.listen(1)
    port = srv.getsockname()[1]
    c = socket.create_connection((host, port)); a, _ = srv.accept()
    c.sendall(b"x" * payload); got = 0
    while got < payload: got += len(a.recv(65536))
    if reply: a.sendall(b"y" * reply); c.recv(reply)
    cport = c.getsockname()[1]
    c.close(); time.sleep(0.05); a.close(); time.sleep(0.05); srv.close()
    name = "tcp" if family == socket.AF_INET else "tcp6"
    expected.append({"proto": "tcp", "family": name, "local": cport, "peer": port, "bytes_sent": payload, "bytes_received_data": reply})
    expected.append({"proto": "tcp", "family": name, "local": port, "peer": cport, "bytes_sent": reply, "bytes_received_data": payload})
    expected.append({"proto": "tcp", "family": name, "local": port, "peer": 0})

tcp(socket.AF_INET, "127.0.0.1", 1000, 77)
tcp(socket.AF_INET6, "::1", 5, 0)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0)); port = u.getsockname()[1]; u.close()
expected.append({"proto": "udp", "family": "udp", "local": port, "peer": 0})
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 0)); u.connect(("::1", 9)); port = u.getsockname()[1]; u.close()
expected.append({"proto": "udp", "family": "udp6", "local": port, "peer": 9})
time.sleep(0.3)

events.setblocking(False)
datagrams = []
while True:
    try: datagrams.append(events.recv(65536))
    except BlockingIOError: break
assert len(datagrams) == len(expected), (len(datagrams), len(expected))
with open(os.path.join(here, "destroy.nlcap"), "wb") as f:
    f.write(b"NSNLCAP1")
    for d in datagrams: f.write(struct.pack("<I", len(d)) + d)
with open(os.path.join(here, "destroy.expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
print(f"captured {len(datagrams)} notifications")
