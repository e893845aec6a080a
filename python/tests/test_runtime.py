"""The GIL is released while waiting; Ctrl-C interrupts; fork and multiprocessing work."""

import multiprocessing
import os
import subprocess
import sys
import textwrap
import threading
import time

from exto360 import Client


def test_gil_is_released_while_waiting(client, emu):
    emu.set_faults([{"kind": "latency", "latencyMs": 600}])
    ticks = 0
    stop = False

    def spin():
        nonlocal ticks
        while not stop:
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=spin)
    t.start()
    client.masters("LOCATION").list()
    stop = True
    t.join()
    assert ticks > 50, f"a Python thread ran only {ticks} times during a 0.6 s call: the GIL was held"


def test_threads_sharing_one_client_overlap(client, emu):
    emu.set_faults([{"kind": "latency", "latencyMs": 1000}])
    results = []
    threads = [threading.Thread(target=lambda: results.append(client.masters("LOCATION").list().total)) for _ in range(4)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    assert results == [6, 6, 6, 6]
    assert elapsed < 3.0, f"4 calls of 1 s on 4 threads took {elapsed:.1f} s: they did not overlap"


def test_ctrl_c_interrupts_a_long_call(emu):
    script = textwrap.dedent(f"""
        import os, signal, threading, time
        from exto360 import Client
        c = Client(token={emu.token!r}, base_url={emu.url!r}, rate_limit=0)
        threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        start = time.monotonic()
        try:
            c.masters("LOCATION").list()
            print("finished")
        except KeyboardInterrupt:
            print("interrupted after %.1f s" % (time.monotonic() - start))
    """)
    emu.set_faults([{"kind": "latency", "latencyMs": 20000}])
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert "interrupted after" in out.stdout, out.stdout + out.stderr
    seconds = float(out.stdout.split()[2])
    assert seconds < 10, "Ctrl-C did not interrupt the 20 s call promptly"


def _child_work(url, token, q):
    try:
        c = Client(token=token, base_url=url, rate_limit=0)
        total = c.masters("LOCATION").list().total
        n = sum(1 for _ in c.masters("LOCATION").iter(page_size=2))
        q.put((total, n))
    except BaseException as e:  # report anything to the parent
        q.put(repr(e))


def test_child_after_fork_works_with_a_client_made_before(client, emu):
    assert client.masters("LOCATION").list().total == 6  # the parent's runtime and pool are busy
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: reuse the parent's client object
        try:
            os.close(r)
            total = client.masters("LOCATION").list().total
            n = sum(1 for _ in client.masters("LOCATION").iter(page_size=4))
            os.write(w, f"{total},{n}".encode())
        finally:
            os._exit(0)
    os.close(w)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
        raise AssertionError("the forked child hung")
    assert os.read(r, 100) == b"6,6"
    os.close(r)


def test_multiprocessing_fork_pool(client, emu):
    client.masters("LOCATION").list()
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    procs = [ctx.Process(target=_child_work, args=(emu.url, emu.token, q)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
        assert p.exitcode == 0, "a child hung or failed"
    assert [q.get(timeout=5), q.get(timeout=5)] == [(6, 6), (6, 6)]
