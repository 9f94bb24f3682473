// Decrypts WeChat mini program open data (encryptedData + iv with the session_key), as wxdecrypt
// does: AES-128-CBC, PKCS#7 padding checked, then the watermark's appid. Node.js, no packages.
'use strict';
const crypto = require('crypto');

const APPID = {{APPID}};
const SESSION_KEY = {{SESSION_KEY}};
const IV = {{IV}};
const ENCRYPTED_DATA = {{ENCRYPTED_DATA}};

const key = Buffer.from(SESSION_KEY, 'base64');
const iv = Buffer.from(IV, 'base64');
if (key.length !== 16 || iv.length !== 16) {
  throw new Error(`session_key and iv must be 16 bytes (got ${key.length} and ${iv.length})`);
}
const decipher = crypto.createDecipheriv('aes-128-cbc', key, iv);
decipher.setAutoPadding(true); // checks PKCS#7: "bad decrypt" means a wrong key or iv
// Concatenate Buffers and decode once as UTF-8: decoding each chunk (or using 'binary') breaks
// multi-byte characters such as Chinese nicknames.
const plain = Buffer.concat([decipher.update(ENCRYPTED_DATA, 'base64'), decipher.final()]);
const info = JSON.parse(plain.toString('utf8'));
if (!info.watermark || info.watermark.appid !== APPID) {
  throw new Error('watermark appid differs: the data is not for this mini program');
}
console.log(JSON.stringify(info));
