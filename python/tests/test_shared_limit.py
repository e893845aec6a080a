"""Many workers, one token: 4 OS processes share the API's 3 requests/second through Redis.

Each test starts its own ``redis-server`` (Debian's, installed by ``make test``) on a free
loopback port and stops it by PID."""

import multiprocessing
import socket
import subprocess
import time
from datetime import datetime

import pytest

import exto360
from exto360 import Client
from exto360.testing import Emulator


@pytest.fixture
def redis():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    cli = ["redis-cli", "-p", str(port)]
    deadline = time.time() + 10
    while subprocess.run(cli + ["PING"], capture_output=True, text=True).stdout.strip() != "PONG":
        assert time.time() < deadline, "redis-server did not start"
        time.sleep(0.02)
    yield {"url": f"redis://127.0.0.1:{port}/", "cli": cli, "proc": proc}
    proc.kill()
    proc.wait()


def _worker(url, token, store, n, q, start):
    c = Client(token=token, base_url=url, rate_limit=3, rate_limit_store=store, max_retries=0)
    # Every worker is up before any sends: a process still starting would slow the others.
    start.wait(60)
    done = 0
    for _ in range(n):
        c.masters("LOCATION").list(page_size=1)
        done += 1
    q.put(done)


def _arrivals(journal):
    return sorted(datetime.fromisoformat(e["timestamp"].replace("Z", "+00:00")).timestamp() for e in journal)


def test_four_processes_on_one_token_keep_to_three_per_second(redis):
    with Emulator(settings={"rateLimit": 3}) as emu:
        ctx = multiprocessing.get_context("spawn")
        q = ctx.Queue()
        start = ctx.Barrier(4)
        procs = [ctx.Process(target=_worker, args=(emu.url, emu.token, redis["url"], 5, q, start)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
            assert p.exitcode == 0, "a worker failed (a 429 would have raised: retries are off)"
        assert sorted(q.get(timeout=5) for _ in procs) == [5, 5, 5, 5]
        journal = emu.journal()
        assert len(journal) == 20 and all(e["status"] == 200 for e in journal)
        t = _arrivals(journal)
        for i, start in enumerate(t):
            assert sum(1 for x in t[i:] if x < start + 1.0) <= 3, f"more than 3 requests within 1 s of {start}"
        keys = subprocess.run(redis["cli"] + ["--scan"], capture_output=True, text=True).stdout.split()
        assert len(keys) == 1 and keys[0].startswith("exto360:rl:")
        value = subprocess.run(redis["cli"] + ["GET", keys[0]], capture_output=True, text=True).stdout
        assert emu.token not in keys[0] and emu.token not in value


def test_redis_stopped_mid_run_follows_the_fallback(redis):
    with Emulator() as emu:
        fail = Client(token=emu.token, base_url=emu.url, rate_limit=50, rate_limit_store=redis["url"], rate_limit_fallback="fail", max_retries=0)
        local = Client(token=emu.token, base_url=emu.url, rate_limit=50, rate_limit_store=redis["url"], rate_limit_workers=4)
        fail.health.liveness()
        local.health.liveness()
        redis["proc"].kill()
        redis["proc"].wait()
        with pytest.raises(exto360.APIConnectionError, match="rate limit store redis://127.0.0.1"):
            fail.masters("LOCATION").list()
        assert local.masters("LOCATION").list().total == 6  # continues on the local limiter
        assert emu.token not in repr(local)


def test_store_settings_are_checked():
    with pytest.raises(exto360.InvalidInputError, match="local.*fail"):
        Client(token="t", rate_limit_store="redis://127.0.0.1", rate_limit_fallback="maybe")
    with pytest.raises(exto360.InvalidInputError, match="not a Redis URL"):
        Client(token="t", rate_limit_store="http://127.0.0.1")
