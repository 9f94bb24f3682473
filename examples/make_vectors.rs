//! Regenerates `tests/vectors/findings.json`: one vector per finding code and repair, built with
//! fixed synthetic keys. Run `cargo run --example make_vectors > tests/vectors/findings.json`.

use serde_json::{Value, json};
use wxdecrypt::opendata::cipher::encrypt_pkcs7;
use wxdecrypt::opendata::normalize::encode;

const KEY: &[u8; 16] = b"1234567890abcdef";
const IV: &[u8; 16] = b"fedcba0987654321";
const OTHER_KEY: &[u8; 16] = b"ffffffffffffffff";
const OTHER_IV: &[u8; 16] = &[
    0x9c, 0x01, 0xf3, 0x44, 0x80, 0x17, 0xee, 0x2a, 0x05, 0xd9, 0x6b, 0x90, 0x31, 0xc4, 0x7f, 0x08,
];
const APPID: &str = "wx0123456789abcdef";
const TS: i64 = 1_700_000_000;
const NOW: i64 = 1_700_003_600;

fn enc(key: &[u8], iv: &[u8], pt: &[u8]) -> String {
    encode(&encrypt_pkcs7(key, iv, pt).expect("16-byte key and iv"))
}

fn phone_json(phone: &str, pure: &str, cc: &str) -> String {
    format!(
        r#"{{"phoneNumber":"{phone}","purePhoneNumber":"{pure}","countryCode":"{cc}","watermark":{{"timestamp":{TS},"appid":"{APPID}"}}}}"#
    )
}

fn vector(name: &str, appid: &str, key: &str, iv: &str, data: &str, expect: Value) -> Value {
    json!({
        "name": name,
        "now": NOW,
        "input": {"appid": appid, "session_key": key, "iv": iv, "encrypted_data": data},
        "expect": expect,
    })
}

fn main() {
    let k = encode(KEY);
    let i = encode(IV);
    let phone = phone_json("13800138000", "13800138000", "86");
    let phone_data: Value = serde_json::from_str(&phone).expect("valid json");
    // Find a payload whose base64 holds '+', '/' and no '=' padding issues, by varying the number.
    let mut d = String::new();
    let mut phone_pt = String::new();
    for n in 0..1000u32 {
        let p = phone_json(&format!("138{n:08}"), &format!("138{n:08}"), "86");
        let c = enc(KEY, IV, p.as_bytes());
        if c.contains('+') && c.contains('/') && c.ends_with('=') {
            d = c;
            phone_pt = p;
            break;
        }
    }
    assert!(!d.is_empty());
    let pd: Value = serde_json::from_str(&phone_pt).expect("valid json");
    let ok_phone = json!({"ok": true, "kind": "phone_number", "codes": [], "data": pd});
    let ct = encrypt_pkcs7(KEY, IV, phone_pt.as_bytes()).expect("ok");
    let werun = format!(
        r#"{{"stepInfoList":[{{"timestamp":1699891200,"step":8123}},{{"timestamp":1699977600,"step":10456}}],"watermark":{{"timestamp":{TS},"appid":"{APPID}"}}}}"#
    );
    let user = |nick: &str| {
        format!(
            r#"{{"openId":"oAbc","nickName":"{nick}","gender":0,"avatarUrl":"https://thirdwx.qlogo.cn/x/132","watermark":{{"timestamp":{TS},"appid":"{APPID}"}}}}"#
        )
    };
    let wrapped: String = d
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\n");
    let mut v = vec![
        vector("phone ok", APPID, &k, &i, &d, ok_phone.clone()),
        vector("user info ok (no appid)", "", &k, &i, &enc(KEY, IV, user("Band").as_bytes()),
            json!({"ok": true, "kind": "user_info", "codes": ["watermark.appid_unchecked"]})),
        vector("werun ok", APPID, &k, &i, &enc(KEY, IV, werun.as_bytes()),
            json!({"ok": true, "kind": "werun", "codes": []})),
        vector("share info ok", APPID, &k, &i, &enc(KEY, IV, format!(r#"{{"openGId":"tGabc","watermark":{{"timestamp":{TS},"appid":"{APPID}"}}}}"#).as_bytes()),
            json!({"ok": true, "kind": "share_info", "codes": []})),
        vector("repair.whitespace", APPID, &k, &format!(" {i}\n"), &wrapped,
            json!({"ok": true, "kind": "phone_number", "codes": ["repair.whitespace"], "data": pd})),
        vector("repair.plus_as_space", APPID, &k, &i, &d.replace('+', " "),
            json!({"ok": true, "codes": ["repair.plus_as_space"], "data": pd})),
        vector("repair.percent_encoding", APPID, &k, &i, &d.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D"),
            json!({"ok": true, "codes": ["repair.percent_encoding"], "data": pd})),
        vector("repair.json_escape", APPID, &k, &i, &d.replace('/', "\\/"),
            json!({"ok": true, "codes": ["repair.json_escape"], "data": pd})),
        vector("repair.quotes", APPID, &format!("\"{k}\","), &format!("'{i}'"), &d,
            json!({"ok": true, "codes": ["repair.quotes"], "data": pd})),
        vector("repair.url_safe", APPID, &k, &i, &d.replace('+', "-").replace('/', "_"),
            json!({"ok": true, "codes": ["repair.url_safe"], "data": pd})),
        vector("repair.padding", APPID, k.trim_end_matches('='), i.trim_end_matches('='), d.trim_end_matches('='),
            json!({"ok": true, "codes": ["repair.padding"], "data": pd})),
        // session_key and iv as hex (bin2hex): 32 hex digits, lower and upper case.
        vector("repair.hex", APPID, "31323334353637383930616263646566", "66656463626130393837363534333231", &d,
            json!({"ok": true, "codes": ["repair.hex"], "data": pd})),
        vector("input.missing", APPID, &k, "", &d,
            json!({"ok": false, "codes": ["input.missing"]})),
        vector("input.looks_like_code", APPID, "0a3Zl8Ga1Yu2Q83e3bHa1w6bhl3Zl8Gs", &i, &d,
            json!({"ok": false, "codes": ["input.looks_like_code"]})),
        vector("input.swapped (key and iv)", APPID, &i, &k, &d,
            json!({"ok": false, "codes": ["input.swapped"], "data": pd})),
        vector("input.swapped (iv and data)", APPID, &k, &d, &i,
            json!({"ok": false, "codes": ["input.swapped"], "data": pd})),
        vector("base64.invalid", APPID, &k, &i, &format!("{}*{}", &d[..10], &d[11..]),
            json!({"ok": false, "codes": ["base64.invalid"]})),
        vector("key.length", APPID, "YWJjZGVmZ2g=", &i, &d,
            json!({"ok": false, "codes": ["key.length"]})),
        vector("iv.length", APPID, &k, "YWJjZGVmZ2g=", &d,
            json!({"ok": false, "codes": ["iv.length"]})),
        vector("data.length", APPID, &k, &i, &encode(&ct[..ct.len() - 3]),
            json!({"ok": false, "codes": ["data.length"]})),
        vector("key.mismatch + padding.invalid", APPID, &encode(OTHER_KEY), &i, &d,
            json!({"ok": false, "codes": ["key.mismatch", "padding.invalid"]})),
        vector("iv.mismatch (phone, iv recovered)", APPID, &k, &encode(OTHER_IV), &d,
            json!({"ok": false, "codes": ["iv.mismatch"], "data": pd, "suggested_iv": i})),
        vector("iv.mismatch (werun, iv recovered)", APPID, &k, &encode(OTHER_IV), &enc(KEY, IV, werun.as_bytes()),
            json!({"ok": false, "kind": "werun", "codes": ["iv.mismatch"], "suggested_iv": i})),
        vector("data.truncated", APPID, &k, &i, &encode(&ct[..ct.len() - 16]),
            json!({"ok": false, "codes": ["data.truncated", "padding.invalid"]})),
        vector("data.corrupted (a character changed)", APPID, &k, &i, &format!("{}{}{}", &d[..40], if &d[40..41] == "A" { "B" } else { "A" }, &d[41..]),
            json!({"ok": false, "codes": ["data.corrupted"]})),
        vector("data.corrupted (four characters dropped)", APPID, &k, &i, &format!("{}{}", &d[..40], &d[44..]),
            json!({"ok": false, "codes": ["data.corrupted"]})),
        vector("base64.invalid (a character dropped)", APPID, &k, &i, &format!("{}{}", &d[..40], &d[41..]),
            json!({"ok": false, "codes": ["base64.invalid"]})),
        vector("iv.mismatch (printable first block)", APPID, &k, &encode(b"0000000000000000"), &d,
            json!({"ok": false, "codes": ["iv.mismatch"], "data": pd, "suggested_iv": i})),
        vector("plaintext.not_utf8", APPID, &k, &i, &encode(&encrypt_pkcs7(KEY, IV, b"{\"city\":\"S\xe3o Paulo and more text\"}").expect("ok")),
            json!({"ok": false, "codes": ["plaintext.not_utf8"]})),
        vector("plaintext.not_json", APPID, &k, &i, &enc(KEY, IV, b"activity-1234567890"),
            json!({"ok": true, "kind": "text", "codes": ["plaintext.not_json"]})),
        // A raw control character in JSON text: key, iv and padding are right.
        vector("plaintext.invalid_json", APPID, &k, &i,
            &enc(KEY, IV, format!("{{\"nickName\":\"a\u{1}b\",\"watermark\":{{\"timestamp\":{TS},\"appid\":\"{APPID}\"}}}}").as_bytes()),
            json!({"ok": false, "kind": "text", "codes": ["plaintext.invalid_json"]})),
        vector("watermark.missing", APPID, &k, &i, &enc(KEY, IV, br#"{"phoneNumber":"13800138000","purePhoneNumber":"13800138000","countryCode":"86"}"#),
            json!({"ok": true, "codes": ["watermark.missing"]})),
        vector("watermark.appid_mismatch", "wxffffffffffffffff", &k, &i, &d,
            json!({"ok": false, "codes": ["watermark.appid_mismatch"]})),
        vector("watermark.appid_unchecked", "", &k, &i, &d,
            json!({"ok": true, "codes": ["watermark.appid_unchecked"], "data": pd})),
        vector("watermark.timestamp_future", APPID, &k, &i, &enc(KEY, IV, phone.replace(&TS.to_string(), &(NOW + 86_400).to_string()).as_bytes()),
            json!({"ok": true, "codes": ["watermark.timestamp_future"]})),
        vector("phone.inconsistent", APPID, &k, &i, &enc(KEY, IV, phone_json("13800138000", "13900000000", "86").as_bytes()),
            json!({"ok": true, "kind": "phone_number", "codes": ["phone.inconsistent"]})),
        vector("user.anonymized", APPID, &k, &i, &enc(KEY, IV, user("微信用户").as_bytes()),
            json!({"ok": true, "kind": "user_info", "codes": ["user.anonymized"]})),
    ];
    let _ = &phone_data;
    v.push(vector(
        "foreign phone ok",
        APPID,
        &k,
        &i,
        &enc(
            KEY,
            IV,
            phone_json("+852 61234567", "61234567", "852").as_bytes(),
        ),
        json!({"ok": true, "kind": "phone_number", "codes": []}),
    ));
    let out = json!({
        "about": "Synthetic vectors (key 1234567890abcdef, iv fedcba0987654321) made by examples/make_vectors.rs",
        "vectors": v,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&out).expect("serializable")
    );
}
