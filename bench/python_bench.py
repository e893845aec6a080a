"""Python benchmarks (issue: Python package). Printed figures, never pass/fail.

1. Iterate 100,000 records: CPU time of client.masters(n).iter() vs httpx + json.loads and
   requests + json.loads loops over the same pages (goal ≤ 0.5× httpx). CPU time is the
   whole process's (runtime threads included). The three run in turn, 7 rounds; medians.
2. Four threads listing concurrently vs one: throughput ratio (goal ≥ 1.6× on 2 cores);
   medians of 5 alternating rounds.
3. Peak RSS iterating 1,000,000 records (goal ≤ 80 MB); import time of exto360 (goal ≤ 50 ms).

The emulator runs as a separate process (target/release/exto360-emulator) so its work is not
counted as the client's.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
EMULATOR = os.environ.get("EMULATOR_BIN", os.path.join(TARGET, "release", "exto360-emulator"))


class EmulatorProcess:
    def __init__(self, count, unique=()):
        data = {"tenants": [{"id": "bench", "tokens": [{"token": "bench", "user": "b@x.com"}], "masters": [{"name": "BIG", "unique": list(unique), "generate": {"count": count}}]}]}
        self.file = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump(data, self.file)
        self.file.close()
        self.proc = subprocess.Popen([EMULATOR, "--port", "0", "--rate-limit", "off", "--data", self.file.name], stdout=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip().split("listening on ")[1]
        import urllib.request

        req = urllib.request.Request(self.url + "/__emulator/config", data=b'{"journalLimit": 0}', method="PATCH", headers={"content-type": "application/json"})
        urllib.request.urlopen(req).read()

    def close(self):
        self.proc.kill()
        self.proc.wait()
        os.unlink(self.file.name)


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def measure(fn):
    c0, w0 = cpu(), time.perf_counter()
    count = fn()
    return cpu() - c0, time.perf_counter() - w0, count


def interleaved(rounds, fns):
    """Runs every fn once per round, in turn, so that a slow spell of this shared machine hits
    all of them alike; returns each one's list of (cpu, wall, count)."""
    out = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            out[name].append(measure(fn))
    return out


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def bench_iterate():
    import httpx
    import requests

    from exto360 import Client

    emu = EmulatorProcess(100_000)
    try:
        client = Client(token="bench", base_url=emu.url, rate_limit=0)
        url = emu.url + "/api/v1/master-record/BIG"

        def ours():
            n = 0
            for r in client.masters("BIG").iter(page_size=1000):
                n += r["_id"] is not None
            return n

        def loop(get):
            n, page = 0, 1
            while True:
                body = json.loads(get(f"{url}?page={page}&pageSize=1000"))
                for r in body["rows"]:
                    n += r["_id"] is not None
                if body["page"] >= body["totalPages"]:
                    return n
                page += 1

        hx = httpx.Client(headers={"authorization": "Bearer bench"})
        rq = requests.Session()
        rq.headers["authorization"] = "Bearer bench"
        runs = interleaved(7, {
            "exto360 iter": ours,
            "httpx + json.loads": lambda: loop(lambda u: hx.get(u).content),
            "requests + json.loads": lambda: loop(lambda u: rq.get(u).content),
        })
        base = median(c for c, _, _ in runs["httpx + json.loads"])
        for name, rs in runs.items():
            c, w, n = median(c for c, _, _ in rs), median(w for _, w, _ in rs), rs[0][2]
            print(f"python iterate 100,000: {name:22s} {c:6.3f} s CPU median of {len(rs)} ({w:5.2f} s wall, {n} rows) → {c / base:.2f}× httpx")
        ratios = sorted(o[0] / h[0] for o, h in zip(runs["exto360 iter"], runs["httpx + json.loads"]))
        print(f"python iterate 100,000: goal exto360 ≤ 0.5× httpx CPU → {median(c for c, _, _ in runs['exto360 iter']) / base:.2f}× "
              f"(round by round {ratios[0]:.2f}–{ratios[-1]:.2f}×)")

        # 2. Threads: 4 threads listing pages concurrently vs 1 thread, same total work.
        def lister(pages, out):
            n = 0
            for i in range(pages):
                n += len(client.masters("BIG").list(page=1 + i % 100, page_size=1000))
            out.append(n)

        def run(threads, pages_each):
            out = []
            ts = [threading.Thread(target=lister, args=(pages_each, out)) for _ in range(threads)]
            t0 = time.perf_counter()
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            return sum(out) / (time.perf_counter() - t0)

        run(1, 5)
        pairs = [(run(1, 40), run(4, 10)) for _ in range(5)]
        one, four = median(o for o, _ in pairs), median(f for _, f in pairs)
        ratios = sorted(f / o for o, f in pairs)
        print(f"python threads: 1 thread {one:,.0f} records/s, 4 threads {four:,.0f} records/s (medians of 5) → {four / one:.2f}× "
              f"(round by round {ratios[0]:.2f}–{ratios[-1]:.2f}×; goal ≥ 1.6× on 2 cores)")
    finally:
        emu.close()


def bench_memory():
    emu = EmulatorProcess(1_000_000)
    try:
        # Peak RSS from VmHWM: ru_maxrss survives exec, so a child would report this (bigger)
        # parent's peak.
        code = (
            "import sys, time\n"
            "from exto360 import Client\n"
            "def hwm():\n"
            "    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
            f"c = Client(token='bench', base_url={emu.url!r}, rate_limit=0)\n"
            "before = hwm()\n"
            "t = time.perf_counter(); n = 0\n"
            "for r in c.masters('BIG').iter():\n"
            "    n += 1\n"
            "peak = hwm()\n"
            "print(f'python iter memory: {n} records in {time.perf_counter() - t:.1f} s, peak RSS {peak / 1024:.1f} MB (before iterating {before / 1024:.1f} MB; goal ≤ 80 MB)')\n"
        )
        print(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout, end="")
    finally:
        emu.close()


def bench_import():
    code = "import time; t = time.perf_counter(); import exto360; print((time.perf_counter() - t) * 1000)"
    runs = sorted(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout) for _ in range(7))
    print(f"python import exto360: median {runs[3]:.1f} ms (min {runs[0]:.1f}; goal ≤ 50 ms)")


if __name__ == "__main__":
    bench_import()
    bench_iterate()
    bench_memory()
