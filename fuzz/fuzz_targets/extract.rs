//! Finding the fields in pasted text (JSON, query strings, logs): never panics; each input field
//! is found at most once, under a key name that really names it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wxdecrypt::extract::{extract, field_for_key};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let found = extract(&text);
    let mut seen = Vec::new();
    for (field, key) in &found.found {
        assert!(field.index().is_some(), "{field:?} is not an input field");
        assert!(!seen.contains(field), "{field:?} found twice");
        seen.push(*field);
        assert_eq!(field_for_key(key), Some(*field), "{key:?}");
    }
});
