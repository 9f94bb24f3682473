"""Draws docs/screenshots/mitmweb.png: mitmweb with the add-on, a login and a phone payload sent
through it by curl to a loopback backend, and the payload's request shown in headless Chromium
(the wxdecrypt view is picked automatically).

    <venv>/bin/python contrib/mitmproxy/screenshot.py path/to/wxdecrypt [out.png]

Needs the venv of test.sh (mitmproxy 12), curl and Debian's chromium."""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "tests"))
from conftest import ADDON, IV, REFERER, Upstream, free_port, phone_data, seal  # noqa: E402

binary = os.path.abspath(sys.argv[1])
out = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else
                      HERE.parent.parent / "docs" / "screenshots" / "mitmweb.png")
token = "wxdecrypt-screenshot"
proxy, web = free_port(), free_port()
home = tempfile.mkdtemp()
up = Upstream()
mitmweb = Path(sys.executable).with_name("mitmweb")
proc = subprocess.Popen(
    [str(mitmweb), "-s", str(ADDON), "--listen-host", "127.0.0.1", "--listen-port", str(proxy),
     "--web-host", "127.0.0.1", "--web-port", str(web), "--no-web-open-browser",
     "--set", f"web_password={token}", "--set", f"wxdecrypt_bin={binary}"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "HOME": home})
try:
    time.sleep(3)

    def send(path, body):
        subprocess.run(["curl", "-sS", "--noproxy", "", "--proxy", f"http://127.0.0.1:{proxy}",
                        "-H", "Content-Type: application/json", "-H", "Authorization: Bearer T-1",
                        "-H", f"Referer: {REFERER}", "--data-binary", body, up.url(path)],
                       check=True, capture_output=True)

    send("/api/login", '{"code":"0a1b2c3d"}')
    now = int(time.time()) - 42
    send("/api/user/phone", json.dumps({"encryptedData": seal(phone_data("13800138000", now)), "iv": IV}))
    stale = seal(phone_data("13800138000", now), key="YWJjZGVmZ2hpamtsbW5vcA==")
    send("/api/user/phone", json.dumps({"encryptedData": stale, "iv": IV}))
    time.sleep(1)
    req = urllib.request.Request(f"http://127.0.0.1:{web}/flows",
                                 headers={"Authorization": f"Bearer {token}"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    flows = json.loads(opener.open(req).read())
    fid = flows[1]["id"]
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--no-first-run",
         f"--user-data-dir={home}/chromium", "--window-size=1400,900",
         "--virtual-time-budget=6000", f"--screenshot={out}",
         f"http://127.0.0.1:{web}/?token={token}#/flows/{fid}/request"],
        check=True, capture_output=True, timeout=120)
    print(out)
finally:
    proc.terminate()
    proc.wait(timeout=20)
    up.server.shutdown()
