"""An independent check of what wxdecrypt's `msg` and `pay` sealers make (Python, pycryptodome):
reads one JSON object per line, writes what this implementation finds in it.

msg: {"type":"msg","encoding_aes_key","token","timestamp","nonce","encrypt","msg_signature"}
     -> {"signature_ok", "message", "receive_id", "padded_to_32"}
pay: {"type":"pay","key","nonce","associated_data","ciphertext"} -> {"plaintext"} or {"error"}
"""
import base64
import hashlib
import json
import struct
import sys

from Crypto.Cipher import AES

for line in sys.stdin:
    c = json.loads(line)
    if c["type"] == "msg":
        key = base64.b64decode(c["encoding_aes_key"] + "=")
        raw = base64.b64decode(c["encrypt"])
        plain = AES.new(key, AES.MODE_CBC, key[:16]).decrypt(raw)
        pad = plain[-1]
        ok_pad = 1 <= pad <= 32 and plain[-pad:] == bytes([pad]) * pad
        body = plain[:-pad]
        n = struct.unpack(">I", body[16:20])[0]
        sig = hashlib.sha1("".join(sorted([c["token"], c["timestamp"], c["nonce"], c["encrypt"]])).encode()).hexdigest()
        out = {"signature_ok": sig == c["msg_signature"], "message": body[20:20 + n].decode(),
               "receive_id": body[20 + n:].decode(), "padded_to_32": ok_pad and len(raw) % 32 == 0}
    else:
        raw = base64.b64decode(c["ciphertext"])
        g = AES.new(c["key"].encode(), AES.MODE_GCM, nonce=c["nonce"].encode())
        g.update(c["associated_data"].encode())
        try:
            out = {"plaintext": g.decrypt_and_verify(raw[:-16], raw[-16:]).decode()}
        except ValueError as e:
            out = {"error": str(e)}
    print(json.dumps(out, ensure_ascii=False), flush=True)
