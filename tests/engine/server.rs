//! WeChat server answers and codes by shape, against tests/vectors/server.json (error bodies as
//! the APIs answer them, and the documentation's getPhoneNumber code where open data was
//! expected): the exact codes, primary first.

use serde_json::Value;
use wxdecrypt::{Input, Lang, Options, inspect, server};

#[test]
fn every_server_vector_gives_its_codes() {
    let path = format!("{}/tests/vectors/server.json", env!("CARGO_MANIFEST_DIR"));
    let all: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let vectors = all["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 11);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let want: Vec<&str> = v["expect"]["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        for lang in Lang::ALL {
            let got: Vec<&str> = match v["input"]["text"].as_str() {
                Some(text) => {
                    let e = server::find_error(text).unwrap_or_else(|| panic!("{name}: none"));
                    let f = e.finding(lang);
                    assert!(f.message.contains(&e.errcode.to_string()), "{name}");
                    assert!(!f.message.contains('{') || text.contains('{'), "{name}");
                    vec![e.code.as_str()]
                }
                None => {
                    let input: Input = serde_json::from_value(v["input"].clone()).unwrap();
                    let r = inspect(&input, &Options::new(v["now"].as_i64().unwrap(), lang));
                    assert!(!r.ok);
                    r.codes()
                }
            };
            assert_eq!(got, want, "{name}");
        }
    }
}
