"""End to end on loopback: mitmdump with the add-on, curl sending a login and a phone payload
through it to a loopback backend; the content view printed by mitmdump, the key captured from
the login answer, and the tampered request replayed and opened by the backend."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ADDON, IV, REFERER, free_port, phone_data, seal

HERE = Path(__file__).resolve().parent


def wait_port(port: int, proc: subprocess.Popen, seconds: float = 30) -> None:
    end = time.time() + seconds
    while time.time() < end:
        if proc.poll() is not None:
            raise AssertionError("mitmdump exited: " + proc.stdout.read())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("mitmdump did not listen")


def curl(proxy: int, url: str, body: str, token: str = "T-1") -> str:
    out = subprocess.run(
        ["curl", "-sS", "--noproxy", "", "--proxy", f"http://127.0.0.1:{proxy}",
         "-H", "Content-Type: application/json", "-H", f"Authorization: Bearer {token}", "-H", f"Referer: {REFERER}",
         "--data-binary", body, url],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30, check=True)
    return out.stdout


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_mitmdump_decrypts_captures_the_key_and_replays_a_tampered_request(
        wxdecrypt_bin, upstream, tmp_path):
    mitmdump = Path(sys.executable).with_name("mitmdump")
    port = free_port()
    flows = tmp_path / "flows.mitm"
    done = tmp_path / "replayed"
    env = {**os.environ, "E2E_SET": "phoneNumber=13900001111", "E2E_DONE": str(done),
           "HOME": str(tmp_path)}  # mitmproxy's CA and config go to a scratch home
    proc = subprocess.Popen(
        [str(mitmdump), "-s", str(ADDON), "-s", str(HERE / "e2e_driver.py"),
         "--listen-host", "127.0.0.1", "--listen-port", str(port),
         "--set", f"wxdecrypt_bin={wxdecrypt_bin}",
         "--set", f"wxdecrypt_cases={tmp_path / 'cases'}",
         "--set", "flow_detail=3", "--set", "dumper_default_contentview=wxdecrypt",
         "-w", str(flows)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=env)
    try:
        wait_port(port, proc)
        login = curl(port, upstream.url("/login"), '{"code":"0a1"}')
        assert json.loads(login)["openid"] == "oU1"
        body = json.dumps({"encryptedData": seal(phone_data("13800138000")), "iv": IV})
        answer = curl(port, upstream.url("/phone"), body)
        assert json.loads(answer) == {"ok": True, "phoneNumber": "13800138000"}
        # The replay (made by the driver after the answer) reaches the backend, and its answer
        # goes through the add-on before mitmdump is stopped.
        end = time.time() + 20
        while not done.exists() and time.time() < end:
            time.sleep(0.05)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)

    # The backend got the login, the payload, and the tampered replay, which it opened with the
    # same key and iv (independently of wxdecrypt).
    assert [r["path"] for r in upstream.received] == ["/login", "/phone", "/phone"], out
    replayed = upstream.received[2]
    assert json.loads(replayed["body"])["iv"] == IV
    assert replayed["opened"] == phone_data("13900001111")

    # mitmdump printed the content view: the key captured from the login answer, then the
    # payload decrypted with it.
    assert "session_key MDEy…Zg== (openid oU1): remembered for the flows that follow" in out, out
    assert "✔ Decrypted: Phone number." in out, out
    assert "-41003" not in out, "the appid came from the Referer: the official samples agree"
    assert '"phoneNumber": "13800138000"' in out
    assert "Key: response of flow" in out
    assert "MDEyMzQ1Njc4OWFiY2RlZg==" not in out.split("/login")[0], "the key is not logged"

    # The flows file keeps the comments; the decrypted flows were saved as cases.
    from mitmproxy import io
    with open(flows, "rb") as fh:
        saved = list(io.FlowReader(fh).stream())
    comments = [f.comment for f in saved]
    assert "wxdecrypt: ✓ 138****8000" in comments
    # The replay: the edit made, then the outcome of the tampered payload.
    assert "wxdecrypt: ✎ phoneNumber=13900001111\nwxdecrypt: ✓ 139****1111" in comments, comments
    cases = sorted((tmp_path / "cases").iterdir())
    assert len(cases) >= 1 and all(c.name.endswith(".wxcase.json") for c in cases)
