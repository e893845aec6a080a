"""The Python quick start: the SDK's main jobs, sync and asyncio, against an in-process
emulator (it stands in for https://platform.exto360.com/data, 3 requests/second included).
Type-checked with `mypy --strict` as part of `make test`.

Run: python python/examples/quickstart.py
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List

import exto360
from exto360 import AsyncClient, BulkWriteResult, Client, Filter, Page, UpsertResult, WorkflowResult
from exto360.testing import Emulator


def sync_demo(emu: Emulator) -> None:
    # Against the real service: Client() reads EXTO360_TOKEN, EXTO360_PROJECT_ID, ...
    with Client(token=emu.token, base_url=emu.url, project_id="Vx6-j2Z", max_retries=3, timeout=30) as client:
        print(client)
        print("readiness:", client.health.readiness(), "liveness ok:", client.health.liveness()["ok"])

        f = Filter.field("serial_number").number().gt(1000) & Filter.field("active").primitive().eq(True)
        page: Page[Dict[str, Any]] = client.masters("LOCATION").list(filter=f, sort="-serial_number")
        print(f"LOCATION {f}: {len(page)} of {page.total}:", [r["customFields"]["code"] for r in page])

        rows = [{"vendor_id": f"V-{i:04}", "name": f"Vendor {i}"} for i in range(2500)]
        done: UpsertResult = client.masters("VENDOR").upsert(rows)  # 3 requests under the limit
        print(f"VENDOR upsert: {done.inserted_count} inserted, {done.updated_count} updated")
        count = sum(1 for _ in client.masters("VENDOR").iter())
        print(f"VENDOR iterated: {count} records")

        created = client.modules("CUSTOMMODULE").upsert([{"ref_no": "R-100", "title": "Quick start"}], user_name="johndoe@exto360.com")
        record_id = created.inserted_ids[0]
        client.sub_table("Signatures").upsert([{"signer": "johndoe@exto360.com"}], module_name="CUSTOMMODULE", record_id=record_id)
        moved: List[WorkflowResult] = client.workflow("CUSTOMMODULE").act([record_id], action="Submit", user_name="johndoe@exto360.com", space_name="S1")
        print("workflow:", moved)

        # Update and delete (the docs disagree on how records are named: you say which key),
        # and a module record with every row of its sub-tables.
        blr = next(r["refId"] for r in page if r["customFields"]["code"] == "BLR")
        print("update:", client.masters("LOCATION").update([{"refId": blr, "name": "Bengaluru (HQ)"}], key="refId").updated_count, "updated")
        print("delete:", client.modules("CUSTOMMODULE").delete(["MOD-2"], key="recordNumber", user_name="johndoe@exto360.com").deleted_count, "deleted")
        for rec in client.modules("CUSTOMMODULE").expand(record_ids=[record_id]):
            print(f"expanded {rec['recordNumber']}: {rec['status']}, {len(rec['subTableData']['Signatures']['rows'])} signature(s)")

        client.users.grant_access("jane@exto360.com", projects=[{"project_id": "Vx6-j2Z", "groups": ["GG3"], "spaces": ["S1"]}], groups=["G1"], profile={"firstName": "Jane"})
        jane = client.users.get("jane@exto360.com")
        print("jane:", jane["groups"], [p["projectID"] for p in jane["projects"]])
        print("users:", [u["user"]["userName"] for u in client.users.iter()])
        print("groups:", client.users.groups(only_project_groups=True)["projects"][0])
        r: BulkWriteResult = client.users.deactivate(["jane@exto360.com"])
        client.users.activate(["jane@exto360.com"])
        client.users.remove_access("jane@exto360.com", ["Vx6-j2Z"], ["G1"])
        client.users.remove_project_access("jane@exto360.com", ["Vx6-j2Z"])
        print("deactivated:", r.n_modified, "| users on page 1:", len(client.users.list(page=1, page_size=1000)))

        tenant = client.with_project(None)
        print("tenant-wide LOCATION:", tenant.masters("LOCATION").list().total)

        try:
            client.masters("NO_SUCH_MASTER").list()
        except exto360.NotFoundError as e:
            print(f"expected error: {type(e).__name__} status={e.status} details={e.details}")

        emu.set_faults([{"kind": "status", "status": 422, "method": "POST", "bodyContains": '"V-2200"'}])
        try:
            client.masters("VENDOR").upsert(rows)
        except exto360.BulkWriteError as e:
            print(f"bulk failure: {len(e.written)} written, {len(e.not_written)} not written, {len(e.unknown)} unknown; cause {type(e.cause).__name__}")
        emu.set_faults([])


async def async_demo(emu: Emulator) -> None:
    async with AsyncClient(token=emu.token, base_url=emu.url) as client:
        pages = await asyncio.gather(client.masters("LOCATION").list(), client.modules("CUSTOMMODULE").list())
        print("async:", [p.total for p in pages])
        codes = [r["customFields"]["code"] async for r in client.masters("LOCATION").iter(page_size=2)]
        print("async iter:", codes)


def main() -> None:
    with Emulator(settings={"rateLimit": 3}) as emu:
        sync_demo(emu)
        asyncio.run(async_demo(emu))


if __name__ == "__main__":
    main()
