"""The official Python sample's decrypt (WXBizDataCrypt.py), re-typed: run by
tests/engine/official.rs over the test vectors, one JSON line in ({sessionKey, iv, encryptedData,
appid}) and one out ({"ok": true} or {"exception", "message"}). Needs pycryptodome."""
import base64
import json
import sys

from Crypto.Cipher import AES


class WXBizDataCrypt:
    def __init__(self, appId, sessionKey):
        self.appId = appId
        self.sessionKey = sessionKey

    def decrypt(self, encryptedData, iv):
        sessionKey = base64.b64decode(self.sessionKey)
        encryptedData = base64.b64decode(encryptedData)
        iv = base64.b64decode(iv)
        cipher = AES.new(sessionKey, AES.MODE_CBC, iv)
        decrypted = json.loads(self._unpad(cipher.decrypt(encryptedData)))
        if decrypted['watermark']['appid'] != self.appId:
            raise Exception('Invalid Buffer')
        return decrypted

    def _unpad(self, s):
        return s[:-ord(s[len(s) - 1:])]


for line in sys.stdin:
    v = json.loads(line)
    try:
        WXBizDataCrypt(v["appid"], v["sessionKey"]).decrypt(v["encryptedData"], v["iv"])
        print(json.dumps({"ok": True}))
    except Exception as e:
        print(json.dumps({"exception": type(e).__name__, "message": str(e)}, ensure_ascii=False))
