#!/usr/bin/env python3
"""Writes the committed seed corpora under fuzz/seeds/ from their sources: the conformance
cases (tests/conformance/cases/*.json), the documented examples of REFERENCE.md §11 and §13A,
and list answers recorded from the emulator (fuzz/seeds/answers/*.json, kept by hand).

    python3 fuzz/make_seeds.py      # from the repository root; rewrites fuzz/seeds/<target>/

A seed file is named by the hash of its content, as libFuzzer names corpus files.
"""

import glob
import hashlib
import json
import os
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "fuzz", "seeds")
RECORD_ID = "67bf904882101daa4b00bca1"

# REFERENCE.md §11.3 (documented examples) and §11.2 (one per operator and type).
DOCUMENTED_FILTERS = [
    "serial_number:NUMBER:eq:1234",
    "serial_number:eq:1234",
    "number_field_1:eq:6:and:number_field_2:eq:1",
    "number_field_1:eq:6:or:number_field_2:eq:1",
    "number1:eq:6:and:number2:eq:1:or:contact:eq:1234",
    "number2:gt:2:and:email_id:cn:john",
    "createdDate:ge:2024-03-01:and:createdDate:le:2024-03-31",
    "number_field_1:in:2|10|15",
    "number_field_1:eq:null",
    "email_id:ne:null",
    "number_field:ne:4",
    "number_field:le:2",
    "email_id:sw:d",
    "email_id:ew:m",
    "email_id:nc:com",
    "email_id:eq:abc@xyz.com",
    "addition:ne:0",
    "createdDate:DATE:eq:2024-03-22",
    "active:PRIMITIVE:eq:true",
    "status:eq:Approved",
]

# The same intents in the JSON form the bindings pass.
DOCUMENTED_FILTER_OBJECTS = [
    {"field": "serial_number", "type": "NUMBER", "op": "eq", "value": 1234},
    {"and": [{"field": "number_field_1", "op": "eq", "value": 6}, {"field": "number_field_2", "op": "eq", "value": 1}]},
    {"or": [{"and": [{"field": "number1", "op": "eq", "value": 6}, {"field": "number2", "op": "eq", "value": 1}]}, {"field": "contact", "op": "eq", "value": 1234}]},
    {"and": [{"field": "createdDate", "type": "DATE", "op": "ge", "value": "2024-03-01"}, {"field": "createdDate", "type": "DATE", "op": "le", "value": "2024-03-31"}]},
    {"field": "number_field_1", "type": "NUMBER", "op": "in", "value": [2, 10, 15]},
    {"field": "email_id", "type": "STRING", "op": "is_not_blank"},
    {"field": "email_id", "op": "contains", "value": "john"},
    {"field": "addition", "type": "PRIMITIVE", "op": "ne", "value": 0},
]


def resolve(v):
    """The driver's placeholders, with small counts (a seed stays a few KB)."""
    if isinstance(v, dict):
        if "$repeat" in v:
            r = v["$repeat"]
            n = min(r["count"], 3)
            return [fill(r["template"], i) for i in range(n)]
        if "$recordId" in v:
            return RECORD_ID
        if "$recordIds" in v:
            return [RECORD_ID] * min(v["$recordIds"]["count"], 3)
        return {k: resolve(x) for k, x in v.items()}
    if isinstance(v, list):
        return [resolve(x) for x in v]
    return v


def fill(t, i):
    if isinstance(t, str):
        return i if t == "$i" else t.replace("{i}", str(i))
    if isinstance(t, dict):
        return {k: fill(x, i) for k, x in t.items()}
    if isinstance(t, list):
        return [fill(x, i) for x in t]
    return t


def cases():
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "conformance", "cases", "*.json"))):
        with open(path) as f:
            yield from json.load(f)["cases"]


def filters_in(v):
    """Filter objects and strings anywhere in a case (arguments and expected query params)."""
    if isinstance(v, dict):
        for k, x in v.items():
            if k == "filter" and isinstance(x, (dict, str)):
                yield x
            else:
                yield from filters_in(x)
    elif isinstance(v, list):
        for x in v:
            yield from filters_in(x)


def write(target, items):
    out = os.path.join(SEEDS, target)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    seen = set()
    for data in items:
        if isinstance(data, str):
            data = data.encode()
        h = hashlib.sha1(data).hexdigest()
        if h not in seen:
            seen.add(h)
            with open(os.path.join(out, h), "wb") as f:
                f.write(data)
    print(f"{target}: {len(seen)} seeds")


def compact(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def main():
    all_cases = list(cases())
    calls = [f"{c['op']}\n{compact(resolve(c.get('args', {})))}" for c in all_cases]
    # Chunk boundaries: 1001 records (two requests), 101 ids (two workflow requests).
    calls.append("masters.upsert\n" + compact({"name": "V", "records": [{}] * 1001}))
    calls.append("workflow.act\n" + compact({"module": "M", "action": "Submit", "userName": "a@b.c", "recordIds": ["1"] * 101}))
    write("call_args", calls)

    found = [f for c in all_cases for f in filters_in(c)]
    objects = [compact(f) for f in found if isinstance(f, dict)] + [compact(f) for f in DOCUMENTED_FILTER_OBJECTS]
    write("filter_json", objects)
    write("emulator_filter", DOCUMENTED_FILTERS + [f for f in found if isinstance(f, str)])

    answers = []
    for path in sorted(glob.glob(os.path.join(SEEDS, "answers", "*.json"))):
        with open(path, "rb") as f:
            answers.append(f.read())
    write("page", answers)
    write("tape", answers)


if __name__ == "__main__":
    main()
