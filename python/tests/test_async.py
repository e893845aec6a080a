"""The asyncio client, run with asyncio.run (no plugin needed)."""

import asyncio
import time

import pytest

import exto360
from exto360 import AsyncClient


def run(coro):
    return asyncio.run(coro)


def test_async_surface(emu):
    async def main():
        async with AsyncClient(token=emu.token, base_url=emu.url, rate_limit=0) as c:
            page = await c.masters("LOCATION").list(page_size=4)
            assert page.total == 6 and len(page) == 4
            res = await c.masters("VENDOR").upsert([{"vendor_id": f"V{i}"} for i in range(1500)])
            assert res.inserted_count == 1500
            seen = [r["customFields"]["vendor_id"] async for r in c.masters("VENDOR").iter(page_size=700)]
            assert len(seen) == 1500
            mod = await c.modules("CUSTOMMODULE").upsert([{"ref_no": "A"}], user_name="johndoe@exto360.com")
            rid = mod.inserted_ids[0]
            await c.sub_table("Lines").upsert([{"qty": 1}], module_name="CUSTOMMODULE", record_id=rid)
            moved = await c.workflow("CUSTOMMODULE").act([rid], action="Submit", user_name="johndoe@exto360.com")
            assert moved[0].record_id == rid
            await c.users.grant_access("jane@exto360.com", projects=["Vx6-j2Z"])
            assert (await c.users.get("jane@exto360.com"))["projects"][0]["projectID"] == "Vx6-j2Z"
            assert len([u async for u in c.users.iter()]) == 5
            assert (await c.users.groups())["groups"]
            assert (await c.users.deactivate(["jane@exto360.com"])).n_modified == 1
            assert (await c.users.activate(["jane@exto360.com"])).n_modified == 1
            assert (await c.users.remove_access("jane@exto360.com", ["Vx6-j2Z"])) == {"status": "success"}
            assert (await c.users.remove_project_access("jane@exto360.com", ["Vx6-j2Z"])) == {"status": "success"}
            assert (await c.health.readiness()) == {"ok": True}
            assert (await c.health.liveness())["ok"] is True
            assert (await c.with_project("p6iDlWb").masters("LOCATION").list()).total == 2
            df = await c.masters("LOCATION").to_pandas()
            assert len(df) == 6

    run(main())


def test_async_errors_are_the_same_classes(emu):
    async def main():
        c = AsyncClient(token=emu.token, base_url=emu.url, rate_limit=0)
        with pytest.raises(exto360.NotFoundError):
            await c.masters("NOPE").list()
        with pytest.raises(exto360.InvalidInputError):
            await c.masters("LOCATION").list(page=0)
        with pytest.raises(exto360.NotFoundError):
            async for _ in c.masters("NOPE").iter():
                pass

    run(main())


def test_calls_run_concurrently(emu):
    emu.set_faults([{"kind": "latency", "latencyMs": 500}])

    async def main():
        c = AsyncClient(token=emu.token, base_url=emu.url, rate_limit=0)
        start = time.monotonic()
        pages = await asyncio.gather(*(c.masters("LOCATION").list() for _ in range(8)))
        return time.monotonic() - start, pages

    elapsed, pages = run(main())
    assert all(p.total == 6 for p in pages)
    assert elapsed < 8 * 0.5 / 2, f"8 calls of 0.5 s took {elapsed:.2f} s: they did not overlap"


def test_cancelling_a_call_cancels_the_work(emu):
    emu.set_faults([{"kind": "latency", "latencyMs": 3000}])

    async def main():
        c = AsyncClient(token=emu.token, base_url=emu.url, rate_limit=0)
        task = asyncio.ensure_future(c.masters("VENDOR").upsert([{"vendor_id": "late"}]))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(main())
    # The request had reached the server and waits there; the client stopped waiting at once
    # and the loop closed cleanly (no callback into a closed loop raised).
    assert len(emu.journal()) == 1


def test_sync_client_inside_a_running_loop(client):
    """Jupyter runs an asyncio loop in the main thread: the sync client must still work there."""

    async def main():
        return client.masters("LOCATION").list().total

    assert run(main()) == 6
