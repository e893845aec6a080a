#!/usr/bin/env bash
# Installs a built wheel into a new, empty virtualenv (no access to the source tree) and runs the
# Python quick start with it; then the extras (pandas, polars) and the DataFrame example.
#   python_consumer.sh WHEEL
set -euo pipefail
wheel=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --no-deps "$wheel"
cp "$here/python/examples/quickstart.py" "$work/"
cd "$work"
./venv/bin/python -c 'import exto360, sys; print("exto360", exto360.version(), "from", exto360.__file__)'
./venv/bin/python quickstart.py > quickstart.log || { cat quickstart.log; exit 1; }
echo "python quick start: ok ($(wc -l < quickstart.log) lines)"
# The extras' metadata is what pulls pandas/pyarrow/polars for `pip install "exto360[pandas]"`.
./venv/bin/pip install -q "$wheel[pandas,polars]"
cp "$here/python/examples/dataframes.py" "$work/"
./venv/bin/python dataframes.py > dataframes.log || { cat dataframes.log; exit 1; }
echo "python extras [pandas,polars]: ok ($(wc -l < dataframes.log) lines)"
