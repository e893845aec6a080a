"""Documents (upload and download files), workspaces and job status, for :class:`Client` and
:class:`AsyncClient` (REFERENCE.md §6A). Every call goes to the Rust core: uploads are streamed
(a file object is read a chunk at a time, never whole), split into requests of 100 files and
reported per file; downloads to a path appear only when complete."""

from __future__ import annotations

import io
import os
import time
import types
from typing import IO, Any, AsyncIterator, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Type, Union

from . import _native
from ._types import DownloadedFile, Page, UploadResult

__all__ = ["Documents", "AsyncDocuments", "DocumentStream", "AsyncDocumentStream", "Workspaces", "AsyncWorkspaces", "Jobs", "AsyncJobs", "JobRun", "AsyncJobRun", "UploadSource", "JobStatus"]

PathArg = Union[str, "os.PathLike[str]"]
Data = Union[PathArg, bytes, bytearray, memoryview, IO[bytes]]
UploadSource = Union[Data, Tuple[str, Data], Tuple[str, Data, str]]
"""One file to upload: a path; a binary file object (its ``name`` used as the file name); or a
tuple ``(name, data)`` / ``(name, data, content_type)`` where data is a path, bytes or a file
object."""

JobStatus = str
"""``"Not Started"``, ``"In Progress"``, ``"Completed"`` or ``"Failed"``."""


def _size(f: Any) -> Optional[int]:
    """Bytes left in a seekable file object (the multipart part's length), else None."""
    try:
        if not f.seekable():
            return None
        pos = f.tell()
        end = f.seek(0, os.SEEK_END)
        f.seek(pos)
        return int(end - pos)
    except (AttributeError, OSError, ValueError):
        return None


def _entry(src: Any, name: Optional[str], content_type: Optional[str], i: int) -> Dict[str, Any]:
    e: Dict[str, Any]
    if isinstance(src, (str, os.PathLike)):
        e = {"path": os.fspath(src)}
    elif isinstance(src, (bytes, bytearray, memoryview)):
        if name is None:
            raise TypeError(f"files[{i}]: bytes need a name: pass (name, data)")
        e = {"bytes": bytes(src)}
    elif hasattr(src, "read"):
        if isinstance(src, io.TextIOBase):
            raise TypeError(f"files[{i}]: a text-mode file object: open the file in binary mode ('rb')")
        if name is None:
            raw = getattr(src, "name", None)
            if not isinstance(raw, str):
                raise TypeError(f"files[{i}]: this file object has no name: pass (name, file)")
            name = os.path.basename(raw)
        e = {"reader": src}
        size = _size(src)
        if size is not None:
            e["size"] = size
    else:
        raise TypeError(f"files[{i}]: expected a path, bytes, a binary file object or a (name, data) tuple, not {type(src).__name__}")
    if name is not None:
        e["name"] = name
    if content_type is not None:
        e["contentType"] = content_type
    return e


def _files(files: Iterable[UploadSource]) -> List[Dict[str, Any]]:
    if isinstance(files, (str, bytes, os.PathLike)) or hasattr(files, "read"):
        raise TypeError("files must be a list (wrap a single file in a list)")
    out = []
    for i, f in enumerate(files):
        if isinstance(f, tuple):
            if len(f) not in (2, 3):
                raise TypeError(f"files[{i}]: a tuple is (name, data) or (name, data, content_type)")
            out.append(_entry(f[1], f[0], f[2] if len(f) == 3 else None, i))
        else:
            out.append(_entry(f, None, None, i))
    return out


def _upload_args(module: Optional[str], record_id: Optional[str], meta: Optional[Mapping[str, Any]], linked_ref_id: Optional[str], group_id: Optional[str], folder_id: Optional[str], parent_id: Optional[str], scope: Optional[Sequence[str]]) -> Dict[str, Any]:
    args: Dict[str, Any] = {}
    for k, v in (("module", module), ("recordId", record_id), ("linkedRefId", linked_ref_id), ("groupId", group_id), ("folderId", folder_id), ("parentId", parent_id)):
        if v is not None:
            args[k] = v
    if meta is not None:
        args["meta"] = dict(meta)
    if scope is not None:
        args["scope"] = list(scope)
    return args


def _opt(args: Dict[str, Any], **kw: Any) -> Dict[str, Any]:
    for k, v in kw.items():
        if v is not None:
            args[k] = v
    return args


def _error_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _note(exc: BaseException, note: str) -> None:
    if hasattr(exc, "add_note"):  # Python ≥ 3.11
        exc.add_note(note)


# ----------------------------------------------------------------------------------- sync


class DocumentStream:
    """A download as an iterator of ``bytes`` chunks (as they arrive; memory of one chunk).
    Raises :class:`~exto360.APIConnectionError` if the answer breaks off. Close it (or use
    ``with``) to drop the connection early."""

    def __init__(self, native: Any) -> None:
        self._native = native
        #: The server's name for the file, when it sent one.
        self.file_name: Optional[str] = native.file_name
        self.content_type: Optional[str] = native.content_type
        #: ``Content-Length``, when the server sent one.
        self.content_length: Optional[int] = native.content_length

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        chunk: Optional[bytes] = self._native.next_chunk()
        if chunk is None:
            raise StopIteration
        return chunk

    def close(self) -> None:
        self._native.close()

    def __enter__(self) -> "DocumentStream":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class Documents:
    """``client.documents``: files attached to records. The client needs ``tenant_id`` and
    ``project_id`` (the endpoints require both headers)."""

    def __init__(self, native: Any) -> None:
        self._native = native

    def upload(
        self,
        files: Iterable[UploadSource],
        *,
        module: Optional[str] = None,
        record_id: Optional[str] = None,
        meta: Optional[Mapping[str, Any]] = None,
        linked_ref_id: Optional[str] = None,
        group_id: Optional[str] = None,
        folder_id: Optional[str] = None,
        parent_id: Optional[str] = None,
        scope: Optional[Sequence[str]] = None,
    ) -> UploadResult:
        """Uploads any number of files (100 per request), streamed: paths and file objects are
        read a chunk at a time. ``module`` + ``record_id`` attach them to a record; ``parent_id``
        makes them new versions of that document. Returns the report when every file was
        uploaded. Otherwise raises: :class:`~exto360.BulkWriteError` when some files were (or
        may have been) stored, else the error itself; either way ``e.upload`` is the per-file
        report (uploaded / failed with the server's message / unknown). A file object's upload
        is never retried (its bytes cannot be read again)."""
        args = _upload_args(module, record_id, meta, linked_ref_id, group_id, folder_id, parent_id, scope)
        return UploadResult._from_native(_native.upload_documents(self._native, _files(files), args))

    def download(self, id: str, path: PathArg, *, version: Optional[str] = None) -> DownloadedFile:
        """Writes document ``id`` (its current version, or ``version``: ``"v1"``, ...) to
        ``path``: into a temporary file beside it, renamed only when complete; a failed or
        interrupted download leaves nothing (an existing file at ``path`` is kept)."""
        return DownloadedFile._from_native(self._native.call("documents.download", _opt({"id": id, "path": os.fspath(path)}, version=version)))

    def download_all(self, record_id: str, path: PathArg, *, module: str) -> DownloadedFile:
        """Writes a zip of every attachment of record ``record_id`` (of ``module``) to ``path``,
        like :meth:`download`."""
        return DownloadedFile._from_native(self._native.call("documents.downloadAll", {"recordId": record_id, "module": module, "path": os.fspath(path)}))

    def stream(self, id: str, *, version: Optional[str] = None) -> DocumentStream:
        """Document ``id`` as an iterator of ``bytes`` chunks: ``for chunk in client.documents.stream(id)``."""
        return DocumentStream(_native.open_download(self._native, id, version))

    def stream_all(self, record_id: str, *, module: str) -> DocumentStream:
        """The zip of :meth:`download_all` as an iterator of ``bytes`` chunks."""
        return DocumentStream(_native.open_download(self._native, record_id, module, True))


class Workspaces:
    """``client.workspaces``."""

    def __init__(self, native: Any) -> None:
        self._native = native

    def create(self, name: str, *, parent_id: Optional[str] = None) -> Dict[str, Any]:
        """A new workspace: ``{id, name, parentId, createdAt, updatedAt}``."""
        out: Dict[str, Any] = self._native.call("workspaces.create", _opt({"name": name}, parentId=parent_id))
        return out

    def list(self, *, page: int = 1, page_size: int = 25, filter: Optional[str] = None, sort: Optional[str] = None) -> Page[Dict[str, Any]]:
        """One page (``page_size`` at most 1000). The API answers a bare array, so ``total`` and
        ``total_pages`` are ``None``."""
        return Page._from_native(self._native.call("workspaces.list", _opt({"page": page, "pageSize": page_size}, filter=filter, sort=sort)))

    def get(self, id: str) -> Dict[str, Any]:
        out: Dict[str, Any] = self._native.call("workspaces.get", {"id": id})
        return out

    def update(self, id: str, *, name: str, parent_id: Optional[str] = None) -> Dict[str, Any]:
        out: Dict[str, Any] = self._native.call("workspaces.update", _opt({"id": id, "name": name}, parentId=parent_id))
        return out


def _job(title: str, type: str, status: Optional[JobStatus], created_by: Optional[str], meta: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Dict[str, Any]:
    job: Dict[str, Any] = dict(fields)
    job.update({"jobTitle": title, "jobType": type})
    return {"job": _opt(job, status=status, createdBy=created_by, meta=dict(meta) if meta is not None else None)}


class JobRun:
    """A job being reported: ``with client.jobs.run("Nightly import", "Import") as job:``.
    Entering creates it ``In Progress``; leaving sets ``Completed`` (with the duration), or, if
    the block raised, logs the exception at level ``error``, sets ``Failed`` and re-raises."""

    def __init__(self, native: Any, title: str, type: str) -> None:
        self._native = native
        self._title = title
        self._type = type
        self.id: str = ""
        self._started = 0.0

    def log(self, message: str, *, level: Optional[str] = None) -> None:
        """Appends a log line to the job."""
        self._native.call("jobs.log", _opt({"id": self.id, "message": message}, level=level))

    def __enter__(self) -> "JobRun":
        self.id = self._native.call("jobs.start", {"title": self._title, "type": self._type})["id"]
        self._started = time.monotonic()
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[types.TracebackType]) -> None:
        if exc is None:
            ms = int((time.monotonic() - self._started) * 1000)
            self._native.call("jobs.update", {"id": self.id, "status": "Completed", "duration": ms})
            return
        try:
            self._native.call("jobs.fail", {"id": self.id, "message": _error_line(exc)})
        except Exception as e:  # the caller's exception matters more; say why the job may still show In Progress
            _note(exc, f"exto360: could not mark job {self.id} Failed: {e}")


class Jobs:
    """``client.jobs``: job status and log lines of the client's project."""

    def __init__(self, native: Any) -> None:
        self._native = native

    def create(self, title: str, type: str, *, status: Optional[JobStatus] = None, created_by: Optional[str] = None, meta: Optional[Mapping[str, Any]] = None, **fields: Any) -> str:
        """Creates a job (``type``: ``"Import"``, ``"Export"``, ...; the project is the
        client's); answers its id. ``fields`` go into the job as they are (API names)."""
        return str(self._native.call("jobs.create", _job(title, type, status, created_by, meta, fields))["id"])

    def list(self, *, project_id: Optional[str] = None, page: int = 1, page_size: int = 50) -> Page[Dict[str, Any]]:
        """One page of jobs (``page_size`` at most 200) of ``project_id`` (default: the client's)."""
        return Page._from_native(self._native.call("jobs.list", _opt({"page": page, "pageSize": page_size}, projectId=project_id)))

    def update(self, id: str, *, status: JobStatus, duration: Optional[int] = None, completed_at: Optional[str] = None) -> None:
        """Sets a job's status (``duration`` in milliseconds)."""
        self._native.call("jobs.update", _opt({"id": id, "status": status}, duration=duration, completedAt=completed_at))

    def log(self, id: str, message: str, *, level: Optional[str] = None, duration: Optional[int] = None, time_stamp: Optional[str] = None) -> None:
        """Appends one log line to job ``id``."""
        self._native.call("jobs.log", _opt({"id": id, "message": message}, level=level, duration=duration, timeStamp=time_stamp))

    def fail(self, id: str, message: Optional[str] = None) -> None:
        """Logs ``message`` at level ``error`` and sets the job ``Failed``."""
        self._native.call("jobs.fail", _opt({"id": id}, message=message))

    def run(self, title: str, type: str) -> JobRun:
        """A context manager that reports the block as a job (see :class:`JobRun`)."""
        return JobRun(self._native, title, type)


# ---------------------------------------------------------------------------------- async


class AsyncDocumentStream:
    """:class:`DocumentStream` for asyncio: ``async for chunk in await client.documents.stream(id)``."""

    def __init__(self, native: Any) -> None:
        self._native = native
        self.file_name: Optional[str] = native.file_name
        self.content_type: Optional[str] = native.content_type
        self.content_length: Optional[int] = native.content_length

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        chunk: Optional[bytes] = await self._native.next_chunk_async()
        if chunk is None:
            raise StopAsyncIteration
        return chunk

    async def aclose(self) -> None:
        self._native.close()

    async def __aenter__(self) -> "AsyncDocumentStream":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()


class AsyncDocuments:
    """:class:`Documents` for asyncio."""

    def __init__(self, native: Any) -> None:
        self._native = native

    async def upload(
        self,
        files: Iterable[UploadSource],
        *,
        module: Optional[str] = None,
        record_id: Optional[str] = None,
        meta: Optional[Mapping[str, Any]] = None,
        linked_ref_id: Optional[str] = None,
        group_id: Optional[str] = None,
        folder_id: Optional[str] = None,
        parent_id: Optional[str] = None,
        scope: Optional[Sequence[str]] = None,
    ) -> UploadResult:
        """See :meth:`Documents.upload` (file objects are read on worker threads)."""
        args = _upload_args(module, record_id, meta, linked_ref_id, group_id, folder_id, parent_id, scope)
        return UploadResult._from_native(await _native.upload_documents_async(self._native, _files(files), args))

    async def download(self, id: str, path: PathArg, *, version: Optional[str] = None) -> DownloadedFile:
        return DownloadedFile._from_native(await self._native.call_async("documents.download", _opt({"id": id, "path": os.fspath(path)}, version=version)))

    async def download_all(self, record_id: str, path: PathArg, *, module: str) -> DownloadedFile:
        return DownloadedFile._from_native(await self._native.call_async("documents.downloadAll", {"recordId": record_id, "module": module, "path": os.fspath(path)}))

    async def stream(self, id: str, *, version: Optional[str] = None) -> AsyncDocumentStream:
        return AsyncDocumentStream(await _native.open_download_async(self._native, id, version))

    async def stream_all(self, record_id: str, *, module: str) -> AsyncDocumentStream:
        return AsyncDocumentStream(await _native.open_download_async(self._native, record_id, module, True))


class AsyncWorkspaces:
    def __init__(self, native: Any) -> None:
        self._native = native

    async def create(self, name: str, *, parent_id: Optional[str] = None) -> Dict[str, Any]:
        out: Dict[str, Any] = await self._native.call_async("workspaces.create", _opt({"name": name}, parentId=parent_id))
        return out

    async def list(self, *, page: int = 1, page_size: int = 25, filter: Optional[str] = None, sort: Optional[str] = None) -> Page[Dict[str, Any]]:
        return Page._from_native(await self._native.call_async("workspaces.list", _opt({"page": page, "pageSize": page_size}, filter=filter, sort=sort)))

    async def get(self, id: str) -> Dict[str, Any]:
        out: Dict[str, Any] = await self._native.call_async("workspaces.get", {"id": id})
        return out

    async def update(self, id: str, *, name: str, parent_id: Optional[str] = None) -> Dict[str, Any]:
        out: Dict[str, Any] = await self._native.call_async("workspaces.update", _opt({"id": id, "name": name}, parentId=parent_id))
        return out


class AsyncJobRun:
    """:class:`JobRun` for ``async with client.jobs.run(title, type) as job: await job.log(..)``."""

    def __init__(self, native: Any, title: str, type: str) -> None:
        self._native = native
        self._title = title
        self._type = type
        self.id: str = ""
        self._started = 0.0

    async def log(self, message: str, *, level: Optional[str] = None) -> None:
        await self._native.call_async("jobs.log", _opt({"id": self.id, "message": message}, level=level))

    async def __aenter__(self) -> "AsyncJobRun":
        self.id = (await self._native.call_async("jobs.start", {"title": self._title, "type": self._type}))["id"]
        self._started = time.monotonic()
        return self

    async def __aexit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[types.TracebackType]) -> None:
        if exc is None:
            ms = int((time.monotonic() - self._started) * 1000)
            await self._native.call_async("jobs.update", {"id": self.id, "status": "Completed", "duration": ms})
            return
        try:
            await self._native.call_async("jobs.fail", {"id": self.id, "message": _error_line(exc)})
        except Exception as e:
            _note(exc, f"exto360: could not mark job {self.id} Failed: {e}")


class AsyncJobs:
    def __init__(self, native: Any) -> None:
        self._native = native

    async def create(self, title: str, type: str, *, status: Optional[JobStatus] = None, created_by: Optional[str] = None, meta: Optional[Mapping[str, Any]] = None, **fields: Any) -> str:
        return str((await self._native.call_async("jobs.create", _job(title, type, status, created_by, meta, fields)))["id"])

    async def list(self, *, project_id: Optional[str] = None, page: int = 1, page_size: int = 50) -> Page[Dict[str, Any]]:
        return Page._from_native(await self._native.call_async("jobs.list", _opt({"page": page, "pageSize": page_size}, projectId=project_id)))

    async def update(self, id: str, *, status: JobStatus, duration: Optional[int] = None, completed_at: Optional[str] = None) -> None:
        await self._native.call_async("jobs.update", _opt({"id": id, "status": status}, duration=duration, completedAt=completed_at))

    async def log(self, id: str, message: str, *, level: Optional[str] = None, duration: Optional[int] = None, time_stamp: Optional[str] = None) -> None:
        await self._native.call_async("jobs.log", _opt({"id": id, "message": message}, level=level, duration=duration, timeStamp=time_stamp))

    async def fail(self, id: str, message: Optional[str] = None) -> None:
        await self._native.call_async("jobs.fail", _opt({"id": id}, message=message))

    def run(self, title: str, type: str) -> AsyncJobRun:
        return AsyncJobRun(self._native, title, type)
