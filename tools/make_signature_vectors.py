#!/usr/bin/env python3
"""Writes tests/vectors/signature.json: user-info (sha1) and checkSession (HMAC-SHA256)
signatures made with Python's hashlib / hmac / json — an implementation independent of
wxdecrypt — each right or wrong in one known way, with the verdict, variant, form and finding
codes (primary first) it must give. The first vectors are the WeChat documentation's own: the
user-info example (rawData of "Band", key HyVFkGl5F5OQWJZZaNzBBg== → 75e81ced…), the checkSession
example (key o0q0otL8aEzpcZL/FT9WsQ==, body {"foo":"bar"} → 654571f7…) and checkEncryptedData's
(hsSuSUse…PA== → 657edd86…).

    python3 tools/make_signature_vectors.py
"""

import base64
import hashlib
import hmac
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "vectors")

DOC_RAW = (
    '{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong",'
    '"country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQ'
    'xKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"}'
)
DOC_KEY = "HyVFkGl5F5OQWJZZaNzBBg=="
SESSION_KEY = "o0q0otL8aEzpcZL/FT9WsQ=="
SESSION_BODY = '{"foo":"bar"}'
# A profile with Chinese text, a slash and keys out of order: every re-serialisation differs.
CN_RAW = json.dumps(
    {
        "nickName": "微信用户",
        "gender": 0,
        "language": "zh_CN",
        "city": "",
        "province": "",
        "country": "",
        "avatarUrl": "https://thirdwx.qlogo.cn/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/132",
    },
    ensure_ascii=False,
    separators=(",", ":"),
)
CN_KEY = "tiihtNczf5v6AKRyjwEUhQ=="


def sha1_sig(message: bytes, key: bytes) -> bytes:
    return hashlib.sha1(message + key).digest()


def hmac_sig(message: bytes, key: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def forms(raw: str) -> dict:
    """Each re-serialisation as the languages write it."""
    obj = json.loads(raw)
    compact = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return {
        "compact": compact,
        "spaced": json.dumps(obj, ensure_ascii=False),
        "sorted": json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
        "escaped_slashes": compact.replace("/", "\\/"),
        "escaped_unicode": json.dumps(obj, separators=(",", ":")),
        "php": json.dumps(obj, separators=(",", ":")).replace("/", "\\/"),
        "python": json.dumps(obj),
        "pretty": json.dumps(obj, ensure_ascii=False, indent=2),
    }


def vector(name, kind, key, message, signature, ok, variant=None, form=None, codes=(), paired=None):
    v = {
        "name": name,
        "input": {"kind": kind, "session_key": key, "message": message, "signature": signature},
        "expect": {"ok": ok, "variant": variant, "form": form, "codes": list(codes)},
    }
    if paired:
        v["input"]["paired"] = paired
    return v


def family(kind, key, message, prefix):
    """The right signature and one vector per known mistake."""
    sig = sha1_sig if kind == "user_info" else hmac_sig
    m, k = message.encode(), key.encode()
    right = sig(m, k)
    out = [
        vector(f"{prefix}: right", kind, key, message, right.hex(), True),
        vector(
            f"{prefix}: decoded key", kind, key, message, sig(m, base64.b64decode(key)).hex(),
            False, "decoded_key", None, ["signature.variant"],
        ),
        vector(
            f"{prefix}: swapped", kind, key, message,
            (sha1_sig(k, m) if kind == "user_info" else hmac_sig(k, m)).hex(),
            False, "swapped", None, ["signature.variant"],
        ),
        vector(
            f"{prefix}: upper case", kind, key, message, right.hex().upper(),
            False, "uppercase", None, ["signature.variant"],
        ),
        vector(
            f"{prefix}: base64", kind, key, message, base64.b64encode(right).decode(),
            False, "base64_output", None, ["signature.variant"],
        ),
    ]
    seen = {message}
    for form, text in forms(message).items():
        # A form that writes the same text as the data or an earlier form is that one.
        if text in seen:
            continue
        seen.add(text)
        variant = "sorted" if form == "sorted" else "reserialized"
        out.append(
            vector(
                f"{prefix}: {form}", kind, key, message, sig(text.encode(), k).hex(),
                False, variant, form, ["signature.variant"],
            )
        )
    return out


def main():
    with open(os.path.join(ROOT, "official_demo.json"), encoding="utf-8") as f:
        demo = json.load(f)
    vectors = [
        vector("doc: user info", "user_info", DOC_KEY, DOC_RAW,
               "75e81ceda165f4ffa64f4068af58c64b8f54b88c", True),
        vector("doc: checkSession", "session", SESSION_KEY, SESSION_BODY,
               "654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b", True),
        vector("doc: checkSession keyed with the decoded key", "session", SESSION_KEY, SESSION_BODY,
               "bfa6883695fed51bb7e5897ce895842574a58f8a9cc5c4343f47c515ab337b89",
               False, "decoded_key", None, ["signature.variant"]),
    ]
    vectors += family("user_info", DOC_KEY, DOC_RAW, "doc rawData")
    vectors += family("user_info", CN_KEY, CN_RAW, "Chinese rawData")
    vectors += family("session", SESSION_KEY, '{"foo":"bar/baz","name":"张三","a":1}', "body")
    # A GET: the body is empty.
    vectors.append(vector("GET: empty body", "session", SESSION_KEY, "",
                          hmac_sig(b"", SESSION_KEY.encode()).hex(), True))
    # A stale key: WeChat signed with this login's key (the one that opens the official demo's
    # encryptedData), the backend holds an older one, which does not open that data either.
    paired = {"appid": demo["appid"], "iv": demo["iv"], "encrypted_data": demo["encrypted_data"]}
    vectors.append(vector(
        "stale key", "user_info", DOC_KEY, DOC_RAW,
        sha1_sig(DOC_RAW.encode(), CN_KEY.encode()).hex(), False, None, None,
        ["signature.key_mismatch", "signature.mismatch"], paired,
    ))
    # The key that opens the paired data: the mismatch is the signature's own.
    vectors.append(vector(
        "right key, another call's signature", "user_info", CN_KEY, CN_RAW,
        sha1_sig(DOC_RAW.encode(), CN_KEY.encode()).hex(), False, None, None,
        ["signature.mismatch"], paired,
    ))
    vectors.append(vector("not a signature", "user_info", DOC_KEY, DOC_RAW, "oAbCdEf-openid",
                          False, None, None, ["signature.malformed"]))
    vectors.append(vector("no signature", "user_info", DOC_KEY, DOC_RAW, "",
                          False, None, None, ["input.missing"]))
    vectors.append(vector("no rawData", "user_info", DOC_KEY, "", "75e81ceda165f4ffa64f4068af58c64b8f54b88c",
                          False, None, None, ["input.missing"]))
    # The key arrived through a form: its '+' became a space; the signature was made with the '+'.
    plus_key = "Zm9vYmFyYmF6cXV4+A+B0w=="
    vectors.append(vector("key with + as space", "user_info", plus_key.replace("+", " "), DOC_RAW,
                          sha1_sig(DOC_RAW.encode(), plus_key.encode()).hex(), True, None, None,
                          ["repair.plus_as_space"]))
    doc = {
        "about": "Signature vectors made with Python hashlib/hmac/json by tools/make_signature_vectors.py; "
        "the first three and encrypted_msg_hash are the WeChat documentation's examples",
        "encrypted_msg_hash": {
            "encrypted_data": "hsSuSUsePBqSQw2rYMtf9Nvha603xX8f2BMQBcYRoJiMNwOqt/UEhrqekebG5ar0LFNAm5MD4Uz6zorRwiXJwbySJ/FEJHav4NsobBIU1PwdjbJWVQLFy7+YFkHB32OnQXWMh6ugW7Dyk2KS5BXp1f5lniKPp1KNLyNLlFlNZ2mgJCJmWvHj5AI7BLpWwoRvqRyZvVXo+9FsWqvBdxmAPA==",
            "hash": "657edd868c9715a9bebe42b833269a557a48498785397a796f1568c29a200b2c",
        },
        "vectors": vectors,
    }
    doc["encrypted_msg_hash"]["decoded_hash"] = hashlib.sha256(
        base64.b64decode(doc["encrypted_msg_hash"]["encrypted_data"])).hexdigest()
    with open(os.path.join(ROOT, "signature.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
