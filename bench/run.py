#!/usr/bin/env python3
"""Side-by-side benchmark of netscope against iproute2, in one run, alternating.

Builds a private namespace with --pairs veth pairs (each end up, one IPv4 address on one end,
IPv6 link-local on both), runs each netscope command and its iproute2 anchor --reps times,
alternating which goes first, and writes medians, ratios and peak RSS to --out.
The namespace is deleted at the end, also on failure or Ctrl-C.
"""
import argparse, os, platform, statistics, subprocess, sys, time, datetime, tempfile

def sh(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout

def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start

def peak_rss_kib(cmd):
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, check=True, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True).stderr.strip().splitlines()[-1]
    return int(out)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--out", default="BENCHMARKS.md")
    ap.add_argument("--pairs", type=int, default=500)
    ap.add_argument("--reps", type=int, default=15)
    a = ap.parse_args()
    ns = f"nsbench{os.getpid()}"
    sh("ip", "netns", "add", ns)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".batch", delete=False) as f:
            f.write("link set lo up\n")
            for i in range(a.pairs):
                f.write(f"link add b{i}a type veth peer name b{i}b\n")
                f.write(f"link set b{i}a up\nlink set b{i}b up\n")
                f.write(f"addr add 10.{i // 250}.{i % 250}.1/24 dev b{i}a\n")
            batch = f.name
        sh("ip", "-n", ns, "-batch", batch)
        os.unlink(batch)
        time.sleep(2)  # let IPv6 link-local addresses appear
        n_links = len(sh("ip", "-n", ns, "-o", "link").splitlines())
        n_addrs = len(sh("ip", "-n", ns, "-o", "addr").splitlines())
        ours = [a.bin]
        cases = [
            ("links (table)", ours + ["links", "--netns", ns], ["ip", "-n", ns, "link", "show"]),
            ("links --json", ours + ["links", "--json", "--netns", ns], ["ip", "-n", ns, "-j", "-d", "link", "show"]),
            ("addrs (table)", ours + ["addrs", "--netns", ns], ["ip", "-n", ns, "addr", "show"]),
            ("addrs --json", ours + ["addrs", "--json", "--netns", ns], ["ip", "-n", ns, "-j", "addr", "show"]),
        ]
        rows = []
        for name, mine, theirs in cases:
            timed(mine); timed(theirs)  # warm caches
            t_mine, t_theirs = [], []
            for rep in range(a.reps):
                if rep % 2 == 0:
                    t_mine.append(timed(mine)); t_theirs.append(timed(theirs))
                else:
                    t_theirs.append(timed(theirs)); t_mine.append(timed(mine))
            m, t = statistics.median(t_mine), statistics.median(t_theirs)
            rows.append((name, " ".join(theirs[3:]).replace(ns, "NS"), m, t, peak_rss_kib(mine), peak_rss_kib(theirs)))
            print(f"{name:16} netscope {m*1000:8.2f} ms   ip {t*1000:8.2f} ms   ratio {m/t:5.2f}", file=sys.stderr)
    finally:
        subprocess.run(["ip", "netns", "del", ns])
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    ipv = sh("ip", "-V").strip()
    swiftv = sh("swift", "--version").splitlines()[0] if subprocess.run(["which", "swift"], capture_output=True).returncode == 0 else "?"
    lines = [
        "# Benchmarks",
        "",
        "Produced by `make bench` (bench/run.py); do not edit by hand. Each command runs against the same",
        f"private namespace ({a.pairs} veth pairs: {n_links} links, {n_addrs} addresses), {a.reps} repetitions,",
        "alternating which tool goes first; times are medians of wall-clock time of the whole process",
        "(output to /dev/null); peak RSS from `/usr/bin/time -f %M`. Ratio = netscope / iproute2: below 1.0 is faster.",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {cpu}, {os.cpu_count()} CPUs, kernel {platform.release()}",
        f"- {ipv}; {swiftv}; netscope release build",
        "",
        "| netscope | anchor (`ip -n NS …`) | netscope ms | anchor ms | ratio | netscope peak RSS KiB | anchor peak RSS KiB |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, anchor, m, t, rm, rt in rows:
        lines.append(f"| {name} | `{anchor}` | {m*1000:.2f} | {t*1000:.2f} | {m/t:.2f} | {rm} | {rt} |")
    lines.append("")
    with open(a.out, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {a.out}", file=sys.stderr)

if __name__ == "__main__":
    main()
