"""Type stubs of the Rust extension module. Use the public classes of ``exto360`` instead."""

from typing import Any, Awaitable, Dict, List, Mapping, Optional, Sequence, Tuple

__version__: str

def render_filter(spec: Mapping[str, Any]) -> str:
    """Renders a filter's JSON form in the API's grammar; raises InvalidInputError."""

def run_cli(argv: List[str]) -> int:
    """Runs the ``exto360`` command line (program name first) in this process; returns its exit status."""

class NativeClient:
    """A core client. ``config`` keys: token, baseUrl, projectId, tenantId, workspaceId,
    timeout, maxRetries, retryWrites, rateLimit, userAgent (unset: EXTO360_* environment)."""

    def __init__(self, config: Mapping[str, Any]) -> None: ...
    def with_project(self, project_id: Optional[str]) -> "NativeClient": ...
    def describe(self) -> Dict[str, Any]:
        """base_url, project_id, tenant_id — never the token."""
    def call(self, op: str, args: Optional[Mapping[str, Any]] = None) -> Any:
        """Runs an operation (``masters.list``, ``users.get``, ...) with the GIL released."""
    def call_async(self, op: str, args: Optional[Mapping[str, Any]] = None) -> Awaitable[Any]:
        """The same, as an asyncio future (call from a coroutine)."""
    def pages(self, op: str, args: Optional[Mapping[str, Any]] = None) -> "NativePager":
        """Starts ``masters.iter``, ``modules.iter``, ``users.iter``, ``subTable.iter``,
        ``hierarchy.iter`` or ``workflow.iter``."""
    def expand(self, args: Optional[Mapping[str, Any]] = None) -> "NativePager":
        """Starts ``modules.expand``: each ``next_page`` gives one expanded record."""

class NativePager:
    def next_page(self) -> Optional[Dict[str, Any]]:
        """The next page dict (or expanded record), or None after the last."""
    def next_page_async(self) -> Awaitable[Optional[Dict[str, Any]]]: ...
    def close(self) -> None: ...

class NativeEmulator:
    url: str
    token: str
    def __init__(self, dataset: Optional[Mapping[str, Any]] = None, settings: Optional[Mapping[str, Any]] = None, token: Optional[str] = None) -> None: ...
    def journal(self) -> List[Dict[str, Any]]: ...
    def clear_journal(self) -> None: ...
    def reset(self) -> None: ...
    def set_faults(self, faults: List[Dict[str, Any]]) -> None: ...
    def configure(self, settings: Mapping[str, Any]) -> Dict[str, Any]: ...
    def load_dataset(self, dataset: Mapping[str, Any]) -> None: ...
    def records(self, kind: str, name: str) -> List[Dict[str, Any]]: ...
    def stop(self) -> None: ...

class NativeArrowStream:
    """Records as Arrow (a table, or a stream of pages), read once through the PyCapsule
    interface or ``next_batch``."""

    @property
    def num_rows(self) -> Optional[int]:
        """Rows not read yet of a table; None for a stream."""
    def __arrow_c_schema__(self) -> Any: ...
    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...
    def next_batch(self) -> Optional["NativeBatch"]:
        """The next batch (read with ``pyarrow.record_batch``), or None after the last."""

class NativeBatch:
    @property
    def num_rows(self) -> int: ...
    def __arrow_c_array__(self, requested_schema: Any = None) -> Tuple[Any, Any]: ...

def arrow_table(client: NativeClient, op: str, args: Optional[Mapping[str, Any]] = None, schema: Any = None) -> NativeArrowStream:
    """Every page of ``masters.iter``/``modules.iter`` as one table (types widened across pages)."""
def arrow_table_async(client: NativeClient, op: str, args: Optional[Mapping[str, Any]] = None, schema: Any = None) -> Awaitable[NativeArrowStream]: ...
def arrow_stream(client: NativeClient, op: str, args: Optional[Mapping[str, Any]] = None, schema: Any = None) -> NativeArrowStream:
    """A stream of batches, a page at a time (schema from the first page, or ``schema``)."""
def rows_to_arrow(rows_json: str, schema: Any = None) -> NativeArrowStream:
    """A table of rows given as the JSON text of an array."""
def upsert_arrow(client: NativeClient, op: str, args: Mapping[str, Any], data: Any) -> Dict[str, Any]:
    """Upserts the rows of ``data`` (anything with ``__arrow_c_stream__``), read in Rust."""
def upsert_arrow_async(client: NativeClient, op: str, args: Mapping[str, Any], data: Any) -> Awaitable[Dict[str, Any]]: ...

class NativeDownload:
    """An open download: ``next_chunk`` gives ``bytes`` until None; raises if the answer broke off."""

    file_name: Optional[str]
    content_type: Optional[str]
    content_length: Optional[int]
    def next_chunk(self) -> Optional[bytes]: ...
    def next_chunk_async(self) -> Awaitable[Optional[bytes]]: ...
    def close(self) -> None: ...

def upload_documents(client: NativeClient, files: Sequence[Mapping[str, Any]], args: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """Uploads ``files`` (dicts: ``{"path"}``, ``{"name", "bytes"}`` or ``{"name", "reader",
    "size"}``, each with ``name``/``contentType`` optional) with the ``documents.upload`` options
    of ``args``; answers its report or raises with ``upload`` set."""
def upload_documents_async(client: NativeClient, files: Sequence[Mapping[str, Any]], args: Optional[Mapping[str, Any]] = None) -> Awaitable[Dict[str, Any]]: ...
def open_download(client: NativeClient, id: str, version: Optional[str] = None, all: bool = False) -> NativeDownload:
    """Document ``id`` (at ``version``), or with ``all`` the zip of record ``id`` of module ``version``."""
def open_download_async(client: NativeClient, id: str, version: Optional[str] = None, all: bool = False) -> Awaitable[NativeDownload]: ...
