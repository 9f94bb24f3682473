"""wxdecrypt inside mitmproxy: decrypts, explains and re-encrypts WeChat mini program open data
(encryptedData + iv), message pushes and Pay notifications in the flows as they pass.

    mitmproxy -s contrib/mitmproxy/wxdecrypt_mitmproxy.py        # or mitmweb / mitmdump

Everything cryptographic is done by the `wxdecrypt` binary through its local decode API
(`wxdecrypt serve`, loopback only, README "The local decode API"): this add-on starts one on a
free port (or uses `wxdecrypt_url`), sends it each exchange, and shows what it answers:

* the "wxdecrypt" content view: the verdict, the data, the findings with their fixes, where the
  key came from (request side); the session keys a login answer handed out (response side);
* flows that carry a payload get a comment with the outcome; those that fail to decrypt are
  marked (:warning:) with the root cause, unless you marked them yourself;
* session keys of code2Session-like answers are remembered by the API for the flows that follow
  (same pairing as `wxdecrypt scan`), besides the flow's own key and the key ring;
* `wxdecrypt.set <flows> path=value…` re-encrypts the edited data with the same key and iv and
  rewrites the request (JSON, form or query, as it travelled), ready to replay; the
  "wxdecrypt-data" view shows the decrypted JSON alone and, edited in the console (`e`),
  re-encrypts it into the body;
* `wxdecrypt_cases=FOLDER` saves every decrypted flow as a case; `wxdecrypt.export <flows>
  FOLDER` saves the flows given.

Requires mitmproxy 12 (Python 3.12 or newer) and wxdecrypt on PATH (or `wxdecrypt_bin`).

What the add-on says of its own (log lines, the views' refusals) comes from wxdecrypt's catalogues
through the API (`GET /wxdecrypt/v1/messages`), in the `wxdecrypt_lang` language; only the
message that wxdecrypt cannot be reached is kept here, since it cannot come from there.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence

from mitmproxy import command, contentviews, ctx, exceptions, flow, hooks, http
from mitmproxy.addonmanager import Loader
from mitmproxy.contentviews import Metadata

log = logging.getLogger(__name__)

API = "/wxdecrypt/v1"
# What the API takes in one request (README: serve limits); larger bodies are left out.
MAX_API_BODY = 1 << 20
MARK = ":warning:"
COMMENT_PREFIX = "wxdecrypt: "
META = "wxdecrypt"
# The one text that cannot come from wxdecrypt's catalogues: that wxdecrypt cannot be reached.
UNAVAILABLE = {
    "en": "wxdecrypt: cannot use the decode API ({error}); flows pass undecrypted. "
          "Install wxdecrypt or set wxdecrypt_bin / wxdecrypt_url.",
    "zh-CN": "wxdecrypt：无法使用解密 API（{error}）；流量不解密照常通过。"
             "请安装 wxdecrypt，或设置 wxdecrypt_bin / wxdecrypt_url。",
}


def fill(template: str, **args) -> str:
    """`{name}` placeholders replaced by `args` (others kept), as wxdecrypt fills its texts."""
    for name, value in args.items():
        template = template.replace("{" + name + "}", str(value))
    return template


class ApiError(Exception):
    """An answer of the decode API that is not a success, with the API's own message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.status, self.code, self.message = status, code, message


class Client:
    """The decode API of one `wxdecrypt serve`, called without any proxy in between."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def call(self, endpoint: str, body: dict | None = None) -> dict:
        url = f"{self.base}{API}/{endpoint}".rstrip("/")
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        req = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
        req.add_header("Content-Type", "application/json")
        try:
            with self.opener.open(req, timeout=20) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            try:
                err = json.loads(e.read()).get("error", {})
            except ValueError:
                err = {}
            raise ApiError(e.code, err.get("code", "?"), err.get("message", str(e))) from None


class Server:
    """A `wxdecrypt serve` started by the add-on on a free loopback port, stopped with it."""

    def __init__(self, binary: str, keyring: str, lang: str):
        args = [binary, "--lang", lang, "serve", "--port", "0"]
        if keyring:
            args += ["--keyring", keyring]
        self.proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
        )
        self.url = None
        lines = []
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            lines.append(line.rstrip())
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.url = f"http://127.0.0.1:{m.group(1)}"
                break
        if self.url is None:
            self.proc.wait(timeout=10)
            raise RuntimeError(" / ".join(lines) or f"{binary} serve exited")
        # The rest of its output is drained so that it never blocks on a full pipe.
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _headers(fields) -> list[list[str]]:
    return [[k, v] for k, v in fields.items(multi=True)]


# Bodies of these types never carry a payload: not sent.
MEDIA = ("image/", "video/", "audio/", "font/", "application/octet-stream")


def _text(message) -> str:
    if message is None or not message.raw_content:
        return ""
    if message.headers.get("content-type", "").lower().startswith(MEDIA):
        return ""
    text = message.get_text(strict=False)
    return text if text is not None and len(text) <= MAX_API_BODY // 2 else ""


def flow_id(f: http.HTTPFlow) -> str:
    """What names the flow where a key came from (`response of flow 1a2b3c4d`)."""
    return f"flow {f.id[:8]}"


def request_of(f: http.HTTPFlow) -> dict:
    """The flow's request as the API takes it."""
    return {
        "method": f.request.method,
        "url": f.request.pretty_url,
        "headers": _headers(f.request.headers),
        "body": _text(f.request),
    }


def exchange_of(f: http.HTTPFlow) -> dict:
    """The flow as the API takes an exchange: id, request and (when there is one) response."""
    ex = {"id": flow_id(f), "request": request_of(f)}
    if f.response is not None:
        ex["response"] = {
            "status": f.response.status_code,
            "headers": _headers(f.response.headers),
            "body": _text(f.response),
        }
    return ex


def is_outcome_line(line: str) -> bool:
    """Whether a comment line is an outcome the add-on wrote (replaced when the outcome changes;
    the user's lines and the edits made are kept)."""
    return line.startswith((f"{COMMENT_PREFIX}✓ ", f"{COMMENT_PREFIX}✘ "))


def fingerprint(f: http.HTTPFlow) -> str:
    """What the cached answer of a flow depends on: its request and response as they are now."""
    h = hashlib.sha256(f.request.pretty_url.encode())
    h.update(f.request.raw_content or b"")
    h.update(b"\0" + ((f.response.raw_content or b"") if f.response else b"-"))
    return h.hexdigest()


class WxDecrypt:
    def __init__(self):
        self.server: Server | None = None
        self.client: Client | None = None
        self.failed: str | None = None
        # The add-on's own texts in the chosen language (GET /wxdecrypt/v1/messages).
        self.messages: dict[str, str] | None = None
        # Flows are read on worker threads: one of them starts the endpoint.
        self.lock = threading.Lock()

    # -- options and the API -------------------------------------------------------------

    def load(self, loader: Loader) -> None:
        loader.add_option("wxdecrypt_url", str, "",
                          "URL of a running `wxdecrypt serve` (empty: start one on a free port).")
        loader.add_option("wxdecrypt_bin", str, "wxdecrypt", "The wxdecrypt binary to start.")
        loader.add_option("wxdecrypt_keyring", str, "",
                          "Key ring file for the started wxdecrypt serve (session keys, "
                          "EncodingAESKeys, APIv3 keys).")
        loader.add_option("wxdecrypt_cases", str, "",
                          "Folder where every decrypted flow is saved as a case (empty: none).")
        loader.add_option("wxdecrypt_lang", str, "en", "Language of the views and comments.",
                          choices=["en", "zh-CN"])
        loader.add_option("wxdecrypt_show", bool, False,
                          "Show whole phone numbers in flow comments (masked by default).")

    def configure(self, updated: set[str]) -> None:
        if updated & {"wxdecrypt_url", "wxdecrypt_bin", "wxdecrypt_keyring"}:
            self._stop()
            self.failed = None
        if "wxdecrypt_lang" in updated:
            self.messages = None

    def done(self) -> None:
        self._stop()

    def _stop(self) -> None:
        if self.server is not None:
            self.server.stop()
        self.server = self.client = None

    def api(self) -> Client | None:
        """The API client, starting `wxdecrypt serve` on first use (again if it exited); None
        (logged once) if it cannot be reached."""
        with self.lock:
            if self.server is not None and self.server.proc.poll() is not None:
                log.warning(self._text("restarting"))
                self.server = self.client = None
            if self.client is not None and self.messages is None:
                self._load_messages(self.client)
            if self.client is not None or self.failed is not None:
                return self.client
            return self._connect()

    def _connect(self) -> Client | None:
        lang = ctx.options.wxdecrypt_lang
        try:
            if ctx.options.wxdecrypt_url:
                client = Client(ctx.options.wxdecrypt_url)
            else:
                self.server = Server(ctx.options.wxdecrypt_bin, ctx.options.wxdecrypt_keyring,
                                     lang)
                client = Client(self.server.url)
            info = client.call("")
            self._load_messages(client)
            log.info(self._text("started", version=info.get("wxdecrypt"), api=info.get("version"),
                            url=client.base))
            self.client = client
        except (OSError, RuntimeError, ValueError, ApiError) as e:
            self.failed = fill(UNAVAILABLE.get(lang, UNAVAILABLE["en"]), error=e)
            log.error(self.failed)
        return self.client

    def _load_messages(self, client: Client) -> None:
        lang = ctx.options.wxdecrypt_lang
        try:
            self.messages = client.call(f"messages?lang={lang}").get("messages", {})
        except (OSError, ValueError, ApiError) as e:
            # A wxdecrypt without the endpoint: the texts' keys are shown instead.
            log.warning(f"wxdecrypt: messages: {e}")
            self.messages = {}

    def _text(self, key: str, **args) -> str:
        return fill((self.messages or {}).get(key, key), **args)

    def t(self, key: str, **args) -> str:
        """The add-on's text `key` (a `proxy.` catalogue key without the prefix), filled; the
        API is reached first when it was not yet."""
        if self.messages is None:
            self.api()
        return self._text(key, **args)

    def inspect(self, f: http.HTTPFlow, remember: bool, save_cases: str = "") -> dict | None:
        api = self.api()
        if api is None:
            return None
        body = exchange_of(f)
        body.update(remember=remember, lang=ctx.options.wxdecrypt_lang,
                    show=ctx.options.wxdecrypt_show)
        if save_cases:
            # The endpoint may run elsewhere than mitmproxy's folder: an absolute path.
            body["save_cases"] = os.path.abspath(os.path.expanduser(save_cases))
        try:
            answer = api.call("inspect", body)
        except (OSError, ValueError, ApiError) as e:
            log.warning(f"wxdecrypt: {f.request.pretty_url}: {e}")
            return None
        f.metadata[META] = {"fingerprint": fingerprint(f), "answer": answer}
        return answer

    def answer_of(self, f: http.HTTPFlow) -> dict | None:
        """The API's answer for the flow as it is now: asked again when the flow changed since,
        or when a payload failed (a key seen since may open it; the mark follows)."""
        cached = f.metadata.get(META)
        if (cached and cached.get("fingerprint") == fingerprint(f)
                and all(i.get("ok") for i in cached["answer"].get("items", []))):
            return cached["answer"]
        answer = self.inspect(f, remember=False)
        if answer is not None and self.annotate(f, answer):
            ctx.master.addons.trigger(hooks.UpdateHook([f]))
        return answer

    # -- hooks ---------------------------------------------------------------------------

    # The API is called off mitmproxy's event loop, so other connections are served meanwhile;
    # the response reaches the client only after its hook, so a login's key is known before the
    # requests the client sends after it.

    async def response(self, f: http.HTTPFlow) -> None:
        await asyncio.to_thread(self.read_flow, f)

    async def error(self, f: http.HTTPFlow) -> None:
        # No response came: the request's payloads are still worth reading.
        if f.response is None:
            await asyncio.to_thread(self.read_flow, f)

    def read_flow(self, f: http.HTTPFlow) -> None:
        """Inspects a finished flow (remembering its keys) and annotates it."""
        answer = self.inspect(f, remember=True, save_cases=ctx.options.wxdecrypt_cases)
        if answer is not None:
            self.annotate(f, answer)

    def annotate(self, f: http.HTTPFlow, answer: dict) -> bool:
        """Comment the outcome of each payload; mark the flow when one failed (a mark or
        comment of the user's own is kept). Whether the flow changed."""
        items = answer.get("items", [])
        if not items:
            return False
        was = (f.comment, f.marked)
        lines = [f"{COMMENT_PREFIX}{'✓' if i.get('ok') else '✘'} {i.get('summary', '')}"
                 for i in items]
        kept = [l for l in f.comment.splitlines() if not is_outcome_line(l)]
        f.comment = "\n".join(kept + lines)
        failed = any(not i.get("ok") for i in items)
        if failed and not f.marked:
            f.marked = MARK
        elif not failed and f.marked == MARK:
            f.marked = ""
        return (f.comment, f.marked) != was

    # -- commands ------------------------------------------------------------------------

    @command.command("wxdecrypt.set")
    def set(self, flows: Sequence[flow.Flow], *assignments: str) -> None:
        """Edit the decrypted data (path=value …), re-encrypt it with the same key and iv and
        rewrite the request as it travelled, ready to replay."""
        self.reencrypt(flows, {"set": list(assignments)})

    def reencrypt(self, flows: Sequence[flow.Flow], change: dict) -> list[dict]:
        api = self.api()
        if api is None:
            raise exceptions.CommandError(self.failed)
        done, changed = [], []
        for f in flows:
            if not isinstance(f, http.HTTPFlow):
                continue
            body = {"id": flow_id(f), "request": request_of(f),
                    "lang": ctx.options.wxdecrypt_lang, **change}
            try:
                answer = api.call("reencrypt", body)
            except ApiError as e:
                raise exceptions.CommandError(f"wxdecrypt: {e.message}") from None
            except (OSError, ValueError) as e:
                raise exceptions.CommandError(f"wxdecrypt: {e}") from None
            f.backup()
            new = answer["request"]
            if new["url"] != f.request.pretty_url:
                f.request.url = new["url"]
            f.request.text = new["body"]
            edit = " ".join(change.get("set", [])) or "data"
            f.comment = "\n".join([*f.comment.splitlines(), f"{COMMENT_PREFIX}✎ {edit}"])
            done.append(answer)
            changed.append(f)
            fields = ", ".join(c["field"] for c in answer["changed"])
            log.info(self.t("reencrypted", url=f.request.pretty_url, fields=fields))
        if changed:
            ctx.master.addons.trigger(hooks.UpdateHook(changed))
        return done

    @command.command("wxdecrypt.export")
    def export(self, flows: Sequence[flow.Flow], folder: str) -> None:
        """Save every decrypted payload of the flows as a case in the folder."""
        if self.api() is None:
            raise exceptions.CommandError(self.failed)
        saved = 0
        for f in flows:
            if isinstance(f, http.HTTPFlow):
                answer = self.inspect(f, remember=False, save_cases=folder) or {}
                saved += sum(1 for i in answer.get("items", []) if i.get("case"))
        log.info(self.t("exported", count=saved, folder=folder))


addon = WxDecrypt()


def _side(metadata: Metadata) -> str | None:
    f = metadata.flow
    if not isinstance(f, http.HTTPFlow) or metadata.http_message is None:
        return None
    return "request" if metadata.http_message is f.request else "response"


class WxDecryptView(contentviews.Contentview):
    """What wxdecrypt makes of this side of the flow."""

    name = "wxdecrypt"
    syntax_highlight = "none"

    def prettify(self, data: bytes, metadata: Metadata) -> str:
        side = _side(metadata)
        if side is None:
            raise ValueError(addon.t("view.not_http"))
        answer = addon.answer_of(metadata.flow)
        if answer is None:
            raise ValueError(addon.failed or "wxdecrypt")
        views = answer.get("views", {})
        return (views.get(side) or views.get("nothing", "")) + "\n"

    def render_priority(self, data: bytes, metadata: Metadata) -> float:
        side = _side(metadata)
        cached = (metadata.flow.metadata.get(META) or {}) if side else {}
        return 2.0 if cached.get("answer", {}).get("views", {}).get(side) else -1


class WxDecryptDataView(contentviews.InteractiveContentview):
    """The decrypted data alone, as JSON: edit it (console `e`) to re-encrypt it in place."""

    name = "wxdecrypt-data"
    syntax_highlight = "yaml"

    def prettify(self, data: bytes, metadata: Metadata) -> str:
        if _side(metadata) != "request":
            raise ValueError(addon.t("view.request_only"))
        answer = addon.answer_of(metadata.flow) or {}
        for item in answer.get("items", []):
            if item.get("payload") == "open_data" and item.get("ok"):
                return json.dumps(item.get("data"), ensure_ascii=False, indent=2) + "\n"
        raise ValueError(addon.t("view.no_data"))

    def reencode(self, prettified: str, metadata: Metadata) -> bytes:
        f = metadata.flow
        done = addon.reencrypt([f], {"data": json.loads(prettified)})
        if not done:
            raise ValueError(addon.t("view.nothing_reencrypted"))
        # The console writes what this returns as the body; the URL was rewritten already.
        return done[0]["request"]["body"].encode()

    def render_priority(self, data: bytes, metadata: Metadata) -> float:
        return -1


contentviews.add(WxDecryptView)
contentviews.add(WxDecryptDataView)
addons = [addon]
