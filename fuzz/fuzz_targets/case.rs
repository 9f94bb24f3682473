//! Case files: never panic; a case that parses writes back to text that parses to the same case;
//! an error message never quotes a value from the file.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use wxdecrypt::Lang;
use wxdecrypt::case::{case_json, parse_case};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse_case(&text, Path::new("f.wxcase.json")) {
        Ok(case) => {
            let again = parse_case(&case_json(&case), Path::new("f")).expect("re-reads");
            assert_eq!(again, case);
        }
        Err(e) => wxdecrypt_fuzz::assert_no_quoted_value(&e.message(Lang::En)),
    }
});
