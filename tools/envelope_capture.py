#!/usr/bin/env python3
"""Writes what a backend receives from WeChat, for the screenshots and by-hand checks of the
Captures tab: OUT_DIR/backend.har (message pushes, the URL check, Pay notifications; two of them
failing for a named cause) and OUT_DIR/wxdecrypt-keyring.json (the EncodingAESKey and APIv3 key
that open them), both made from the Python-made vectors in tests/vectors.

    tools/envelope_capture.py OUT_DIR
"""
import json
import os
import sys
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def vectors(name):
    with open(os.path.join(ROOT, "tests", "vectors", name), encoding="utf-8") as f:
        return {v["name"]: v["input"] for v in json.load(f)["vectors"]}


def entry(method, url, body, mime, answer, when):
    req = {"method": method, "url": url, "headers": [], "queryString": []}
    if body is not None:
        req["postData"] = {"mimeType": mime, "text": body}
    return {
        "startedDateTime": when,
        "request": req,
        "response": {"status": 200, "content": {"mimeType": "text/plain", "text": answer}},
    }


def push_body(m):
    """The push's XML body (vectors that give only the Encrypt text get the official wrapper)."""
    if m["body"]:
        return m["body"]
    return (
        f"<xml><ToUserName><![CDATA[{m['receive_id']}]]></ToUserName>"
        f"<Encrypt><![CDATA[{m['encrypt']}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"
    )


def push_url(m):
    q = {"msg_signature": m["msg_signature"], "timestamp": m["timestamp"], "nonce": m["nonce"]}
    if m["echostr"]:
        q["echostr"] = m["encrypt"]
    return "https://backend.example.com/wecom/callback?" + urllib.parse.urlencode(q)


def main(out):
    msg, pay = vectors("msg.json"), vectors("pay.json")
    push, check = msg["official WeCom push"], msg["official WeCom URL check"]
    suite = msg["receive id is the suite id"]
    entries = [
        entry("GET", push_url(check), None, None, "1616140317555161061", "2026-11-18T01:20:00.000Z"),
        entry("POST", push_url(push), push_body(push), "text/xml", "success", "2026-11-18T01:21:10.000Z"),
        entry("POST", push_url(suite), push_body(suite), "text/xml", "success", "2026-11-18T01:22:30.000Z"),
    ]
    for i, name in enumerate(["payment", "refund", "tag altered"]):
        entries.append(
            entry(
                "POST",
                "https://backend.example.com/pay/notify",
                pay[name]["body"],
                "application/json",
                '{"code":"SUCCESS"}',
                f"2026-11-18T01:2{3 + i}:00.000Z",
            )
        )
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "backend.har"), "w", encoding="utf-8") as f:
        json.dump({"log": {"version": "1.2", "creator": {"name": "wxdecrypt tools"}, "entries": entries}}, f)
    ring = {
        "wxdecrypt_keyring": 2,
        "keys": [
            {
                "encoding_aes_key": push["encoding_aes_key"],
                "token": push["token"],
                "receive_id": push["receive_id"],
                "label": "WeCom",
            },
            {"apiv3_key": pay["payment"]["key"], "label": "merchant"},
        ],
    }
    path = os.path.join(out, "wxdecrypt-keyring.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(ring, f, indent=2)
    os.chmod(path, 0o600)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
