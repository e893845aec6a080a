"""The sync client: every resource, the wire, and the Python types it returns."""

import exto360
from exto360 import Client, Filter, Page, UpsertResult

from conftest import params


def test_list_returns_a_page_of_dicts(client, emu):
    page = client.masters("LOCATION").list(page=1, page_size=2, sort="-serial_number", status="Approved")
    assert isinstance(page, Page)
    assert len(page) == 2 and page.total == 4 and page.total_pages == 2 and page.page_size == 2
    assert page.has_next
    codes = [r["customFields"]["code"] for r in page]
    assert codes == ["PUN", "CHN"] or codes == ["CHN", "MUM"]  # PUN has no status
    assert page[0]["_id"] == page.rows[0]["_id"]
    e = emu.journal()[-1]
    assert params(e) == {"page": "1", "pageSize": "2", "sort": "-serial_number", "status": "Approved"}
    assert e["headers"]["authorization"] == "Bearer ***"
    assert e["headers"]["user-agent"].startswith("exto360-python/")


def test_filter_builder_on_the_wire(client, emu):
    f = Filter.field("serial_number").number().gt(1000) & Filter.field("active").primitive().eq(True) | Filter.field("code").string().eq("DEL")
    codes = sorted(r["customFields"]["code"] for r in client.masters("LOCATION").list(filter=f))
    assert codes == ["BLR", "CHN", "DEL", "MUM", "PUN"]
    assert params(emu.journal()[-1])["filter"] == "serial_number:NUMBER:gt:1000:and:active:PRIMITIVE:eq:true:or:code:STRING:eq:DEL"
    page = client.masters("LOCATION").list(filter="email_id:cn:@exto360.com")
    assert [r["customFields"]["code"] for r in page] == ["PUN"]


def test_dates_need_a_time_zone(client):
    f = Filter.field("openedOn").date().ge("2024-03-01") & Filter.field("openedOn").date().le(__import__("datetime").date(2024, 3, 31))
    try:
        client.masters("LOCATION").list(filter=f)
        raise AssertionError("expected InvalidInputError")
    except exto360.InvalidInputError as e:
        assert "local_time_zone" in str(e)
    page = client.masters("LOCATION").list(filter=f, local_time_zone="America/Los_Angeles")
    assert [r["customFields"]["code"] for r in page] == ["CHN", "HYD"]


def test_iter_walks_every_page(client, emu):
    emu.load_dataset({"tenants": [{"id": "t", "tokens": [{"token": emu.token, "user": "a@x.com"}], "masters": [{"name": "BIG", "generate": {"count": 2345}}]}]})
    seqs = [r["customFields"]["seq"] for r in client.masters("BIG").iter(page_size=1000)]
    assert seqs == list(range(1, 2346))
    assert len(emu.journal()) == 3
    pages = list(client.masters("BIG").pages(page_size=1000))
    assert [len(p) for p in pages] == [1000, 1000, 345]
    # Breaking out early stops the background fetching (no error, no hang).
    for i, _ in enumerate(client.masters("BIG").iter(page_size=10)):
        if i == 5:
            break


def test_upsert_any_number_of_records(client, emu):
    res = client.masters("VENDOR").upsert({"vendor_id": f"V{i}", "n": i} for i in range(2500))
    assert isinstance(res, UpsertResult)
    assert res.inserted_count == 2500 and len(res.inserted_ids) == 2500 and res.updated_count == 0
    assert "inserted_ids" not in repr(res)
    assert len(emu.journal()) == 3
    again = client.masters("VENDOR").upsert([{"vendor_id": "V1", "n": -1}])
    assert (again.inserted_count, again.updated_count) == (0, 1)
    assert client.masters("VENDOR").upsert([]).inserted_count == 0


def test_python_values_become_json(client, emu):
    import datetime
    import decimal

    row = {"vendor_id": "types", "when": datetime.date(2024, 3, 1), "at": datetime.datetime(2024, 3, 1, 12, 0, tzinfo=datetime.timezone.utc),
           "price": decimal.Decimal("12.5"), "tags": ("a", "b"), "nested": {"x": [1, None, True]}, "big": 2**63 - 1, "uni": "Ñandú 東京"}
    client.masters("VENDOR").upsert([row])
    sent = emu.journal()[-1]["body"][0]
    assert sent == {"vendor_id": "types", "when": "2024-03-01", "at": "2024-03-01T12:00:00+00:00", "price": 12.5, "tags": ["a", "b"],
                    "nested": {"x": [1, None, True]}, "big": 2**63 - 1, "uni": "Ñandú 東京"}


def test_values_json_cannot_carry_are_refused_before_sending(client, emu):
    for bad, needle in ([{"x": float("nan")}], "not a finite number"), ([{"x": object()}], "cannot send a value of type object"), ([{1: "a"}], "keys must be strings"), ([{"x": 2**70}], "64 bits"):
        try:
            client.masters("VENDOR").upsert(bad)
            raise AssertionError("expected TypeError")
        except TypeError as e:
            assert needle in str(e), e
    try:
        client.masters("VENDOR").upsert({"vendor_id": "single"})  # a dict, not a list of dicts
        raise AssertionError("expected TypeError")
    except TypeError as e:
        assert "list of dicts" in str(e)
    assert emu.journal() == []


def test_modules_subtables_and_workflow(client, emu):
    res = client.modules("CUSTOMMODULE").upsert([{"ref_no": "R-9", "title": "x"}], user_name="johndoe@exto360.com")
    rid = res.inserted_ids[0]
    sub = client.sub_table("Signatures").upsert([{"signer": "a@x.com"}], module_name="CUSTOMMODULE", record_id=rid)
    assert sub.inserted_count == 1
    assert params(emu.journal()[-1]) == {"moduleName": "CUSTOMMODULE", "recordName": rid, "recordId": rid}
    moved = client.workflow("CUSTOMMODULE").act([rid], action="Submit", user_name="johndoe@exto360.com")
    assert moved[0].record_id == rid and len(moved[0].workflow_id) == 24
    rec = next(r for r in client.modules("CUSTOMMODULE").iter() if r["_id"] == rid)
    assert rec["status"] == "Submitted"


def test_with_project_scopes_a_copy(client, emu):
    north = client.with_project("Vx6-j2Z")
    assert north.masters("LOCATION").list().total == 3
    assert north.with_project(None).masters("LOCATION").list().total == 6
    assert emu.journal()[0]["headers"]["x-project-id"] == "Vx6-j2Z"
    assert "x-project-id" not in emu.journal()[1]["headers"]
    assert "Vx6-j2Z" in repr(north)
    try:
        north.workflow("CUSTOMMODULE").act(["x"], action="Submit", user_name="u")
        raise AssertionError("expected InvalidInputError")
    except exto360.InvalidInputError as e:
        assert "space_name" in str(e)


def test_users(client, emu):
    res = client.users.grant_access("jane@exto360.com", projects=[{"project_id": "p6iDlWb", "groups": ["Ops"], "spaces": ["S1"]}, "Vx6-j2Z"], groups=["G1"], profile={"firstName": "Jane"})
    assert res.inserted_count == 1
    body = emu.journal()[-1]["body"]
    assert body["user"] == {"userName": "jane@exto360.com", "email": "jane@exto360.com", "firstName": "Jane"}
    assert body["projects"][1] == {"projectId": "Vx6-j2Z", "groups": [], "spaces": []}
    jane = client.users.get("jane@exto360.com")
    assert jane["user"]["firstName"] == "Jane" and jane["groups"] == ["G1"]
    assert len(client.users.list()) == 5
    assert [u["user"]["userName"] for u in client.users.iter()][-1] == "jane@exto360.com"
    assert client.users.groups(only_project_groups=True)["groups"] == []
    r = client.users.deactivate(["jane@exto360.com", "nobody@x.com"])
    assert (r.ok, r.n_matched, r.n_modified) == (1, 1, 1)
    assert client.users.activate(["jane@exto360.com"]).n_modified == 1
    assert client.users.remove_access("jane@exto360.com", ["p6iDlWb"], ["G1"]) == {"status": "success"}
    assert client.users.remove_project_access("jane@exto360.com", ["Vx6-j2Z"]) == {"status": "success"}
    assert client.users.get("jane@exto360.com")["projects"] == []


def test_health(client):
    assert client.health.liveness()["ok"] is True
    assert client.health.readiness() == {"ok": True}


def test_repr_never_shows_the_token(emu):
    c = Client(token="s3cr3t-value", base_url=emu.url)
    assert "s3cr3t" not in repr(c)
    try:
        c.masters("LOCATION").list()
    except exto360.AuthenticationError as e:
        assert "s3cr3t" not in str(e) and "s3cr3t" not in repr(e)
        assert e.status == 401


def test_environment_fallback(emu, monkeypatch):
    monkeypatch.setenv("EXTO360_TOKEN", emu.token)
    monkeypatch.setenv("EXTO360_BASE_URL", emu.url)
    monkeypatch.setenv("EXTO360_PROJECT_ID", "p6iDlWb")
    monkeypatch.setenv("EXTO360_RATE_LIMIT", "off")
    with Client() as c:
        assert c.masters("LOCATION").list().total == 2
        assert Client(project_id="Vx6-j2Z").masters("LOCATION").list().total == 3
    monkeypatch.delenv("EXTO360_TOKEN")
    try:
        Client()
        raise AssertionError("expected InvalidInputError")
    except exto360.InvalidInputError as e:
        assert "EXTO360_TOKEN" in str(e)
    monkeypatch.setenv("EXTO360_TOKEN", "t")
    monkeypatch.setenv("EXTO360_MAX_RETRIES", "many")
    try:
        Client()
        raise AssertionError("expected InvalidInputError")
    except exto360.InvalidInputError as e:
        assert "EXTO360_MAX_RETRIES" in str(e)


def test_bad_settings_are_invalid_input(emu):
    for kwargs in ({"base_url": "http://example.com"}, {"timeout": -1}, {"rate_limit": -3}, {"rate_limit": "fast"}, {"max_retries": -1}):
        try:
            Client(token="t", **{"base_url": emu.url, **kwargs})
            raise AssertionError(f"expected InvalidInputError for {kwargs}")
        except exto360.InvalidInputError:
            pass


def test_records_come_back_as_plain_python_values(client, emu):
    import gc
    import math

    sent = [
        {"vendor_id": "plain", "n": 7, "big": 2**63 - 1, "neg": -(2**63), "x": 0.0, "ok": True, "none": None, "uni": "Ñandú 東京 \"q\" \\ \n\t", "empty": {}},
        {"vendor_id": "nested", "tags": ["a", {"b": [1, 2.0, None]}], "deep": {"k": {"ks": "v"}}},
        {"vendor_id": "plain2", "n": 8, "big": 1, "neg": 0, "x": -0.0, "ok": False, "none": None, "uni": "plain", "empty": {}},
    ]
    client.masters("VENDOR").upsert(sent)
    rows = {r["customFields"]["vendor_id"]: r for r in client.masters("VENDOR").iter(sort="createdAt")}
    for s in sent:
        got = rows[s["vendor_id"]]["customFields"]
        assert got == s and list(got) == list(s)  # values and key order
        assert type(got) is dict and type(got.get("tags", [])) is list
    plain, plain2, nested = rows["plain"], rows["plain2"], rows["nested"]
    assert type(plain["customFields"]["n"]) is int and type(plain["customFields"]["x"]) is float
    # Records share key strings; a record without lists needs no cycle tracking, one with a list does.
    assert next(iter(plain)) is next(iter(plain2))
    assert not gc.is_tracked(plain) and gc.is_tracked(nested)
    # Records of one shape share equal scalars, never containers; -0.0 stays -0.0.
    assert math.copysign(1, plain2["customFields"]["x"]) == -1 and math.copysign(1, plain["customFields"]["x"]) == 1
    assert plain["customFields"]["empty"] is not plain2["customFields"]["empty"]
    plain["customFields"]["empty"]["k"] = 1
    assert plain2["customFields"]["empty"] == {}
    plain["later"] = [plain]  # mutating it makes it tracked again, as for any dict
    assert gc.is_tracked(plain)


def test_version_is_the_release_version():
    from importlib.metadata import version as dist_version

    assert exto360.version() == exto360.__version__ == dist_version("exto360")
    assert exto360.version().count(".") >= 2
