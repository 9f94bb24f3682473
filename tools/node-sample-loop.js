// The official Node.js sample's decryptData (WXBizDataCrypt.js, bundled copy) in a loop over a
// gen_corpus JSON Lines file on stdin: what a Node backend does per payload, for
// tools/bench-batch.sh. Prints "N payloads, N ok, N failed (RATE/s)" to stderr.
const crypto = require('crypto')
const fs = require('fs')

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

const appid = process.argv[2] || 'wx0123456789abcdef'
const text = fs.readFileSync(0, 'utf8')
const start = process.hrtime.bigint()
let ok = 0
let failed = 0
for (const line of text.split('\n')) {
  if (line === '') continue
  const v = JSON.parse(line)
  try {
    decryptData(appid, v.sessionKey, v.encryptedData, v.iv)
    ok++
  } catch (e) {
    failed++
  }
}
const secs = Number(process.hrtime.bigint() - start) / 1e9
const n = ok + failed
process.stderr.write(`${n} payloads, ${ok} ok, ${failed} failed (${Math.round(n / secs)}/s)\n`)
