#!/usr/bin/env python3
"""Writes tests/vectors/msg.json and tests/vectors/pay.json: message-push and Pay vectors made
with an implementation independent of wxdecrypt (Python, pycryptodome), each with the finding
codes it must give (primary first) as worked out by hand from how it was made.

The two message vectors marked "official" are the WeCom documentation's sample (token QDG6eK,
corpid wx5823bf96d3bd56c7, EncodingAESKey jWmYm7qr…B2C): a push and a URL check.

    python3 tools/make_envelope_vectors.py      # needs pycryptodome
"""

import base64
import hashlib
import json
import os
import struct

from Crypto.Cipher import AES

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "vectors")

# --- message push -------------------------------------------------------------------------
OFFICIAL_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
TOKEN = "QDG6eK"
CORP = "wx5823bf96d3bd56c7"
OFFICIAL_ENCRYPT = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCU"
    "pj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgp"
    "ue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCK"
    "Iw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o"
    "0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2"
    "pDBS8R07+qN+E7Q=="
)
OFFICIAL_ECHO = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
OTHER_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
RANDOM = b"0123456789abcdef"


def aes_key(k):
    return base64.b64decode(k + "=")


def sign(token, ts, nonce, enc):
    return hashlib.sha1("".join(sorted([token, ts, nonce, enc])).encode()).hexdigest()


def seal(key43, message, receive_id, length=None, pad=None, order=">I"):
    key = aes_key(key43)
    body = message.encode()
    n = len(body) if length is None else length
    frame = RANDOM + struct.pack(order, n) + body + receive_id.encode()
    if pad is None:
        p = 32 - len(frame) % 32
        frame += bytes([p]) * p
    else:
        frame += pad
    return base64.b64encode(AES.new(key, AES.MODE_CBC, key[:16]).encrypt(frame)).decode()


def xml_body(enc):
    return f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt></xml>"


MESSAGE = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>"


def msg_vector(name, codes, ok, official_code, kind="message", key=OFFICIAL_KEY, token=TOKEN,
               receive_id=CORP, ts="1700000000", nonce="42", enc=None, body=None, sig="auto",
               echostr=False, receive_found=None):
    if enc is None and body is None:
        enc = seal(key if len(key) == 43 else OFFICIAL_KEY, MESSAGE, CORP)
    if sig == "auto":
        sig = sign(token, ts, nonce, enc if enc is not None else "")
    inp = {
        "encoding_aes_key": key,
        "token": token,
        "receive_id": receive_id,
        "msg_signature": sig or "",
        "timestamp": ts if sig else "",
        "nonce": nonce if sig else "",
        "encrypt": enc if body is None else "",
        "echostr": echostr,
        "body": body or "",
    }
    exp = {"ok": ok, "kind": kind, "codes": codes, "official_code": official_code}
    if receive_found is not None:
        exp["receive_id"] = receive_found
    return {"name": name, "input": inp, "expect": exp}


def msg_vectors():
    v = []
    v.append(msg_vector("official WeCom push", [], True, 0, ts="1409659813", nonce="1372623149",
                        body=xml_body(OFFICIAL_ENCRYPT) , enc=None, sig="477715d11cdb4164915debcba66cb864d751f3e6",
                        receive_found=CORP))
    v.append(msg_vector("official WeCom URL check", [], True, 0, kind="echostr", ts="1409659589",
                        nonce="263014780", enc=OFFICIAL_ECHO, echostr=True,
                        sig="5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", receive_found=CORP))
    ok_enc = seal(OFFICIAL_KEY, MESSAGE, CORP)
    v.append(msg_vector("JSON body, no signature given", ["msg.signature_unchecked"], True, -40002,
                        body=json.dumps({"ToUserName": "gh_1", "Encrypt": ok_enc}), sig=None))
    v.append(msg_vector("no receive id given", ["msg.receive_id_unchecked"], True, -40005,
                        enc=ok_enc, receive_id="", receive_found=CORP))
    v.append(msg_vector("receive id is the suite id", ["msg.receive_id_mismatch"], False, -40005,
                        enc=seal(OFFICIAL_KEY, MESSAGE, "ww_suite_1"), receive_found="ww_suite_1"))
    v.append(msg_vector("wrong EncodingAESKey", ["msg.key_mismatch"], False, -40005,
                        key=OTHER_KEY, enc=ok_enc))
    v.append(msg_vector("EncodingAESKey cut", ["msg.key_length"], False, -40004,
                        key=OFFICIAL_KEY[:40], enc=ok_enc))
    wrong_token = msg_vector("token of another app", ["msg.signature_mismatch"], False, -40001, enc=ok_enc)
    wrong_token["input"]["token"] = "another"
    v.append(wrong_token)
    plain_sig = msg_vector("signature given as msg_signature", ["msg.signature_is_plain"], False, -40001,
                           enc=ok_enc, sig=hashlib.sha1("".join(sorted([TOKEN, "1700000000", "42"])).encode()).hexdigest())
    v.append(plain_sig)
    v.append(msg_vector("plain-mode message", ["msg.not_encrypted"], False, -40002,
                        body=MESSAGE, sig=None))
    v.append(msg_vector("body not XML", ["msg.body_invalid"], False, -40002,
                        body="<xml><Encrypt>", sig=None))
    v.append(msg_vector("length field in characters", ["msg.length_invalid"], False, -40005,
                        enc=seal(OFFICIAL_KEY, MESSAGE, CORP, length=len(MESSAGE) + 400)))
    v.append(msg_vector("length little-endian", ["msg.length_invalid"], False, -40005,
                        enc=seal(OFFICIAL_KEY, MESSAGE, CORP, order="<I")))
    # Zero padding to 32 bytes: the lenient unpad strips nothing, the receive id keeps the zeros.
    frame_len = 16 + 4 + len(MESSAGE.encode()) + len(CORP)
    zeros = b"\0" * (32 - frame_len % 32)
    v.append(msg_vector("zero padding", ["msg.padding_invalid"], False, -40005,
                        enc=seal(OFFICIAL_KEY, MESSAGE, CORP, pad=zeros)))
    v.append(msg_vector("Encrypt cut", ["msg.data_length"], False, -40007, enc=ok_enc[:-8]))
    plus = OFFICIAL_ECHO.replace("+", " ")
    v.append(msg_vector("echostr with + as spaces", ["repair.plus_as_space"], True, -40001, kind="echostr",
                        ts="1409659589", nonce="263014780", enc=plus, echostr=True,
                        sig="5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", receive_found=CORP))
    pct = OFFICIAL_ECHO.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    v.append(msg_vector("echostr still percent-encoded", ["repair.percent_encoding"], True, -40001, kind="echostr",
                        ts="1409659589", nonce="263014780", enc=pct, echostr=True,
                        sig="5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", receive_found=CORP))
    v.append(msg_vector("Encrypt with a bad character", ["base64.invalid", "msg.signature_unchecked"], False, 0,
                        enc=ok_enc[:10] + "*" + ok_enc[10:], sig=None))
    return v


# --- Pay ---------------------------------------------------------------------------------------
V3 = "WechatPayAPIv3Key000000000000000"
V2 = "WechatPayAPIv2Key111111111111111"
NONCE = "n0nce4567890"
TX = {"transaction_id": "4200000001202612020000000001", "out_trade_no": "ORDER-1", "trade_state": "SUCCESS",
      "amount": {"total": 1, "payer_total": 1, "currency": "CNY"}, "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
      "success_time": "2026-12-02T10:00:00+08:00"}
RF = {"refund_id": "50000000382019052709732678859", "out_refund_no": "R-1", "refund_status": "SUCCESS",
      "amount": {"total": 1, "refund": 1, "payer_total": 1, "payer_refund": 1}}
CERT = {"certificate": "-----BEGIN CERTIFICATE-----\nMIIDzTCCArWgAwIBAgIUXsTkfake00\n-----END CERTIFICATE-----"}


def gcm(key, nonce, aad, plain, tag=True):
    c = AES.new(key.encode(), AES.MODE_GCM, nonce=nonce.encode())
    c.update(aad.encode())
    ct, t = c.encrypt_and_digest(plain.encode())
    return base64.b64encode(ct + (t if tag else b"")).decode()


def notification(event, aad, plain, key=V3, nonce=NONCE, enc_aad=None, tag=True, algorithm="AEAD_AES_256_GCM"):
    return json.dumps({
        "id": "EV-2018-0527", "create_time": "2026-12-02T10:00:00+08:00", "resource_type": "encrypt-resource",
        "event_type": event, "summary": "支付成功",
        "resource": {"original_type": aad or "transaction", "algorithm": algorithm,
                     "ciphertext": gcm(key, nonce, aad if enc_aad is None else enc_aad, plain, tag),
                     "associated_data": aad, "nonce": nonce},
    }, ensure_ascii=False)


def pay_vector(name, body, codes, ok, kind, key=V3, associated=None, v2=False):
    inp = {"key": key, "body": body}
    exp = {"ok": ok, "kind": kind, "codes": codes}
    if associated is not None:
        exp["associated_data"] = associated
    return {"name": name, "input": inp, "expect": exp}


def pay_vectors():
    tx = json.dumps(TX, ensure_ascii=False)
    v = [
        pay_vector("payment", notification("TRANSACTION.SUCCESS", "transaction", tx), [], True, "pay_transaction",
                   associated="transaction"),
        pay_vector("refund", notification("REFUND.SUCCESS", "refund", json.dumps(RF)), [], True, "pay_refund",
                   associated="refund"),
        pay_vector("certificate download", json.dumps({"data": [{"serial_no": "5157F09EFDC096DE15EBE81A47057A72",
                   "encrypt_certificate": {"algorithm": "AEAD_AES_256_GCM", "nonce": NONCE, "associated_data": "certificate",
                   "ciphertext": gcm(V3, NONCE, "certificate", CERT["certificate"])}}]}),
                   [], True, "pay_certificate", associated="certificate"),
        pay_vector("APIv2 key used", notification("TRANSACTION.SUCCESS", "transaction", tx), ["pay.key_mismatch"], False,
                   "pay_transaction", key=V2),
        pay_vector("associated_data hard-coded", notification("REFUND.SUCCESS", "transaction", json.dumps(RF), enc_aad="refund"),
                   ["pay.associated_data_mismatch"], False, "pay_refund", associated="refund"),
        pay_vector("tag stripped", notification("TRANSACTION.SUCCESS", "transaction", tx, tag=False), ["pay.tag_missing"],
                   False, "pay_transaction"),
        pay_vector("SM4", notification("TRANSACTION.SUCCESS", "transaction", tx, algorithm="AEAD_SM4_GCM"),
                   ["pay.algorithm_unsupported"], False, "pay_transaction"),
        pay_vector("key cut", notification("TRANSACTION.SUCCESS", "transaction", tx), ["pay.key_length"], False,
                   "pay_transaction", key=V3[:31]),
        pay_vector("Wechatpay-Nonce header used", notification("TRANSACTION.SUCCESS", "transaction", tx).replace(
                   NONCE, "593BEC0C930BF1AFEB40B4A08C8FB242"), ["pay.nonce_length"], False, "pay_transaction"),
        pay_vector("not JSON", "{\"resource\": ", ["pay.body_invalid"], False, None),
        pay_vector("no resource", "{\"event_type\": \"TRANSACTION.SUCCESS\"}", ["pay.body_invalid"], False, None),
    ]
    altered = json.loads(notification("TRANSACTION.SUCCESS", "transaction", tx))
    raw = bytearray(base64.b64decode(altered["resource"]["ciphertext"]))
    raw[-1] ^= 0x01
    altered["resource"]["ciphertext"] = base64.b64encode(bytes(raw)).decode()
    v.append(pay_vector("tag altered", json.dumps(altered), ["pay.tag_mismatch"], False, "pay_transaction"))
    spaced = json.loads(notification("TRANSACTION.SUCCESS", "transaction", tx))
    spaced["resource"]["ciphertext"] = spaced["resource"]["ciphertext"].replace("+", " ")
    if " " in spaced["resource"]["ciphertext"]:
        v.append(pay_vector("ciphertext + as spaces", json.dumps(spaced), ["repair.plus_as_space"], True,
                            "pay_transaction", associated="transaction"))
    # APIv2 refund: req_info is AES-256-ECB keyed with the hex md5 of the API key.
    root = "<root><out_refund_no><![CDATA[R-1]]></out_refund_no><refund_status><![CDATA[SUCCESS]]></refund_status><refund_fee><![CDATA[1]]></refund_fee></root>"
    k2 = hashlib.md5(V2.encode()).hexdigest().encode()
    p = 16 - len(root.encode()) % 16
    req = base64.b64encode(AES.new(k2, AES.MODE_ECB).encrypt(root.encode() + bytes([p]) * p)).decode()
    v2_body = f"<xml><return_code>SUCCESS</return_code><appid><![CDATA[wx1]]></appid><req_info><![CDATA[{req}]]></req_info></xml>"
    v.append(pay_vector("APIv2 refund", v2_body, [], True, "pay_v2_refund", key=V2))
    v.append(pay_vector("APIv2 refund with the APIv3 key", v2_body, ["pay.key_mismatch"], False, "pay_v2_refund", key=V3))
    cut = v2_body.replace(req, req[:-4])
    v.append(pay_vector("APIv2 refund cut", cut, ["pay.data_length"], False, "pay_v2_refund", key=V2))
    return v


def write(name, about, vectors):
    with open(os.path.join(ROOT, name), "w", encoding="utf-8") as f:
        json.dump({"about": about, "vectors": vectors}, f, ensure_ascii=False, indent=2)
        f.write("\n")


write("msg.json", "Message-push vectors made with Python/pycryptodome by tools/make_envelope_vectors.py; "
      "the first two are the WeCom documentation's sample (token QDG6eK, corpid wx5823bf96d3bd56c7)", msg_vectors())
write("pay.json", "Pay vectors made with Python/pycryptodome by tools/make_envelope_vectors.py", pay_vectors())
