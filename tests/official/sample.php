<?php
// The official PHP sample's decryptData (WXBizDataCrypt, wxBizDataCrypt.php), re-typed: run by
// tests/engine/official.rs over the test vectors, one JSON line in ({sessionKey, iv,
// encryptedData, appid}) and one out ({"code": N}).
error_reporting(0);

function decryptData($appid, $sessionKey, $encryptedData, $iv, &$data) {
    if (strlen($sessionKey) != 24) {
        return -41001;
    }
    $aesKey = base64_decode($sessionKey);
    if (strlen($iv) != 24) {
        return -41002;
    }
    $aesIV = base64_decode($iv);
    $aesCipher = base64_decode($encryptedData);
    $result = openssl_decrypt($aesCipher, "AES-128-CBC", $aesKey, 1, $aesIV);
    $dataObj = json_decode($result);
    if ($dataObj == NULL) {
        return -41003;
    }
    if ($dataObj->watermark->appid != $appid) {
        return -41003;
    }
    $data = $result;
    return 0;
}

while (($line = fgets(STDIN)) !== false) {
    $v = json_decode($line, true);
    $data = null;
    try {
        $code = decryptData($v["appid"], $v["sessionKey"], $v["encryptedData"], $v["iv"], $data);
        echo json_encode(["code" => $code]), "\n";
    } catch (Throwable $e) {
        echo json_encode(["exception" => get_class($e), "message" => $e->getMessage()]), "\n";
    }
}
