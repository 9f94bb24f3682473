"""Shared pieces of the add-on's tests: the wxdecrypt binary, payloads made independently of
wxdecrypt (the `cryptography` package, which mitmproxy depends on), and a loopback upstream that
logs users in and opens what it receives with the same independent code."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

ADDON = Path(__file__).resolve().parent.parent / "wxdecrypt_mitmproxy.py"
APPID = "wx0123456789abcdef"
KEY = base64.b64encode(b"0123456789abcdef").decode()
IV = base64.b64encode(b"fedcba9876543210").decode()
# What a mini program's requests carry: the appid is read from it.
REFERER = f"https://servicewechat.com/{APPID}/1/page-frame.html"


def seal(data: dict, key: str = KEY, iv: str = IV) -> str:
    """encryptedData for `data` (AES-128-CBC, PKCS#7), as WeChat makes it."""
    p = padding.PKCS7(128).padder()
    plain = p.update(json.dumps(data, separators=(",", ":")).encode()) + p.finalize()
    enc = Cipher(algorithms.AES(base64.b64decode(key)), modes.CBC(base64.b64decode(iv))).encryptor()
    return base64.b64encode(enc.update(plain) + enc.finalize()).decode()


def open_payload(encrypted: str, iv: str, key: str = KEY) -> dict:
    dec = Cipher(algorithms.AES(base64.b64decode(key)), modes.CBC(base64.b64decode(iv))).decryptor()
    raw = dec.update(base64.b64decode(encrypted)) + dec.finalize()
    u = padding.PKCS7(128).unpadder()
    return json.loads(u.update(raw) + u.finalize())


def phone_data(number: str, timestamp: int = 1_700_000_000) -> dict:
    return {"phoneNumber": number, "purePhoneNumber": number, "countryCode": "86",
            "watermark": {"appid": APPID, "timestamp": timestamp}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def wxdecrypt_bin() -> str:
    path = os.environ.get("WXDECRYPT_BIN") or shutil.which("wxdecrypt")
    if not path or not os.path.exists(path):
        pytest.fail("set WXDECRYPT_BIN to the wxdecrypt binary (cargo build) or put it on PATH")
    return os.path.abspath(path)


class Upstream:
    """A backend on loopback: /login hands out the session key, /phone opens the payload it gets
    (independently of wxdecrypt) and answers with the phone number; every request is kept."""

    def __init__(self):
        self.received: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n).decode()
                entry = {"path": self.path, "body": body}
                if "login" in self.path:
                    answer = {"session_key": KEY, "openid": "oU1", "token": "T-1"}
                else:
                    try:
                        v = json.loads(body)
                        entry["opened"] = open_payload(v["encryptedData"], v["iv"])
                        answer = {"ok": True, "phoneNumber": entry["opened"]["phoneNumber"]}
                    except Exception as e:  # noqa: BLE001 - what the backend would answer
                        answer = {"ok": False, "error": type(e).__name__}
                outer.received.append(entry)
                out = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def upstream():
    u = Upstream()
    yield u
    u.server.shutdown()
