"""Records as Arrow tables and DataFrames, and DataFrames as records to write.

Columns move between the Rust core and pyarrow, pandas and polars through the Arrow PyCapsule
interface (``__arrow_c_stream__``): no Python object is made per value on the way. pyarrow,
pandas and polars are optional; each method says which it needs, and raises an ``ImportError``
with the ``pip install`` command when it is missing.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import TYPE_CHECKING, Any, Iterator, List, Literal, Mapping, Optional, Protocol, Union

from . import _native

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars
    import pyarrow


class ArrowStreamExportable(Protocol):
    """Anything that hands over Arrow data through the PyCapsule interface: a pyarrow Table or
    RecordBatchReader, a polars DataFrame, a DuckDB relation, ..."""

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...


DtypeBackend = Literal["numpy_nullable", "pyarrow"]

__all__ = ["ArrowStreamExportable", "DtypeBackend", "SchemaArg"]

SchemaArg = Union["pyarrow.Schema", Mapping[str, Any], None]
"""An explicit schema: a ``pyarrow.Schema`` (or anything with ``__arrow_c_schema__``), or a
mapping of column name to pyarrow type."""

_PIP = {
    "pyarrow": 'pip install "exto360[arrow]"  (or: pip install pyarrow)',
    "pandas": 'pip install "exto360[pandas]"  (pandas and pyarrow)',
    "polars": 'pip install "exto360[polars]"  (or: pip install polars)',
}


def require(module: str, what: str) -> Any:
    """Imports an optional dependency, or says how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(f"{what} needs {module}, which is not installed: {_PIP[module]}") from e


def schema_arg(schema: SchemaArg) -> Any:
    """The schema as an object with ``__arrow_c_schema__`` (or None)."""
    if schema is None or hasattr(schema, "__arrow_c_schema__"):
        return schema
    if isinstance(schema, Mapping):
        pa = require("pyarrow", "a schema given as a mapping")
        return pa.schema(list(schema.items()))
    raise TypeError(f"schema must be a pyarrow.Schema or a mapping of column name to pyarrow type, got {type(schema).__name__}")


def to_table(stream: Any) -> "pyarrow.Table":
    pa = require("pyarrow", "to_arrow()")
    return pa.table(stream)


def to_reader(stream: Any) -> "pyarrow.RecordBatchReader":
    """A reader that fetches pages as batches are read; errors keep their exto360 class."""
    pa = require("pyarrow", "to_arrow(stream=True)")
    schema = pa.schema(stream)

    def batches() -> Iterator["pyarrow.RecordBatch"]:
        while True:
            b = stream.next_batch()
            if b is None:
                return
            yield pa.record_batch(b)

    return pa.RecordBatchReader.from_batches(schema, batches())


def to_pandas(stream: Any, dtype_backend: Optional["DtypeBackend"]) -> "pandas.DataFrame":
    """``dtype_backend`` as in pandas' readers: None gives NumPy dtypes (integers with nulls
    become floats), ``"numpy_nullable"`` pandas' nullable dtypes, ``"pyarrow"`` ArrowDtype
    columns (no copy of strings)."""
    require("pandas", "to_pandas()")
    pd = sys.modules["pandas"]
    pa = require("pyarrow", "to_pandas()")
    table = pa.table(stream)
    if dtype_backend is None:
        mapper = None
    elif dtype_backend == "pyarrow":
        mapper = pd.ArrowDtype
    elif dtype_backend == "numpy_nullable":
        nullable = {
            pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype(),
            pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(), pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype(),
            pa.float32(): pd.Float32Dtype(), pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype(),
            pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype(),
        }
        mapper = nullable.get
    else:
        raise ValueError(f"dtype_backend must be None, 'numpy_nullable' or 'pyarrow', got {dtype_backend!r}")
    # JSON-text columns (the arrow.json extension type) as plain strings: pyarrow cannot split
    # blocks of extension columns.
    for i, f in enumerate(table.schema):
        if isinstance(f.type, pa.BaseExtensionType):
            col = pa.chunked_array([c.storage for c in table.column(i).chunks], type=f.type.storage_type)
            table = table.set_column(i, f.with_type(f.type.storage_type), col)
    # The table is not used afterwards: release each column's Arrow memory once converted.
    return table.to_pandas(types_mapper=mapper, self_destruct=True, split_blocks=True)


def to_polars(stream: Any) -> "polars.DataFrame":
    pl = require("polars", "to_polars()")
    return pl.DataFrame(stream)


def rows_to_stream(rows: List[Any], schema: SchemaArg) -> Any:
    """A page's rows (already Python objects) read like a list answer."""
    return _native.rows_to_arrow(json.dumps(rows, ensure_ascii=False), schema_arg(schema))


def arrow_source(data: Any) -> Optional[Any]:
    """The Arrow stream of a DataFrame-like argument, or None for plain rows (dicts). A pandas
    DataFrame goes through ``pyarrow.Table.from_pandas`` without its index (NaN, NaT and None
    become nulls)."""
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(data, pd.DataFrame):
        pa = require("pyarrow", "upsert() of a pandas DataFrame")
        return pa.Table.from_pandas(data, preserve_index=False)
    if hasattr(data, "__arrow_c_stream__"):
        return data
    if hasattr(data, "__arrow_c_array__"):  # a single record batch
        pa = require("pyarrow", "upsert() of an Arrow record batch")
        return pa.table(data)
    return None
