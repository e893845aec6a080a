"""The columnar path: records to pyarrow, pandas and polars, and DataFrames to upserts, through
the Arrow PyCapsule interface."""

import asyncio
import datetime as dt
import json
import math
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import exto360
from exto360 import AsyncClient, Client
from exto360.testing import Emulator


def big_frame(n):
    """Every column type pandas users have, with nulls in each."""
    i = np.arange(n)
    base = pd.Timestamp("2024-01-01T00:00:00Z")
    return pd.DataFrame(
        {
            "vendor_id": [f"V{k}" for k in i],
            "seq": i.astype("int64"),
            "big": (i * 1_000_003 + 2**60).astype("int64"),
            "maybe_int": pd.array([None if k % 5 == 0 else int(k) for k in i], dtype="Int64"),
            "ratio": np.where(i % 7 == 0, np.nan, i / 7.0),
            "flag": i % 2 == 0,
            "maybe_flag": pd.array([None if k % 3 == 0 else bool(k % 2) for k in i], dtype="boolean"),
            "name": [None if k % 11 == 0 else f"name {k} é ✓ \"q\"" for k in i],
            "at": pd.Series([pd.NaT if k % 13 == 0 else base + pd.Timedelta(milliseconds=int(k) * 1001) for k in i], dtype="datetime64[ns, UTC]"),
            "day": [None if k % 17 == 0 else dt.date(2020, 1, 1) + dt.timedelta(days=int(k) % 3000) for k in i],
            "tags": [None if k % 19 == 0 else [f"t{k % 3}", f"u{k % 5}"] for k in i],
        }
    )


@pytest.fixture
def emu():
    with Emulator() as e:
        yield e


@pytest.fixture
def client(emu):
    return Client(token=emu.token, base_url=emu.url, rate_limit=0)


def test_a_50000_row_dataframe_round_trips_through_upsert_and_to_pandas(client, emu):
    df = big_frame(50_000)
    res = client.masters("VENDOR").upsert(df)
    assert (res.inserted_count, res.updated_count) == (50_000, 0)
    assert len(emu.journal()) == 50, "1000 rows per request"
    body = next(e["body"] for e in emu.journal() if e["body"][0]["vendor_id"] == "V0")
    assert (body[0]["ratio"], body[0]["at"], body[0]["day"], body[0]["maybe_int"]) == (None, None, None, None), "NaN, NaT, None, NA as null"
    assert (body[1]["at"], body[1]["day"], body[1]["big"]) == ("2024-01-01T00:00:01.001Z", "2020-01-02", 2**60 + 1_000_003), "ISO 8601, exact integers"

    back = client.masters("VENDOR").to_pandas(dtype_backend="numpy_nullable").sort_values("seq", ignore_index=True)
    assert len(back) == 50_000
    assert str(back["createdAt"].dtype) == "datetime64[ms, UTC]"
    for col in ["vendor_id", "seq", "big", "maybe_int", "flag", "maybe_flag", "name"]:
        want = df[col].astype(back[col].dtype)
        pd.testing.assert_series_equal(back[col], want, check_names=False, obj=col)
    got_ratio = back["ratio"].to_numpy(dtype="float64", na_value=np.nan)
    assert np.array_equal(got_ratio, df["ratio"].to_numpy(), equal_nan=True), "floats exactly, NaN as null"
    assert back["at"].equals(df["at"].astype("datetime64[ms, UTC]")), "timestamps (NaT as null)"
    assert list(back["day"]) == list(df["day"]), "dates"
    assert [None if t is None else list(t) for t in back["tags"]] == list(df["tags"])

    # The default NumPy backend: the same values, integers with nulls as floats.
    plain = client.masters("VENDOR").to_pandas().sort_values("seq", ignore_index=True)
    assert plain["seq"].dtype == "int64" and plain["maybe_int"].dtype == "float64"
    assert plain["maybe_int"].isna().sum() == 10_000


def test_polars_and_pyarrow_frames_are_written_and_read(client):
    frame = pl.DataFrame(
        {
            "vendor_id": ["A", "B", "C"],
            "n": [1, None, 3],
            "x": [0.1, float("nan"), None],
            "cat": pl.Series(["p", "q", "p"], dtype=pl.Categorical),
            "when": [dt.datetime(2024, 5, 1, 12, 0, 0, 123000), None, dt.datetime(1999, 12, 31)],
        }
    )
    assert client.masters("VENDOR").upsert(frame).inserted_count == 3
    back = client.masters("VENDOR").to_polars().sort("vendor_id")
    assert back["n"].to_list() == [1, None, 3]
    assert back["x"].to_list() == [0.1, None, None], "NaN and null both as null"
    assert back["cat"].to_list() == ["p", "q", "p"]
    assert back["when"].dtype == pl.Datetime("ms", "UTC")
    assert back["when"].to_list()[0] == dt.datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=dt.timezone.utc), "a naive date-time is taken as UTC"

    table = pa.table({"vendor_id": ["A", "D"], "n": pa.array([10, 4], pa.int8())})
    res = client.masters("VENDOR").upsert(table)
    assert (res.inserted_count, res.updated_count) == (1, 1)
    batch = pa.record_batch({"vendor_id": ["E"]})
    assert client.masters("VENDOR").upsert(batch).inserted_count == 1
    t = client.masters("VENDOR").to_arrow()
    assert isinstance(t, pa.Table) and t.num_rows == 5
    assert t.schema.field("createdAt").type == pa.timestamp("ms", tz="UTC")


def test_modules_and_sub_tables_take_dataframes(client, emu):
    created = client.modules("CUSTOMMODULE").upsert(pd.DataFrame({"ref_no": ["D-1", "D-2"], "title": ["a", None]}), user_name="johndoe@exto360.com")
    assert created.inserted_count == 2
    rec = created.inserted_ids[0]
    res = client.sub_table("Signatures").upsert(pd.DataFrame({"signer": ["x@y.z"], "signedOn": [dt.date(2024, 5, 1)]}), module_name="CUSTOMMODULE", record_id=rec)
    assert res.inserted_count == 1
    assert emu.journal()[-1]["body"] == [{"signer": "x@y.z", "signedOn": "2024-05-01"}]


def seed_pages(client, pages):
    """Writes rows page by page (10 per page) so list pages hold them in this order."""
    n = 0
    for rows in pages:
        assert len(rows) <= 10
        batch = [{"vendor_id": f"W{n + k:03d}", **r} for k, r in enumerate(rows)]
        client.masters("VENDOR").upsert(batch)
        n += 10
        if len(rows) < 10:  # pad the page so the next one starts a new page
            client.masters("VENDOR").upsert([{"vendor_id": f"W{n - 10 + k:03d}"} for k in range(len(rows), 10)])


def test_types_widen_across_pages_and_a_field_may_change_type_mid_stream(client):
    seed_pages(client, [[{"v": 1, "l": ["a"], "d": "2024-01-01"}], [{"v": 2.5, "l": "b", "d": "2024-01-02"}], [{"v": "n/a", "l": {"k": 1}, "d": "later"}]])
    t = client.masters("VENDOR").to_arrow(page_size=10, sort="vendor_id")
    assert t.num_rows == 30
    assert t.schema.field("v").type == pa.string(), "int → float → string"
    assert t.schema.field("d").type == pa.string(), "date → string when a value is not a date"
    assert t.schema.field("l").type.extension_name == "arrow.json" and t.schema.field("l").type.storage_type == pa.string()
    rows = {r["vendor_id"]: r for r in t.to_pylist()}
    assert (rows["W000"]["v"], rows["W010"]["v"], rows["W020"]["v"]) == ("1", "2.5", "n/a")
    assert [json.loads(rows[k]["l"]) for k in ("W000", "W010", "W020")] == [["a"], "b", {"k": 1}], "nothing dropped or nulled"
    assert rows["W001"]["v"] is None

    # The first two pages alone widen int → float, keeping the first page's integers.
    t = client.masters("VENDOR").to_arrow(page_size=10, sort="vendor_id", filter="vendor_id:lt:W020")
    assert t.schema.field("v").type == pa.float64() and t.column("v").to_pylist()[0] == 1.0

    # A stream fixes its schema on the first page: a change raises, naming the field.
    reader = client.masters("VENDOR").to_arrow(page_size=10, sort="vendor_id", stream=True)
    assert reader.read_next_batch().num_rows == 10
    with pytest.raises(exto360.InvalidInputError, match="page 2 does not fit the schema of the first page: field 'v' held integers and now holds floats"):
        reader.read_next_batch()
    # ... unless it is given one.
    schema = pa.schema([("vendor_id", pa.string()), ("v", pa.string()), ("l", pa.string())])
    reader = client.masters("VENDOR").to_arrow(page_size=10, sort="vendor_id", stream=True, schema=schema)
    assert reader.schema == schema
    got = reader.read_all()
    assert got.num_rows == 30 and got.column("v").to_pylist()[20] == "n/a" and got.column("l").to_pylist()[0] == '["a"]'
    # An explicit schema a value does not fit raises (never a null or a cut value).
    with pytest.raises(exto360.InvalidInputError, match="field 'v' holds 2.5, which does not fit Int64"):
        client.masters("VENDOR").to_arrow(page_size=10, sort="vendor_id", schema={"v": pa.int64()})


def test_empty_results(client):
    vendors = client.masters("VENDOR")
    t = vendors.to_arrow()
    assert (t.num_rows, t.num_columns) == (0, 0)
    assert vendors.to_pandas().empty
    assert vendors.to_polars().shape == (0, 0)
    assert vendors.to_arrow(stream=True).read_all().num_rows == 0
    assert vendors.list().to_pandas().empty
    assert vendors.to_arrow(schema=pa.schema([("x", pa.int64())])).schema.names == ["x"]


def test_a_page_converts_too(client):
    page = client.masters("LOCATION").list(sort="code")
    df = page.to_pandas()
    assert list(df["code"]) == ["BLR", "CHN", "DEL", "HYD", "MUM", "PUN"]
    assert df["serial_number"].isna().sum() == 1 and str(df["openedOn"].iloc[0]) == "2021-04-01"
    assert page.to_arrow().schema.field("tags").type == pa.list_(pa.string())
    assert page.to_polars().height == 6


def test_the_async_client_has_the_same_columnar_surface(emu):
    async def main():
        c = AsyncClient(token=emu.token, base_url=emu.url, rate_limit=0)
        res = await c.masters("VENDOR").upsert(pd.DataFrame({"vendor_id": ["A", "B"], "n": [1, 2]}))
        assert res.inserted_count == 2
        t = await c.masters("VENDOR").to_arrow()
        assert sorted(t.column("n").to_pylist()) == [1, 2]
        assert len(await c.masters("VENDOR").to_pandas()) == 2
        assert (await c.masters("VENDOR").to_polars()).height == 2
        m = await c.modules("CUSTOMMODULE").upsert(pl.DataFrame({"ref_no": ["Z-1"]}), user_name="johndoe@exto360.com")
        rec = m.inserted_ids[0]
        assert (await c.sub_table("Lines").upsert(pa.table({"line": [1, 2]}), module_name="CUSTOMMODULE", record_id=rec)).inserted_count == 2
        with pytest.raises(exto360.NotFoundError):
            await c.masters("NOPE").to_arrow()

    asyncio.run(main())


def test_a_failed_dataframe_upsert_reports_rows_by_position(client, emu):
    emu.set_faults([{"kind": "status", "status": 422, "method": "POST", "skip": 1, "times": 1}])
    # The index is not sent, and the report counts rows by position, not by label.
    df = pd.DataFrame({"vendor_id": [f"F{i}" for i in range(2500)]}, index=np.arange(2500) * 10)
    with pytest.raises(exto360.BulkWriteError) as info:
        client.masters("VENDOR").upsert(df)
    b = info.value.bulk
    assert len(b.written) + len(b.not_written) == 2500 and not b.unknown
    assert len(b.written) >= 1000 and len(b.not_written) >= 500
    assert all("__index_level_0__" not in r["customFields"] for r in emu.records("masters", "VENDOR"))
    stored = {r["customFields"]["vendor_id"] for r in emu.records("masters", "VENDOR")}
    assert stored == {f"F{i}" for i in b.written}, "positions, not the index labels"


def test_what_cannot_be_written_is_refused_before_sending(client, emu):
    bad = [
        (pd.DataFrame({"vendor_id": ["a", "b"], "x": [1.0, math.inf]}), "column 'x', row 1: ±infinity"),
        (pd.DataFrame({"vendor_id": ["a"], "raw": [b"\x00"]}), "column 'raw' has type Binary: bytes have no JSON form"),
        (pa.table([pa.array(["a"]), pa.array(["b"])], names=["vendor_id", "vendor_id"]), "'vendor_id' appears twice"),
    ]
    for frame, msg in bad:
        with pytest.raises(exto360.InvalidInputError, match=msg.replace("(", r"\(")):
            client.masters("VENDOR").upsert(frame)
    assert emu.journal() == [], "nothing was sent"
    with pytest.raises(TypeError, match="single dict"):
        client.masters("VENDOR").upsert({"vendor_id": "x"})


def test_optional_packages_missing_give_the_pip_command(emu):
    script = textwrap.dedent(
        f"""
        import sys
        missing = sys.argv[1].split(",")

        class NotInstalled:  # as if the packages were not installed
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in missing:
                    raise ModuleNotFoundError(f"No module named {{name!r}}")

        sys.meta_path.insert(0, NotInstalled())
        import exto360
        c = exto360.Client(token={emu.token!r}, base_url={emu.url!r}, rate_limit=0)
        calls = {{
            "to_arrow": lambda: c.masters("LOCATION").to_arrow(),
            "to_pandas": lambda: c.masters("LOCATION").to_pandas(),
            "to_polars": lambda: c.masters("LOCATION").to_polars(),
            "page.to_pandas": lambda: c.masters("LOCATION").list().to_pandas(),
        }}
        for name, call in calls.items():
            try:
                call()
                print(name, "ok")
            except ImportError as e:
                print(name, "ImportError", e)
        if "pyarrow" in missing and "pandas" not in missing:
            import pandas
            try:
                c.masters("VENDOR").upsert(pandas.DataFrame({{"vendor_id": ["x"]}}))
            except ImportError as e:
                print("upsert ImportError", e)
        print("rows", c.masters("LOCATION").list().total)
        """
    )

    def run(missing):
        out = subprocess.run([sys.executable, "-c", script, missing], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout

    out = run("pyarrow")
    assert 'to_arrow ImportError to_arrow() needs pyarrow, which is not installed: pip install "exto360[arrow]"' in out
    assert "to_pandas ImportError to_pandas() needs pyarrow" in out and "page.to_pandas ImportError" in out
    assert "to_polars ok" in out, "polars reads the Arrow stream without pyarrow"
    assert 'upsert ImportError upsert() of a pandas DataFrame needs pyarrow, which is not installed: pip install "exto360[arrow]"' in out
    assert "rows 6" in out, "the rest of the client works without them"
    out = run("pandas")
    assert 'to_pandas ImportError to_pandas() needs pandas, which is not installed: pip install "exto360[pandas]"' in out
    assert "to_arrow ok" in out
    out = run("polars")
    assert 'to_polars ImportError to_polars() needs polars, which is not installed: pip install "exto360[polars]"' in out


def test_memory_stays_bounded_while_streaming():
    # In a child, so its peak RSS is this work's: 200,000 records streamed a page at a time
    # must not hold them all (as Arrow, they are ~30 MB; as JSON, ~70 MB).
    code = textwrap.dedent(
        """
        import pyarrow as pa
        from exto360 import Client
        from exto360.testing import Emulator
        def hwm():
            return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')) * 1024
        data = {"tenants": [{"id": "t", "tokens": [{"token": "k", "user": "u@x.com"}], "masters": [{"name": "BIG", "generate": {"count": 200000}}]}]}
        with Emulator(data) as emu:
            c = Client(token=emu.token, base_url=emu.url, rate_limit=0)
            reader = c.masters("BIG").to_arrow(stream=True)
            first = reader.read_next_batch()
            before, rows, size = hwm(), first.num_rows, first.nbytes
            for b in reader:
                rows += b.num_rows
                size += b.nbytes
            print(rows, size, hwm() - before)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    rows, size, growth = map(int, out.stdout.split())
    assert rows == 200_000
    assert size > 20_000_000, "the data is big enough to tell"
    assert growth < size / 2, f"peak RSS grew {growth / 1e6:.1f} MB while streaming {size / 1e6:.1f} MB of batches"
