// The official Node.js sample's decryptData (WXBizDataCrypt.js), re-typed: run by
// tests/engine/official.rs over the test vectors, one JSON line in ({sessionKey, iv,
// encryptedData, appid}) and one out ({"ok": true} or {"exception", "message"}).
const crypto = require('crypto')
const readline = require('readline')

function decryptData(appId, sessionKey, encryptedData, iv) {
  sessionKey = Buffer.from(sessionKey, 'base64')
  encryptedData = Buffer.from(encryptedData, 'base64')
  iv = Buffer.from(iv, 'base64')
  let decoded
  try {
    const decipher = crypto.createDecipheriv('aes-128-cbc', sessionKey, iv)
    decipher.setAutoPadding(true)
    decoded = decipher.update(encryptedData, 'binary', 'utf8')
    decoded += decipher.final('utf8')
    decoded = JSON.parse(decoded)
  } catch (err) {
    throw new Error('Illegal Buffer')
  }
  if (decoded.watermark.appid !== appId) {
    throw new Error('Illegal Buffer')
  }
  return decoded
}

const out = []
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const v = JSON.parse(line)
  try {
    decryptData(v.appid, v.sessionKey, v.encryptedData, v.iv)
    out.push(JSON.stringify({ ok: true }))
  } catch (e) {
    out.push(JSON.stringify({ exception: e.constructor.name, message: e.message }))
  }
}).on('close', () => process.stdout.write(out.map((l) => l + '\n').join('')))
