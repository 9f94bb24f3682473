<?php
// Decrypts WeChat mini program open data (encryptedData + iv with the session_key), as wxdecrypt
// does: AES-128-CBC, PKCS#7 padding checked, then the watermark's appid. PHP 7+ with openssl.

$appid = {{APPID}};
$sessionKey = {{SESSION_KEY}};
$iv = {{IV}};
$encryptedData = {{ENCRYPTED_DATA}};

// Strict base64: a '+' that became a space is refused instead of silently skipped.
$key = base64_decode($sessionKey, true);
$ivBytes = base64_decode($iv, true);
$data = base64_decode($encryptedData, true);
if ($key === false || $ivBytes === false || $data === false || strlen($key) !== 16 || strlen($ivBytes) !== 16) {
    fwrite(STDERR, "session_key, iv or encryptedData is not valid base64 of the right length\n");
    exit(1);
}
// OPENSSL_RAW_DATA: the data is already decoded (without it openssl expects base64 and the flag
// 0 decodes a second time).
$plain = openssl_decrypt($data, 'AES-128-CBC', $key, OPENSSL_RAW_DATA, $ivBytes);
if ($plain === false) {
    fwrite(STDERR, "decryption failed (bad padding): a wrong session_key or iv\n");
    exit(1);
}
$info = json_decode($plain, true);
if (!is_array($info) || ($info['watermark']['appid'] ?? null) !== $appid) {
    fwrite(STDERR, "watermark appid differs: the data is not for this mini program\n");
    exit(1);
}
echo json_encode($info, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
