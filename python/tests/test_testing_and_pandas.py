"""exto360.testing.Emulator for users' tests, and the pandas helpers."""

import pandas as pd
import pytest

import exto360
from exto360 import Client
from exto360.testing import Emulator


def test_emulator_helper_controls_the_server():
    with Emulator(settings={"rateLimit": 2}) as emu:
        assert emu.url.startswith("http://127.0.0.1:")
        c = Client(token=emu.token, base_url=emu.url, rate_limit=0, max_retries=0)
        c.masters("LOCATION").list()
        c.masters("LOCATION").list()
        with pytest.raises(exto360.RateLimitError) as info:
            c.masters("LOCATION").list()
        assert info.value.retry_after is not None
        assert emu.configure(rateLimit=None)["rateLimit"] is None
        emu.set_faults([{"kind": "status", "status": 503, "times": 1}])
        with pytest.raises(exto360.ServerError):
            c.masters("LOCATION").list()
        j = emu.journal()
        assert j[-1]["status"] == 503 and j[-1]["headers"]["authorization"] == "Bearer ***"
        c.masters("VENDOR").upsert([{"vendor_id": "V1"}])
        assert len(emu.records("masters", "VENDOR")) == 1
        emu.reset()
        assert emu.journal() == [] and emu.records("masters", "VENDOR") == []
    with pytest.raises(RuntimeError):
        emu.journal()


def test_custom_dataset_and_token():
    data = {"tenants": [{"id": "t1", "tokens": [{"token": "x", "user": "me@x.com"}], "masters": [{"name": "THING", "records": [{"fields": {"k": 1}}]}]}]}
    with Emulator(data, token="mine") as emu:
        assert emu.token == "mine"
        page = Client(token="mine", base_url=emu.url, rate_limit=0).masters("THING").list()
        assert page.rows[0]["customFields"] == {"k": 1}
    with pytest.raises(ValueError):
        Emulator({"tenants": 3})


def test_page_to_pandas(client):
    df = client.masters("LOCATION").list(sort="code").to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert list(df["code"]) == ["BLR", "CHN", "DEL", "HYD", "MUM", "PUN"]
    assert {"_id", "createdAt", "serial_number", "name"} <= set(df.columns)
    whole = client.masters("LOCATION").to_pandas(filter="active:eq:true")
    assert len(whole) == 5
    assert client.masters("VENDOR").list().to_pandas().empty
