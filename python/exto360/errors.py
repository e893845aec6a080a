"""Exceptions raised by exto360.

Every exception derives from :class:`Exto360Error`. Errors answered by the API are
:class:`APIError` subclasses chosen by HTTP status; errors without an answer are
:class:`APIConnectionError` (and :class:`APITimeoutError`); arguments refused before
anything was sent are :class:`InvalidInputError` (also a :class:`ValueError`). A bulk write
that failed after writing part of its input raises :class:`BulkWriteError`, which says which
input items were written, which were not, and which may have been.

The token never appears in any of them.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Tuple

from ._types import UploadResult

__all__ = [
    "Exto360Error",
    "APIError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "APIResponseValidationError",
    "APIConnectionError",
    "APITimeoutError",
    "InvalidInputError",
    "BulkWriteError",
    "BulkReport",
]


class BulkReport:
    """Which input items of a bulk write were written (``written``), certainly not written
    (``not_written``: safe to send again) or may have been (``unknown``: check first).
    Items are 0-based indices into the input you passed."""

    __slots__ = ("total", "_written", "_not_written", "_unknown", "inserted_ids")

    def __init__(
        self,
        total: int,
        written: List[Tuple[int, int]],
        not_written: List[Tuple[int, int]],
        unknown: List[Tuple[int, int]],
        inserted_ids: Optional[List[str]] = None,
    ) -> None:
        self.total = total
        self._written = written
        self._not_written = not_written
        self._unknown = unknown
        #: Ids the server inserted for the written items (upserts and sub-table writes), in input order.
        self.inserted_ids: List[str] = inserted_ids or []

    @staticmethod
    def _expand(ranges: List[Tuple[int, int]]) -> List[int]:
        return [i for start, end in ranges for i in range(start, end)]

    @property
    def written(self) -> List[int]:
        """Indices the server confirmed."""
        return self._expand(self._written)

    @property
    def not_written(self) -> List[int]:
        """Indices certainly not written."""
        return self._expand(self._not_written)

    @property
    def unknown(self) -> List[int]:
        """Indices that may or may not have been written (the answer was lost or a 5xx)."""
        return self._expand(self._unknown)

    @property
    def written_ranges(self) -> List[Tuple[int, int]]:
        """``[start, end)`` ranges of :attr:`written`."""
        return list(self._written)

    @property
    def not_written_ranges(self) -> List[Tuple[int, int]]:
        return list(self._not_written)

    @property
    def unknown_ranges(self) -> List[Tuple[int, int]]:
        return list(self._unknown)

    def __repr__(self) -> str:
        n = lambda rs: sum(e - s for s, e in rs)  # noqa: E731
        return f"BulkReport(total={self.total}, written={n(self._written)}, not_written={n(self._not_written)}, unknown={n(self._unknown)})"


class Exto360Error(Exception):
    """Base of every exto360 exception.

    Attributes: ``code`` (a stable string such as ``"not_found"``), ``message``,
    ``retries`` (how often the request was retried), ``bulk`` (a :class:`BulkReport` for
    failed bulk writes, else ``None``) and ``upload`` (for a document upload that did not upload
    every file: each file's outcome, an :class:`~exto360.UploadResult`; else ``None``).
    """

    code: str = "error"
    upload: Optional[UploadResult] = None

    def __init__(self, message: str, *, code: Optional[str] = None, retries: int = 0, bulk: Optional[BulkReport] = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.retries = retries
        self.bulk = bulk


class APIError(Exto360Error):
    """The API answered with an error status. ``status``, ``summary`` and ``details`` come from
    its error envelope; ``path`` is the server's path of the call; ``request_id`` is set when the
    server sent one."""

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        summary: Optional[str] = None,
        details: Optional[List[str]] = None,
        path: Optional[str] = None,
        request_id: Optional[str] = None,
        timestamp: Optional[str] = None,
        retry_after: Optional[float] = None,
        code: Optional[str] = None,
        retries: int = 0,
        bulk: Optional[BulkReport] = None,
    ) -> None:
        super().__init__(message, code=code, retries=retries, bulk=bulk)
        self.status = status
        self.summary = summary
        self.details = list(details or [])
        self.path = path
        self.request_id = request_id
        self.timestamp = timestamp
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, summary={self.summary!r}, details={self.details!r}, path={self.path!r})"


class BadRequestError(APIError):
    """400, 405, 413, 414 or 422: the request was refused as invalid."""

    code = "bad_request"


class AuthenticationError(APIError):
    """401: missing, invalid or expired token."""

    code = "unauthorized"


class PermissionDeniedError(APIError):
    """403: the token's user may not do this in this tenant or project."""

    code = "forbidden"


class NotFoundError(APIError):
    """404, or the 500 "Service Exception" the API answers for an unknown master or module."""

    code = "not_found"


class RateLimitError(APIError):
    """429 after every allowed retry. ``retry_after`` (seconds) says when to try again."""

    code = "rate_limited"


class ServerError(APIError):
    """5xx."""

    code = "server"


class APIResponseValidationError(APIError):
    """The server answered something the client cannot read."""

    code = "invalid_response"


class APIConnectionError(Exto360Error):
    """The connection failed or broke before a complete answer."""

    code = "connection"


class APITimeoutError(APIConnectionError):
    """No answer within the timeout."""

    code = "timeout"


class InvalidInputError(Exto360Error, ValueError):
    """Refused before sending: the arguments cannot make a valid request."""

    code = "invalid_input"


class BulkWriteError(Exto360Error):
    """A bulk write failed after part of it was (or may have been) written.

    ``bulk`` says which input items were written; ``cause`` is the typed error of the request
    that failed (e.g. a :class:`ServerError`).
    """

    code = "bulk_write"

    def __init__(self, message: str, *, cause: Exto360Error, bulk: BulkReport, retries: int = 0) -> None:
        super().__init__(message, code="bulk_write", retries=retries, bulk=bulk)
        self.cause = cause

    @property
    def written(self) -> List[int]:
        return self.bulk.written if self.bulk else []

    @property
    def not_written(self) -> List[int]:
        return self.bulk.not_written if self.bulk else []

    @property
    def unknown(self) -> List[int]:
        return self.bulk.unknown if self.bulk else []


_BY_KIND = {
    "bad_request": BadRequestError,
    "unauthorized": AuthenticationError,
    "forbidden": PermissionDeniedError,
    "not_found": NotFoundError,
    "rate_limited": RateLimitError,
    "server": ServerError,
    "invalid_response": APIResponseValidationError,
}


def _from_native(info: Mapping[str, Any]) -> Exto360Error:
    """The exception for a core error (its JSON form). The one place classes are chosen."""
    kind = str(info.get("kind"))
    message = str(info.get("message") or kind)
    retries = int(info.get("retries") or 0)
    b = info.get("bulk")
    bulk = None
    if b:
        bulk = BulkReport(
            int(b["total"]),
            [tuple(r) for r in b["written"]],  # type: ignore[misc]
            [tuple(r) for r in b["notWritten"]],  # type: ignore[misc]
            [tuple(r) for r in b["unknown"]],  # type: ignore[misc]
            list(b.get("insertedIds") or []),
        )
    err: Exto360Error
    if kind in _BY_KIND:
        err = _BY_KIND[kind](
            message,
            status=info.get("status"),
            summary=info.get("summary"),
            details=info.get("details"),
            path=info.get("path"),
            request_id=info.get("requestId"),
            timestamp=info.get("timestamp"),
            retry_after=info.get("retryAfter"),
            retries=retries,
            bulk=bulk,
        )
    elif kind == "timeout":
        err = APITimeoutError(message, retries=retries, bulk=bulk)
    elif kind == "connection":
        err = APIConnectionError(message, retries=retries, bulk=bulk)
    elif kind == "invalid_input":
        err = InvalidInputError(message, bulk=bulk)
    else:
        err = Exto360Error(message, code=kind, retries=retries, bulk=bulk)
    upload = info.get("upload")
    if upload:
        err.upload = UploadResult._from_native(upload)
    if bulk is not None and (bulk._written or bulk._unknown):
        n = lambda rs: sum(e - s for s, e in rs)  # noqa: E731
        summary = f"{message} [bulk: {n(bulk._written)} of {bulk.total} written, {n(bulk._not_written)} not written, {n(bulk._unknown)} unknown]"
        partial = BulkWriteError(summary, cause=err, bulk=bulk, retries=retries)
        partial.upload = err.upload
        return partial
    return err
