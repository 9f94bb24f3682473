#!/usr/bin/env python3
"""Writes tests/vectors/platforms.json: open data of the platforms that copied WeChat's scheme,
encrypted with Python's pycryptodome (independent of wxdecrypt) as each platform's documentation
describes it, plus the official vectors found in their documentation and SDKs:

- QQ, Douyin: AES-128-CBC, PKCS#7, watermark {appid, timestamp} (q.qq.com "开放数据校验与解密",
  developer.open-douyin.com "敏感数据处理"); Douyin appids are "tt" + 16 hex digits.
- Xiaohongshu: the same, watermark {appId, timestamp} (miniapp.xiaohongshu.com/doc/DC591932; its
  "24-byte AESKey" read as AES-192).
- Baidu: AES-192-CBC; 16 random bytes + 4-byte big-endian length + content + app key, PKCS#7 to
  32 bytes (swan-docs log_userdata.md, whose own vector is the first Baidu one here).
- Alipay: my.getPhoneNumber's {"response", "sign"}; AES-128-CBC with the console key, zero iv,
  PKCS#7 (AlipayDocs; the key/ciphertext pair of alipay-sdk-java-all EncryptTest.java).

Each vector names the platform chosen (absent: detected), the exact finding codes (primary first),
the platform the report must give, and the data the platform's own code decrypts.

    python3 tools/make_platform_vectors.py
"""

import base64
import json
import os
import struct

from Crypto.Cipher import AES

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "vectors")
NOW = 1700000100
TS = 1700000000


def b64(b):
    return base64.b64encode(b).decode()


def pkcs7(b, block=16):
    n = block - len(b) % block
    return b + bytes([n]) * n


def cbc(key, iv, plain):
    return AES.new(key, AES.MODE_CBC, iv).encrypt(plain)


def key_of(seed, n):
    return bytes((seed * 31 + i * 7) % 256 for i in range(n))


def plain_json(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def open_data(key, iv, obj):
    return b64(cbc(key, iv, pkcs7(plain_json(obj))))


def baidu(key, iv, content, app_key, length=None):
    random = bytes(range(16))
    n = len(content) if length is None else length
    frame = random + struct.pack(">I", n) + content + app_key.encode()
    return b64(cbc(key, iv, pkcs7(frame, 32)))


def phone(number, wm=None):
    o = {"phoneNumber": number, "purePhoneNumber": number, "countryCode": "86"}
    if wm:
        o["watermark"] = wm
    return o


V = []


def add(name, source, inp, codes, platform, ok, data=None, chosen=None):
    v = {"name": name, "source": source, "input": inp, "now": NOW}
    if chosen:
        v["platform"] = chosen
    v["expect"] = {"ok": ok, "platform": platform, "codes": codes}
    if data is not None:
        v["expect"]["data"] = data
    V.append(v)


# QQ: numeric appid, WeChat's scheme.
k, iv = key_of(1, 16), key_of(2, 16)
qq = {"openId": "QQ_OPENID_1", "nickName": "qq user", "gender": 1, "avatarUrl": "http://thirdqq.qlogo.cn/a/0",
      "watermark": {"appid": "1109876543", "timestamp": TS}}
inp = {"appid": "1109876543", "session_key": b64(k), "iv": b64(iv), "encrypted_data": open_data(k, iv, qq)}
add("QQ user info, detected by its numeric appid", "pycryptodome per q.qq.com", inp, ["platform.detected"], "qq", True, qq)
add("QQ user info, chosen", "pycryptodome per q.qq.com", inp, [], "qq", True, qq, chosen="qq")
inp = dict(inp, session_key=b64(key_of(9, 16)))
add("QQ: another login's session_key", "pycryptodome per q.qq.com", inp, ["key.mismatch", "padding.invalid"], "qq", False, chosen="qq")

# Douyin: tt appid; the watermark may be missing on newer payloads.
k, iv = key_of(3, 16), key_of(4, 16)
dy = phone("13800138000", {"appid": "tt07e3715e98c9aac0", "timestamp": TS})
inp = {"appid": "tt07e3715e98c9aac0", "session_key": b64(k), "iv": b64(iv), "encrypted_data": open_data(k, iv, dy)}
add("Douyin phone number, detected by its tt appid", "pycryptodome per developer.open-douyin.com", inp,
    ["platform.detected"], "douyin", True, dy)
dy_plain = phone("13800138000")
inp = {"appid": "tt07e3715e98c9aac0", "session_key": b64(k), "iv": b64(iv), "encrypted_data": open_data(k, iv, dy_plain)}
add("Douyin phone number without a watermark (newer payloads)", "pycryptodome per developer.open-douyin.com", inp,
    [], "douyin", True, dy_plain, chosen="douyin")
add("The same read as WeChat's: the watermark is missing", "pycryptodome per developer.open-douyin.com", inp,
    ["watermark.missing"], "wechat", True, dy_plain, chosen="wechat")

# Xiaohongshu: watermark appId.
k, iv = key_of(5, 16), key_of(6, 16)
xhs = phone("13900139000", {"appId": "65a0b1c2d3e4f5a6b7c8d9e0", "timestamp": TS})
inp = {"appid": "65a0b1c2d3e4f5a6b7c8d9e0", "session_key": b64(k), "iv": b64(iv), "encrypted_data": open_data(k, iv, xhs)}
add("Xiaohongshu phone number, detected by its appId watermark", "pycryptodome per miniapp.xiaohongshu.com", inp,
    ["platform.detected"], "xiaohongshu", True, xhs)
add("Xiaohongshu payload read as WeChat's", "pycryptodome per miniapp.xiaohongshu.com", inp,
    ["watermark.appid_mismatch", "platform.mismatch"], "wechat", False, xhs, chosen="wechat")
inp2 = dict(inp, appid="65a0b1c2d3e4f5a6b7c8ffff")
add("Xiaohongshu: another app's payload", "pycryptodome per miniapp.xiaohongshu.com", inp2,
    ["watermark.appid_mismatch"], "xiaohongshu", False, xhs, chosen="xiaohongshu")
k24 = key_of(7, 24)
inp = {"appid": "65a0b1c2d3e4f5a6b7c8d9e0", "session_key": b64(k24), "iv": b64(iv), "encrypted_data": open_data(k24, iv, xhs)}
add("Xiaohongshu with a 24-byte AESKey (AES-192)", "pycryptodome per miniapp.xiaohongshu.com", inp,
    [], "xiaohongshu", True, xhs, chosen="xiaohongshu")

# Baidu: the documentation's own vector first.
DOC_KEY, DOC_IV, DOC_APP = "1df09d0a1677dd72b8325aec59576e0c", "1df09d0a1677dd72b8325Q==", "y2dTfnWfkx2OXttMEMWlGHoB1KzMogm7"
DOC_DATA = ("OpCoJgs7RrVgaMNDixIvaCIyV2SFDBNLivgkVqtzq2GC10egsn+PKmQ/+5q+chT8xzldLUog2haTItyIkKyvzvmXonBQLIMeq54ax"
            "Au9c3KG8IhpFD6+ymHocmx07ZKi7eED3t0KyIxJgRNSDkFk5RV1ZP2mSWa7ZgCXXcAbP0RsiUcvhcJfrSwlpsm0E1YJzKpYy429xrEEGvK+gfL+Cw==")
doc_user = {"openid": "open_id", "nickname": "baidu_user", "headimgurl": "url of image", "sex": 1}
# Checked here too: pycryptodome reads the documentation's vector as documented.
p = AES.new(base64.b64decode(DOC_KEY), AES.MODE_CBC, base64.b64decode(DOC_IV)).decrypt(base64.b64decode(DOC_DATA))
p = p[: -p[-1]]
n = struct.unpack(">I", p[16:20])[0]
assert json.loads(p[20:20 + n]) == doc_user and p[20 + n:].decode() == DOC_APP
doc = {"appid": DOC_APP, "session_key": DOC_KEY, "iv": DOC_IV, "encrypted_data": DOC_DATA}
src = "swan-docs log_userdata.md (the documentation's vector)"
add("Baidu: the documentation's vector, detected by its 24-byte key", src, doc, ["platform.detected"], "baidu", True, doc_user)
add("Baidu: the documentation's vector, chosen", src, doc, [], "baidu", True, doc_user, chosen="baidu")
add("Baidu: the numeric AppID given instead of the App Key", src, dict(doc, appid="17033528"),
    ["app_key.mismatch"], "baidu", False, doc_user, chosen="baidu")
add("Baidu: no App Key to compare", src, dict(doc, appid=""), ["app_key.unchecked"], "baidu", True, doc_user, chosen="baidu")
stale = dict(doc, session_key="0123456789abcdef0123456789abcdef")
add("Baidu: a stale session_key left to detection (32 hex digits, read as a hex-encoded WeChat key)",
    src, stale, ["key.mismatch", "padding.invalid", "repair.hex", "platform.mismatch"], "wechat", False)
add("Baidu: the same stale session_key, Baidu chosen", src, stale, ["key.mismatch"], "baidu", False, chosen="baidu")
k, iv = bytes(range(40, 64)), key_of(8, 16)
mobile = {"mobile": "15000000000"}
inp = {"appid": "AppKeyOfTheSmartProgram000000001", "session_key": b64(k), "iv": b64(iv),
       "encrypted_data": baidu(k, iv, plain_json(mobile), "AppKeyOfTheSmartProgram000000001")}
src = "pycryptodome per swan-docs log_userdata.md"
add("Baidu phone number (mobile)", src, inp, [], "baidu", True, mobile, chosen="baidu")
add("Baidu phone number, detected by its 24-byte key", src, inp, ["platform.detected"], "baidu", True, mobile)
add("Baidu: another login's session_key", src, dict(inp, session_key=b64(bytes(range(100, 124)))),
    ["key.mismatch"], "baidu", False, chosen="baidu")
add("Baidu: a 16-byte key", src, dict(inp, session_key=b64(key_of(1, 16))), ["key.length"], "baidu", False, chosen="baidu")
lie = baidu(k, iv, plain_json(mobile), "AppKeyOfTheSmartProgram000000001", length=500)
add("Baidu: a frame whose length says more than it holds", src, dict(inp, encrypted_data=lie),
    ["frame.length_invalid"], "baidu", False, chosen="baidu")

# Alipay: the SDK's own pair, then answers as my.getPhoneNumber gives them.
sdk_key = "aa4BtZ4tspm2wnXLb1ThQA=="
assert b64(cbc(base64.b64decode(sdk_key), bytes(16), pkcs7(b"test1234567"))) == "ILpoMowjIQjfYMR847rnFQ=="
add("Alipay: the SDK test's key and ciphertext (test1234567, not JSON)", "alipay-sdk-java-all EncryptTest.java",
    {"session_key": sdk_key, "encrypted_data": "ILpoMowjIQjfYMR847rnFQ=="}, ["plaintext.not_json"], "alipay", True,
    chosen="alipay")
k = key_of(11, 16)
ok = {"code": "10000", "msg": "Success", "mobile": "13700137000"}
answer = json.dumps({"response": open_data(k, bytes(16), ok), "sign": "c2lnbmF0dXJlLW5vdC1jaGVja2Vk",
                     "sign_type": "RSA2", "encrypt_type": "AES", "charset": "UTF-8"})
src = "pycryptodome per AlipayDocs 服务器端各语言实现手机号&运动步数-AES密文解密"
add("Alipay: my.getPhoneNumber's answer, detected", src, {"session_key": b64(k), "encrypted_data": answer},
    ["platform.detected"], "alipay", True, ok)
add("Alipay: the response alone, chosen", src, {"session_key": b64(k), "encrypted_data": json.loads(answer)["response"]},
    [], "alipay", True, ok, chosen="alipay")
err = {"code": "40006", "msg": "Insufficient Permissions", "subCode": "isv.insufficient-isv-permissions",
       "subMsg": "ISV权限不足，建议在开发者中心检查对应功能是否已经添加"}
add("Alipay: an error answer (40006)", src, {"session_key": b64(k), "encrypted_data": open_data(k, bytes(16), err)},
    ["alipay.error"], "alipay", False, err, chosen="alipay")
add("Alipay: the key of another app", src, {"session_key": b64(key_of(12, 16)), "encrypted_data": answer},
    ["key.mismatch", "padding.invalid"], "alipay", False, chosen="alipay")

out = {"about": "Open data of QQ, Douyin, Xiaohongshu, Baidu and Alipay as each documents it, encrypted with pycryptodome, and the official vectors of Baidu's documentation and Alipay's SDK: the platform chosen (absent: detected), the exact codes (primary first), the platform reported and the data (tools/make_platform_vectors.py)", "vectors": V}
with open(os.path.join(ROOT, "platforms.json"), "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(len(V), "vectors")
