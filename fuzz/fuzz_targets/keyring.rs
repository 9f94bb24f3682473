//! Key ring files: never panic; a ring that parses saves to text that parses to the same ring; an
//! error message never quotes a value from the file (it may be a key).

#![no_main]

use libfuzzer_sys::fuzz_target;
use wxdecrypt::Lang;
use wxdecrypt::keyring::Keyring;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Keyring::parse(&text) {
        Ok(ring) => {
            let saved = serde_json::to_string(&ring).expect("serializes");
            assert_eq!(Keyring::parse(&saved).expect("re-reads"), ring);
        }
        Err(e) => wxdecrypt_fuzz::assert_no_quoted_value(&e.message(Lang::En)),
    }
});
