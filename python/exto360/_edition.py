"""The current edition of the API, for :class:`Client` and :class:`AsyncClient`: updates and
deletes of records, ``expand`` (module records with every sub-table row), sub-table reads and
deletes, hierarchy masters, the v2 workflow and build info. Mixed into the resource classes of
``_client``; every call goes to the Rust core like the rest."""

from __future__ import annotations

from typing import Any, AsyncIterator, Dict, Iterable, Iterator, List, Literal, Mapping, Optional, Sequence, Union

from ._filter import Filter, filter_arg
from ._types import DeleteResult, Page, Record, UpsertResult

__all__ = ["RecordKey", "Step", "Hierarchy", "AsyncHierarchy"]

RecordKey = Literal["refId", "recordNumber"]
"""How records are named in updates and deletes. The two editions of the docs disagree
(``refId`` on the [V] masters page, ``recordNumber`` in its reference), so you say which."""

Step = Literal["create", "submit", "return", "reopen", "revision"]
"""The v2 workflow actions."""

FilterArg = Union[Filter, str, None]


def _list(items: Iterable[Any], what: str) -> List[Any]:
    if isinstance(items, (str, bytes, Mapping)):
        raise TypeError(f"{what} must be a list, not a single {type(items).__name__} (wrap it in a list)")
    return list(items)


def _expand_args(name: str, record_ids: Optional[Iterable[str]], page: int, page_size: int, fields: Optional[Sequence[str]], sub_table_fields: Optional[Sequence[str]], sub_table_page_size: int, query: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    args: Dict[str, Any] = {"name": name, "page": page, "pageSize": page_size, "subTablePageSize": sub_table_page_size}
    if record_ids is not None:
        args["recordIds"] = _list(record_ids, "record_ids")
    if fields is not None:
        args["fields"] = _list(fields, "fields")
    if sub_table_fields is not None:
        args["subTableFields"] = _list(sub_table_fields, "sub_table_fields")
    if query is not None:
        args["query"] = dict(query) if isinstance(query, Mapping) else query
    return args


def _workflow_args(module: str, page: int, page_size: int, record_number: Optional[str], status: Optional[str], responsible_user: Optional[str], responsible_group: Optional[str], filter: FilterArg) -> Dict[str, Any]:
    args: Dict[str, Any] = {"module": module, "page": page, "pageSize": page_size, "filter": filter_arg(filter)}
    for k, v in (("recordNumber", record_number), ("status", status), ("responsibleUser", responsible_user), ("responsibleGroup", responsible_group)):
        if v is not None:
            args[k] = v
    return args


def _transition_args(module: str, step: str, record_id: str, user_name: str, action_name: Optional[str], space_name: Optional[str], assignee_users: Optional[Iterable[str]], assignee_groups: Optional[Iterable[str]], comment: Optional[str], comment_private: bool) -> Dict[str, Any]:
    args: Dict[str, Any] = {"module": module, "step": step, "recordId": record_id, "userName": user_name, "actionName": action_name, "spaceName": space_name}
    if assignee_users is not None or assignee_groups is not None:
        args["assignee"] = {"users": _list(assignee_users or [], "assignee_users"), "groups": _list(assignee_groups or [], "assignee_groups")}
    if comment is not None:
        args["comment"] = {"text": comment, "isPrivate": comment_private}
    return args


def iterate_rows(native: Any, op: str, args: Dict[str, Any]) -> Iterator[Dict[str, Any]]:
    """The rows of every page of an iteration op, with the pager closed at the end."""
    pager = native.pages(op, args)
    try:
        while True:
            d = pager.next_page()
            if d is None:
                return
            yield from d["rows"]
    finally:
        pager.close()


async def aiterate_rows(native: Any, op: str, args: Dict[str, Any]) -> AsyncIterator[Dict[str, Any]]:
    """`iterate_rows` for asyncio."""
    pager = native.pages(op, args)
    try:
        while True:
            d = await pager.next_page_async()
            if d is None:
                return
            for r in d["rows"]:
                yield r
    finally:
        pager.close()


# ----------------------------------------------------------------------------------- sync


class ClientEdition:
    _native: Any

    def build_info(self) -> Dict[str, Any]:
        """The server build's metadata: ``name``, ``version``, ``branch``, ``commit``, ``date``."""
        out: Dict[str, Any] = self._native.call("build.info")
        return out

    def hierarchy(self, name: str) -> "Hierarchy":
        """Rows of the hierarchy master ``name`` (e.g. ``"ORG_UNIT"``)."""
        return Hierarchy(self._native, name)


class MastersEdition:
    _native: Any
    name: str

    def update(self, records: Iterable[Mapping[str, Any]], *, key: RecordKey) -> UpsertResult:
        """Updates any number of records (1000 per request): each dict names its record by
        ``key`` (``"refId"`` or ``"recordNumber"``) and carries the fields to change; ``_id`` is
        refused. Retried like a read (an update sets the same values however often it is sent).
        ``updated_count`` says how many records were found. Raises
        :class:`~exto360.BulkWriteError` when part was written before a failure."""
        return UpsertResult._from_native(self._native.call("masters.update", {"name": self.name, "records": _list(records, "records"), "key": key}))

    def delete(self, ids: Iterable[str], *, key: RecordKey, user_name: str) -> DeleteResult:
        """Deletes any number of records named by ``key``, acting as ``user_name``. A user
        without the delete permission raises :class:`~exto360.PermissionDeniedError` (the API
        answers 200 with ``"success": false``). A retry that finds nothing left to delete counts
        as deleted (an earlier attempt did it)."""
        args = {"name": self.name, "ids": _list(ids, "ids"), "key": key, "userName": user_name}
        return DeleteResult._from_native(self._native.call("masters.delete", args))


class ModulesEdition:
    _native: Any
    name: str

    def update(self, records: Iterable[Mapping[str, Any]], *, key: RecordKey, user_name: str) -> UpsertResult:
        """Like :meth:`Masters.update`, acting as ``user_name``."""
        args = {"name": self.name, "records": _list(records, "records"), "key": key, "userName": user_name}
        return UpsertResult._from_native(self._native.call("modules.update", args))

    def delete(self, ids: Iterable[str], *, key: RecordKey, user_name: str) -> DeleteResult:
        """Like :meth:`Masters.delete` (the API answers 404 when no record matches)."""
        args = {"name": self.name, "ids": _list(ids, "ids"), "key": key, "userName": user_name}
        return DeleteResult._from_native(self._native.call("modules.delete", args))

    def expand(
        self,
        *,
        record_ids: Optional[Iterable[str]] = None,
        page: int = 1,
        page_size: int = 50,
        fields: Optional[Sequence[str]] = None,
        sub_table_fields: Optional[Sequence[str]] = None,
        sub_table_page_size: int = 100,
        query: Optional[Mapping[str, Any]] = None,
    ) -> Iterator[Record]:
        """Every matching record with all its sub-table rows, one at a time:
        ``record["subTableData"]["Lines"]["rows"]`` is the complete list. Rows are read page by
        page (``sub_table_page_size`` ≤ 100) before a record is handed out; records come
        ``page_size`` (≤ 100) per request, one page ahead. ``fields``/``sub_table_fields`` are
        sparse fieldsets (``["recordNumber"]`` keeps, ``["-customFields"]`` drops); ``query`` a
        Mongo-style filter."""
        pager = self._native.expand(_expand_args(self.name, record_ids, page, page_size, fields, sub_table_fields, sub_table_page_size, query))
        try:
            while True:
                rec = pager.next_page()
                if rec is None:
                    return
                yield rec
        finally:
            pager.close()


class SubTableEdition:
    _native: Any
    table_id: str

    def list(self, *, module_name: str, record_id: str, page: int = 1, page_size: int = 1000) -> Page[Dict[str, Any]]:
        """One page of the rows of the record ``record_id`` of ``module_name``."""
        args = {"tableId": self.table_id, "moduleName": module_name, "recordId": record_id, "page": page, "pageSize": page_size}
        return Page._from_native(self._native.call("subTable.list", args))

    def iter(self, *, module_name: str, record_id: str, page_size: int = 1000) -> Iterator[Dict[str, Any]]:
        """Every row of the record's table, with bounded memory."""
        return iterate_rows(self._native, "subTable.iter", {"tableId": self.table_id, "moduleName": module_name, "recordId": record_id, "pageSize": page_size})

    def delete(self, record_numbers: Iterable[str], *, module_name: str, record_id: str) -> DeleteResult:
        """Deletes rows by ``recordNumber`` (any number, 1000 per request); rows already gone are skipped."""
        args = {"tableId": self.table_id, "recordNumbers": _list(record_numbers, "record_numbers"), "moduleName": module_name, "recordId": record_id}
        return DeleteResult._from_native(self._native.call("subTable.delete", args))


class WorkflowEdition:
    _native: Any
    module: str

    def list(
        self,
        *,
        page: int = 1,
        page_size: int = 100,
        record_number: Optional[str] = None,
        status: Optional[str] = None,
        responsible_user: Optional[str] = None,
        responsible_group: Optional[str] = None,
        filter: FilterArg = None,
    ) -> Page[Dict[str, Any]]:
        """One page of the v2 workflow list (the client must be scoped to a project). A
        :class:`Filter` is sent with its AND-groups in parentheses (the v2 DSL); a string as is."""
        args = _workflow_args(self.module, page, page_size, record_number, status, responsible_user, responsible_group, filter)
        return Page._from_native(self._native.call("workflow.list", args))

    def iter(
        self,
        *,
        page_size: int = 100,
        record_number: Optional[str] = None,
        status: Optional[str] = None,
        responsible_user: Optional[str] = None,
        responsible_group: Optional[str] = None,
        filter: FilterArg = None,
    ) -> Iterator[Dict[str, Any]]:
        """Every row of the v2 workflow list."""
        return iterate_rows(self._native, "workflow.iter", _workflow_args(self.module, 1, page_size, record_number, status, responsible_user, responsible_group, filter))

    def history(self, record_number: str) -> Dict[str, Any]:
        """The step history of one record, as the API answers it."""
        out: Dict[str, Any] = self._native.call("workflow.history", {"module": self.module, "recordNumber": record_number})
        return out

    def transition(
        self,
        step: Step,
        record_id: str,
        *,
        user_name: str,
        action_name: Optional[str] = None,
        space_name: Optional[str] = None,
        assignee_users: Optional[Iterable[str]] = None,
        assignee_groups: Optional[Iterable[str]] = None,
        comment: Optional[str] = None,
        comment_private: bool = False,
    ) -> Dict[str, Any]:
        """Takes a v2 action (``"create"``, ``"submit"``, ``"return"``, ``"reopen"``,
        ``"revision"``) on one record (its ``_id`` or ``recordNumber``). ``action_name`` is
        required except for a revision, which takes no assignee; ``space_name`` is required in a
        project scope. Not retried after a 5xx unless ``retry_writes``."""
        args = _transition_args(self.module, step, record_id, user_name, action_name, space_name, assignee_users, assignee_groups, comment, comment_private)
        out: Dict[str, Any] = self._native.call("workflow.transition", args)
        return out


class Hierarchy:
    """``client.hierarchy(name)``: rows with ``sys_rowID``, ``sys_parentRowID`` and ``sys_path``."""

    def __init__(self, native: Any, name: str) -> None:
        self._native = native
        self.name = name

    def list(self, *, page: int = 1, page_size: int = 1000) -> Page[Record]:
        return Page._from_native(self._native.call("hierarchy.list", {"name": self.name, "page": page, "pageSize": page_size}))

    def iter(self, *, page_size: int = 1000) -> Iterator[Record]:
        return iterate_rows(self._native, "hierarchy.iter", {"name": self.name, "pageSize": page_size})

    def create(self, rows: Iterable[Mapping[str, Any]]) -> UpsertResult:
        """Creates rows (optionally with ``sys_rowID`` and ``sys_parentRowID``), 1000 per
        request, one request after another, so a row may name a parent created before it."""
        return UpsertResult._from_native(self._native.call("hierarchy.create", {"name": self.name, "rows": _list(rows, "rows")}))

    def update(self, rows: Iterable[Mapping[str, Any]]) -> UpsertResult:
        """Updates rows named by ``sys_rowID``; a new ``sys_parentRowID`` moves the row."""
        return UpsertResult._from_native(self._native.call("hierarchy.update", {"name": self.name, "rows": _list(rows, "rows")}))


# ---------------------------------------------------------------------------------- async


class AsyncClientEdition:
    _native: Any

    async def build_info(self) -> Dict[str, Any]:
        out: Dict[str, Any] = await self._native.call_async("build.info")
        return out

    def hierarchy(self, name: str) -> "AsyncHierarchy":
        return AsyncHierarchy(self._native, name)


class AsyncMastersEdition:
    _native: Any
    name: str

    async def update(self, records: Iterable[Mapping[str, Any]], *, key: RecordKey) -> UpsertResult:
        return UpsertResult._from_native(await self._native.call_async("masters.update", {"name": self.name, "records": _list(records, "records"), "key": key}))

    async def delete(self, ids: Iterable[str], *, key: RecordKey, user_name: str) -> DeleteResult:
        args = {"name": self.name, "ids": _list(ids, "ids"), "key": key, "userName": user_name}
        return DeleteResult._from_native(await self._native.call_async("masters.delete", args))


class AsyncModulesEdition:
    _native: Any
    name: str

    async def update(self, records: Iterable[Mapping[str, Any]], *, key: RecordKey, user_name: str) -> UpsertResult:
        args = {"name": self.name, "records": _list(records, "records"), "key": key, "userName": user_name}
        return UpsertResult._from_native(await self._native.call_async("modules.update", args))

    async def delete(self, ids: Iterable[str], *, key: RecordKey, user_name: str) -> DeleteResult:
        args = {"name": self.name, "ids": _list(ids, "ids"), "key": key, "userName": user_name}
        return DeleteResult._from_native(await self._native.call_async("modules.delete", args))

    async def expand(
        self,
        *,
        record_ids: Optional[Iterable[str]] = None,
        page: int = 1,
        page_size: int = 50,
        fields: Optional[Sequence[str]] = None,
        sub_table_fields: Optional[Sequence[str]] = None,
        sub_table_page_size: int = 100,
        query: Optional[Mapping[str, Any]] = None,
    ) -> AsyncIterator[Record]:
        pager = self._native.expand(_expand_args(self.name, record_ids, page, page_size, fields, sub_table_fields, sub_table_page_size, query))
        try:
            while True:
                rec = await pager.next_page_async()
                if rec is None:
                    return
                yield rec
        finally:
            pager.close()


class AsyncSubTableEdition:
    _native: Any
    table_id: str

    async def list(self, *, module_name: str, record_id: str, page: int = 1, page_size: int = 1000) -> Page[Dict[str, Any]]:
        args = {"tableId": self.table_id, "moduleName": module_name, "recordId": record_id, "page": page, "pageSize": page_size}
        return Page._from_native(await self._native.call_async("subTable.list", args))

    def iter(self, *, module_name: str, record_id: str, page_size: int = 1000) -> AsyncIterator[Dict[str, Any]]:
        return aiterate_rows(self._native, "subTable.iter", {"tableId": self.table_id, "moduleName": module_name, "recordId": record_id, "pageSize": page_size})

    async def delete(self, record_numbers: Iterable[str], *, module_name: str, record_id: str) -> DeleteResult:
        args = {"tableId": self.table_id, "recordNumbers": _list(record_numbers, "record_numbers"), "moduleName": module_name, "recordId": record_id}
        return DeleteResult._from_native(await self._native.call_async("subTable.delete", args))


class AsyncWorkflowEdition:
    _native: Any
    module: str

    async def list(
        self,
        *,
        page: int = 1,
        page_size: int = 100,
        record_number: Optional[str] = None,
        status: Optional[str] = None,
        responsible_user: Optional[str] = None,
        responsible_group: Optional[str] = None,
        filter: FilterArg = None,
    ) -> Page[Dict[str, Any]]:
        args = _workflow_args(self.module, page, page_size, record_number, status, responsible_user, responsible_group, filter)
        return Page._from_native(await self._native.call_async("workflow.list", args))

    def iter(
        self,
        *,
        page_size: int = 100,
        record_number: Optional[str] = None,
        status: Optional[str] = None,
        responsible_user: Optional[str] = None,
        responsible_group: Optional[str] = None,
        filter: FilterArg = None,
    ) -> AsyncIterator[Dict[str, Any]]:
        return aiterate_rows(self._native, "workflow.iter", _workflow_args(self.module, 1, page_size, record_number, status, responsible_user, responsible_group, filter))

    async def history(self, record_number: str) -> Dict[str, Any]:
        out: Dict[str, Any] = await self._native.call_async("workflow.history", {"module": self.module, "recordNumber": record_number})
        return out

    async def transition(
        self,
        step: Step,
        record_id: str,
        *,
        user_name: str,
        action_name: Optional[str] = None,
        space_name: Optional[str] = None,
        assignee_users: Optional[Iterable[str]] = None,
        assignee_groups: Optional[Iterable[str]] = None,
        comment: Optional[str] = None,
        comment_private: bool = False,
    ) -> Dict[str, Any]:
        args = _transition_args(self.module, step, record_id, user_name, action_name, space_name, assignee_users, assignee_groups, comment, comment_private)
        out: Dict[str, Any] = await self._native.call_async("workflow.transition", args)
        return out


class AsyncHierarchy:
    """``async_client.hierarchy(name)``."""

    def __init__(self, native: Any, name: str) -> None:
        self._native = native
        self.name = name

    async def list(self, *, page: int = 1, page_size: int = 1000) -> Page[Record]:
        return Page._from_native(await self._native.call_async("hierarchy.list", {"name": self.name, "page": page, "pageSize": page_size}))

    def iter(self, *, page_size: int = 1000) -> AsyncIterator[Record]:
        return aiterate_rows(self._native, "hierarchy.iter", {"name": self.name, "pageSize": page_size})

    async def create(self, rows: Iterable[Mapping[str, Any]]) -> UpsertResult:
        return UpsertResult._from_native(await self._native.call_async("hierarchy.create", {"name": self.name, "rows": _list(rows, "rows")}))

    async def update(self, rows: Iterable[Mapping[str, Any]]) -> UpsertResult:
        return UpsertResult._from_native(await self._native.call_async("hierarchy.update", {"name": self.name, "rows": _list(rows, "rows")}))
