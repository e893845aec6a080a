# mypy: disable-error-code="import-untyped"
# (pandas and pyarrow ship without type information; exto360's own types are checked.)
"""DataFrames in and out: records read into Arrow columns page by page (no dict per record),
DataFrames written straight from their columns. Against an in-process emulator; type-checked
with `mypy --strict` as part of `make test`.

Run: python python/examples/dataframes.py   (needs pandas, pyarrow and polars:
pip install "exto360[pandas,polars]")
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pandas as pd
import polars as pl
import pyarrow as pa

import exto360
from exto360 import AsyncClient, Client
from exto360.testing import Emulator


def main(emu: Emulator) -> None:
    client = Client(token=emu.token, base_url=emu.url)

    # A DataFrame as records: NaN/NaT/None are written as null, date-times as ISO 8601 (UTC),
    # dates as YYYY-MM-DD; 1000 rows per request, under the rate limit.
    vendors = pd.DataFrame(
        {
            "vendor_id": [f"V-{i:04}" for i in range(2500)],
            "rating": [None if i % 10 == 0 else i % 5 + 0.5 for i in range(2500)],
            "since": [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(2500)],
        }
    )
    done = client.masters("VENDOR").upsert(vendors)
    print(f"upsert(DataFrame): {done.inserted_count} inserted")

    # Records as columns: attributes typed (createdAt a UTC timestamp), one column per field.
    table: pa.Table = client.masters("VENDOR").to_arrow()
    print("to_arrow():", table.num_rows, "rows;", table.schema.field("since").type, table.schema.field("createdAt").type)
    df: pd.DataFrame = client.masters("LOCATION").to_pandas(dtype_backend="numpy_nullable")
    print("to_pandas():", df[["code", "serial_number", "openedOn"]].to_dict("records")[:2])
    frame: pl.DataFrame = client.masters("VENDOR").to_polars()
    print("to_polars():", frame.select(pl.col("rating").mean()).item())

    # A stream of batches, a page each, for lists bigger than memory; an explicit schema keeps
    # it steady (a value that does not fit raises, never a null).
    schema = pa.schema([("vendor_id", pa.string()), ("rating", pa.float64())])
    reader: pa.RecordBatchReader = client.masters("VENDOR").to_arrow(stream=True, schema=schema, page_size=500)
    print("stream:", sum(batch.num_rows for batch in reader), "rows in batches of 500")

    # A polars DataFrame (or any Arrow data) writes the same way, and failures report rows by
    # position.
    emu.set_faults([{"kind": "status", "status": 503, "method": "POST", "skip": 1, "times": 1}])
    try:
        client.masters("VENDOR").upsert(frame.select("vendor_id", (pl.col("rating") * 2).alias("rating")))
    except exto360.BulkWriteError as e:
        assert e.bulk is not None
        print(f"partial write: {len(e.bulk.written)} written, {len(e.bulk.unknown)} unknown, {len(e.bulk.not_written)} not written")

    async def in_asyncio() -> None:
        aclient = AsyncClient(token=emu.token, base_url=emu.url)
        print("async to_pandas():", (await aclient.masters("ITEM").to_pandas()).shape)

    asyncio.run(in_asyncio())


if __name__ == "__main__":
    with Emulator() as emulator:
        main(emulator)
