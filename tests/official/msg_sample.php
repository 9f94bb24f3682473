<?php
// The official WXBizMsgCrypt PHP sample's decryptMsg / VerifyURL logic, re-typed: strlen of the
// key, the XML's Encrypt, the sha1 signature, lenient base64_decode, openssl_decrypt without
// padding, the lenient PKCS#7 decode (1..32), the length field, the receive id compared with !=.
// Reads one JSON object per line (the msg vectors' inputs); writes {"code": N} per line.
function decrypt_msg($c) {
    $key43 = $c['encoding_aes_key'];
    if (strlen($key43) != 43) return -40004;
    $encrypt = $c['encrypt'];
    if ($c['body'] !== '') {
        // The sample's XMLParse (DOMDocument, getElementsByTagName('Encrypt')) needs php-xml;
        // a closed Encrypt element is what it finds.
        if (!preg_match('/<Encrypt>(?:<!\[CDATA\[(.*?)\]\]>|([^<]*))<\/Encrypt>/s', $c['body'], $m)) return -40002;
        $encrypt = $m[1] !== '' ? $m[1] : (isset($m[2]) ? $m[2] : '');
    }
    if ($c['msg_signature'] !== '') {
        $a = array($encrypt, $c['token'], $c['timestamp'], $c['nonce']);
        sort($a, SORT_STRING);
        if (sha1(implode($a)) != $c['msg_signature']) return -40001;
    }
    $key = base64_decode($key43 . '=');
    $data = base64_decode($encrypt);
    $plain = openssl_decrypt($data, 'AES-256-CBC', $key, OPENSSL_RAW_DATA | OPENSSL_ZERO_PADDING, substr($key, 0, 16));
    if ($plain === false) return -40007;
    $pad = ord(substr($plain, -1));
    if ($pad < 1 || $pad > 32) $pad = 0;
    $result = substr($plain, 0, strlen($plain) - $pad);
    if (strlen($result) < 16) return -40008;
    $content = substr($result, 16, strlen($result));
    $len_list = @unpack('N', substr($content, 0, 4));
    $xml_len = $len_list === false ? 0 : $len_list[1];
    $from = substr($content, $xml_len + 4);
    if ($from === false) $from = '';
    if ($from != $c['receive_id']) return -40005;
    return 0;
}
while (($line = fgets(STDIN)) !== false) {
    $c = json_decode($line, true);
    echo json_encode(array('code' => decrypt_msg($c))), "\n";
}
