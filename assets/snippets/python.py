# Decrypts WeChat mini program open data (encryptedData + iv with the session_key), as wxdecrypt
# does: AES-128-CBC, PKCS#7 padding checked, then the watermark's appid.
# Needs pycryptodome:  pip install pycryptodome   (not "Crypto" or "pycrypto": both are dead)
import base64
import json
import sys

from Crypto.Cipher import AES
from Crypto.Util.Padding import unpad

APPID = {{APPID}}
SESSION_KEY = {{SESSION_KEY}}
IV = {{IV}}
ENCRYPTED_DATA = {{ENCRYPTED_DATA}}

# validate=True refuses characters outside the base64 alphabet instead of skipping them; a '+'
# that became a space in a form or a URL shows up here, not as a padding error later.
key = base64.b64decode(SESSION_KEY, validate=True)
iv = base64.b64decode(IV, validate=True)
data = base64.b64decode(ENCRYPTED_DATA, validate=True)
if len(key) != 16 or len(iv) != 16:
    sys.exit(f"session_key and iv must be 16 bytes (got {len(key)} and {len(iv)})")

plain = unpad(AES.new(key, AES.MODE_CBC, iv).decrypt(data), 16)  # ValueError: wrong key or iv
# Decode as UTF-8 explicitly: nicknames are Chinese.
info = json.loads(plain.decode("utf-8"))
if info.get("watermark", {}).get("appid") != APPID:
    sys.exit("watermark appid differs: the data is not for this mini program")
print(json.dumps(info, ensure_ascii=False))
