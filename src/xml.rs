//! The XML WeChat sends (message pushes, Pay APIv2 notifications) read into JSON: each element's
//! children become an object's fields, text and CDATA become strings, repeated names an array.
//!
//! Limits: nesting deeper than [`MAX_DEPTH`] elements is refused; the input is whatever the
//! caller read (the CLI and the scanners bound it).

use quick_xml::events::{BytesRef, Event};
use serde_json::{Map, Value};

/// The deepest nesting read. WeChat's messages nest three or four levels.
pub const MAX_DEPTH: usize = 64;

/// Why a text is not the XML of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlError {
    /// A syntax error at this byte offset.
    Syntax { offset: u64 },
    /// Nested deeper than [`MAX_DEPTH`] at this byte offset.
    TooDeep { offset: u64 },
    /// No root element.
    Empty,
}

/// The character an entity reference stands for (`&#38;`, `&amp;`, …).
pub fn entity(r: &BytesRef<'_>) -> Option<char> {
    match r.resolve_char_ref() {
        Ok(Some(ch)) => Some(ch),
        _ => match r.decode().unwrap_or_default().as_ref() {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => None,
        },
    }
}

/// One open element: its name, its child fields, its text.
struct Open {
    name: String,
    fields: Map<String, Value>,
    text: String,
    has_children: bool,
}

impl Open {
    fn new(name: String) -> Open {
        Open {
            name,
            fields: Map::new(),
            text: String::new(),
            has_children: false,
        }
    }

    /// The element as a value: an object when it has children, else its text.
    fn into_value(self) -> Value {
        if self.has_children {
            Value::Object(self.fields)
        } else {
            Value::String(self.text)
        }
    }
}

/// Adds `value` under `name`; a name seen before turns into an array of its values.
fn add(fields: &mut Map<String, Value>, name: String, value: Value) {
    match fields.get_mut(&name) {
        Some(Value::Array(items)) => items.push(value),
        Some(old) => {
            let first = old.take();
            *old = Value::Array(vec![first, value]);
        }
        None => {
            fields.insert(name, value);
        }
    }
}

/// Reads `text` as one XML document; returns the root element's name and its value (an object of
/// its children, or its text).
pub fn to_json(text: &str) -> Result<(String, Value), XmlError> {
    // Text is kept as written (a leaf's spaces are its content); the whitespace between child
    // elements is dropped when the parent closes.
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<(String, Value)> = None;
    loop {
        let offset = reader.buffer_position();
        let ev = reader
            .read_event()
            .map_err(|_| XmlError::Syntax { offset })?;
        match ev {
            Event::Start(s) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooDeep { offset });
                }
                if root.is_some() {
                    return Err(XmlError::Syntax { offset });
                }
                let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
                stack.push(Open::new(name));
            }
            Event::Empty(s) => {
                let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
                match stack.last_mut() {
                    Some(parent) => {
                        parent.has_children = true;
                        add(&mut parent.fields, name, Value::String(String::new()));
                    }
                    None if root.is_none() => root = Some((name, Value::String(String::new()))),
                    None => return Err(XmlError::Syntax { offset }),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.decode().unwrap_or_default());
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t.into_inner()));
                }
            }
            Event::GeneralRef(r) => {
                if let (Some(top), Some(ch)) = (stack.last_mut(), entity(&r)) {
                    top.text.push(ch);
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(XmlError::Syntax { offset });
                };
                let name = done.name.clone();
                let value = done.into_value();
                match stack.last_mut() {
                    Some(parent) => {
                        parent.has_children = true;
                        add(&mut parent.fields, name, value);
                    }
                    None => root = Some((name, value)),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Syntax {
            offset: reader.buffer_position(),
        });
    }
    root.ok_or(XmlError::Empty)
}

/// Writes a flat object as WeChat's XML: `<root><Name><![CDATA[text]]></Name>…</root>`, numbers
/// bare. Nested objects become nested elements, arrays repeated ones.
pub fn from_json(root: &str, value: &Value) -> String {
    let mut out = String::new();
    element(&mut out, root, value);
    out
}

fn element(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Array(items) => {
            for item in items {
                element(out, name, item);
            }
        }
        Value::Object(fields) => {
            out.push_str(&format!("<{name}>"));
            for (k, v) in fields {
                element(out, k, v);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Number(n) => out.push_str(&format!("<{name}>{n}</{name}>")),
        Value::Bool(b) => out.push_str(&format!("<{name}>{b}</{name}>")),
        Value::Null => out.push_str(&format!("<{name}></{name}>")),
        Value::String(s) => {
            // "]]>" cannot stand inside one CDATA section: split it across two.
            let safe = s.replace("]]>", "]]]]><![CDATA[>");
            out.push_str(&format!("<{name}><![CDATA[{safe}]]></{name}>"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_reads_as_an_object() {
        let (root, v) = to_json(
            "<xml><ToUserName><![CDATA[wx1]]></ToUserName>\n<CreateTime>14</CreateTime>\
             <Content>a &amp; b</Content><Item><a>1</a></Item><Item><a>2</a></Item><E/></xml>",
        )
        .unwrap();
        assert_eq!(root, "xml");
        assert_eq!(v["ToUserName"], "wx1");
        assert_eq!(v["CreateTime"], "14");
        assert_eq!(v["Content"], "a & b");
        assert_eq!(v["Item"][1]["a"], "2");
        assert_eq!(v["E"], "");
    }

    #[test]
    fn broken_and_deep_documents_are_refused() {
        assert!(matches!(to_json("<xml><a>"), Err(XmlError::Syntax { .. })));
        assert!(matches!(to_json("plain"), Err(XmlError::Empty)));
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(matches!(to_json(&deep), Err(XmlError::TooDeep { .. })));
    }

    #[test]
    fn from_json_round_trips() {
        let v = serde_json::json!({"A": "x]]>y", "N": 3, "L": [{"b": "1"}, {"b": "2"}]});
        let xml = from_json("xml", &v);
        let (_, back) = to_json(&xml).unwrap();
        assert_eq!(back["A"], "x]]>y");
        assert_eq!(back["N"], "3");
        assert_eq!(back["L"][1]["b"], "2");
    }
}
