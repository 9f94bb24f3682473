<?php
// Baidu's official decrypt sample (swan-docs program-docs/docs/develop/api/open/log_userdata.md,
// the openssl branch), as published; the loop around it reads JSON lines
// {appid (the App Key), session_key, iv, encrypted_data} and prints {"content": text|null}.

function decrypt($ciphertext, $iv, $app_key, $session_key) {
    $session_key = base64_decode($session_key);
    $iv = base64_decode($iv);
    $ciphertext = base64_decode($ciphertext);

    $plaintext = false;
    if (function_exists("openssl_decrypt")) {
        $plaintext = openssl_decrypt($ciphertext, "AES-192-CBC", $session_key, OPENSSL_RAW_DATA | OPENSSL_ZERO_PADDING, $iv);
    }
    if ($plaintext == false) {
        return false;
    }

    // trim pkcs#7 padding
    $pad = ord(substr($plaintext, -1));
    $pad = ($pad < 1 || $pad > 32) ? 0 : $pad;
    $plaintext = substr($plaintext, 0, strlen($plaintext) - $pad);

    // trim header
    $plaintext = substr($plaintext, 16);
    // get content length
    $unpack = unpack("Nlen/", substr($plaintext, 0, 4));
    // get content
    $content = substr($plaintext, 4, $unpack['len']);
    // get app_key
    $app_key_decode = substr($plaintext, $unpack['len'] + 4);

    return $app_key == $app_key_decode ? $content : false;
}

while (($line = fgets(STDIN)) !== false) {
    $in = json_decode($line, true);
    $out = decrypt($in['encrypted_data'] ?? '', $in['iv'] ?? '', $in['appid'] ?? '', $in['session_key'] ?? '');
    echo json_encode(['content' => $out === false ? null : $out], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
}
