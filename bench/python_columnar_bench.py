"""Benchmarks of the columnar path (issue: records to and from Arrow). Printed figures, never
pass/fail.

1. 1,000,000 records to a pandas DataFrame: client CPU and peak RSS of `to_pandas()` vs
   httpx + json.loads + pandas.json_normalize over the same pages (goal ≤ 0.2× the CPU, peak
   RSS growth ≤ 2× the DataFrame's own memory_usage(deep=True)).
2. upsert(df) of 1,000,000 rows vs df.to_dict("records") + upsert (goal ≤ 0.3× the CPU). The
   frame holds what to_dict rows can send as they are (strings, integers, floats, booleans; no
   NaN, dates as text), so both send the same bodies.

Each run is a fresh child process (its VmHWM is its own peak; CPU is getrusage of the whole
process, runtime threads included); the alternatives run in turn, 3 rounds, medians. The
emulator is a separate process (target/release/exto360-emulator) so its work is not counted.
"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from python_bench import EmulatorProcess, median  # noqa: E402

N = 1_000_000
ROUNDS = 3

PRELUDE = """
import json, resource, sys, time
import pandas as pd, pyarrow
def hwm():
    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')) * 1024
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
URL = sys.argv[1]
"""

READ = {
    "exto360 to_pandas()": """
from exto360 import Client
client = Client(token="bench", base_url=URL, rate_limit=0)
base, c0 = hwm(), cpu()
df = client.masters("BIG").to_pandas()
""",
    "httpx + json.loads + json_normalize": """
import httpx
hx = httpx.Client(headers={"authorization": "Bearer bench"}, timeout=60)
base, c0 = hwm(), cpu()
rows, page = [], 1
while True:
    body = json.loads(hx.get(f"{URL}/api/v1/master-record/BIG?page={page}&pageSize=1000").content)
    rows.extend(body["rows"])
    if body["page"] >= body["totalPages"]:
        break
    page += 1
df = pd.json_normalize(rows, max_level=1)
del rows
""",
}

READ_END = """
spent = cpu() - c0
print(json.dumps({"cpu": spent, "peak": hwm(), "base": base, "df": int(df.memory_usage(deep=True).sum()), "rows": len(df), "cols": df.shape[1]}))
"""

FRAME = """
import numpy as np
n = int(sys.argv[2])
i = np.arange(n)
df = pd.DataFrame({
    "code": [f"BIG-{k + 1}" for k in i],
    "seq": i + 1,
    "name": [f"Record {k + 1}" for k in i],
    "amount": i * 1.5,
    "active": i % 3 == 0,
    "day": [f"2024-{k % 12 + 1:02}-{k % 28 + 1:02}" for k in i],
})
from exto360 import Client
client = Client(token="bench", base_url=URL, rate_limit=0)
"""

WRITE = {
    "exto360 upsert(df)": "c0 = cpu()\nres = client.masters('BIG').upsert(df)\n",
    'df.to_dict("records") + upsert': "c0 = cpu()\nres = client.masters('BIG').upsert(df.to_dict('records'))\n",
}

WRITE_END = """
spent = cpu() - c0
print(json.dumps({"cpu": spent, "written": res.inserted_count + res.updated_count}))
"""


def child(code, *args):
    out = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_read(url):
    runs = {name: [] for name in READ}
    for _ in range(ROUNDS):
        for name, body in READ.items():
            runs[name].append(child(PRELUDE + body + READ_END, url))
    mb = 1 / 1e6
    base = median(r["cpu"] for r in runs["httpx + json.loads + json_normalize"])
    for name, rs in runs.items():
        c = median(r["cpu"] for r in rs)
        grow = median(r["peak"] - r["base"] for r in rs)
        size = median(r["df"] for r in rs)
        print(
            f"python to pandas 1,000,000: {name:36s} {c:6.2f} s CPU, peak RSS {median(r['peak'] for r in rs) * mb:7.0f} MB "
            f"(+{grow * mb:.0f} MB over the process before it; DataFrame {size * mb:.0f} MB deep, {rs[0]['rows']} rows × {rs[0]['cols']} columns) "
            f"→ {c / base:.2f}× the CPU, peak growth {grow / size:.2f}× the DataFrame"
        )
    ours = runs["exto360 to_pandas()"]
    print(
        f"python to pandas 1,000,000: goals ≤ 0.2× CPU → {median(r['cpu'] for r in ours) / base:.2f}×; "
        f"peak RSS growth ≤ 2× the DataFrame → {median((r['peak'] - r['base']) / r['df'] for r in ours):.2f}× (medians of {ROUNDS})"
    )


def bench_write(url):
    runs = {name: [] for name in WRITE}
    for _ in range(ROUNDS):
        for name, body in WRITE.items():
            runs[name].append(child(PRELUDE + FRAME + body + WRITE_END, url, N))
    base = median(r["cpu"] for r in runs['df.to_dict("records") + upsert'])
    for name, rs in runs.items():
        c = median(r["cpu"] for r in rs)
        print(f"python upsert 1,000,000 rows: {name:32s} {c:6.2f} s CPU ({rs[0]['written']} written) → {c / base:.2f}×")
    print(f"python upsert 1,000,000 rows: goal ≤ 0.3× CPU → {median(r['cpu'] for r in runs['exto360 upsert(df)']) / base:.2f}× (medians of {ROUNDS})")


if __name__ == "__main__":
    emu = EmulatorProcess(N, unique=["code"])
    try:
        if "--write-only" not in sys.argv:
            bench_read(emu.url)
        bench_write(emu.url)
    finally:
        emu.close()
