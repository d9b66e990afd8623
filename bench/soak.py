#!/usr/bin/env python3
"""make soak: `netscope serve` and `netscope watch` under churn for a long time.

serve (in the host namespace, reading the churned one with --netns) is scraped RATE times a
second; watch follows the churned namespace with --ndjson. A churner changes routes, links,
connections and namespaces the whole time: every second 200 routes are added and removed,
a veth pair is made and deleted, a peer namespace with a veth into the churned one appears
and disappears, and a client opens and closes TCP connections to a listener there (about
200 a second, 100 held open). RSS and open fds of both processes are read every 10 s; the
table has each minute's highest reading. Fails (exit 1) when a scrape fails (HTTP error or
a collector reporting failure), when watch exits, or when RSS or fds after the first
--baseline minutes exceed the highest reading during them by more than 10%.

Usage: soak.py --bin NETSCOPE [--minutes 30] [--rate 10] [--baseline 5] [--out BENCHMARKS.md]
Needs root and iproute2. Writes its table into --out between the soak markers.
"""
import argparse
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request

NS = "nssoak"
PORT = 29187
BEGIN, END = "<!-- soak:begin -->", "<!-- soak:end -->"

CONNECTIONS = r"""
import socket, threading, time
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", 7100)); l.listen(512)
def accept():
    while True:
        c, _ = l.accept(); c.close()
threading.Thread(target=accept, daemon=True).start()
held = []
while True:
    start = time.monotonic()
    for _ in range(200):
        c = socket.socket(); c.connect(("127.0.0.1", 7100)); held.append(c)
        if len(held) > 100: held.pop(0).close()
    time.sleep(max(0.0, 1.0 - (time.monotonic() - start)))
"""


def sh(*args, check=True):
    return subprocess.run(args, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def reading(pid):
    """(RSS in KiB, open fds) of a process."""
    rss = 0
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


class Soak:
    def __init__(self, options):
        self.options = options
        self.stop = threading.Event()
        self.scrapes = 0
        self.failures = []
        self.events = 0
        self.churn_rounds = 0
        self.churn_errors = 0

    def churn(self):
        batch_add = "".join(f"route add 10.{200 + i // 250}.{i % 250}.0/24 dev lo\n" for i in range(200))
        batch_del = batch_add.replace("route add", "route del")
        round_ = 0
        while not self.stop.is_set():
            start = time.monotonic()
            peer = f"nssoakp{round_ % 4}"
            try:
                subprocess.run(["ip", "-n", NS, "-batch", "-"], input=batch_add.encode(), check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                sh("ip", "-n", NS, "link", "add", "sk0", "type", "veth", "peer", "name", "sk1")
                sh("ip", "-n", NS, "link", "set", "sk0", "up")
                sh("ip", "netns", "add", peer)
                sh("ip", "-n", peer, "link", "add", "pk0", "type", "veth", "peer", "name", "pk1", "netns", NS)
                sh("ip", "-n", NS, "link", "set", "pk1", "up")
                time.sleep(0.2)
                subprocess.run(["ip", "-n", NS, "-batch", "-"], input=batch_del.encode(), check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                sh("ip", "-n", NS, "link", "del", "sk0")
                sh("ip", "netns", "del", peer)  # its veth, and pk1 with it, go too
            except subprocess.CalledProcessError:
                self.churn_errors += 1
                sh("ip", "netns", "del", peer, check=False)
                sh("ip", "-n", NS, "link", "del", "sk0", check=False)
            round_ += 1
            self.churn_rounds += 1
            self.stop.wait(max(0.0, 1.0 - (time.monotonic() - start)))

    def scrape(self):
        interval = 1.0 / self.options.rate
        url = f"http://127.0.0.1:{PORT}/metrics"
        next_at = time.monotonic()
        while not self.stop.is_set():
            try:
                body = urllib.request.urlopen(url, timeout=10).read().decode()
                failed = re.findall(r'^netscope_scrape_collector_success\{collector="(\w+)"\} 0$', body, re.M)
                if failed or "netscope_build_info" not in body:
                    self.failures.append(f"{time.strftime('%H:%M:%S')}: collectors failed: {failed}")
            except Exception as error:  # any failed scrape is a finding
                self.failures.append(f"{time.strftime('%H:%M:%S')}: {error}")
            self.scrapes += 1
            next_at += interval
            self.stop.wait(max(0.0, next_at - time.monotonic()))

    def count_events(self, stream):
        for _ in stream:
            self.events += 1

    def run(self):
        o = self.options
        sh("ip", "netns", "del", NS, check=False)
        sh("ip", "netns", "add", NS)
        sh("ip", "-n", NS, "link", "set", "lo", "up")
        processes = []
        try:
            conns = subprocess.Popen(["ip", "netns", "exec", NS, "python3", "-c", CONNECTIONS])
            processes.append(conns)
            serve = subprocess.Popen([o.bin, "serve", "--netns", NS, "--listen", f"127.0.0.1:{PORT}"],
                                     stderr=open("/tmp/netscope-soak-serve.err", "w"))
            processes.append(serve)
            watch = subprocess.Popen([o.bin, "watch", "--netns", NS, "--ndjson"], stdout=subprocess.PIPE, text=True,
                                     stderr=open("/tmp/netscope-soak-watch.err", "w"))
            processes.append(watch)
            threading.Thread(target=self.count_events, args=(watch.stdout,), daemon=True).start()
            time.sleep(1)
            threads = [threading.Thread(target=self.churn), threading.Thread(target=self.scrape)]
            for t in threads:
                t.start()
            minutes = []
            start = time.monotonic()
            for minute in range(1, o.minutes + 1):
                worst = {"serve": (0, 0), "watch": (0, 0)}
                while time.monotonic() - start < minute * 60:
                    for name, p in (("serve", serve), ("watch", watch)):
                        if p.poll() is not None:
                            raise SystemExit(f"soak: {name} exited with {p.returncode}")
                        rss, fds = reading(p.pid)
                        worst[name] = (max(worst[name][0], rss), max(worst[name][1], fds))
                    time.sleep(min(10, max(0.1, minute * 60 - (time.monotonic() - start))))
                row = (minute, *worst["serve"], *worst["watch"], self.scrapes, len(self.failures), self.events)
                minutes.append(row)
                print("minute %3d: serve %6d KiB %3d fds, watch %6d KiB %3d fds, %6d scrapes, %d failed, %7d events"
                      % row, flush=True)
            self.stop.set()
            for t in threads:
                t.join()
            return minutes
        finally:
            self.stop.set()
            for p in processes:
                p.terminate()
            for p in processes:
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
            for k in range(4):
                sh("ip", "netns", "del", f"nssoakp{k}", check=False)
            sh("ip", "netns", "del", NS, check=False)


def verdict(minutes, baseline):
    """The lines that make the soak fail: growth above 10% of the first minutes' highest."""
    early = [m for m in minutes if m[0] <= baseline]
    late = [m for m in minutes if m[0] > baseline]
    problems = []
    for column, what in ((1, "serve RSS"), (2, "serve fds"), (3, "watch RSS"), (4, "watch fds")):
        limit = max(m[column] for m in early) * 1.10
        peak = max((m[column] for m in late), default=0)
        if peak > limit:
            problems.append(f"{what} grew to {peak} after minute {baseline} (limit {limit:.0f})")
    return problems


def write_table(path, minutes, soak, baseline, problems, options):
    lines = [BEGIN, "", "## Soak (`make soak`)", "",
             f"`serve --netns {NS}` scraped {options.rate:g} times a second and `watch --ndjson` following the same "
             f"namespace, for {options.minutes} minutes, while every second 200 routes were added and removed, "
             "a veth pair and a peer namespace (with a veth into the churned one) appeared and disappeared, and "
             "about 200 TCP connections were opened and closed. Highest reading of each minute (every 10 s); "
             f"the limit is the highest of minutes 1-{baseline} plus 10%.", "",
             "| minute | serve RSS (KiB) | serve fds | watch RSS (KiB) | watch fds | scrapes | failed | watch events |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    lines += ["| %d | %d | %d | %d | %d | %d | %d | %d |" % m for m in minutes]
    lines += ["", f"Churn rounds: {soak.churn_rounds} ({soak.churn_errors} with an ip error). "
              f"Result: {'FAIL: ' + '; '.join(problems) if problems else 'pass'}.", "", END]
    text = open(path).read() if os.path.exists(path) else ""
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    open(path, "w").write(text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--baseline", type=int, default=5)
    parser.add_argument("--out")
    options = parser.parse_args()
    baseline = options.baseline if options.minutes > options.baseline else max(1, options.minutes // 2)
    soak = Soak(options)
    minutes = soak.run()
    problems = verdict(minutes, baseline)
    problems += soak.failures[:10]
    if soak.failures:
        problems.append(f"{len(soak.failures)} of {soak.scrapes} scrapes failed")
    if options.out:
        write_table(options.out, minutes, soak, baseline, problems, options)
    for line in problems:
        print("soak:", line, file=sys.stderr)
    print("soak:", "FAIL" if problems else "pass", f"({soak.scrapes} scrapes, {soak.events} watch events)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
