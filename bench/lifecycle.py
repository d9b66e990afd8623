#!/usr/bin/env python3
"""The watch-sockets section of `make bench` (run.py imports it; it also runs alone:
python3 bench/lifecycle.py --bin NETSCOPE). Two CPUs: the close generator (bench/closes.c)
on CPU 0, `netscope watch sockets --ndjson` on CPU 1, writing to a file on tmpfs. For each
rate it reports the closes made, the closes printed, the loss the watcher reported, and the
watcher's CPU time per event; then the CPU an idle watch costs per second."""
import argparse, os, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Watch:
    """netscope watch sockets --ndjson in NS, pinned to CPU 1, output into a file."""
    def __init__(self, binary, ns, *flags):
        self.path = tempfile.mktemp(prefix="netscope-bench-watch-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        self.out = open(self.path, "w")
        self.proc = subprocess.Popen(["taskset", "-c", "1", binary, "watch", "sockets", "--ndjson", "--netns", ns, *flags],
                                     stdout=self.out, stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        assert "watching" in line, line
        self.offset = 0

    def events(self):
        """(closed, lost) printed since the last call."""
        with open(self.path) as f:
            f.seek(self.offset)
            text = f.read()
            self.offset = f.tell()
        closed = text.count('"event":"closed"')
        lost = 0
        for line in text.splitlines():
            if '"event":"lost"' in line:
                value = line.split('"lost":', 1)[1].split("}", 1)[0]
                lost += int(value) if value != "null" else 0
        return closed, lost

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        self.out.close()
        os.unlink(self.path)


def lifecycle_section(binary, closes_bin, start_holder, idle_connections=10000, seconds=3.0):
    ns = f"nsbenchlife{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    rows, idle = [], []
    try:
        subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
        watch = Watch(binary, ns)
        try:
            for proto, rates in (("tcp", [10000, 20000, 40000, 60000]), ("udp", [10000, 40000, 80000, 160000])):
                for rate in rates:
                    before = cpu_seconds(watch.proc.pid)
                    made = int(subprocess.run(["ip", "netns", "exec", ns, "taskset", "-c", "0", closes_bin, proto, str(rate), str(seconds)],
                                              capture_output=True, text=True, check=True).stdout)
                    time.sleep(1.5)  # the watcher drains what is queued
                    cpu = cpu_seconds(watch.proc.pid) - before
                    closed, lost = watch.events()
                    if proto == "tcp":
                        closed -= 1  # the generator's listener
                    rows.append((proto, rate, made / seconds, closed, lost, made, cpu))
                    print(f"watch sockets {proto} {rate}/s: made {made}, printed {closed}, lost {lost}, cpu {cpu:.2f}s", file=sys.stderr)
        finally:
            watch.stop()
        # Idle: no socket at all, then with established connections held open.
        for held in (0, idle_connections):
            holder = start_holder(ns, held) if held else None
            try:
                watch = Watch(binary, ns)
                time.sleep(1)
                before = cpu_seconds(watch.proc.pid)
                time.sleep(10)
                idle.append((2 * held, (cpu_seconds(watch.proc.pid) - before) / 10))
                watch.stop()
            finally:
                if holder:
                    os.killpg(holder.pid, 9)
                    holder.wait()
    finally:
        subprocess.run(["ip", "netns", "del", ns])
    return rows, idle


def render(rows, idle):
    lines = ["## Socket lifecycles: `watch sockets --ndjson` under a steady rate of closes", "",
             "bench/closes.c closes sockets at a steady rate on CPU 0 (TCP: loopback connections, two closes each;",
             "UDP: bound sockets, one close each) for 3 s; `netscope watch sockets --ndjson` runs on CPU 1 with its default",
             "8 MiB receive buffer, writing to tmpfs. Printed closes plus reported loss must equal the closes made. Where",
             "`made /s` falls short of `asked /s`, the generator's CPU was the limit, not the watcher.", "",
             "| closes | asked /s | made /s | printed | lost (reported) | accounted | watcher CPU s | µs CPU per event |",
             "|---|---:|---:|---:|---:|:-:|---:|---:|"]
    for proto, rate, actual, closed, lost, made, cpu in rows:
        accounted = "yes" if closed + lost == made else f"NO ({closed + lost} of {made})"
        lines.append(f"| {proto} | {rate} | {actual:.0f} | {closed} | {lost} | {accounted} | {cpu:.2f} | {cpu / max(closed, 1) * 1e6:.1f} |")
    lossless = [r for r in rows if r[4] == 0 and r[3] == r[5]]
    tcp = [r for r in rows if r[0] == "tcp" and r[3] > 0]
    per_event = min((r[6] / r[3] for r in tcp), default=0)
    lines += ["", f"Highest rate handled without loss: {max((r[2] for r in lossless), default=0):.0f} closes/s"
              + (f"; at {per_event * 1e6:.1f} µs of CPU per TCP close event (tcp_info rendered as JSON), one CPU would handle "
                 f"about {1 / per_event:.0f} closes/s" if per_event else "") + ".", "",
              "Idle cost (no closes; the dump every second that finds opens and state changes): "
              + "; ".join(f"{sockets} established sockets: {cpu * 1000:.1f} ms of CPU per second" for sockets, cpu in idle) + ".", ""]
    targets = [("`watch sockets` at 10,000 TCP closes/s: every close printed or counted lost, none lost",
                next((f"{r[3]} printed, {r[4]} lost of {r[5]}" for r in rows if r[0] == "tcp" and r[1] == 10000), "not run"),
                any(r[0] == "tcp" and r[1] == 10000 and r[4] == 0 and r[3] == r[5] for r in rows))]
    return lines, targets


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--idle-connections", type=int, default=10000)
    a = ap.parse_args()
    sys.path.insert(0, HERE)
    from run import start_holder
    closes_bin = os.path.join(tempfile.gettempdir(), f"netscope-closes-{os.getpid()}")
    subprocess.run(["gcc", "-O2", os.path.join(HERE, "closes.c"), "-o", closes_bin], check=True)
    try:
        rows, idle = lifecycle_section(a.bin, closes_bin, start_holder, a.idle_connections)
    finally:
        os.unlink(closes_bin)
    lines, targets = render(rows, idle)
    print("\n".join(lines))
    for text, value, ok in targets:
        print(f"| {text} | {value} | {'yes' if ok else 'NO'} |")
