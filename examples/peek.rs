fn main() {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string("tests/vectors/official_demo.json").unwrap()).unwrap();
    let s = |k: &str| v[k].as_str().unwrap().to_string();
    let r = wxdecrypt::inspect(&wxdecrypt::Input::new(&s("appid"), &s("session_key"), &s("iv"), &s("encrypted_data")), &wxdecrypt::Options::new(1_700_000_000, wxdecrypt::Lang::En));
    println!("{}", serde_json::to_string_pretty(&r).unwrap());
}
