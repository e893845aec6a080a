"""The current edition from Python, sync and async: updates, deletes, expand, sub-table rows,
hierarchy masters, the v2 workflow, build info — and their errors through the one mapping."""

import asyncio

import pytest

import exto360
from exto360 import AsyncClient, DeleteResult, Filter

from conftest import params


def test_update_and_delete_name_records_by_the_callers_key(client, emu):
    refs = [r["refId"] for r in client.masters("LOCATION").list().rows]
    r = client.masters("LOCATION").update([{"refId": refs[0], "name": "Bangalore"}], key="refId")
    assert (r.updated_count, r.inserted_count) == (1, 0)
    assert emu.journal()[-1]["body"] == [{"refId": refs[0], "name": "Bangalore"}]
    with pytest.raises(exto360.InvalidInputError, match="'_id'"):
        client.masters("LOCATION").update([{"refId": refs[0], "_id": "x"}], key="refId")
    with pytest.raises(exto360.InvalidInputError, match="key"):
        client.masters("LOCATION").update([{"refId": refs[0]}], key="id")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.masters("LOCATION").update({"refId": refs[0]}, key="refId")
    d = client.masters("LOCATION").delete(refs[:2], key="recordNumber", user_name="johndoe@exto360.com")
    assert d == DeleteResult(deleted_count=2)
    assert emu.journal()[-1]["body"] == [{"recordNumber": refs[0]}, {"recordNumber": refs[1]}]
    assert params(emu.journal()[-1]) == {"userName": "johndoe@exto360.com"}
    m = client.modules("CUSTOMMODULE")
    assert m.update([{"recordNumber": "MOD-1", "title": "x"}], key="recordNumber", user_name="johndoe@exto360.com").updated_count == 1
    assert m.delete(["MOD-1"], key="recordNumber", user_name="johndoe@exto360.com").deleted_count == 1


def test_a_200_refusal_is_a_permission_error(client):
    ref = client.masters("LOCATION").list().rows[0]["refId"]
    with pytest.raises(exto360.PermissionDeniedError) as e:
        client.masters("LOCATION").delete([ref, "x"], key="refId", user_name="jasonsmith@exto360.com")
    assert e.value.status == 200 and e.value.details == ["User doesn't have permission to delete the record"]
    assert e.value.bulk is not None and e.value.bulk.not_written == [0, 1]
    assert client.masters("LOCATION").list().total == 6


def test_a_retried_delete_that_finds_nothing_counts_as_deleted(client, emu):
    emu.set_faults([{"kind": "reset", "afterWork": True, "times": 1}])
    fast = exto360.Client(token=emu.token, base_url=emu.url, rate_limit=0, initial_backoff=0.001, max_backoff=0.002)
    assert fast.modules("CUSTOMMODULE").delete(["MOD-2"], key="recordNumber", user_name="johndoe@exto360.com").deleted_count == 1
    assert [e["status"] for e in emu.journal()] == [0, 404]
    with pytest.raises(exto360.NotFoundError):
        client.modules("CUSTOMMODULE").delete(["MOD-2"], key="recordNumber", user_name="johndoe@exto360.com")


def test_expand_gives_complete_records(client, emu):
    mod = client.modules("CUSTOMMODULE").upsert([{"ref_no": "BIG"}], user_name="johndoe@exto360.com")
    rid = mod.inserted_ids[0]
    client.sub_table("Lines").upsert([{"qty": i} for i in range(250)], module_name="CUSTOMMODULE", record_id=rid)
    recs = list(client.modules("CUSTOMMODULE").expand(record_ids=[rid], sub_table_page_size=100, sub_table_fields=["qty"]))
    assert len(recs) == 1
    lines = recs[0]["subTableData"]["Lines"]
    assert lines["total"] == 250 and [r["qty"] for r in lines["rows"]] == list(range(250))
    assert set(lines["rows"][0]) == {"_id", "qty"}
    all_recs = list(client.modules("CUSTOMMODULE").expand(page_size=1, fields=["recordNumber"]))
    assert [r["recordNumber"] for r in all_recs] == ["MOD-1", "MOD-2", "MOD-3", "MOD-4"]
    assert "customFields" not in all_recs[0]
    with pytest.raises(exto360.InvalidInputError, match="between 1 and 100"):
        list(client.modules("CUSTOMMODULE").expand(page_size=101))


def test_sub_tables_hierarchy_workflow_and_build_info(client):
    rid = client.modules("CUSTOMMODULE").list(sort="-recordNumber").rows[0]["_id"]
    st = client.sub_table("Signatures")
    page = st.list(module_name="CUSTOMMODULE", record_id=rid)
    assert page.total == 1 and page.rows[0]["recordNumber"] == "SIG-1"
    assert [r["recordNumber"] for r in st.iter(module_name="CUSTOMMODULE", record_id=rid, page_size=1)] == ["SIG-1"]
    assert st.delete(["SIG-1"], module_name="CUSTOMMODULE", record_id=rid).deleted_count == 1
    h = client.hierarchy("ORG_UNIT")
    assert h.create([{"sys_rowID": "X", "sys_parentRowID": "ORG-4"}]).inserted_count == 1
    assert h.update([{"sys_rowID": "X", "sys_parentRowID": "ORG-3"}]).updated_count == 1
    assert [r["sys_path"] for r in h.iter(page_size=2)][-1] == "/ORG-1/ORG-3/X"
    assert h.list(page=2, page_size=4).rows[0]["sys_rowID"] == "X"
    wf = client.with_project("Vx6-j2Z").workflow("CUSTOMMODULE")
    f = Filter.field("status").eq("Draft") | Filter.field("status").eq("Submitted")
    assert wf.list(filter=f).total == 2
    assert [r["recordNumber"] for r in wf.iter(page_size=1, status="Submitted")] == ["MOD-2"]
    out = wf.transition("create", "MOD-1", user_name="johndoe@exto360.com", action_name="Submit", space_name="S1", assignee_users=["jasonsmith@exto360.com"], comment="please")
    assert out["status"] == "Submitted"
    assert wf.history("MOD-1")["history"][0]["comment"] == "please"
    with pytest.raises(exto360.InvalidInputError, match="space_name"):
        wf.transition("submit", "MOD-1", user_name="johndoe@exto360.com", action_name="Approve")
    with pytest.raises(exto360.InvalidInputError, match="project"):
        client.workflow("CUSTOMMODULE").list()
    assert client.build_info()["name"] == "exto-data-api"


def test_the_async_client_has_the_same_edition(emu):
    async def main():
        async with AsyncClient(token=emu.token, base_url=emu.url, rate_limit=0) as c:
            assert (await c.build_info())["branch"] == "release/26.5.0"
            refs = [r["refId"] for r in (await c.masters("LOCATION").list()).rows]
            assert (await c.masters("LOCATION").update([{"refId": refs[0], "x": 1}], key="refId")).updated_count == 1
            with pytest.raises(exto360.PermissionDeniedError):
                await c.masters("LOCATION").delete(refs[:1], key="refId", user_name="jasonsmith@exto360.com")
            assert (await c.modules("CUSTOMMODULE").update([{"recordNumber": "MOD-2", "x": 1}], key="recordNumber", user_name="johndoe@exto360.com")).updated_count == 1
            recs = [r async for r in c.modules("CUSTOMMODULE").expand(page_size=2)]
            assert len(recs) == 3 and recs[2]["subTableData"]["Signatures"]["rows"][0]["recordNumber"] == "SIG-1"
            rid = recs[2]["_id"]
            st = c.sub_table("Signatures")
            assert (await st.list(module_name="CUSTOMMODULE", record_id=rid)).total == 1
            assert [r async for r in st.iter(module_name="CUSTOMMODULE", record_id=rid)][0]["signer"] == "johndoe@exto360.com"
            assert (await st.delete(["SIG-1"], module_name="CUSTOMMODULE", record_id=rid)).deleted_count == 1
            assert (await c.modules("CUSTOMMODULE").delete(["MOD-3"], key="recordNumber", user_name="johndoe@exto360.com")).deleted_count == 1
            h = c.hierarchy("ORG_UNIT")
            assert (await h.create([{"name": "x"}])).inserted_count == 1
            assert (await h.update([{"sys_rowID": "ORG-4", "name": "L1"}])).updated_count == 1
            assert len([r async for r in h.iter(page_size=2)]) == 5
            assert (await h.list()).total == 5
            wf = c.with_project("Vx6-j2Z").workflow("CUSTOMMODULE")
            assert (await wf.list(page_size=1)).total_pages == 2
            assert len([r async for r in wf.iter()]) == 2
            assert (await wf.transition("submit", "MOD-1", user_name="johndoe@exto360.com", action_name="Submit", space_name="S1"))["status"] == "Submitted"
            assert len((await wf.history("MOD-1"))["history"]) == 1

    asyncio.run(main())
