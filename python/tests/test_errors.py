"""Exceptions: one class per kind, BulkWriteError with what was written, retries."""

import pytest

import exto360
from exto360 import Client

CASES = [
    (400, exto360.BadRequestError), (401, exto360.AuthenticationError), (403, exto360.PermissionDeniedError),
    (404, exto360.NotFoundError), (413, exto360.BadRequestError), (422, exto360.BadRequestError),
    (429, exto360.RateLimitError), (500, exto360.ServerError), (502, exto360.ServerError),
    (503, exto360.ServerError), (504, exto360.ServerError),
]


@pytest.mark.parametrize("status,cls", CASES)
def test_status_maps_to_class(emu, status, cls):
    c = Client(token=emu.token, base_url=emu.url, rate_limit=0, max_retries=0)
    emu.set_faults([{"kind": "status", "status": status}])
    with pytest.raises(cls) as info:
        c.masters("LOCATION").list()
    e = info.value
    assert isinstance(e, exto360.APIError) and isinstance(e, exto360.Exto360Error)
    assert e.status == status and e.details == ["Injected fault"] and e.summary
    assert e.path == "/api/v1/master-record/LOCATION"
    assert e.code == cls.code


def test_unknown_master_is_not_found(client):
    with pytest.raises(exto360.NotFoundError) as info:
        client.masters("ITEM_MASTER").list()
    assert info.value.status == 500 and info.value.summary == "Service Exception"


def test_connection_and_timeout_errors(emu):
    c = Client(token="t", base_url="http://127.0.0.1:9", rate_limit=0, max_retries=1)
    with pytest.raises(exto360.APIConnectionError) as info:
        c.health.readiness()
    assert info.value.retries == 1 and not isinstance(info.value, exto360.APIError)
    emu.set_faults([{"kind": "latency", "latencyMs": 800}])
    c = Client(token=emu.token, base_url=emu.url, rate_limit=0, max_retries=0, timeout=0.1)
    with pytest.raises(exto360.APITimeoutError):
        c.masters("LOCATION").list()


def test_invalid_input_is_a_value_error(client, emu):
    with pytest.raises(ValueError):
        client.masters("LOCATION").list(page_size=5000)
    with pytest.raises(exto360.InvalidInputError):
        client.masters("..").list()
    with pytest.raises(exto360.InvalidInputError):
        exto360.Filter.field("n").number().contains("3").render()
    with pytest.raises(exto360.InvalidInputError):
        client.users.remove_project_access("a@x.com", [f"p{i}" for i in range(101)])
    assert emu.journal() == []


def test_retries_are_transparent_and_counted(client, emu):
    emu.set_faults([{"kind": "status", "status": 503, "times": 2}])
    assert client.masters("LOCATION").list().total == 6
    assert [e["status"] for e in emu.journal()] == [503, 503, 200]
    emu.set_faults([{"kind": "status", "status": 503}])
    with pytest.raises(exto360.ServerError) as info:
        Client(token=emu.token, base_url=emu.url, rate_limit=0, max_retries=1).masters("LOCATION").list()
    assert info.value.retries == 1


def test_bulk_write_error_says_what_was_written(client, emu):
    emu.set_faults([{"kind": "status", "status": 422, "method": "POST", "bodyContains": '"V2200"'}])
    rows = [{"vendor_id": f"V{i}"} for i in range(2500)]
    with pytest.raises(exto360.BulkWriteError) as info:
        client.masters("VENDOR").upsert(rows)
    e = info.value
    assert e.bulk.total == 2500
    assert e.written == list(range(2000)) and e.not_written == list(range(2000, 2500)) and e.unknown == []
    assert isinstance(e.cause, exto360.BadRequestError) and e.cause.status == 422
    assert "2000 of 2500 written" in str(e)
    held = {r["customFields"]["vendor_id"] for r in emu.records("masters", "VENDOR")}
    assert held == {f"V{i}" for i in range(2000)}


def test_nothing_written_raises_the_typed_error_with_a_report(client, emu):
    emu.set_faults([{"kind": "status", "status": 400, "method": "POST"}])
    with pytest.raises(exto360.BadRequestError) as info:
        client.masters("VENDOR").upsert([{"vendor_id": "a"}])
    assert info.value.bulk.not_written == [0]


def test_post_is_not_retried_after_a_lost_answer(client, emu):
    emu.set_faults([{"kind": "reset", "afterWork": True, "times": 1, "method": "POST"}])
    with pytest.raises(exto360.BulkWriteError) as info:
        client.masters("VENDOR").upsert([{"vendor_id": "a"}])
    assert info.value.unknown == [0] and isinstance(info.value.cause, exto360.APIConnectionError)
    assert len(emu.journal()) == 1
    assert len(emu.records("masters", "VENDOR")) == 1  # it did happen


def test_a_lost_answer_then_a_429_stays_unknown(emu):
    # The first attempt was carried out, the retry was refused with 429: the row may be
    # written, so it must not be reported "not written" (re-sending it would duplicate).
    c = Client(token=emu.token, base_url=emu.url, rate_limit=0, max_retries=1, retry_writes=True, initial_backoff=0.001, max_backoff=0.002)
    emu.set_faults([{"kind": "status", "status": 503, "afterWork": True, "times": 1}, {"kind": "status", "status": 429, "times": 1}])
    with pytest.raises(exto360.BulkWriteError) as info:
        c.masters("VENDOR").upsert([{"vendor_id": "a"}])
    assert info.value.unknown == [0] and info.value.not_written == []
    assert isinstance(info.value.cause, exto360.RateLimitError)


def test_inserted_ids_of_written_chunks_are_in_the_report(client, emu):
    emu.set_faults([{"kind": "status", "status": 422, "bodyContains": '"V1000"'}])
    with pytest.raises(exto360.BulkWriteError) as info:
        client.masters("VENDOR").upsert([{"vendor_id": f"V{i}"} for i in range(1500)])
    ids = info.value.bulk.inserted_ids
    assert len(ids) == 1000
    assert {r["_id"] for r in emu.records("masters", "VENDOR")} == set(ids)


@pytest.mark.parametrize(
    "kwargs,needle",
    [
        ({"timeout": 1e20}, "at most 86400"),
        ({"timeout": 2.0**64}, "at most 86400"),
        ({"rate_limit": 1e-300}, "between 0.001 and 10000"),
        ({"max_retries": 10**6}, "at most 100"),
        ({"initial_backoff": 1e12}, "at most 3600"),
    ],
)
def test_config_numbers_out_of_range_are_refused(emu, kwargs, needle):
    with pytest.raises(exto360.InvalidInputError) as info:
        Client(token=emu.token, base_url=emu.url, **kwargs)
    assert needle in str(info.value)


def test_hostile_filters_and_values_are_errors_not_crashes(client, emu):
    f = exto360.Filter.field("f0").eq(1) | exto360.Filter.field("g0").eq(2)
    for i in range(1, 22):
        f = f & (exto360.Filter.field(f"f{i}").eq(1) | exto360.Filter.field(f"g{i}").eq(2))
    with pytest.raises(exto360.InvalidInputError, match="expands to 4194304 OR-groups"):
        client.masters("LOCATION").list(filter=f)
    chain = exto360.Filter.field("a").eq(0)
    for i in range(1, 200):
        chain = chain & exto360.Filter.field("a").eq(i)
    assert chain.render().count(":and:") == 199  # a long chain stays flat
    cyclic: dict = {"vendor_id": "x"}
    cyclic["self"] = cyclic
    with pytest.raises(ValueError, match="nested deeper than 128 levels"):
        client.masters("VENDOR").upsert([cyclic])
    assert emu.journal() == []
