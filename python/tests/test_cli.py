"""The ``exto360`` console script the wheel installs: the Rust command line, in-process."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

EXE = shutil.which("exto360", path=os.path.dirname(sys.executable))


def run(emu, *args, rate_limit="off", **kw):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXTO360_")}
    env.update(EXTO360_BASE_URL=emu.url, EXTO360_TOKEN=emu.token, EXTO360_RATE_LIMIT=rate_limit)
    return subprocess.run([EXE, *args], env=env, capture_output=True, text=True, timeout=120, **kw)


def test_the_wheel_installs_the_command():
    assert EXE, "exto360 is on the venv's PATH"
    r = subprocess.run([EXE, "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("exto360 ")
    r = subprocess.run([EXE, "export", "nothing", "X"], capture_output=True, text=True)
    assert r.returncode == 2 and "possible values: masters, modules" in r.stderr


def test_import_and_export_through_the_console_script(emu, tmp_path):
    rows = tmp_path / "v.csv"
    rows.write_text("vendor_id,n\n" + "".join(f"V{i},{i}\n" for i in range(2500)))
    r = run(emu, "--json", "import", "masters", "VENDOR", str(rows), "--key", "vendor_id")
    assert r.returncode == 0, r
    assert json.loads(r.stdout)["written"] == 2500
    r = run(emu, "export", "masters", "VENDOR", "--format", "jsonl")
    assert r.returncode == 0, r
    got = sorted(json.loads(line)["customFields"]["n"] for line in r.stdout.splitlines())
    assert got == list(range(2500))


def test_ctrl_c_reaches_the_command_not_python(emu, tmp_path):
    rows = tmp_path / "v.jsonl"
    rows.write_text("".join(json.dumps({"vendor_id": f"V{i}"}) + "\n" for i in range(20000)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXTO360_")}
    env.update(EXTO360_BASE_URL=emu.url, EXTO360_TOKEN=emu.token, EXTO360_RATE_LIMIT="5")
    p = subprocess.Popen([EXE, "--json", "import", "masters", "VENDOR", str(rows)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    checkpoint = tmp_path / "v.jsonl.exto360-checkpoint"
    deadline = time.time() + 60
    while not (checkpoint.exists() and checkpoint.read_text().count('"done"') >= 2):
        assert time.time() < deadline and p.poll() is None, "the import makes progress"
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 130, (out, err)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    result = json.loads(out)
    assert result["interrupted"] is True and result["written"] >= 2000
    assert result["written"] + result["notSent"] == 20000
