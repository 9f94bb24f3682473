//! The forms a backend re-serialises rawData (or a request body) into before hashing it — each a
//! known way a signature comes out wrong: compact, spaced, keys sorted, `/` or non-ASCII escaped
//! (PHP's `json_encode`, Python's `json.dumps`), pretty-printed. Objects keep their order except in
//! the sorted form (serde_json's `preserve_order`).

use serde::Serialize;
use serde_json::Value;

/// A re-serialisation. The strings are a public contract (`variant_form` of a report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// No spaces (`JSON.stringify`, `json_encode` with both flags, Jackson, fastjson).
    Compact,
    /// `", "` and `": "` between items.
    Spaced,
    /// Keys sorted (a map that orders its keys: Java `TreeMap`, PHP `ksort`, `sort_keys=True`).
    Sorted,
    /// `/` written `\/`.
    EscapedSlashes,
    /// Non-ASCII written `\uXXXX`.
    EscapedUnicode,
    /// PHP `json_encode` without flags: `\/` and `\uXXXX`.
    Php,
    /// Python `json.dumps` without arguments: spaced and `\uXXXX`.
    Python,
    /// Indented by two spaces (`JSON.stringify(v, null, 2)`, serde's pretty printer).
    Pretty,
}

impl Form {
    pub const ALL: [Form; 8] = [
        Form::Compact,
        Form::Spaced,
        Form::Sorted,
        Form::EscapedSlashes,
        Form::EscapedUnicode,
        Form::Php,
        Form::Python,
        Form::Pretty,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Form::Compact => "compact",
            Form::Spaced => "spaced",
            Form::Sorted => "sorted",
            Form::EscapedSlashes => "escaped_slashes",
            Form::EscapedUnicode => "escaped_unicode",
            Form::Php => "php",
            Form::Python => "python",
            Form::Pretty => "pretty",
        }
    }

    /// Catalogue key of what the form is, in words.
    pub fn label_key(self) -> &'static str {
        match self {
            Form::Compact => "signature.form.compact",
            Form::Spaced => "signature.form.spaced",
            Form::Sorted => "signature.form.sorted",
            Form::EscapedSlashes => "signature.form.escaped_slashes",
            Form::EscapedUnicode => "signature.form.escaped_unicode",
            Form::Php => "signature.form.php",
            Form::Python => "signature.form.python",
            Form::Pretty => "signature.form.pretty",
        }
    }
}

/// `value` written in `form`.
pub fn reserialize(value: &Value, form: Form) -> String {
    match form {
        Form::Compact => value.to_string(),
        Form::Spaced => spaced(value),
        Form::Sorted => sorted(value).to_string(),
        Form::EscapedSlashes => escape_slashes(&value.to_string()),
        Form::EscapedUnicode => escape_unicode(&value.to_string()),
        Form::Php => escape_unicode(&escape_slashes(&value.to_string())),
        Form::Python => escape_unicode(&spaced(value)),
        Form::Pretty => serde_json::to_string_pretty(value).unwrap_or_default(),
    }
}

/// The value with every object's keys sorted (by code point, as Python and `TreeMap` sort).
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .filter_map(|k| m.get(k).map(|v| (k.clone(), sorted(v))))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// JSON with `", "` and `": "` separators.
fn spaced(value: &Value) -> String {
    let mut out = String::new();
    write_spaced(value, &mut out);
    out
}

fn write_spaced(value: &Value, out: &mut String) {
    match value {
        Value::Object(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(": ");
                write_spaced(v, out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_spaced(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// `/` written `\/` (a `/` can only stand inside a string in JSON text).
fn escape_slashes(json: &str) -> String {
    json.replace('/', "\\/")
}

/// Every non-ASCII character written `\uXXXX` (a pair for those past the BMP), in lowercase hex
/// as PHP and Python write it (non-ASCII can only stand inside a string in JSON text).
fn escape_unicode(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_as_the_languages_write_it() {
        let v: Value = serde_json::from_str(r#"{"b":"中/x","a":[1,{"d":"😀","c":null}]}"#).unwrap();
        let got: Vec<String> = Form::ALL.iter().map(|f| reserialize(&v, *f)).collect();
        assert_eq!(
            got,
            [
                r#"{"b":"中/x","a":[1,{"d":"😀","c":null}]}"#,
                r#"{"b": "中/x", "a": [1, {"d": "😀", "c": null}]}"#,
                r#"{"a":[1,{"c":null,"d":"😀"}],"b":"中/x"}"#,
                r#"{"b":"中\/x","a":[1,{"d":"😀","c":null}]}"#,
                r#"{"b":"\u4e2d/x","a":[1,{"d":"\ud83d\ude00","c":null}]}"#,
                r#"{"b":"\u4e2d\/x","a":[1,{"d":"\ud83d\ude00","c":null}]}"#,
                r#"{"b": "\u4e2d/x", "a": [1, {"d": "\ud83d\ude00", "c": null}]}"#,
                "{\n  \"b\": \"中/x\",\n  \"a\": [\n    1,\n    {\n      \"d\": \"😀\",\n      \"c\": null\n    }\n  ]\n}",
            ]
        );
    }
}
