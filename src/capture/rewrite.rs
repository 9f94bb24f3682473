//! Writing new payload values back into the request they travelled in, the way they travelled: a
//! JSON body keeps its layout, key order and escapes (only the value's characters change); a form
//! body or query string keeps its names and its percent-encoding (`%2B` or `+`, upper or lower
//! case hex); base64 keeps its alphabet (standard or URL-safe) and its padding. What a proxy sends
//! on is then the original request with one value changed.

use crate::extract::{field_for_key, percent_decode};
use crate::finding::Field;
use crate::i18n::Lang;

use super::live::HttpRequest;

/// Where a value was rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    Body,
    Query,
}

/// The request with the values replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    pub url: String,
    pub body: String,
    /// Each field rewritten, and where.
    pub changed: Vec<(Field, Place)>,
}

/// A value that could not be found where the request carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotLocated(pub Field);

impl NotLocated {
    pub fn message(&self, lang: Lang) -> String {
        lang.fmt(
            "rewrite.error.not_located",
            &[("field", self.0.label(lang))],
        )
    }
}

/// Replaces each field's value `old` by `new` where the request carries it (the body first, as
/// [`analyze`](super::analyze) reads it, then the query string), in the encoding it travelled in.
pub fn rewrite(req: &HttpRequest, values: &[(Field, &str, &str)]) -> Result<Rewritten, NotLocated> {
    let mut out = Rewritten {
        url: req.url.clone(),
        body: req.body.clone(),
        changed: Vec::new(),
    };
    for &(field, old, new) in values {
        let old = old.trim();
        if let Some(body) = in_body(&out.body, field, old, new) {
            out.body = body;
            out.changed.push((field, Place::Body));
        } else if let Some(url) = in_query(&out.url, field, old, new) {
            out.url = url;
            out.changed.push((field, Place::Query));
        } else {
            return Err(NotLocated(field));
        }
    }
    Ok(out)
}

fn in_body(body: &str, field: Field, old: &str, new: &str) -> Option<String> {
    let t = body.trim_start();
    if (t.starts_with('{') || t.starts_with('['))
        && let Some(b) = in_json(body, field, old, new)
    {
        return Some(b);
    }
    if let Some(b) = in_form(body, field, old, new) {
        return Some(b);
    }
    // Loose text (a log-like body): the value itself, when it appears once.
    (!old.is_empty() && body.matches(old).count() == 1)
        .then(|| body.replacen(old, &restyle(old, new), 1))
}

fn in_query(url: &str, field: Field, old: &str, new: &str) -> Option<String> {
    let (base, rest) = url.split_once('?')?;
    let (query, fragment) = match rest.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (rest, None),
    };
    let query = in_form(query, field, old, new)?;
    Some(match fragment {
        Some(f) => format!("{base}?{query}#{f}"),
        None => format!("{base}?{query}"),
    })
}

/// `name=value&…` with the value of `field` that decodes to `old` replaced.
fn in_form(form: &str, field: Field, old: &str, new: &str) -> Option<String> {
    let mut hit = false;
    let parts: Vec<String> = form
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v))
                if field_for_key(percent_decode(k).trim()) == Some(field)
                    && percent_decode(v).trim() == old =>
            {
                hit = true;
                format!("{k}={}", percent_like(v, &restyle(&percent_decode(v), new)))
            }
            _ => pair.to_string(),
        })
        .collect();
    hit.then(|| parts.join("&"))
}

/// `new` (standard base64) in the alphabet and padding of `old`: URL-safe when `old` is, without
/// padding when `old` had it stripped.
fn restyle(old: &str, new: &str) -> String {
    let old = old.trim();
    let url_safe = (old.contains('-') || old.contains('_')) && !old.contains(['+', '/']);
    let stripped = !old.contains('=') && !old.len().is_multiple_of(4);
    let mut s: String = if url_safe {
        new.chars()
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                c => c,
            })
            .collect()
    } else {
        new.to_string()
    };
    if stripped {
        s.truncate(s.trim_end_matches('=').len());
    }
    s
}

/// `value` percent-encoded as `raw` was: each of `+ / =` (and `%`, space) written as `raw` wrote
/// it (`%2B`, `%2b` or a bare `+`); encoded with upper-case hex when `raw` does not show it, as
/// `encodeURIComponent` does.
fn percent_like(raw: &str, value: &str) -> String {
    let style = |c: char| -> Option<String> {
        let upper = format!("%{:02X}", u32::from(c));
        let lower = upper.to_ascii_lowercase();
        if raw.contains(&upper) {
            Some(upper)
        } else if raw.contains(&lower) && lower != upper {
            Some(lower)
        } else if raw.contains(c) {
            None
        } else {
            Some(upper)
        }
    };
    let mut out = String::with_capacity(value.len() + 8);
    let table: Vec<(char, Option<String>)> =
        ['+', '/', '='].into_iter().map(|c| (c, style(c))).collect();
    for c in value.chars() {
        if c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c) {
            out.push(c);
        } else if let Some((_, enc)) = table.iter().find(|(t, _)| *t == c) {
            match enc {
                Some(e) => out.push_str(e),
                None => out.push(c),
            }
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// A JSON text with the string value of every member named like `field` whose value is `old`
/// replaced by `new`, everything else byte for byte as it was.
fn in_json(text: &str, field: Field, old: &str, new: &str) -> Option<String> {
    let spans = value_spans(text, field, old);
    if spans.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + new.len());
    let mut at = 0;
    for (start, end) in spans {
        let original = text.get(start..end)?;
        out.push_str(text.get(at..start)?);
        let decoded: String = serde_json::from_str(&format!("\"{original}\"")).ok()?;
        let escaped = serde_json::to_string(&restyle(&decoded, new)).ok()?;
        let inner = escaped.get(1..escaped.len().saturating_sub(1))?;
        if original.contains("\\/") {
            out.push_str(&inner.replace('/', "\\/"));
        } else {
            out.push_str(inner);
        }
        at = end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// The byte spans (inside the quotes) of string values of members named like `field` whose value
/// decodes to `old`. One pass over the text.
fn value_spans(text: &str, field: Field, old: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    let mut last_key: Option<(usize, usize)> = None;
    while let Some(&c) = b.get(i) {
        if c != b'"' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let Some(end) = string_end(b, start) else {
            break;
        };
        let after = skip_ws(b, end + 1);
        if b.get(after) == Some(&b':') {
            last_key = Some((start, end));
            i = skip_ws(b, after + 1);
            continue;
        }
        if let Some((ks, ke)) = last_key.take() {
            let key = decode(text, ks, ke);
            let value = decode(text, start, end);
            if key.as_deref().and_then(|k| field_for_key(k.trim())) == Some(field)
                && value.as_deref().map(str::trim) == Some(old)
            {
                spans.push((start, end));
            }
        }
        i = end + 1;
    }
    spans
}

/// The index of the closing quote of a string whose content starts at `i`.
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        match b.get(i)? {
            b'"' => return Some(i),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

fn decode(text: &str, start: usize, end: usize) -> Option<String> {
    serde_json::from_str(text.get(start.saturating_sub(1)..end + 1)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(url: &str, body: &str) -> HttpRequest {
        HttpRequest {
            method: "POST".into(),
            url: url.into(),
            headers: vec![],
            body: body.into(),
        }
    }

    const OLD: &str = "ab+c/d==";
    const NEW: &str = "zz+y/x==";

    #[test]
    fn json_keeps_its_layout_and_escapes() {
        let body =
            "{\n  \"detail\": {\"encryptedData\" : \"ab+c\\/d==\", \"iv\": \"i\"},\n  \"n\": 1\n}";
        let r = rewrite(
            &req("https://h/p", body),
            &[(Field::EncryptedData, OLD, NEW)],
        )
        .unwrap();
        assert_eq!(
            r.body,
            "{\n  \"detail\": {\"encryptedData\" : \"zz+y\\/x==\", \"iv\": \"i\"},\n  \"n\": 1\n}"
        );
        assert_eq!(r.changed, [(Field::EncryptedData, Place::Body)]);
        // A value equal to the old one under another name is not touched.
        let body = r#"{"encrypted_data":"ab+c/d==","copy":"ab+c/d=="}"#;
        let r = rewrite(
            &req("https://h/p", body),
            &[(Field::EncryptedData, OLD, NEW)],
        )
        .unwrap();
        assert_eq!(r.body, r#"{"encrypted_data":"zz+y/x==","copy":"ab+c/d=="}"#);
    }

    #[test]
    fn forms_and_queries_keep_their_percent_encoding() {
        let r = rewrite(
            &req("https://h/p", "iv=q&encryptedData=ab%2bc%2Fd%3D%3D&x=1"),
            &[(Field::EncryptedData, OLD, NEW)],
        )
        .unwrap();
        assert_eq!(r.body, "iv=q&encryptedData=zz%2by%2Fx%3D%3D&x=1");
        // Sent bare (the '+' damaged on the way): written bare again.
        let r = rewrite(
            &req("https://h/p", "encryptedData=ab+c/d=="),
            &[(Field::EncryptedData, OLD, NEW)],
        )
        .unwrap();
        assert_eq!(r.body, "encryptedData=zz+y/x==");
        // In the query string, fragment kept; nothing shows the style: encodeURIComponent's.
        let r = rewrite(
            &req("https://h/p?encrypted_data=abcd&iv=1#top", ""),
            &[(Field::EncryptedData, "abcd", NEW)],
        )
        .unwrap();
        assert_eq!(
            r.url,
            "https://h/p?encrypted_data=zz%2By%2Fx%3D%3D&iv=1#top"
        );
        assert_eq!(r.changed, [(Field::EncryptedData, Place::Query)]);
    }

    #[test]
    fn url_safe_and_unpadded_base64_stay_so() {
        let r = rewrite(
            &req("https://h/p", r#"{"encryptedData":"ab-c_d"}"#),
            &[(Field::EncryptedData, "ab-c_d", "zz+y/xw=")],
        )
        .unwrap();
        assert_eq!(r.body, r#"{"encryptedData":"zz-y_xw"}"#);
    }

    #[test]
    fn a_value_not_carried_is_named() {
        let e = rewrite(
            &req("https://h/p", r#"{"encryptedData":"other"}"#),
            &[(Field::EncryptedData, OLD, NEW)],
        );
        assert_eq!(e, Err(NotLocated(Field::EncryptedData)));
        // Broken JSON and a dangling quote end the scan without a panic.
        for body in [
            "{\"encryptedData\":\"ab",
            "\"",
            "{\"a\\",
            "{\"encryptedData\" : ",
        ] {
            assert!(rewrite(&req("u", body), &[(Field::EncryptedData, OLD, NEW)]).is_err());
        }
    }
}
