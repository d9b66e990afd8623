#!/usr/bin/env python3
"""The every-namespace section of `make bench` (run.py imports it; it also runs alone:
python3 bench/netns.py --bin NETSCOPE). --namespaces named namespaces, each holding
--per-namespace established loopback connections (mksockets.py). It times
`netscope sockets -tan --all-netns` against the loop a user writes today
(`for ns in …; do ss -N $ns -tanH; done` over the same namespaces), alternating, and one
full `serve --all-netns` scrape of them, with the server's peak RSS beside a server of one
namespace."""
import argparse, os, statistics, subprocess, sys, time, json


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def vm_hwm(pid):
    return next(int(l.split()[1]) for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM"))


SCRAPER = """
import sys, time, urllib.request, statistics
url, n = sys.argv[1], int(sys.argv[2])
for _ in range(200):
    try: urllib.request.urlopen(url, timeout=60).read(); break
    except Exception: time.sleep(0.1)
times, size = [], 0
for _ in range(n):
    start = time.perf_counter(); body = urllib.request.urlopen(url, timeout=120).read(); times.append(time.perf_counter() - start)
    size = len(body)
print(statistics.median(times), size, body.count(b"netscope_netns_info{"))
"""


def netns_section(binary, start_holder, namespaces=50, per_namespace=1000, reps=9, scrapes=7):
    names = [f"nsbenchn{os.getpid()}-{i}" for i in range(namespaces)]
    holders, servers = [], []
    try:
        for name in names:
            subprocess.run(["ip", "netns", "add", name], check=True)
        for name in names:
            holders.append(start_holder(name, per_namespace))
        loop = ["sh", "-c", "for ns in " + " ".join(names) + "; do ss -N $ns -tanH; done"]
        mine = [binary, "sockets", "-tan", "--all-netns"]
        # Both list the same sockets (ours adds the host's few and a header).
        ours = subprocess.run(mine, capture_output=True, text=True, check=True).stdout.splitlines()
        theirs = subprocess.run(loop, capture_output=True, text=True, check=True).stdout.splitlines()
        bench_rows = sum(1 for line in ours if line.startswith("nsbenchn"))
        assert bench_rows == len(theirs), (bench_rows, len(theirs))
        timed(mine); timed(loop)
        t_mine, t_loop = [], []
        for rep in range(reps):
            order = [(mine, t_mine), (loop, t_loop)] if rep % 2 == 0 else [(loop, t_loop), (mine, t_mine)]
            for cmd, into in order:
                into.append(timed(cmd))
        m, t = statistics.median(t_mine), statistics.median(t_loop)
        print(f"sockets -tan --all-netns {m:.3f} s   ss -N loop {t:.3f} s   ratio {m/t:.2f}", file=sys.stderr)
        # A full scrape of every namespace, and a server of one namespace for comparison.
        every = subprocess.Popen([binary, "serve", "--all-netns", "--listen", "127.0.0.1:29150"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers.append(every)
        one = subprocess.Popen([binary, "serve", "--netns", names[0], "--listen", "127.0.0.1:29151"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers.append(one)
        out_every = subprocess.run(["python3", "-c", SCRAPER, "http://127.0.0.1:29150/metrics", str(scrapes)],
                                   capture_output=True, text=True, check=True).stdout.split()
        out_one = subprocess.run(["python3", "-c", SCRAPER, "http://127.0.0.1:29151/metrics", str(scrapes)],
                                 capture_output=True, text=True, check=True).stdout.split()
        scrape = {"every": (float(out_every[0]), int(out_every[1]), int(out_every[2]), vm_hwm(every.pid)),
                  "one": (float(out_one[0]), int(out_one[1]), 1, vm_hwm(one.pid))}
        return {"namespaces": namespaces, "per_namespace": per_namespace, "sockets": (m, t, len(theirs)), "scrape": scrape}
    finally:
        for p in servers:
            p.terminate()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
        for h in holders:
            try:
                os.killpg(h.pid, 9)
            except ProcessLookupError:
                pass
        for name in names:
            subprocess.run(["ip", "netns", "del", name], stderr=subprocess.DEVNULL)


def render(result):
    m, t, lines = result["sockets"]
    every, one = result["scrape"]["every"], result["scrape"]["one"]
    n = result["namespaces"]
    text = [
        f"## Every namespace (issue 19)", "",
        f"{n} named namespaces, {result['per_namespace']} established loopback connections each ({lines} sockets in all), "
        "plus the host's own; medians of alternating runs.", "",
        "| work | netscope | anchor | ratio |", "|---|---:|---:|---:|",
        f"| `sockets -tan --all-netns` vs `for ns in …; do ss -N $ns -tanH; done` | {m*1000:.1f} ms | {t*1000:.1f} ms | {m/t:.2f}× |",
        "",
        "| `serve` scrape | median | body | namespaces | peak RSS |", "|---|---:|---:|---:|---:|",
        f"| `serve --all-netns` (default collectors) | {every[0]*1000:.1f} ms | {every[1] // 1024} KiB | {every[2]} | {every[3] // 1024} MB |",
        f"| `serve --netns NAME` (one of them) | {one[0]*1000:.1f} ms | {one[1] // 1024} KiB | 1 | {one[3] // 1024} MB |",
        "",
    ]
    ratio = m / t
    targets = [("`sockets -tan --all-netns` ≤ 0.5× the `ss -N` loop", f"{ratio:.2f}×", ratio <= 0.5)]
    return text, targets


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import run
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--namespaces", type=int, default=50)
    ap.add_argument("--per-namespace", type=int, default=1000)
    a = ap.parse_args()
    lines, targets = render(netns_section(a.bin, run.start_holder, a.namespaces, a.per_namespace))
    print("\n".join(lines))
    for text, value, ok in targets:
        print(f"{text}: {value} {'met' if ok else 'MISSED'}")
