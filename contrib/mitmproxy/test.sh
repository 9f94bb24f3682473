#!/usr/bin/env bash
# The mitmproxy add-on's tests (tests/): unit tests in mitmproxy's own harness and an end-to-end
# run of mitmdump on loopback, both against a real wxdecrypt binary.
#
#   contrib/mitmproxy/test.sh [path/to/wxdecrypt]      (default: $CARGO_TARGET_DIR or target, debug)
#
# mitmproxy 12 needs Python 3.12 or newer: the first one found ($PYTHON, python3.13, python3.12,
# pyenv's, python3) gets a virtual environment in the target folder with the pinned
# requirements-test.txt. Without such a Python, or without the Python registry, the tests are
# skipped with a visible SKIP line (exit 0); any test failure fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${1:-$target/debug/wxdecrypt}"
[ -x "$bin" ] || { echo "no wxdecrypt binary at $bin (cargo build first)" >&2; exit 2; }
# Absolute, so that it still names the binary from the tests' folder (CI passes target/debug/…).
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

is_312() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; }
python=""
candidates=("${PYTHON:-}" python3.13 python3.12)
if command -v pyenv >/dev/null || [ -d "${PYENV_ROOT:-$HOME/.pyenv}/versions" ]; then
    for v in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3; do candidates+=("$v"); done
fi
candidates+=(python3)
for c in "${candidates[@]}"; do
    [ -n "$c" ] || continue
    p="$(command -v "$c" 2>/dev/null || true)"
    if [ -n "$p" ] && is_312 "$p"; then python="$p"; break; fi
done
if [ -z "$python" ]; then
    echo "SKIP: the mitmproxy add-on tests (mitmproxy 12 needs Python 3.12 or newer; none found)"
    exit 0
fi

venv="$target/mitmproxy-venv"
stamp="$venv/.requirements"
if ! cmp -s "$here/requirements-test.txt" "$stamp" 2>/dev/null; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    if ! "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements-test.txt"; then
        echo "SKIP: the mitmproxy add-on tests (could not install requirements-test.txt)"
        rm -rf "$venv"
        exit 0
    fi
    cp "$here/requirements-test.txt" "$stamp"
fi
"$venv/bin/python" -c 'import mitmproxy.version as v; print("mitmproxy", v.VERSION, "on python", __import__("sys").version.split()[0])'
cd "$here/tests"
# Standard input from /dev/null: pytest (and ldap3, imported by mitmproxy) need one, and CI may
# run with none.
WXDECRYPT_BIN="$bin" "$venv/bin/python" -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning \
    </dev/null
