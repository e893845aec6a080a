"""The clients. ``Client`` blocks (with the GIL released, so threads overlap); ``AsyncClient``
returns awaitables. Both have the same resources and methods; every call goes to the Rust
core, which does the rate limiting, retries, paging and chunking."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, AsyncIterator, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union, overload

from . import _arrow, _native
from ._arrow import ArrowStreamExportable, DtypeBackend, SchemaArg
from ._edition import (
    AsyncClientEdition,
    AsyncMastersEdition,
    AsyncModulesEdition,
    AsyncSubTableEdition,
    AsyncWorkflowEdition,
    ClientEdition,
    MastersEdition,
    ModulesEdition,
    SubTableEdition,
    WorkflowEdition,
    aiterate_rows,
    iterate_rows,
)
from ._documents import AsyncDocuments, AsyncJobs, AsyncWorkspaces, Documents, Jobs, Workspaces
from ._filter import Filter, filter_arg
from ._types import BulkWriteResult, Page, Record, UpsertResult, WorkflowResult

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars
    import pyarrow
    from typing import Literal

__all__ = ["Client", "AsyncClient", "version"]

__version__ = _native.__version__


def version() -> str:
    """The version of exto360 (e.g. "0.1.0"): one number for the Rust core and every package."""
    return __version__

FilterArg = Union[Filter, str, None]
RateLimit = Union[float, int, str, bool, None]
Rows = Union[Iterable[Mapping[str, Any]], "pandas.DataFrame", "polars.DataFrame", ArrowStreamExportable]
"""Rows to write: dicts, or a pandas or polars DataFrame, or any Arrow data (read in Rust)."""


def _config(
    token: Optional[str],
    base_url: Optional[str],
    project_id: Optional[str],
    tenant_id: Optional[str],
    timeout: Optional[float],
    max_retries: Optional[int],
    rate_limit: RateLimit,
    retry_writes: Optional[bool],
    workspace_id: Optional[str],
    initial_backoff: Optional[float] = None,
    max_backoff: Optional[float] = None,
    rate_limit_store: Optional[str] = None,
    rate_limit_namespace: Optional[str] = None,
    rate_limit_fallback: Optional[str] = None,
    rate_limit_workers: Optional[int] = None,
) -> Dict[str, Any]:
    cfg: Dict[str, Any] = {"userAgent": f"exto360-python/{__version__}"}
    for key, value in (
        ("token", token),
        ("baseUrl", base_url),
        ("projectId", project_id),
        ("tenantId", tenant_id),
        ("timeout", timeout),
        ("maxRetries", max_retries),
        ("retryWrites", retry_writes),
        ("workspaceId", workspace_id),
        ("initialBackoff", initial_backoff),
        ("maxBackoff", max_backoff),
        ("rateLimitStore", rate_limit_store),
        ("rateLimitNamespace", rate_limit_namespace),
        ("rateLimitFallback", rate_limit_fallback),
        ("rateLimitWorkers", rate_limit_workers),
    ):
        if value is not None:
            cfg[key] = value
    if rate_limit is not None:
        # False, 0 and "off" turn the client-side limit off.
        cfg["rateLimit"] = None if rate_limit is False or rate_limit == 0 else rate_limit
    return cfg


def _render_filter(spec: Dict[str, Any]) -> str:
    return _native.render_filter(spec)


def _list_args(name: Optional[str], page: Optional[int], page_size: Optional[int], sort: Optional[str], status: Optional[str], filter: FilterArg, local_time_zone: Optional[str]) -> Dict[str, Any]:
    args: Dict[str, Any] = {"filter": filter_arg(filter)}
    if name is not None:
        args["name"] = name
    for k, v in (("page", page), ("pageSize", page_size), ("sort", sort), ("status", status), ("localTimeZone", local_time_zone)):
        if v is not None:
            args[k] = v
    return args


def _records(records: Iterable[Mapping[str, Any]]) -> List[Mapping[str, Any]]:
    if isinstance(records, Mapping):
        raise TypeError("records must be a list of dicts, not a single dict (wrap it in a list)")
    return list(records)


def _upsert(native: Any, op: str, args: Dict[str, Any], key: str, rows: Rows) -> UpsertResult:
    """Writes dicts through ``call``, or Arrow data (a DataFrame) column by column in Rust."""
    source = _arrow.arrow_source(rows)
    if source is not None:
        return UpsertResult._from_native(_native.upsert_arrow(native, op, args, source))
    args[key] = _records(rows)  # type: ignore[arg-type]
    return UpsertResult._from_native(native.call(op, args))


async def _upsert_async(native: Any, op: str, args: Dict[str, Any], key: str, rows: Rows) -> UpsertResult:
    source = _arrow.arrow_source(rows)
    if source is not None:
        return UpsertResult._from_native(await _native.upsert_arrow_async(native, op, args, source))
    args[key] = _records(rows)  # type: ignore[arg-type]
    return UpsertResult._from_native(await native.call_async(op, args))


def _grant(user_name: str, projects: Optional[Iterable[Union[str, Mapping[str, Any]]]], groups: Optional[Iterable[str]], profile: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    user: Dict[str, Any] = dict(profile or {})
    user["userName"] = user_name
    plist: List[Dict[str, Any]] = []
    for p in projects or []:
        if isinstance(p, str):
            plist.append({"projectId": p, "groups": [], "spaces": []})
        else:
            pid = p.get("project_id", p.get("projectId", p.get("projectID")))
            plist.append({"projectId": pid, "groups": list(p.get("groups", [])), "spaces": list(p.get("spaces", []))})
    return {"grant": {"user": user, "projects": plist, "groups": list(groups or [])}}


def _workflow_results(rows: List[Mapping[str, Any]]) -> List[WorkflowResult]:
    return [WorkflowResult(r["workflowId"], r["recordId"]) for r in rows]


class _Base:
    _native: Any

    def _describe(self) -> str:
        d = self._native.describe()
        parts = [f"base_url={d['base_url']!r}"]
        if d.get("project_id"):
            parts.append(f"project_id={d['project_id']!r}")
        if d.get("tenant_id"):
            parts.append(f"tenant_id={d['tenant_id']!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __repr__(self) -> str:
        return self._describe()


# ----------------------------------------------------------------------------------- sync


class Client(_Base, ClientEdition):
    """The Exto360 Data API client (blocking).

    Unset arguments fall back to ``EXTO360_TOKEN``, ``EXTO360_BASE_URL``,
    ``EXTO360_PROJECT_ID``, ``EXTO360_TENANT_ID``, ``EXTO360_TIMEOUT``,
    ``EXTO360_MAX_RETRIES`` and ``EXTO360_RATE_LIMIT``; then to the defaults: base URL
    ``https://platform.exto360.com/data``, timeout 60 s, 3 retries, 3 requests/second.

    ``rate_limit`` is requests per second (0.001 to 10,000), shared by every call of this
    client and its :meth:`with_project` copies; ``0``, ``False`` or ``"off"`` turn it off.
    ``timeout`` is seconds (at most one day). The wait before retry *n* is
    ``min(max_backoff, initial_backoff × 2^(n−1)) × (1 + U[0,1))`` seconds (defaults 0.5 and 8),
    or the answer's ``Retry-After`` when longer; ``max_retries`` is at most 100.

    Many processes or machines on one token: ``rate_limit_store="redis://host:6379"`` (or
    ``EXTO360_RATE_LIMIT_STORE``) shares the rate limit through Redis; ``rate_limit_namespace``
    keeps budgets apart on one Redis; if Redis cannot be reached, ``rate_limit_fallback="local"``
    (default) continues at ``rate_limit / rate_limit_workers`` with a warning and ``"fail"``
    raises :class:`APIConnectionError` without sending. ``retry_writes``
    also retries POST writes after a 5xx or a lost answer (off by default: the write may have
    happened). Safe to use from many threads; usable as a context manager.
    """

    def __init__(
        self,
        token: Optional[str] = None,
        base_url: Optional[str] = None,
        project_id: Optional[str] = None,
        tenant_id: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        rate_limit: RateLimit = None,
        *,
        retry_writes: Optional[bool] = None,
        workspace_id: Optional[str] = None,
        initial_backoff: Optional[float] = None,
        max_backoff: Optional[float] = None,
        rate_limit_store: Optional[str] = None,
        rate_limit_namespace: Optional[str] = None,
        rate_limit_fallback: Optional[str] = None,
        rate_limit_workers: Optional[int] = None,
        _native_client: Any = None,
    ) -> None:
        self._native = _native_client or _native.NativeClient(
            _config(
                token, base_url, project_id, tenant_id, timeout, max_retries, rate_limit, retry_writes, workspace_id,
                initial_backoff, max_backoff, rate_limit_store, rate_limit_namespace, rate_limit_fallback, rate_limit_workers,
            )
        )

    def with_project(self, project_id: Optional[str]) -> "Client":
        """A copy scoped to another project (``None``: tenant scope), sharing the settings."""
        return type(self)(_native_client=self._native.with_project(project_id))

    def masters(self, name: str) -> "Masters":
        """Records of the master ``name`` (e.g. ``"LOCATION"``)."""
        return Masters(self._native, name)

    def modules(self, name: str) -> "Modules":
        """Records of the custom module ``name`` (e.g. ``"CUSTOMMODULE"``)."""
        return Modules(self._native, name)

    def sub_table(self, table_id: str) -> "SubTable":
        return SubTable(self._native, table_id)

    def workflow(self, module: str) -> "Workflow":
        return Workflow(self._native, module)

    @property
    def users(self) -> "Users":
        return Users(self._native)

    @property
    def health(self) -> "Health":
        return Health(self._native)

    @property
    def documents(self) -> Documents:
        """Files attached to records: upload (paths, bytes, file objects), download to a path or as chunks."""
        return Documents(self._native)

    @property
    def workspaces(self) -> Workspaces:
        return Workspaces(self._native)

    @property
    def jobs(self) -> Jobs:
        """Job status and log lines; ``with client.jobs.run(title, type) as job:`` reports a block as a job."""
        return Jobs(self._native)

    def close(self) -> None:
        """Nothing to release eagerly; present for symmetry with other clients."""

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class _Records:
    _kind = "masters"

    def __init__(self, native: Any, name: str) -> None:
        self._native = native
        self.name = name

    def list(
        self,
        *,
        page: int = 1,
        page_size: int = 1000,
        sort: Optional[str] = None,
        status: Optional[str] = None,
        filter: FilterArg = None,
        local_time_zone: Optional[str] = None,
    ) -> Page[Record]:
        """One page. ``sort="-field"`` sorts descending; ``filter`` is a :class:`Filter` or a raw
        string; ``local_time_zone`` (IANA) is required when the filter compares dates."""
        d = self._native.call(f"{self._kind}.list", _list_args(self.name, page, page_size, sort, status, filter, local_time_zone))
        return Page._from_native(d)

    def pages(
        self,
        *,
        page: int = 1,
        page_size: int = 1000,
        sort: Optional[str] = None,
        status: Optional[str] = None,
        filter: FilterArg = None,
        local_time_zone: Optional[str] = None,
    ) -> Iterator[Page[Record]]:
        """Every page from ``page`` on, fetched one ahead in the background."""
        pager = self._native.pages(f"{self._kind}.iter", _list_args(self.name, page, page_size, sort, status, filter, local_time_zone))
        try:
            while True:
                d = pager.next_page()
                if d is None:
                    return
                yield Page._from_native(d)
        finally:
            pager.close()

    def iter(
        self,
        *,
        page: int = 1,
        page_size: int = 1000,
        sort: Optional[str] = None,
        status: Optional[str] = None,
        filter: FilterArg = None,
        local_time_zone: Optional[str] = None,
    ) -> Iterator[Record]:
        """Every record, page after page, with bounded memory."""
        for p in self.pages(page=page, page_size=page_size, sort=sort, status=status, filter=filter, local_time_zone=local_time_zone):
            yield from p.rows

    @overload
    def to_arrow(self, *, page: int = ..., page_size: int = ..., sort: Optional[str] = ..., status: Optional[str] = ..., filter: FilterArg = ...,
                 local_time_zone: Optional[str] = ..., schema: SchemaArg = ..., stream: "Literal[False]" = ...) -> "pyarrow.Table": ...
    @overload
    def to_arrow(self, *, page: int = ..., page_size: int = ..., sort: Optional[str] = ..., status: Optional[str] = ..., filter: FilterArg = ...,
                 local_time_zone: Optional[str] = ..., schema: SchemaArg = ..., stream: "Literal[True]") -> "pyarrow.RecordBatchReader": ...
    def to_arrow(
        self,
        *,
        page: int = 1,
        page_size: int = 1000,
        sort: Optional[str] = None,
        status: Optional[str] = None,
        filter: FilterArg = None,
        local_time_zone: Optional[str] = None,
        schema: SchemaArg = None,
        stream: bool = False,
    ) -> Any:
        """Every record as a ``pyarrow.Table``: record attributes typed (``createdAt`` a UTC
        timestamp, ...), one column per custom field, types inferred and widened across pages
        (int → float → string; a field that is sometimes a list holds JSON text), or those of
        ``schema`` (a ``pyarrow.Schema`` or ``{name: type}``: its columns only; a value that does
        not fit raises). Pages are read into Arrow columns as they arrive, never as dicts.

        ``stream=True`` returns a ``pyarrow.RecordBatchReader`` that reads a page per batch
        (memory of one page); its schema is ``schema``, or that of the first page — a later page
        that needs more raises :class:`~exto360.InvalidInputError` naming the field.
        Needs pyarrow (``pip install "exto360[arrow]"``)."""
        args = _list_args(self.name, page, page_size, sort, status, filter, local_time_zone)
        if stream:
            _arrow.require("pyarrow", "to_arrow(stream=True)")
            return _arrow.to_reader(_native.arrow_stream(self._native, f"{self._kind}.iter", args, _arrow.schema_arg(schema)))
        _arrow.require("pyarrow", "to_arrow()")
        return _arrow.to_table(_native.arrow_table(self._native, f"{self._kind}.iter", args, _arrow.schema_arg(schema)))

    def to_pandas(
        self,
        *,
        page: int = 1,
        page_size: int = 1000,
        sort: Optional[str] = None,
        status: Optional[str] = None,
        filter: FilterArg = None,
        local_time_zone: Optional[str] = None,
        schema: SchemaArg = None,
        dtype_backend: Optional[DtypeBackend] = None,
    ) -> "pandas.DataFrame":
        """Every record as a pandas DataFrame, built from the Arrow columns of :meth:`to_arrow`.
        ``dtype_backend`` as in pandas' readers: ``None`` (NumPy dtypes; integers with nulls
        become floats), ``"numpy_nullable"`` or ``"pyarrow"``. Needs pandas and pyarrow
        (``pip install "exto360[pandas]"``)."""
        _arrow.require("pandas", "to_pandas()")
        _arrow.require("pyarrow", "to_pandas()")
        args = _list_args(self.name, page, page_size, sort, status, filter, local_time_zone)
        return _arrow.to_pandas(_native.arrow_table(self._native, f"{self._kind}.iter", args, _arrow.schema_arg(schema)), dtype_backend)

    def to_polars(
        self,
        *,
        page: int = 1,
        page_size: int = 1000,
        sort: Optional[str] = None,
        status: Optional[str] = None,
        filter: FilterArg = None,
        local_time_zone: Optional[str] = None,
        schema: SchemaArg = None,
    ) -> "polars.DataFrame":
        """Every record as a polars DataFrame (the columns of :meth:`to_arrow`, handed over
        without pyarrow). Needs polars (``pip install "exto360[polars]"``)."""
        _arrow.require("polars", "to_polars()")
        args = _list_args(self.name, page, page_size, sort, status, filter, local_time_zone)
        return _arrow.to_polars(_native.arrow_table(self._native, f"{self._kind}.iter", args, _arrow.schema_arg(schema)))


class Masters(_Records, MastersEdition):
    """``client.masters(name)``."""

    _kind = "masters"

    def upsert(self, records: Rows) -> UpsertResult:
        """Inserts or updates any number of records (flat ``{field: value}`` dicts); a record
        carrying a unique field updates the record with the same value. Sent 1000 per request.
        Raises :class:`~exto360.BulkWriteError` if part was written before a failure; its
        report counts rows by their position in ``records``.

        ``records`` may be a pandas or polars DataFrame (or any Arrow data with
        ``__arrow_c_stream__``): its columns are written in Rust, each row an object of its
        columns — NaN, NaT and None as null, date-times as ISO 8601 in UTC, dates as
        ``YYYY-MM-DD``, numbers exactly. A pandas DataFrame needs pyarrow; its index is not sent."""
        return _upsert(self._native, "masters.upsert", {"name": self.name}, "records", records)


class Modules(_Records, ModulesEdition):
    """``client.modules(name)``."""

    _kind = "modules"

    def upsert(self, records: Rows, *, user_name: str) -> UpsertResult:
        """Like :meth:`Masters.upsert` (dicts or a DataFrame), acting as ``user_name`` (an active user)."""
        return _upsert(self._native, "modules.upsert", {"name": self.name, "userName": user_name}, "records", records)


class SubTable(SubTableEdition):
    """``client.sub_table(table_id)``."""

    def __init__(self, native: Any, table_id: str) -> None:
        self._native = native
        self.table_id = table_id

    def upsert(self, rows: Rows, *, module_name: str, record_id: str) -> UpsertResult:
        """Writes rows (dicts or a DataFrame, as :meth:`Masters.upsert`) under the module record
        ``record_id`` (its ``_id``) of ``module_name``."""
        return _upsert(self._native, "subTable.upsert", {"tableId": self.table_id, "moduleName": module_name, "recordId": record_id}, "rows", rows)


class Workflow(WorkflowEdition):
    """``client.workflow(module)``."""

    def __init__(self, native: Any, module: str) -> None:
        self._native = native
        self.module = module

    def act(self, record_ids: Iterable[str], *, action: str, user_name: str, space_name: Optional[str] = None) -> List[WorkflowResult]:
        """Applies ``action`` (e.g. ``"Approve"``) to records, 100 per request, in order. Not
        retried after a 5xx or a lost answer (unless ``retry_writes``): it could apply twice.
        ``space_name`` is required when the client is scoped to a project."""
        args = {"module": self.module, "recordIds": list(record_ids), "action": action, "userName": user_name, "spaceName": space_name}
        return _workflow_results(self._native.call("workflow.act", args))


class Users:
    """``client.users``: users and their access."""

    def __init__(self, native: Any) -> None:
        self._native = native

    def grant_access(
        self,
        user_name: str,
        *,
        projects: Optional[Iterable[Union[str, Mapping[str, Any]]]] = None,
        groups: Optional[Iterable[str]] = None,
        profile: Optional[Mapping[str, Any]] = None,
    ) -> UpsertResult:
        """Grants ``user_name`` (an e-mail address) access to ``projects`` (ids, or dicts with
        ``project_id``, ``groups``, ``spaces``) and tenant ``groups``; creates the user from
        ``profile`` (API field names: ``firstName``, ``applicationRole``, ...) when new."""
        return UpsertResult._from_native(self._native.call("users.grantAccess", _grant(user_name, projects, groups, profile)))

    def list(self, *, page: int = 1, page_size: int = 1000) -> Page[Dict[str, Any]]:
        """One page of users: ``{"user": {...}, "groups": [...], "projects": [...]}`` dicts."""
        return Page._from_native(self._native.call("users.list", {"page": page, "pageSize": page_size}))

    def iter(self, *, page_size: int = 1000) -> Iterator[Dict[str, Any]]:
        """Every user."""
        return iterate_rows(self._native, "users.iter", {"pageSize": page_size})

    def get(self, username: str) -> Dict[str, Any]:
        """One user's profile, groups and projects."""
        out: Dict[str, Any] = self._native.call("users.get", {"username": username})
        return out

    def groups(self, *, only_project_groups: bool = False) -> Dict[str, Any]:
        """``{"projects": [{"projectID", "groups", "spaces"}], "groups": [...]}``."""
        out: Dict[str, Any] = self._native.call("users.groups", {"onlyProjectGroups": only_project_groups})
        return out

    def activate(self, usernames: Iterable[str]) -> BulkWriteResult:
        """Activates any number of users (1000 per request)."""
        return BulkWriteResult._from_native(self._native.call("users.activate", {"usernames": list(usernames)}))

    def deactivate(self, usernames: Iterable[str]) -> BulkWriteResult:
        """Deactivates any number of users; their access is kept."""
        return BulkWriteResult._from_native(self._native.call("users.deactivate", {"usernames": list(usernames)}))

    def remove_access(self, username: str, projects: Sequence[str], groups: Optional[Sequence[str]] = None) -> Dict[str, Any]:
        """Removes the user from projects and groups (at most 100 each)."""
        out: Dict[str, Any] = self._native.call("users.removeAccess", {"username": username, "projects": list(projects), "groups": list(groups or [])})
        return out

    def remove_project_access(self, username: str, project_ids: Sequence[str]) -> Dict[str, Any]:
        """Removes the user from projects (at most 100)."""
        out: Dict[str, Any] = self._native.call("users.removeProjectAccess", {"username": username, "projectIds": list(project_ids)})
        return out


class Health:
    """``client.health``."""

    def __init__(self, native: Any) -> None:
        self._native = native

    def liveness(self) -> Dict[str, Any]:
        out: Dict[str, Any] = self._native.call("health.liveness")
        return out

    def readiness(self) -> Dict[str, Any]:
        out: Dict[str, Any] = self._native.call("health.readiness")
        return out


# ---------------------------------------------------------------------------------- async


class AsyncClient(_Base, AsyncClientEdition):
    """The asyncio client: the same surface as :class:`Client`, every call awaitable, ``iter``
    an async iterator. Cancelling a call cancels the work in the core."""

    def __init__(
        self,
        token: Optional[str] = None,
        base_url: Optional[str] = None,
        project_id: Optional[str] = None,
        tenant_id: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        rate_limit: RateLimit = None,
        *,
        retry_writes: Optional[bool] = None,
        workspace_id: Optional[str] = None,
        initial_backoff: Optional[float] = None,
        max_backoff: Optional[float] = None,
        rate_limit_store: Optional[str] = None,
        rate_limit_namespace: Optional[str] = None,
        rate_limit_fallback: Optional[str] = None,
        rate_limit_workers: Optional[int] = None,
        _native_client: Any = None,
    ) -> None:
        self._native = _native_client or _native.NativeClient(
            _config(
                token, base_url, project_id, tenant_id, timeout, max_retries, rate_limit, retry_writes, workspace_id,
                initial_backoff, max_backoff, rate_limit_store, rate_limit_namespace, rate_limit_fallback, rate_limit_workers,
            )
        )

    def with_project(self, project_id: Optional[str]) -> "AsyncClient":
        return type(self)(_native_client=self._native.with_project(project_id))

    def masters(self, name: str) -> "AsyncMasters":
        return AsyncMasters(self._native, name)

    def modules(self, name: str) -> "AsyncModules":
        return AsyncModules(self._native, name)

    def sub_table(self, table_id: str) -> "AsyncSubTable":
        return AsyncSubTable(self._native, table_id)

    def workflow(self, module: str) -> "AsyncWorkflow":
        return AsyncWorkflow(self._native, module)

    @property
    def users(self) -> "AsyncUsers":
        return AsyncUsers(self._native)

    @property
    def health(self) -> "AsyncHealth":
        return AsyncHealth(self._native)

    @property
    def documents(self) -> AsyncDocuments:
        return AsyncDocuments(self._native)

    @property
    def workspaces(self) -> AsyncWorkspaces:
        return AsyncWorkspaces(self._native)

    @property
    def jobs(self) -> AsyncJobs:
        return AsyncJobs(self._native)

    async def close(self) -> None:
        """Nothing to release eagerly; present for ``async with``."""

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()


class _AsyncRecords:
    _kind = "masters"

    def __init__(self, native: Any, name: str) -> None:
        self._native = native
        self.name = name

    async def list(
        self,
        *,
        page: int = 1,
        page_size: int = 1000,
        sort: Optional[str] = None,
        status: Optional[str] = None,
        filter: FilterArg = None,
        local_time_zone: Optional[str] = None,
    ) -> Page[Record]:
        d = await self._native.call_async(f"{self._kind}.list", _list_args(self.name, page, page_size, sort, status, filter, local_time_zone))
        return Page._from_native(d)

    async def pages(
        self,
        *,
        page: int = 1,
        page_size: int = 1000,
        sort: Optional[str] = None,
        status: Optional[str] = None,
        filter: FilterArg = None,
        local_time_zone: Optional[str] = None,
    ) -> AsyncIterator[Page[Record]]:
        pager = self._native.pages(f"{self._kind}.iter", _list_args(self.name, page, page_size, sort, status, filter, local_time_zone))
        try:
            while True:
                d = await pager.next_page_async()
                if d is None:
                    return
                yield Page._from_native(d)
        finally:
            pager.close()

    async def iter(
        self,
        *,
        page: int = 1,
        page_size: int = 1000,
        sort: Optional[str] = None,
        status: Optional[str] = None,
        filter: FilterArg = None,
        local_time_zone: Optional[str] = None,
    ) -> AsyncIterator[Record]:
        async for p in self.pages(page=page, page_size=page_size, sort=sort, status=status, filter=filter, local_time_zone=local_time_zone):
            for r in p.rows:
                yield r

    async def _table(self, page: int, page_size: int, sort: Optional[str], status: Optional[str], filter: FilterArg, local_time_zone: Optional[str], schema: SchemaArg) -> Any:
        args = _list_args(self.name, page, page_size, sort, status, filter, local_time_zone)
        return await _native.arrow_table_async(self._native, f"{self._kind}.iter", args, _arrow.schema_arg(schema))

    async def to_arrow(
        self,
        *,
        page: int = 1,
        page_size: int = 1000,
        sort: Optional[str] = None,
        status: Optional[str] = None,
        filter: FilterArg = None,
        local_time_zone: Optional[str] = None,
        schema: SchemaArg = None,
    ) -> "pyarrow.Table":
        """Every record as a ``pyarrow.Table`` (see :meth:`Client.masters` ``.to_arrow``)."""
        _arrow.require("pyarrow", "to_arrow()")
        return _arrow.to_table(await self._table(page, page_size, sort, status, filter, local_time_zone, schema))

    async def to_pandas(
        self,
        *,
        page: int = 1,
        page_size: int = 1000,
        sort: Optional[str] = None,
        status: Optional[str] = None,
        filter: FilterArg = None,
        local_time_zone: Optional[str] = None,
        schema: SchemaArg = None,
        dtype_backend: Optional[DtypeBackend] = None,
    ) -> "pandas.DataFrame":
        _arrow.require("pandas", "to_pandas()")
        _arrow.require("pyarrow", "to_pandas()")
        return _arrow.to_pandas(await self._table(page, page_size, sort, status, filter, local_time_zone, schema), dtype_backend)

    async def to_polars(
        self,
        *,
        page: int = 1,
        page_size: int = 1000,
        sort: Optional[str] = None,
        status: Optional[str] = None,
        filter: FilterArg = None,
        local_time_zone: Optional[str] = None,
        schema: SchemaArg = None,
    ) -> "polars.DataFrame":
        _arrow.require("polars", "to_polars()")
        return _arrow.to_polars(await self._table(page, page_size, sort, status, filter, local_time_zone, schema))


class AsyncMasters(_AsyncRecords, AsyncMastersEdition):
    _kind = "masters"

    async def upsert(self, records: Rows) -> UpsertResult:
        return await _upsert_async(self._native, "masters.upsert", {"name": self.name}, "records", records)


class AsyncModules(_AsyncRecords, AsyncModulesEdition):
    _kind = "modules"

    async def upsert(self, records: Rows, *, user_name: str) -> UpsertResult:
        return await _upsert_async(self._native, "modules.upsert", {"name": self.name, "userName": user_name}, "records", records)


class AsyncSubTable(AsyncSubTableEdition):
    def __init__(self, native: Any, table_id: str) -> None:
        self._native = native
        self.table_id = table_id

    async def upsert(self, rows: Rows, *, module_name: str, record_id: str) -> UpsertResult:
        return await _upsert_async(self._native, "subTable.upsert", {"tableId": self.table_id, "moduleName": module_name, "recordId": record_id}, "rows", rows)


class AsyncWorkflow(AsyncWorkflowEdition):
    def __init__(self, native: Any, module: str) -> None:
        self._native = native
        self.module = module

    async def act(self, record_ids: Iterable[str], *, action: str, user_name: str, space_name: Optional[str] = None) -> List[WorkflowResult]:
        args = {"module": self.module, "recordIds": list(record_ids), "action": action, "userName": user_name, "spaceName": space_name}
        return _workflow_results(await self._native.call_async("workflow.act", args))


class AsyncUsers:
    def __init__(self, native: Any) -> None:
        self._native = native

    async def grant_access(
        self,
        user_name: str,
        *,
        projects: Optional[Iterable[Union[str, Mapping[str, Any]]]] = None,
        groups: Optional[Iterable[str]] = None,
        profile: Optional[Mapping[str, Any]] = None,
    ) -> UpsertResult:
        return UpsertResult._from_native(await self._native.call_async("users.grantAccess", _grant(user_name, projects, groups, profile)))

    async def list(self, *, page: int = 1, page_size: int = 1000) -> Page[Dict[str, Any]]:
        return Page._from_native(await self._native.call_async("users.list", {"page": page, "pageSize": page_size}))

    def iter(self, *, page_size: int = 1000) -> AsyncIterator[Dict[str, Any]]:
        return aiterate_rows(self._native, "users.iter", {"pageSize": page_size})

    async def get(self, username: str) -> Dict[str, Any]:
        out: Dict[str, Any] = await self._native.call_async("users.get", {"username": username})
        return out

    async def groups(self, *, only_project_groups: bool = False) -> Dict[str, Any]:
        out: Dict[str, Any] = await self._native.call_async("users.groups", {"onlyProjectGroups": only_project_groups})
        return out

    async def activate(self, usernames: Iterable[str]) -> BulkWriteResult:
        return BulkWriteResult._from_native(await self._native.call_async("users.activate", {"usernames": list(usernames)}))

    async def deactivate(self, usernames: Iterable[str]) -> BulkWriteResult:
        return BulkWriteResult._from_native(await self._native.call_async("users.deactivate", {"usernames": list(usernames)}))

    async def remove_access(self, username: str, projects: Sequence[str], groups: Optional[Sequence[str]] = None) -> Dict[str, Any]:
        out: Dict[str, Any] = await self._native.call_async("users.removeAccess", {"username": username, "projects": list(projects), "groups": list(groups or [])})
        return out

    async def remove_project_access(self, username: str, project_ids: Sequence[str]) -> Dict[str, Any]:
        out: Dict[str, Any] = await self._native.call_async("users.removeProjectAccess", {"username": username, "projectIds": list(project_ids)})
        return out


class AsyncHealth:
    def __init__(self, native: Any) -> None:
        self._native = native

    async def liveness(self) -> Dict[str, Any]:
        out: Dict[str, Any] = await self._native.call_async("health.liveness")
        return out

    async def readiness(self) -> Dict[str, Any]:
        out: Dict[str, Any] = await self._native.call_async("health.readiness")
        return out

