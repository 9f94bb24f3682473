"""The add-on inside mitmproxy's test harness (taddons/tflow), with a real `wxdecrypt serve`
started by the add-on: the content views, marks and comments, key capture, `wxdecrypt.set`,
the data view's edit, export as cases, and what happens when wxdecrypt is missing. The flows are
read with `read_flow`, what the (async) response hook runs; test_e2e goes through the hooks."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import re
import sys

import pytest
from mitmproxy import contentviews
from mitmproxy.test import taddons, tflow, tutils

from conftest import ADDON, IV, KEY, REFERER, open_payload, phone_data, seal


@pytest.fixture
def mod():
    spec = importlib.util.spec_from_file_location("wxdecrypt_mitmproxy", ADDON)
    m = importlib.util.module_from_spec(spec)
    sys.modules["wxdecrypt_mitmproxy"] = m
    spec.loader.exec_module(m)
    yield m
    m.addon.done()


def flow(url: str, body: str, response: str | None = None, ct: str = "application/json",
         token: str = "T-1"):
    req = tutils.treq(method=b"POST", content=body.encode())
    req.url = url
    req.headers["Content-Type"] = ct
    req.headers["Authorization"] = f"Bearer {token}"
    req.headers["Referer"] = REFERER
    resp = tutils.tresp(content=response.encode()) if response is not None else False
    return tflow.tflow(req=req, resp=resp)


def login_flow():
    return flow("https://api.example.com/login", '{"code":"0a1"}',
                json.dumps({"session_key": KEY, "openid": "oU1", "token": "T-1"}))


def phone_flow(number="13800138000", **kw):
    body = json.dumps({"encryptedData": seal(phone_data(number)), "iv": IV})
    return flow("https://api.example.com/phone", body, '{"ok":true}', **kw)


def view(f, side, name="wxdecrypt"):
    message = f.request if side == "request" else f.response
    return contentviews.prettify_message(message, f, name)


def test_a_login_key_decrypts_the_next_flow(mod, wxdecrypt_bin):
    a = mod.addon
    with taddons.context(a) as tctx:
        tctx.configure(a, wxdecrypt_bin=wxdecrypt_bin)
        before = phone_flow()
        a.read_flow(before)
        # No key yet: marked with the cause, the comment names it.
        assert before.marked == ":warning:"
        assert before.comment.startswith("wxdecrypt: ✘ ") and "(input.missing)" in before.comment

        login = login_flow()
        a.read_flow(login)
        assert login.marked == "" and login.comment == ""
        out = view(login, "response")
        assert out.view_name == "wxdecrypt"
        assert out.text == ("session_key MDEy…Zg== (openid oU1): remembered for the flows "
                            "that follow\n")
        assert KEY not in out.text

        after = phone_flow()
        after.comment = "my note"
        a.read_flow(after)
        assert after.marked == ""
        assert after.comment == "my note\nwxdecrypt: ✓ 138****8000"
        text = view(after, "request").text
        assert text.startswith("✔ Decrypted: Phone number.")
        assert '"phoneNumber": "13800138000"' in text
        assert text.endswith("Key: response of flow " + login.id[:8] + "\n")
        # "auto" picks the view for flows with something to show, not for the others.
        assert contentviews.prettify_message(after.request, after).view_name == "wxdecrypt"
        plain = flow("https://api.example.com/other", '{"a":1}', '{"b":2}')
        a.read_flow(plain)
        assert contentviews.prettify_message(plain.request, plain).view_name != "wxdecrypt"

        # The earlier flow, shown again now that the key is known, opens; its mark goes.
        assert view(before, "request").text.startswith("✔")
        assert before.marked == "" and before.comment == "wxdecrypt: ✓ 138****8000"
        # The data view shows the decrypted JSON alone.
        data = json.loads(view(after, "request", "wxdecrypt-data").text)
        assert data == phone_data("13800138000")


def test_set_reencrypts_and_rewrites_the_request(mod, wxdecrypt_bin):
    a = mod.addon
    with taddons.context(a) as tctx:
        tctx.configure(a, wxdecrypt_bin=wxdecrypt_bin)
        a.read_flow(login_flow())
        f = phone_flow()
        asyncio.run(a.response(f))  # the hook itself, off the event loop
        assert f.comment == "wxdecrypt: ✓ 138****8000"
        tctx.master.commands.call("wxdecrypt.set", [f], "phoneNumber=13900001111")
        body = json.loads(f.request.get_text())
        assert body["iv"] == IV, "the same iv"
        opened = open_payload(body["encryptedData"], body["iv"])
        assert opened == {**phone_data("13900001111")}, "pure number kept consistent"
        assert f.modified(), "a backup was taken: the flow can be reverted"
        assert f.comment.endswith("wxdecrypt: ✎ phoneNumber=13900001111")
        f.revert()
        assert open_payload(json.loads(f.request.get_text())["encryptedData"], IV)[
            "phoneNumber"] == "13800138000"

        # A form body is written back as a form, percent-encoded as it came.
        from urllib.parse import quote, parse_qs
        enc = seal(phone_data("13800138000"))
        g = flow("https://api.example.com/phone", f"iv={quote(IV, safe='')}&encryptedData="
                 f"{quote(enc, safe='')}", '{"ok":true}', ct="application/x-www-form-urlencoded")
        tctx.master.commands.call("wxdecrypt.set", [g], "phoneNumber=13700000000")
        form = parse_qs(g.request.get_text())
        assert open_payload(form["encryptedData"][0], form["iv"][0])["phoneNumber"] == "13700000000"
        new = form["encryptedData"][0]
        assert g.request.get_text() == (f"iv={quote(IV, safe='')}&encryptedData="
                                        f"{quote(new, safe='')}")

        # Editing the data view (the console's `e`) re-encrypts into the body.
        h = phone_flow()
        a.read_flow(h)
        edited = json.dumps({**phone_data("13600000000")})
        new_body = contentviews.reencode_message(edited, h.request, h, "wxdecrypt-data")
        assert open_payload(json.loads(new_body)["encryptedData"], IV)["phoneNumber"] == "13600000000"

        # Errors come back as the API words them.
        with pytest.raises(Exception, match="holds a number: give a number"):
            tctx.master.commands.call("wxdecrypt.set", [h], "watermark.timestamp=soon")


def test_export_and_the_cases_option(mod, wxdecrypt_bin, tmp_path):
    a = mod.addon
    with taddons.context(a) as tctx:
        tctx.configure(a, wxdecrypt_bin=wxdecrypt_bin, wxdecrypt_cases=str(tmp_path / "auto"))
        a.read_flow(login_flow())
        f = phone_flow()
        a.read_flow(f)
        saved = sorted(p.name for p in (tmp_path / "auto").iterdir())
        assert len(saved) == 1 and saved[0].endswith(".wxcase.json")
        case = json.loads((tmp_path / "auto" / saved[0]).read_text())
        assert case["expect"]["data"]["phoneNumber"] == "13800138000"
        tctx.master.commands.call("wxdecrypt.export", [f, login_flow()], str(tmp_path / "x"))
        assert len(list((tmp_path / "x").iterdir())) == 1


def test_the_addons_texts_come_from_wxdecrypt_in_the_chosen_language(mod, wxdecrypt_bin, caplog,
                                                                     tmp_path):
    a = mod.addon
    caplog.set_level(logging.INFO)
    # Every text the add-on asks for is one the API hands out, in both languages.
    used = set(re.findall(r'(?:\bt|_text)\("([a-z_.]+)"', ADDON.read_text(encoding="utf-8")))
    assert {"started", "restarting", "reencrypted", "exported", "view.no_data"} <= used
    with taddons.context(a) as tctx:
        for lang in ["en", "zh-CN"]:
            tctx.configure(a, wxdecrypt_bin=wxdecrypt_bin, wxdecrypt_lang=lang)
            assert a.api() is not None
            assert used <= set(a.messages), f"{lang}: {used - set(a.messages)}"

        # Chosen before the endpoint starts: its first line is in that language already.
        tctx.configure(a, wxdecrypt_bin="", wxdecrypt_lang="zh-CN")
        tctx.configure(a, wxdecrypt_bin=wxdecrypt_bin)
        a.read_flow(login_flow())
        assert re.search(r"wxdecrypt \S+：解密 API v1，地址 http://127\.0\.0\.1:\d+", caplog.text)
        plain = flow("https://api.example.com/other", '{"a":1}', '{"b":2}')
        a.read_flow(plain)
        assert "这个请求里没有已解密的开放数据" in view(plain, "request", "wxdecrypt-data").text
        assert "解密后的数据显示在请求一侧" in view(plain, "response", "wxdecrypt-data").text
        tctx.master.commands.call("wxdecrypt.export", [plain], str(tmp_path))
        assert f"wxdecrypt：0 个用例已保存到 {tmp_path}" in caplog.text

        # Switched back while running: the next text is English again.
        tctx.configure(a, wxdecrypt_lang="en")
        assert "no decrypted open data in this request" in view(plain, "request",
                                                                "wxdecrypt-data").text


@pytest.mark.parametrize("lang,words", [("en", "cannot use the decode API"),
                                        ("zh-CN", "无法使用解密 API")])
def test_a_missing_binary_is_logged_and_flows_pass(mod, caplog, lang, words):
    a = mod.addon
    with taddons.context(a) as tctx:
        tctx.configure(a, wxdecrypt_bin="/nonexistent/wxdecrypt", wxdecrypt_lang=lang)
        f = phone_flow()
        a.read_flow(f)
        assert f.marked == "" and f.comment == ""
        assert words in caplog.text and "wxdecrypt_bin / wxdecrypt_url" in caplog.text
        with pytest.raises(Exception, match=words):
            tctx.master.commands.call("wxdecrypt.set", [f], "phoneNumber=1")
        assert words in view(f, "request").text
