#!/usr/bin/env python3
"""Derives the damaged fixtures from links.nlcap (run after capture.sh):
  links.truncated.nlcap  the first datagram cut in the middle of its third message
  links.badattr.nlcap    the first IFLA_MTU attribute claims 6 bytes (2 of payload)
  links.noname.nlcap     the first message's IFLA_IFNAME retyped to an unknown attribute
"""
import struct, pathlib
here = pathlib.Path(__file__).parent
raw = (here / "links.nlcap").read_bytes()
assert raw[:8] == b"NSNLCAP1"
records, pos = [], 8
while pos < len(raw):
    (n,) = struct.unpack_from("<I", raw, pos); records.append(bytearray(raw[pos + 4:pos + 4 + n])); pos += 4 + n

def write(name, recs):
    out = bytearray(b"NSNLCAP1")
    for r in recs: out += struct.pack("<I", len(r)) + r
    (here / name).write_bytes(out)

def messages(d):
    p = 0
    while p + 16 <= len(d):
        (n,) = struct.unpack_from("<I", d, p); yield p, n; p += (n + 3) & ~3

def attrs(d, start, end):
    p = start
    while p + 4 <= end:
        n, t = struct.unpack_from("<HH", d, p); yield p, n, t & 0x3fff; p += (n + 3) & ~3

first = records[0]
offsets = list(messages(first))
third = offsets[2][0]
write("links.truncated.nlcap", [first[:third + 40]])

bad = bytearray(first); m0, n0 = offsets[0]
for p, n, t in attrs(bad, m0 + 32, m0 + n0):
    if t == 4: struct.pack_into("<H", bad, p, 6); break
write("links.badattr.nlcap", [bad] + records[1:])

noname = bytearray(first)
for p, n, t in attrs(noname, m0 + 32, m0 + n0):
    if t == 3: struct.pack_into("<H", noname, p + 2, 0x3ff0); break
write("links.noname.nlcap", [noname] + records[1:])
print("wrote damaged fixtures")
