//! The platforms that copied WeChat's scheme, against tests/vectors/platforms.json (payloads made
//! with pycryptodome as each platform documents its cipher, Baidu's documented vector and the
//! Alipay SDK's): the exact codes (primary first), the platform reported, the data — chosen or
//! detected, in both languages — and Baidu's official PHP sample reading the Baidu vectors.

use serde_json::Value;
use wxdecrypt::platform::Platform;
use wxdecrypt::{Input, Lang, Options, inspect};

use super::vectors::load;

fn vectors() -> Vec<Value> {
    load("platforms.json")["vectors"]
        .as_array()
        .unwrap()
        .clone()
}

fn chosen(v: &Value) -> Option<Platform> {
    v["platform"].as_str().map(|p| Platform::parse(p).unwrap())
}

#[test]
fn every_platform_vector_gives_its_codes_platform_and_data() {
    let vectors = vectors();
    assert!(vectors.len() >= 20);
    for v in &vectors {
        let name = v["name"].as_str().unwrap();
        let input: Input = serde_json::from_value(v["input"].clone()).unwrap();
        let want = &v["expect"];
        let codes: Vec<&str> = want["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        for lang in Lang::ALL {
            let opts = Options::new(v["now"].as_i64().unwrap(), lang).with_platform(chosen(v));
            let r = inspect(&input, &opts);
            assert_eq!(r.codes(), codes, "{name} ({lang:?}): {:#?}", r.findings);
            assert_eq!(r.ok, want["ok"].as_bool().unwrap(), "{name}");
            assert_eq!(
                r.platform.as_str(),
                want["platform"].as_str().unwrap(),
                "{name}"
            );
            if let Some(data) = want.get("data") {
                assert_eq!(r.data.as_ref(), Some(data), "{name}");
            }
            for f in &r.findings {
                assert!(!unfilled(&f.message) && !unfilled(&f.hint), "{name}: {f:?}");
                assert!(!f.hint.is_empty(), "{name}: {}", f.code.as_str());
            }
        }
    }
}

/// Whether `text` still holds a `{placeholder}`.
fn unfilled(text: &str) -> bool {
    text.split('{').skip(1).any(|rest| {
        rest.split_once('}').is_some_and(|(name, _)| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
    })
}

#[test]
fn each_platform_has_a_vector_that_decrypts() {
    let vectors = vectors();
    for p in Platform::ALL.into_iter().filter(|p| *p != Platform::Wechat) {
        assert!(
            vectors.iter().any(|v| v["expect"]["platform"] == p.as_str()
                && v["expect"]["ok"] == true
                && v["expect"]["codes"].as_array().unwrap().is_empty()),
            "{p}"
        );
    }
}

#[test]
fn platforms_get_their_own_hints() {
    let v = vectors();
    let stale = v
        .iter()
        .find(|v| v["name"] == "Baidu: another login's session_key")
        .unwrap();
    let input: Input = serde_json::from_value(stale["input"].clone()).unwrap();
    for lang in Lang::ALL {
        let r = inspect(
            &input,
            &Options::new(0, lang).with_platform(Some(Platform::Baidu)),
        );
        assert_eq!(
            r.findings[0].hint,
            lang.tr("platform.baidu.hint.key_mismatch")
        );
        let wechat = inspect(
            &input,
            &Options::new(0, lang).with_platform(Some(Platform::Wechat)),
        );
        assert!(
            wechat
                .findings
                .iter()
                .all(|f| !f.hint.contains("swan.login"))
        );
    }
    for key in Platform::all_hint_keys() {
        for lang in Lang::ALL {
            assert_ne!(lang.tr(key), key, "{key} missing in {lang:?}");
        }
    }
}

/// Baidu's official PHP decrypt sample (tests/official/baidu_sample.php, from swan-docs
/// log_userdata.md) opens each Baidu vector that decrypts, to the same content.
#[test]
fn baidus_official_php_sample_reads_the_baidu_vectors() {
    let lines: Vec<Value> = vectors()
        .into_iter()
        .filter(|v| v["expect"]["platform"] == "baidu" && v["expect"]["ok"] == true)
        .collect();
    assert!(lines.len() >= 3);
    let inputs: Vec<Value> = lines.iter().map(|v| v["input"].clone()).collect();
    let out = super::official::run_script("php", &["baidu_sample.php"], &inputs);
    for (v, php) in lines.iter().zip(out) {
        let name = v["name"].as_str().unwrap();
        let unchecked = v["expect"]["codes"][0] == "app_key.unchecked";
        match php["content"].as_str() {
            Some(text) => {
                let parsed: Value = serde_json::from_str(text).unwrap();
                assert_eq!(Some(&parsed), v["expect"].get("data"), "{name}");
            }
            // The sample refuses data whose app key differs from the one given (here: none).
            None => assert!(unchecked, "{name}: {php}"),
        }
    }
}
