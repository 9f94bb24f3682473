//! JSON display: a syntax-coloured pretty view (a small tokenizer into a [`LayoutJob`]) and a
//! collapsible tree for payloads of unknown shape.

use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, RichText, Ui};
use serde_json::Value;

use crate::gui::big_text;
use crate::gui::memo;
use crate::gui::state::UiEnv;
use crate::gui::widgets;
use crate::privacy;

/// Token classes of JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Key,
    Str,
    Num,
    Lit,
    Punct,
    Space,
}

/// Splits JSON text into classified byte ranges (never fails: unknown bytes are punctuation).
pub fn tokenize(text: &str) -> Vec<(Tok, std::ops::Range<usize>)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let tok = match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                // A string followed by ':' is a key.
                let rest = &b[i..];
                let next = rest.iter().find(|c| !c.is_ascii_whitespace());
                if next == Some(&b':') {
                    Tok::Key
                } else {
                    Tok::Str
                }
            }
            b'-' | b'0'..=b'9' => {
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                Tok::Num
            }
            b't' | b'f' | b'n' => {
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                Tok::Lit
            }
            c if c.is_ascii_whitespace() => {
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                Tok::Space
            }
            _ => {
                // One char (may be multi-byte in broken input).
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                Tok::Punct
            }
        };
        // Keep ranges on char boundaries even for malformed input.
        while i < b.len() && !text.is_char_boundary(i) {
            i += 1;
        }
        out.push((tok, start..i));
    }
    out
}

fn tok_color(dark: bool, t: Tok, text: Color32) -> Color32 {
    match (t, dark) {
        (Tok::Key, true) => Color32::from_rgb(130, 190, 255),
        (Tok::Key, false) => Color32::from_rgb(20, 80, 170),
        (Tok::Str, true) => Color32::from_rgb(160, 220, 140),
        (Tok::Str, false) => Color32::from_rgb(30, 120, 40),
        (Tok::Num, true) => Color32::from_rgb(240, 170, 110),
        (Tok::Num, false) => Color32::from_rgb(170, 80, 0),
        (Tok::Lit, true) => Color32::from_rgb(210, 150, 240),
        (Tok::Lit, false) => Color32::from_rgb(130, 40, 160),
        (Tok::Punct | Tok::Space, _) => text,
    }
}

/// The value as shown: phone numbers and keys masked when masking is on.
pub fn shown_value(env: &UiEnv, v: &Value) -> Value {
    let mut shown = v.clone();
    if env.mask {
        privacy::mask_value(&mut shown);
    }
    shown
}

/// The raw view: pretty, coloured, scrollable, with a copy button for the text as decrypted.
pub fn raw_view(ui: &mut Ui, env: &UiEnv, value: Option<&Value>, plaintext: &str) {
    let pretty = pretty_cached(ui.ctx(), env, value, plaintext);
    ui.horizontal(|ui| {
        widgets::copy_button(ui, env, &pretty.text).on_hover_text(env.tr("result.copy_json.tip"));
        ui.label(
            RichText::new(env.lang.fmt(
                "result.raw_size",
                &[("bytes", &plaintext.len().to_string())],
            ))
            .weak(),
        );
    });
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let (dark, base) = (ui.visuals().dark_mode, ui.visuals().text_color());
    if big_text::is_big(&pretty.text) {
        // Only the rows on screen are laid out.
        let id = ui.make_persistent_id("raw_json_big");
        big_text::view(ui, id, &pretty.text, &font, 320.0, |range| {
            pretty.job(range, &font, dark, base)
        });
        return;
    }
    let job = pretty.job(0..pretty.text.len(), &font, dark, base);
    egui::ScrollArea::both()
        .id_salt("raw_json")
        .max_height(320.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.add(egui::Label::new(job).selectable(true).extend());
        });
}

/// The text the raw view shows (pretty when the plaintext is JSON, masked when masking is on)
/// and its tokens: made once per plaintext, not every frame.
pub struct Pretty {
    pub text: String,
    tokens: Vec<(Tok, std::ops::Range<usize>)>,
}

impl Pretty {
    fn new(env: &UiEnv, value: Option<&Value>, plaintext: &str) -> Pretty {
        let text = match value {
            Some(v) => serde_json::to_string_pretty(&shown_value(env, v)).unwrap_or_default(),
            None if env.mask => privacy::mask_phone(plaintext),
            None => plaintext.to_string(),
        };
        let tokens = tokenize(&text);
        Pretty { text, tokens }
    }

    /// The coloured layout of the bytes `range` of the text.
    pub fn job(
        &self,
        range: std::ops::Range<usize>,
        font: &FontId,
        dark: bool,
        base: Color32,
    ) -> LayoutJob {
        let mut job = LayoutJob::default();
        let first = self.tokens.partition_point(|(_, r)| r.end <= range.start);
        for (tok, r) in self.tokens.iter().skip(first) {
            if r.start >= range.end {
                break;
            }
            let part = r.start.max(range.start)..r.end.min(range.end);
            if let Some(s) = self.text.get(part) {
                job.append(
                    s,
                    0.0,
                    TextFormat {
                        font_id: font.clone(),
                        color: tok_color(dark, *tok, base),
                        ..Default::default()
                    },
                );
            }
        }
        job.wrap.max_width = f32::INFINITY;
        job
    }
}

/// The raw view's [`Pretty`], remade only when the plaintext or masking changes.
fn pretty_cached(
    ctx: &egui::Context,
    env: &UiEnv,
    value: Option<&Value>,
    plaintext: &str,
) -> Arc<Pretty> {
    memo::cached(
        ctx,
        egui::Id::unique("raw_json_pretty"),
        (plaintext, env.mask, value.is_some()),
        || Pretty::new(env, value, plaintext),
    )
}

/// Containers with more children than this show them in collapsed groups (`[0 … 99]`), groups of
/// groups beyond that: a huge array costs what its open groups cost, and every item stays reachable.
pub const GROUP: usize = 100;

/// A collapsible tree of any JSON value; `key` identifies the value (its plaintext), so the masked
/// copy is made once.
pub fn tree(ui: &mut Ui, env: &UiEnv, key: &str, name: &str, v: &Value) {
    let slot = egui::Id::unique("json_tree_shown");
    let shown = memo::cached(ui.ctx(), slot, (key, env.mask), || shown_value(env, v));
    tree_inner(ui, name, &shown, 0, ui.scope_id().with(name));
}

/// A child's name in its container.
#[derive(Debug, Clone, Copy, Hash)]
enum Name<'a> {
    Key(&'a str),
    Index(usize),
}

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Name::Key(k) => f.write_str(k),
            Name::Index(i) => write!(f, "{i}"),
        }
    }
}

fn tree_inner(ui: &mut Ui, name: &str, v: &Value, depth: usize, id: egui::Id) {
    let title = match v {
        Value::Object(map) => format!("{name} {{{}}}", map.len()),
        Value::Array(items) => format!("{name} [{}]", items.len()),
        leaf => {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("{name}:")).strong());
                let text = match leaf {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                ui.add(egui::Label::new(RichText::new(text).monospace()).selectable(true));
            });
            return;
        }
    };
    egui::CollapsingHeader::new(title)
        .id_salt(id)
        .default_open(depth < 2)
        .show(ui, |ui| {
            // Listed only while the header is open.
            let entries: Vec<(Name, &Value)> = match v {
                Value::Object(map) => map.iter().map(|(k, v)| (Name::Key(k), v)).collect(),
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (Name::Index(i), v))
                    .collect(),
                _ => Vec::new(),
            };
            group(ui, &entries, 0, depth, id)
        });
}

/// The children `entries` (the first at `offset` in its container): each, or in groups.
fn group(ui: &mut Ui, entries: &[(Name, &Value)], offset: usize, depth: usize, id: egui::Id) {
    let Some(span) = group_span(entries.len()) else {
        for (name, v) in entries {
            tree_inner(ui, &name.to_string(), v, depth + 1, id.with(name));
        }
        return;
    };
    for (g, chunk) in entries.chunks(span).enumerate() {
        let lo = offset + g * span;
        let hi = lo + chunk.len().saturating_sub(1);
        egui::CollapsingHeader::new(format!("[{lo} … {hi}]"))
            .id_salt(id.with(("group", lo, hi)))
            .default_open(false)
            .show(ui, |ui| group(ui, chunk, lo, depth, id));
    }
}

/// Children a group holds when `n` children are too many to list: the least power of [`GROUP`]
/// that makes at most [`GROUP`] groups; `None` when they are listed one by one.
fn group_span(n: usize) -> Option<usize> {
    if n <= GROUP {
        return None;
    }
    let mut span = GROUP;
    while n.div_ceil(span) > GROUP {
        span = span.saturating_mul(GROUP);
    }
    Some(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_containers_are_grouped_and_every_child_is_reachable() {
        assert_eq!(group_span(0), None);
        assert_eq!(group_span(GROUP), None);
        assert_eq!(group_span(GROUP + 1), Some(GROUP));
        assert_eq!(group_span(GROUP * GROUP), Some(GROUP));
        assert_eq!(group_span(GROUP * GROUP + 1), Some(GROUP * GROUP));
        assert_eq!(group_span(21_500), Some(GROUP * GROUP));
    }

    #[test]
    fn keys_strings_numbers() {
        let t = r#"{"a": "x\"y", "n": -1.5e3, "b": true}"#;
        let toks: Vec<(Tok, &str)> = tokenize(t)
            .into_iter()
            .filter(|(k, _)| *k != Tok::Space)
            .map(|(k, r)| (k, &t[r]))
            .collect();
        assert!(toks.contains(&(Tok::Key, "\"a\"")));
        assert!(toks.contains(&(Tok::Str, r#""x\"y""#)));
        assert!(toks.contains(&(Tok::Num, "-1.5e3")));
        assert!(toks.contains(&(Tok::Lit, "true")));
    }

    #[test]
    fn broken_input_keeps_char_boundaries() {
        let t = "{\"é";
        let total: usize = tokenize(t).iter().map(|(_, r)| r.len()).sum();
        assert_eq!(total, t.len());
    }
}
