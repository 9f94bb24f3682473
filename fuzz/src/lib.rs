//! What the fuzz targets share: the invariant that an error message quotes no value from the input.

/// Panics when `message` quotes a value: every `"` must open or close a `"…"` placeholder (the
/// parsers' quoted values are replaced, since they may be keys).
pub fn assert_no_quoted_value(message: &str) {
    for (i, _) in message.match_indices('"') {
        let after = message.get(i + 1..).unwrap_or("");
        let before = message.get(..i).unwrap_or("");
        assert!(
            after.starts_with('…') || before.ends_with('…'),
            "quoted value in {message:?}"
        );
    }
}
