"""Result types. API documents (records, users, groups) stay plain dicts; what the SDK itself
computes (merged upsert results, workflow results) are small frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Generic, Iterator, List, Literal, Mapping, Optional, TypeVar, overload

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars
    import pyarrow

    from ._arrow import DtypeBackend, SchemaArg

__all__ = ["Page", "UpsertResult", "WorkflowResult", "BulkWriteResult", "DeleteResult", "Record", "FileState", "FileReport", "UploadResult", "DownloadedFile"]

Record = Dict[str, Any]
"""A record as the API sends it: ``_id``, ``customFields``, ``projectID``, ``createdAt``, ..."""

T = TypeVar("T")


class Page(Generic[T]):
    """One page of a list. Iterable and sized; ``rows`` is a list.

    ``total`` and ``total_pages`` are ``None`` when the server answered a bare array.
    """

    __slots__ = ("rows", "total", "page", "page_size", "total_pages")

    def __init__(self, rows: List[T], total: Optional[int], page: int, page_size: int, total_pages: Optional[int]) -> None:
        self.rows = rows
        self.total = total
        self.page = page
        self.page_size = page_size
        self.total_pages = total_pages

    @classmethod
    def _from_native(cls, d: Mapping[str, Any]) -> "Page[T]":
        return cls(d["rows"], d.get("total"), d["page"], d["pageSize"], d.get("totalPages"))

    @property
    def has_next(self) -> bool:
        """Whether another page may follow."""
        if not self.rows:
            return False
        if self.total_pages is not None:
            return self.page < self.total_pages
        return len(self.rows) >= self.page_size

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> List[T]: ...
    def __getitem__(self, i: Any) -> Any:
        return self.rows[i]

    def __repr__(self) -> str:
        return f"Page(rows={len(self.rows)}, total={self.total}, page={self.page}, page_size={self.page_size}, total_pages={self.total_pages})"

    def to_arrow(self, *, schema: "SchemaArg" = None) -> "pyarrow.Table":
        """The rows as a ``pyarrow.Table``, with the columns and types of the collections'
        ``to_arrow()``. Needs pyarrow."""
        from . import _arrow

        _arrow.require("pyarrow", "to_arrow()")
        return _arrow.to_table(_arrow.rows_to_stream(self.rows, schema))

    def to_pandas(self, *, schema: "SchemaArg" = None, dtype_backend: "Optional[DtypeBackend]" = None) -> "pandas.DataFrame":
        """The rows as a DataFrame: one column per custom field (prefixed ``customFields.`` only
        where it would collide with a record attribute), plus ``_id``, ``createdAt``, ...
        Needs pandas and pyarrow (``pip install "exto360[pandas]"``)."""
        from . import _arrow

        _arrow.require("pandas", "to_pandas()")
        _arrow.require("pyarrow", "to_pandas()")
        return _arrow.to_pandas(_arrow.rows_to_stream(self.rows, schema), dtype_backend)

    def to_polars(self, *, schema: "SchemaArg" = None) -> "polars.DataFrame":
        """The rows as a polars DataFrame. Needs polars."""
        from . import _arrow

        _arrow.require("polars", "to_polars()")
        return _arrow.to_polars(_arrow.rows_to_stream(self.rows, schema))


@dataclass(frozen=True)
class UpsertResult:
    """What an upsert (or sub-table write) did, over every request it took, in input order.
    ``inserted_ids`` lists new documents only."""

    inserted_ids: List[str] = field(default_factory=list, repr=False)
    inserted_count: int = 0
    updated_count: int = 0

    @classmethod
    def _from_native(cls, d: Mapping[str, Any]) -> "UpsertResult":
        return cls(list(d.get("insertedIds") or []), int(d.get("insertedCount") or 0), int(d.get("updatedCount") or 0))


@dataclass(frozen=True)
class WorkflowResult:
    """One record moved by a workflow action."""

    workflow_id: str
    record_id: str


@dataclass(frozen=True)
class BulkWriteResult:
    """The summed database result of activate/deactivate. ``raw`` keeps every field."""

    ok: int
    n_matched: int
    n_modified: int
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def _from_native(cls, d: Mapping[str, Any]) -> "BulkWriteResult":
        return cls(int(d.get("ok") or 0), int(d.get("nMatched") or 0), int(d.get("nModified") or 0), dict(d))


@dataclass(frozen=True)
class DeleteResult:
    """What a delete did over every request it took: how many identifiers the API accepted (it
    does not say how many records matched)."""

    deleted_count: int = 0

    @classmethod
    def _from_native(cls, d: Mapping[str, Any]) -> "DeleteResult":
        return cls(int(d.get("deletedCount") or 0))


FileState = Literal["uploaded", "failed", "unknown"]
"""What became of one uploaded file: stored, not stored (``message`` says why), or maybe stored
(its request's answer was lost)."""


@dataclass(frozen=True)
class FileReport:
    """One file of an upload, in input order. ``document`` (the stored document: ``documentId``,
    ``locationPath``, ``fileName``, ``fileSize``, ``meta``) is set for uploaded files."""

    index: int
    file_name: str
    state: FileState
    document: Optional[Dict[str, Any]] = None
    message: Optional[str] = None

    @classmethod
    def _from_native(cls, d: Mapping[str, Any]) -> "FileReport":
        return cls(int(d["index"]), str(d["fileName"]), d["state"], d.get("document"), d.get("message"))


@dataclass(frozen=True)
class UploadResult:
    """Every file's outcome. A returned result means every file was uploaded; otherwise the
    upload raises, with this report as the exception's ``upload``."""

    uploaded_count: int
    failed_count: int
    unknown_count: int
    files: List[FileReport] = field(default_factory=list)

    @classmethod
    def _from_native(cls, d: Mapping[str, Any]) -> "UploadResult":
        return cls(int(d["uploadedCount"]), int(d["failedCount"]), int(d["unknownCount"]), [FileReport._from_native(f) for f in d["files"]])

    @property
    def documents(self) -> List[Dict[str, Any]]:
        """The stored documents of the uploaded files, in input order."""
        return [f.document for f in self.files if f.document is not None]

    @property
    def document_ids(self) -> List[str]:
        return [str(d["documentId"]) for d in self.documents]


@dataclass(frozen=True)
class DownloadedFile:
    """A download written to ``path`` (complete: it appears only then): ``bytes`` written, and
    the server's ``file_name`` and ``content_type`` when it sent them."""

    path: str
    bytes: int
    file_name: Optional[str]
    content_type: Optional[str]

    @classmethod
    def _from_native(cls, d: Mapping[str, Any]) -> "DownloadedFile":
        return cls(str(d["path"]), int(d["bytes"]), d.get("fileName"), d.get("contentType"))
