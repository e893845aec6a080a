"""Documents, workspaces and job status against the emulator: byte-identical round trips from
paths, bytes and file objects, partial uploads reported per file, interrupted downloads leaving
nothing, and the job helper marking Failed."""

import asyncio
import io
import os

import pytest

import exto360
from exto360 import AsyncClient, BulkWriteError, Client, UploadResult

TENANT, PROJECT = "cwWdTZK", "Vx6-j2Z"


@pytest.fixture
def dclient(emu):
    return Client(token=emu.token, base_url=emu.url, rate_limit=0, tenant_id=TENANT, project_id=PROJECT, initial_backoff=0.001, max_backoff=0.002)


@pytest.fixture
def adclient(emu):
    return AsyncClient(token=emu.token, base_url=emu.url, rate_limit=0, tenant_id=TENANT, project_id=PROJECT)


def payload(n):
    return bytes((i * 7 + i // 251) % 256 for i in range(n))


class Unseekable(io.RawIOBase):
    """A pipe-like binary stream: counts read() calls and never returns more than asked."""

    def __init__(self, data):
        self._data, self._pos, self.reads, self.name = data, 0, 0, "piped.bin"

    def readable(self):
        return True

    def read(self, n=-1):
        self.reads += 1
        n = len(self._data) - self._pos if n < 0 else n
        out = self._data[self._pos : self._pos + n]
        self._pos += len(out)
        return out


def test_round_trip_from_path_bytes_and_file_objects(dclient, tmp_path):
    big = payload(3 * 1024 * 1024 + 17)  # several chunks of a file object's reads
    src = tmp_path / "big.bin"
    src.write_bytes(big)
    piped = Unseekable(payload(700_001))
    with open(src, "rb") as fobj:
        res = dclient.documents.upload([src, ("b.bin", b"\x00\x01\xff"), fobj, piped, ("named.txt", io.BytesIO(b"hi"), "text/plain")], meta={"k": 1})
    assert isinstance(res, UploadResult)
    assert (res.uploaded_count, res.failed_count, res.unknown_count) == (5, 0, 0)
    assert [f.file_name for f in res.files] == ["big.bin", "b.bin", "big.bin", "piped.bin", "named.txt"]
    assert piped.reads > 2  # read a chunk at a time, not whole
    ids = res.document_ids
    assert len(ids) == 5 and res.documents[0]["meta"] == {"k": 1}
    expected = [big, b"\x00\x01\xff", big, piped._data, b"hi"]
    for i, (doc_id, data) in enumerate(zip(ids, expected)):
        out = dclient.documents.download(doc_id, tmp_path / f"out{i}")
        assert out.bytes == len(data)
        assert (tmp_path / f"out{i}").read_bytes() == data
    chunks = list(dclient.documents.stream(ids[0]))
    assert len(chunks) > 1 and b"".join(chunks) == big
    assert sorted(os.listdir(tmp_path)) == sorted(["big.bin"] + [f"out{i}" for i in range(5)])


def test_partial_upload_raises_with_the_per_file_report(dclient, emu, tmp_path):
    emu.configure(maxFileBytes=10)
    with pytest.raises(BulkWriteError) as ei:
        dclient.documents.upload([("small.txt", b"small"), ("big.bin", b"x" * 11), ("ok.txt", b"ok")])
    e = ei.value
    assert e.written == [0, 2] and e.not_written == [1]
    assert isinstance(e.cause, exto360.BadRequestError) and e.cause.summary == "errors.error_partial_upload"
    assert e.upload is not None and (e.upload.uploaded_count, e.upload.failed_count) == (2, 1)
    failed = e.upload.files[1]
    assert failed.state == "failed" and failed.file_name == "big.bin" and "too_large" in (failed.message or "")
    assert e.upload.files[0].document is not None and e.upload.files[1].document is None
    # nothing stored: not a BulkWriteError, but the report is there all the same
    with pytest.raises(exto360.BadRequestError) as ei2:
        dclient.documents.upload([("big.bin", b"x" * 11)])
    assert ei2.value.upload is not None and ei2.value.upload.failed_count == 1


def test_interrupted_download_leaves_no_file(dclient, emu, tmp_path):
    doc_id = dclient.documents.upload([("p.bin", payload(200_000))]).document_ids[0]
    emu.set_faults([{"kind": "truncate", "path": "/api/v1/documents/download"}])
    with pytest.raises(exto360.APIConnectionError):
        dclient.documents.download(doc_id, tmp_path / "p.bin")
    assert os.listdir(tmp_path) == []
    emu.set_faults([{"kind": "truncate", "path": "/api/v1/documents/download"}])
    with pytest.raises(exto360.APIConnectionError):
        with dclient.documents.stream(doc_id) as s:
            for _ in s:
                pass


def test_bad_input_is_refused_before_sending(dclient, client, emu, tmp_path):
    with pytest.raises(TypeError, match="name"):
        dclient.documents.upload([b"no name"])
    with pytest.raises(TypeError, match="list"):
        dclient.documents.upload("a.txt")  # type: ignore[arg-type]
    with pytest.raises(exto360.InvalidInputError, match="tenant|project"):
        client.documents.upload([("a.txt", b"a")])
    with pytest.raises(TypeError, match="binary mode"):
        with open(tmp_path / "t.txt", "w+") as text_mode:
            text_mode.write("x")
            text_mode.seek(0)
            dclient.documents.upload([text_mode])  # type: ignore[list-item]
    assert not [e for e in emu.journal() if e["path"] == "/api/v1/documents" and e["status"] == 200]


def test_download_all_is_a_zip(dclient, tmp_path):
    import zipfile

    rec = dclient.modules("CUSTOMMODULE").list().rows[0]["_id"]
    dclient.documents.upload([("a.txt", b"A"), ("b.txt", b"BB")], module="CUSTOMMODULE", record_id=rec)
    out = dclient.documents.download_all(rec, tmp_path / "all.zip", module="CUSTOMMODULE")
    with zipfile.ZipFile(out.path) as z:
        names = z.namelist()
        assert "a.txt" in names and z.read("b.txt") == b"BB"
    assert b"".join(dclient.documents.stream_all(rec, module="CUSTOMMODULE")) == (tmp_path / "all.zip").read_bytes()


def test_workspaces(dclient):
    w = dclient.workspaces.create("Plant A")
    child = dclient.workspaces.create("Line 1", parent_id=w["id"])
    assert child["parentId"] == w["id"]
    assert dclient.workspaces.get(w["id"])["name"] == "Plant A"
    assert dclient.workspaces.update(w["id"], name="Plant B")["name"] == "Plant B"
    page = dclient.workspaces.list(page_size=1000)
    assert {"Plant B", "Line 1"} <= {r["name"] for r in page} and page.total is None
    with pytest.raises(exto360.NotFoundError):
        dclient.workspaces.get("000000000000000000000000")


def job(client, job_id):
    return next(j for j in client.jobs.list(page_size=200) if (j.get("_id") or j.get("id")) == job_id)


def test_job_helper_completes_or_marks_failed(dclient):
    with dclient.jobs.run("Nightly import", "Import") as run:
        run.log("read 10 rows")
    j = job(dclient, run.id)
    assert j["status"] == "Completed" and [l["message"] for l in j["log"]] == ["read 10 rows"]
    with pytest.raises(ZeroDivisionError):
        with dclient.jobs.run("Broken import", "Import") as failing:
            failing.log("starting")
            1 / 0
    j = job(dclient, failing.id)
    assert j["status"] == "Failed"
    assert j["log"][-1]["level"] == "error" and "ZeroDivisionError" in j["log"][-1]["message"]
    job_id = dclient.jobs.create("Manual", "Export", status="Not Started")
    dclient.jobs.log(job_id, "half way", level="info")
    dclient.jobs.update(job_id, status="Completed", duration=5)
    assert job(dclient, job_id)["status"] == "Completed"
    with pytest.raises(exto360.InvalidInputError):
        dclient.jobs.run("x", "NotAType").__enter__()


def test_async_documents_and_jobs(adclient, tmp_path):
    async def main():
        data = payload(600_000)
        res = await adclient.documents.upload([("a.bin", io.BytesIO(data))])
        doc_id = res.document_ids[0]
        out = await adclient.documents.download(doc_id, tmp_path / "a.bin")
        assert out.bytes == len(data) and (tmp_path / "a.bin").read_bytes() == data
        got = b"".join([c async for c in await adclient.documents.stream(doc_id)])
        assert got == data
        with pytest.raises(RuntimeError):
            async with adclient.jobs.run("Async job", "Load") as run:
                await run.log("x")
                raise RuntimeError("boom")
        j = next(j for j in (await adclient.jobs.list(page_size=200)) if (j.get("_id") or j.get("id")) == run.id)
        assert j["status"] == "Failed" and "boom" in j["log"][-1]["message"]
        w = await adclient.workspaces.create("W")
        assert (await adclient.workspaces.get(w["id"]))["name"] == "W"

    asyncio.run(main())
