"""Opens payloads with pycryptodome (AES-128-CBC, PKCS#7), independently of wxdecrypt: run by
tests/engine/tamper.rs over what tamper-and-replay and template batches make, one JSON line in
({sessionKey, iv, encryptedData}) and one out ({"plaintext"} or {"error"})."""
import base64
import json
import sys

from Crypto.Cipher import AES
from Crypto.Util.Padding import unpad

for line in sys.stdin:
    v = json.loads(line)
    try:
        cipher = AES.new(base64.b64decode(v["sessionKey"]), AES.MODE_CBC, base64.b64decode(v["iv"]))
        plain = unpad(cipher.decrypt(base64.b64decode(v["encryptedData"])), 16).decode("utf-8")
        print(json.dumps({"plaintext": plain}, ensure_ascii=False))
    except Exception as e:  # noqa: BLE001 - any failure is the answer
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
