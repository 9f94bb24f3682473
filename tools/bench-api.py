#!/usr/bin/env python3
"""Times the decode API (`/wxdecrypt/v1/inspect`) on loopback, as the mitmproxy add-on calls it:
one login exchange, then N phone payloads paired with its key, over one kept-alive connection.
Prints the latency percentiles and the rate. Payloads are made with pycryptodome.

    tools/bench-api.py path/to/wxdecrypt [N]"""
import base64
import http.client
import json
import re
import statistics
import subprocess
import sys
import time

from Crypto.Cipher import AES
from Crypto.Util.Padding import pad

binary, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000
key, iv = b"0123456789abcdef", b"fedcba9876543210"
K, I = base64.b64encode(key).decode(), base64.b64encode(iv).decode()
proc = subprocess.Popen([binary, "serve", "--port", "0"], stdout=subprocess.DEVNULL,
                        stderr=subprocess.PIPE, text=True)
port = int(re.search(r"127\.0\.0\.1:(\d+)/", proc.stderr.readline()).group(1))
conn = http.client.HTTPConnection("127.0.0.1", port)


def call(body):
    conn.request("POST", "/wxdecrypt/v1/inspect", json.dumps(body),
                 {"Content-Type": "application/json"})
    r = conn.getresponse()
    return json.loads(r.read())


referer = [["Referer", "https://servicewechat.com/wx0123456789abcdef/1/page-frame.html"]]
call({"id": "login", "request": {"method": "POST", "url": "https://h/login", "headers": referer + [["Authorization", "Bearer T"]]},
      "response": {"status": 200, "body": json.dumps({"session_key": K, "openid": "o", "token": "T"})}})
times = []
for i in range(n):
    number = f"139{i:08d}"
    data = json.dumps({"phoneNumber": number, "purePhoneNumber": number, "countryCode": "86",
                       "watermark": {"appid": "wx0123456789abcdef", "timestamp": int(time.time())}})
    enc = base64.b64encode(AES.new(key, AES.MODE_CBC, iv).encrypt(pad(data.encode(), 16))).decode()
    body = {"id": f"f{i}", "request": {"method": "POST", "url": "https://h/phone",
            "headers": referer + [["Authorization", "Bearer T"], ["Content-Type", "application/json"]],
            "body": json.dumps({"encryptedData": enc, "iv": I})}}
    t = time.perf_counter()
    answer = call(body)
    times.append(time.perf_counter() - t)
    assert answer["items"][0]["ok"], answer
proc.terminate()
times.sort()
ms = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000
print(f"{n} inspect calls: p50 {ms(0.5):.2f} ms, p99 {ms(0.99):.2f} ms, max {times[-1]*1000:.2f} ms, "
      f"{n / sum(times):.0f} calls/s (one connection, sequential)")
