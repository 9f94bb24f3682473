//! Edits of decrypted data written as `path=value` (`phoneNumber=13900001111`,
//! `watermark.appid=wx…`, `stepInfoList.0.step=30000`): what a command line or a proxy command
//! takes to tamper with one field without retyping the JSON. A value keeps the type of the one it
//! replaces (a phone number stays a string, a step count a number); a new member takes the value
//! as JSON when it reads as JSON, else as text; `"…"` forces text.

use serde_json::{Map, Value};

use crate::i18n::Lang;

/// Longest path accepted, in segments (the data WeChat sends nests two or three deep).
pub const MAX_DEPTH: usize = 32;

/// Why an assignment could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssignError {
    /// No `=` in the assignment, or nothing before it.
    Syntax { assignment: String },
    /// A segment of the path names nothing that can hold a member (a text, a number, or an
    /// index past the end of a list).
    Path { path: String },
    /// The value does not fit the type of the one it replaces.
    Type { path: String, want: &'static str },
}

impl AssignError {
    /// The message in `lang` (the path is named; the value is not quoted).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AssignError::Syntax { assignment } => {
                let name: String = assignment.chars().take(40).collect();
                lang.fmt("assign.error.syntax", &[("assignment", &name)])
            }
            AssignError::Path { path } => lang.fmt("assign.error.path", &[("path", path)]),
            AssignError::Type { path, want } => lang.fmt(
                "assign.error.type",
                &[("path", path), ("type", lang.tr(want))],
            ),
        }
    }
}

/// Splits `path=value` at its first `=`.
pub fn split(assignment: &str) -> Result<(&str, &str), AssignError> {
    match assignment.split_once('=') {
        Some((p, v)) if !p.trim().is_empty() => Ok((p.trim(), v)),
        _ => Err(AssignError::Syntax {
            assignment: assignment.to_string(),
        }),
    }
}

/// Applies every assignment to `data` in order; on the first error `data` is left as it was.
pub fn apply_all(data: &Value, assignments: &[(String, String)]) -> Result<Value, AssignError> {
    let mut out = data.clone();
    for (path, value) in assignments {
        assign(&mut out, path, value)?;
    }
    Ok(out)
}

/// Sets the member at `path` (dot-separated; a number indexes a list) to `raw`, typed after the
/// value it replaces. Missing objects on the way are created.
pub fn assign(data: &mut Value, path: &str, raw: &str) -> Result<(), AssignError> {
    let segments: Vec<&str> = path.split('.').map(str::trim).collect();
    let path_error = || AssignError::Path {
        path: path.to_string(),
    };
    if segments.len() > MAX_DEPTH || segments.iter().any(|s| s.is_empty()) {
        return Err(path_error());
    }
    let Some((last, parents)) = segments.split_last() else {
        return Err(path_error());
    };
    let mut here = data;
    for seg in parents {
        here = match here {
            Value::Object(m) => m
                .entry(seg.to_string())
                .or_insert_with(|| Value::Object(Map::new())),
            Value::Array(a) => seg
                .parse::<usize>()
                .ok()
                .and_then(|i| a.get_mut(i))
                .ok_or_else(path_error)?,
            _ => return Err(path_error()),
        };
    }
    let slot = match here {
        Value::Object(m) => m.entry(last.to_string()).or_insert(Value::Null),
        Value::Array(a) => last
            .parse::<usize>()
            .ok()
            .and_then(|i| a.get_mut(i))
            .ok_or_else(path_error)?,
        _ => return Err(path_error()),
    };
    *slot = typed(slot, raw).map_err(|want| AssignError::Type {
        path: path.to_string(),
        want,
    })?;
    Ok(())
}

/// `raw` as a value of the type of `old`; the catalogue key of the type wanted when it does not
/// fit.
fn typed(old: &Value, raw: &str) -> Result<Value, &'static str> {
    let as_json = serde_json::from_str::<Value>(raw.trim()).ok();
    if let Some(Value::String(s)) = &as_json
        && raw.trim().starts_with('"')
    {
        return Ok(Value::String(s.clone()));
    }
    match old {
        Value::String(_) => Ok(Value::String(raw.to_string())),
        Value::Number(_) => match as_json {
            Some(n @ Value::Number(_)) => Ok(n),
            _ => Err("assign.type.number"),
        },
        Value::Bool(_) => match as_json {
            Some(b @ Value::Bool(_)) => Ok(b),
            _ => Err("assign.type.bool"),
        },
        Value::Null | Value::Object(_) | Value::Array(_) => {
            Ok(as_json.unwrap_or_else(|| Value::String(raw.to_string())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn data() -> Value {
        json!({"phoneNumber": "13800138000", "countryCode": "86",
               "stepInfoList": [{"timestamp": 1, "step": 100}],
               "watermark": {"appid": "wx1", "timestamp": 1700000000}, "ok": true})
    }

    #[test]
    fn values_keep_the_type_they_replace() {
        let mut d = data();
        assign(&mut d, "phoneNumber", "13900001111").unwrap();
        assign(&mut d, "stepInfoList.0.step", "30000").unwrap();
        assign(&mut d, "watermark.appid", "wx2").unwrap();
        assign(&mut d, "ok", "false").unwrap();
        assign(&mut d, "extra.deep", "{\"a\":1}").unwrap();
        assign(&mut d, "note", "plain text").unwrap();
        assign(&mut d, "quoted", "\"123\"").unwrap();
        assert_eq!(
            d,
            json!({"phoneNumber": "13900001111", "countryCode": "86",
                   "stepInfoList": [{"timestamp": 1, "step": 30000}],
                   "watermark": {"appid": "wx2", "timestamp": 1700000000}, "ok": false,
                   "extra": {"deep": {"a": 1}}, "note": "plain text", "quoted": "123"})
        );
    }

    #[test]
    fn bad_paths_and_types_are_named_and_change_nothing() {
        let d = data();
        let bad = |a: &str| {
            let (p, v) = split(a).map(|(p, v)| (p.to_string(), v.to_string()))?;
            apply_all(&d, &[("ok".into(), "false".into()), (p, v)])
        };
        assert_eq!(
            bad("stepInfoList.5.step=1"),
            Err(AssignError::Path {
                path: "stepInfoList.5.step".into()
            })
        );
        assert_eq!(
            bad("phoneNumber.x=1"),
            Err(AssignError::Path {
                path: "phoneNumber.x".into()
            })
        );
        assert_eq!(
            bad("stepInfoList.0.step=many"),
            Err(AssignError::Type {
                path: "stepInfoList.0.step".into(),
                want: "assign.type.number"
            })
        );
        assert_eq!(
            bad("=1"),
            Err(AssignError::Syntax {
                assignment: "=1".into()
            })
        );
        assert_eq!(
            bad("a..b=1"),
            Err(AssignError::Path {
                path: "a..b".into()
            })
        );
        let deep = vec!["a"; MAX_DEPTH + 1].join(".");
        assert!(matches!(
            bad(&format!("{deep}=1")),
            Err(AssignError::Path { .. })
        ));
        assert_eq!(
            AssignError::Type {
                path: "x".into(),
                want: "assign.type.number"
            }
            .message(Lang::En),
            "x holds a number: give a number"
        );
    }
}
