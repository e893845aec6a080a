"""exto360 — the Exto360 Data API from Python.

    from exto360 import Client, Filter

    client = Client()  # EXTO360_TOKEN, EXTO360_PROJECT_ID, ... from the environment
    page = client.masters("LOCATION").list(filter=Filter.field("serial_number").number().gt(1000))
    for record in client.masters("LOCATION").iter():
        print(record["_id"], record["customFields"])

Records can also be updated, deleted and read with every sub-table row
(``client.modules("CUSTOMMODULE").expand()``); hierarchy masters, the v2 workflow and build
info are there too, and documents (``client.documents.upload([...])``, streamed), workspaces
and job status (``with client.jobs.run("Nightly import", "Import") as job: job.log("...")``). The client keeps to the API's 3 requests/second, retries what is safe to retry, pages with
bounded memory, and writes any number of records in chunks the API accepts.
"""

from ._client import AsyncClient, Client, __version__, version
from ._documents import AsyncDocumentStream, AsyncJobRun, DocumentStream, JobRun, UploadSource
from ._edition import AsyncHierarchy, Hierarchy, RecordKey, Step
from ._filter import DateField, Field, Filter, NumberField, PrimitiveField, StringField
from ._types import BulkWriteResult, DeleteResult, DownloadedFile, FileReport, Page, Record, UploadResult, UpsertResult, WorkflowResult
from .errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BulkReport,
    BulkWriteError,
    Exto360Error,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)

__all__ = [
    "Client",
    "AsyncClient",
    "Filter",
    "Field",
    "NumberField",
    "StringField",
    "DateField",
    "PrimitiveField",
    "Page",
    "Record",
    "UpsertResult",
    "WorkflowResult",
    "BulkWriteResult",
    "DeleteResult",
    "UploadResult",
    "FileReport",
    "DownloadedFile",
    "UploadSource",
    "DocumentStream",
    "AsyncDocumentStream",
    "JobRun",
    "AsyncJobRun",
    "Hierarchy",
    "AsyncHierarchy",
    "RecordKey",
    "Step",
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
    "__version__",
    "version",
]
