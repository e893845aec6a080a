"""Documents, workspaces and job status against an in-process emulator: files uploaded from a
path, bytes and a file object (streamed), downloaded to a path and as chunks; a partial upload's
per-file report; a job reported with ``jobs.run``. Type-checked with ``mypy --strict``.

Run: python python/examples/documents.py
"""

from __future__ import annotations

import asyncio
import io
import tempfile
from pathlib import Path

import exto360
from exto360 import AsyncClient, Client, DownloadedFile, UploadResult
from exto360.testing import Emulator


def sync_demo(emu: Emulator, tmp: Path) -> None:
    # The documents endpoints need the tenant and the project (EXTO360_TENANT_ID, EXTO360_PROJECT_ID).
    client = Client(token=emu.token, base_url=emu.url, tenant_id="cwWdTZK", project_id="Vx6-j2Z")
    report = tmp / "report.txt"
    report.write_text("quarterly numbers\n")
    record_id: str = client.modules("CUSTOMMODULE").list().rows[0]["_id"]
    with open(report, "rb") as f:
        res: UploadResult = client.documents.upload([report, ("notes.txt", b"hello"), ("copy.txt", f, "text/plain")], module="CUSTOMMODULE", record_id=record_id)
    print("uploaded:", [(r.file_name, r.state) for r in res.files])
    out: DownloadedFile = client.documents.download(res.document_ids[0], tmp / "back.txt")
    print("downloaded:", out.bytes, "bytes, same:", (tmp / "back.txt").read_bytes() == report.read_bytes())
    size = sum(len(chunk) for chunk in client.documents.stream(res.document_ids[1]))
    print("streamed:", size, "bytes")
    print("zip of the record:", client.documents.download_all(record_id, tmp / "all.zip", module="CUSTOMMODULE").bytes, "bytes")

    emu.configure(maxFileBytes=10)
    try:
        client.documents.upload([("small.txt", b"small"), ("big.txt", b"more than ten bytes")])
    except exto360.BulkWriteError as e:
        assert e.upload is not None
        print("partial upload:", [(f.file_name, f.state, f.message) for f in e.upload.files])
    emu.configure(maxFileBytes=50 * 1024 * 1024)  # the documented default again

    ws = client.workspaces.create("Plant A")
    print("workspace:", client.workspaces.update(ws["id"], name="Plant B")["name"])
    with client.jobs.run("Nightly import", "Import") as job:
        job.log("read 10 rows")
    try:
        with client.jobs.run("Broken import", "Import") as failing:
            raise RuntimeError("the source file is missing")
    except RuntimeError:
        pass
    states = {j["jobTitle"]: j["status"] for j in client.jobs.list(page_size=200)}
    print("jobs:", states["Nightly import"], "/", states["Broken import"], "(", failing.id, ")")


async def async_demo(emu: Emulator) -> None:
    client = AsyncClient(token=emu.token, base_url=emu.url, tenant_id="cwWdTZK", project_id="Vx6-j2Z")
    res = await client.documents.upload([("a.bin", io.BytesIO(b"\x00" * 1000))])
    got = b"".join([chunk async for chunk in await client.documents.stream(res.document_ids[0])])
    async with client.jobs.run("Async load", "Load") as job:
        await job.log(f"read {len(got)} bytes")
    print("async: round trip of", len(got), "bytes, job", job.id)


if __name__ == "__main__":
    with Emulator() as emu, tempfile.TemporaryDirectory() as d:
        sync_demo(emu, Path(d))
        asyncio.run(async_demo(emu))
