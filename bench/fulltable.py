#!/usr/bin/env python3
"""The full-table section of `make bench` (issue 15; run.py imports it, and it also runs
alone: python3 bench/fulltable.py --bin NETSCOPE). One namespace holds an Internet-sized
table: --v4 IPv4 /24 routes (default 1,000,000) and --v6 IPv6 /48 routes (200,000) in main,
plus table 100 with ten routes; a second one holds 10,000 routes. Times are medians of
alternating runs against iproute2 on the same state."""
import argparse, os, subprocess, sys, tempfile, time


def add_routes(run, ns, v4, v6, small_table=True):
    run.sh("ip", "netns", "add", ns)
    run.sh("ip", "-n", ns, "link", "set", "lo", "up")
    run.sh("ip", "-n", ns, "link", "add", "fa", "type", "veth", "peer", "name", "fb")
    run.sh("ip", "-n", ns, "link", "set", "fa", "up")
    run.sh("ip", "-n", ns, "addr", "add", "10.0.0.1/24", "dev", "fa")
    run.sh("ip", "-n", ns, "addr", "add", "2001:db8::1/64", "dev", "fa", "nodad")
    with tempfile.NamedTemporaryFile("w", suffix=".batch", delete=False) as f:
        for i in range(v4):
            f.write(f"route add {11 + i // 65536}.{(i // 256) % 256}.{i % 256}.0/24 via 10.0.0.2\n")
        for i in range(v6):
            f.write(f"route add 2a{i // 65536 % 256:02x}:{i % 65536:x}:{i // 16777216:x}::/48 via 2001:db8::2\n")
        if small_table:
            for i in range(10):
                f.write(f"route add 192.0.2.{i * 16}/28 via 10.0.0.2 table 100\n")
        batch = f.name
    run.sh("ip", "-n", ns, "-batch", batch)
    os.unlink(batch)


def ready_and_peak(cmd):
    """Seconds until `watch` says it is watching, and its peak RSS (KiB) then."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        proc.stderr.readline()
        seconds = time.perf_counter() - start
        peak = next(int(l.split()[1]) for l in open(f"/proc/{proc.pid}/status") if l.startswith("VmHWM"))
    finally:
        proc.kill()
        proc.wait()
    return seconds, peak


def fulltable_section(run, netscope, v4=1_000_000, v6=200_000, reps=7, small_reps=51):
    big, small = f"nsbenchf{os.getpid()}", f"nsbenchs{os.getpid()}"
    try:
        add_routes(run, big, v4, v6)
        add_routes(run, small, 10_000, 0, small_table=False)
        rows = []
        for name, mine, theirs in [
            ("routes --table 100", [netscope, "routes", "--table", "100", "--netns", big],
             ["ip", "-n", big, "route", "show", "table", "100"]),
            ("routes -4", [netscope, "routes", "-4", "--netns", big], ["ip", "-n", big, "route", "show"]),
            ("routes -6", [netscope, "routes", "-6", "--netns", big], ["ip", "-n", big, "-6", "route", "show"]),
            ("routes -4 --json", [netscope, "routes", "-4", "--json", "--netns", big], ["ip", "-n", big, "-j", "route", "show"]),
        ]:
            # A ten-route table takes milliseconds: 51 runs, as for the other small dumps, where
            # 5 left its ratio at the mercy of one slow minute (1.33x and 1.53x in two runs).
            m, t = run.median_pair(mine, theirs, small_reps if name == "routes --table 100" else reps)
            rows.append((name, " ".join(theirs).replace(big, "NS"), m, t, run.peak_rss_kib(mine), run.peak_rss_kib(theirs)))
            print(f"{name:50} netscope {m:.3f} s   ip {t:.3f} s   ratio {m/t:.2f}", file=sys.stderr)
        rss_big = run.peak_rss_kib([netscope, "routes", "--netns", big])
        rss_small = run.peak_rss_kib([netscope, "routes", "--netns", small])
        memory = {"routes (big)": rss_big, "routes (10k)": rss_small,
                  "routes --json (big)": run.peak_rss_kib([netscope, "routes", "--json", "--netns", big]),
                  "snapshot (big)": run.peak_rss_kib([netscope, "snapshot", "--netns", big])}
        memory["watch ready s"], memory["watch --initial (big)"] = ready_and_peak(
            [netscope, "watch", "routes", "--initial", "--netns", big])
        print(f"memory: {memory}", file=sys.stderr)
        return {"rows": rows, "memory": memory, "v4": v4, "v6": v6}
    finally:
        subprocess.run(["ip", "netns", "del", big])
        subprocess.run(["ip", "netns", "del", small])


def render(result):
    m = result["memory"]
    lines = [f"## A full table (issue 15): {result['v4']:,} IPv4 and {result['v6']:,} IPv6 routes in one namespace", "",
             "Medians of alternating runs (51 for table 100, 7 for the full table). Table 100 holds ten routes beside the full main table; a second namespace holds 10,000 routes.", "",
             "| netscope | anchor | netscope s | anchor s | ratio | netscope peak RSS KiB | anchor peak RSS KiB |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for name, anchor, mine, theirs, rm, rt in result["rows"]:
        lines.append(f"| `{name}` | `{anchor}` | {mine:.4f} | {theirs:.4f} | {mine/theirs:.2f} | {rm} | {rt} |")
    lines += ["", "| peak RSS | KiB |", "|---|---:|",
              f"| `routes`, full table | {m['routes (big)']} |",
              f"| `routes`, 10,000 routes | {m['routes (10k)']} |",
              f"| `routes --json`, full table | {m['routes --json (big)']} |",
              f"| `snapshot`, full table | {m['snapshot (big)']} |",
              f"| `watch routes --initial`, full table (ready after {m['watch ready s']:.1f} s) | {m['watch --initial (big)']} |", ""]
    return lines


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import run
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--v4", type=int, default=1_000_000)
    ap.add_argument("--v6", type=int, default=200_000)
    a = ap.parse_args()
    print("\n".join(render(fulltable_section(run, a.bin, a.v4, a.v6))))
