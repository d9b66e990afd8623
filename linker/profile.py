#!/usr/bin/env python3
"""Writes linker/order.txt: the symbol order the release link lays the binary out in.

Why: the kernel maps a binary's code and read-only data 64 KiB around each page a process
first touches (fault-around), so a command that runs 3,000 functions scattered over 13 MB of
text pays for most of it in page faults and resident memory. Linked in the order this script
writes (ld.lld --symbol-ordering-file, every function and global in a section of its own),
what a command runs sits together.

How: a release binary runs a list of commands under valgrind in a small namespace made here
(three veth pairs, a second table and rule, a neighbour, a listener, a connection, a UDP
socket). callgrind names the functions each command runs; lackey gives the addresses of the
data it reads and writes, mapped back to symbols. Functions and data are each sorted by which
of the commands use them, in the order of COMMANDS: what every command uses comes first,
then what `sockets -tan` uses, then `path`, and so on (the rows `make bench` measures first).

Names defined more than once (outlined helpers such as `objectdestroyTm`) that also occur in
the toolchain's static archives are left out: the order would otherwise pull whole
non-split `.text` sections of those archives (475 KiB of _RegexParser, 147 KiB of
JSONDecoder) into the middle of the hot code.

Needs root and valgrind (installed when missing). `make link-order` runs it; run it again when
a command's code changes a lot. A name the order file lists but the binary lacks is ignored.
"""
import argparse, bisect, glob, os, re, shutil, subprocess, sys, tempfile, time

# The commands traced, most important first (see the module comment).
COMMANDS = [
    "--version",
    "sockets -tan --netns NS",
    "path 10.9.1.9 --netns NS",
    "links --netns NS",
    "counters --json --netns NS",
    "addrs --netns NS",
    "routes -4 --netns NS",
    "routes --table 100 --netns NS",
    "sockets -tan --json --netns NS",
    "links --json --netns NS",
    "addrs --json --netns NS",
    "routes --json --netns NS",
    "rules --netns NS",
    "neighbors --netns NS",
    "qdiscs --netns NS",
    "path 192.0.2.7 --netns NS",
    "path 127.0.0.1 --dport 8080 --proto tcp --netns NS",
    "path 192.0.2.7 --json --netns NS",
    "counters --netns NS",
    "routes --netns NS",
    "sockets -tanp --netns NS",
    "sockets -tani --netns NS",
    "sockets -uln --netns NS",
    "stats --netns NS",
    "drops --netns NS",
    "overview --netns NS",
    "snapshot --netns NS",
    "metrics --netns NS",
    "namespaces",
    "--help",
]

HOLDER = """
import socket, time
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(('127.0.0.1', 8080)); l.listen(10)
c = socket.create_connection(('127.0.0.1', 8080)); a, _ = l.accept()
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(('::', 5353))
print('ready', flush=True)
time.sleep(3600)
"""

def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)

def make_namespace(ns):
    sh("ip", "netns", "add", ns)
    batch = ["link set lo up"]
    for i in (1, 2, 3):
        batch += [f"link add v{i}a type veth peer name v{i}b", f"link set v{i}a up", f"link set v{i}b up",
                  f"addr add 10.9.{i}.1/24 dev v{i}a"]
    batch += ["route add 192.0.2.0/24 via 10.9.1.2", "route add 10.50.0.0/16 via 10.9.2.2 table 100",
              "rule add from 10.9.3.0/24 lookup 100", "neigh add 10.9.1.2 lladdr 02:00:00:00:00:01 dev v1a"]
    sh("ip", "-n", ns, "-batch", "-", input="\n".join(batch) + "\n", text=True)
    holder = subprocess.Popen(["ip", "netns", "exec", ns, "python3", "-c", HOLDER], stdout=subprocess.PIPE, text=True)
    if holder.stdout.readline().strip() != "ready":
        raise SystemExit("profile: the socket holder did not start")
    return holder

def rw_ranges(binary):
    """The writable LOAD segments: where the data a command touches lives."""
    out = []
    for line in subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        p = line.split()
        if p and p[0] == "LOAD" and any("W" in flag for flag in p[6:-1]):
            vaddr, memsz = int(p[2], 16), int(p[5], 16)
            out.append((vaddr, vaddr + memsz))
    return out

def defined(binary):
    """(address, type, name) of every symbol the binary defines."""
    out = []
    for line in subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        p = line.split()
        if len(p) == 3:
            out.append((int(p[0], 16), p[1], p[2]))
    return out

def functions_run(binary, args, work):
    out = os.path.join(work, "cg.out")
    sh("valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}", binary, *args,
       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    names, seen = {}, set()
    for line in open(out, errors="replace"):
        m = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line)
        if m:
            if m.group(2):
                names[m.group(1)] = m.group(2)
            if m.group(1) in names:
                seen.add(names[m.group(1)])
    return seen

def data_touched(binary, args, ranges, starts, data_syms):
    r, w = os.pipe()
    proc = subprocess.Popen(["valgrind", "--tool=lackey", "--trace-mem=yes", f"--log-fd={w}", binary, *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(w,))
    os.close(w)
    seen, pages = set(), set()
    with os.fdopen(r, "rb", buffering=1 << 20) as f:
        for line in f:
            p = line.split()
            if len(p) < 2 or p[0] not in (b"S", b"L", b"M"):
                continue
            a = int(p[1].split(b",")[0], 16)
            if not any(lo <= a < hi for lo, hi in ranges):
                continue
            i = bisect.bisect_right(starts, a) - 1
            if i >= 0:
                seen.add(data_syms[i][1])
    proc.wait()
    return seen

def order(sets, names):
    key = lambda n: tuple(0 if n in s else 1 for s in sets) + (n,)
    return sorted(names, key=key)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, help="a release build of netscope")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "order.txt"))
    ap.add_argument("--archives", default=None, help="the toolchain's static Swift libraries (default: found from swiftc)")
    a = ap.parse_args()
    if shutil.which("valgrind") is None:
        sh("apt-get", "install", "-y", "-q", "valgrind")
    archives = a.archives
    if archives is None:
        swiftc = os.path.realpath(shutil.which("swiftc"))
        archives = os.path.join(os.path.dirname(os.path.dirname(swiftc)), "lib", "swift_static", "linux")
    work = tempfile.mkdtemp(prefix="netscope-order-")
    binary = os.path.join(work, "netscope")
    # valgrind cannot read the release binary's debug information; it needs only the symbols.
    sh("strip", "--strip-debug", "-o", binary, a.bin)
    syms = defined(binary)
    ranges = rw_ranges(binary)
    data_syms = sorted((addr, name) for addr, t, name in syms if t in "dDbBrRvV" and any(lo <= addr < hi for lo, hi in ranges))
    starts = [addr for addr, _ in data_syms]
    ns = f"nsorder{os.getpid()}"
    holder = None
    fn_sets, data_sets = [], []
    try:
        holder = make_namespace(ns)
        for i, command in enumerate(COMMANDS):
            args = command.replace("NS", ns).split()
            started = time.monotonic()
            fn_sets.append(functions_run(binary, args, work))
            data_sets.append(data_touched(binary, args, ranges, starts, data_syms))
            print(f"[{i + 1}/{len(COMMANDS)}] {command}: {len(fn_sets[-1])} functions, {len(data_sets[-1])} data symbols "
                  f"({time.monotonic() - started:.0f} s)", file=sys.stderr)
    finally:
        if holder:
            holder.kill()
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)
    counts = {}
    for _, _, name in syms:
        counts[name] = counts.get(name, 0) + 1
    in_archives = set()
    for archive in sorted(glob.glob(os.path.join(archives, "*.a"))):
        listing = subprocess.run(["nm", "--defined-only", archive], capture_output=True, text=True).stdout
        in_archives.update(p[2] for p in (l.split() for l in listing.splitlines()) if len(p) == 3)
    known = set(counts)
    text = order(fn_sets, set().union(*fn_sets))
    data = order(data_sets, set().union(*data_sets))
    out, seen = [], set()
    for name in text + data:
        if name in seen or name not in known or (counts[name] > 1 and name in in_archives):
            continue
        seen.add(name)
        out.append(name)
    with open(a.out, "w") as f:
        f.write("\n".join(out) + "\n")
    print(f"profile: {len(out)} symbols ({len(text)} functions, {len(data)} data run) -> {a.out}", file=sys.stderr)

if __name__ == "__main__":
    main()
