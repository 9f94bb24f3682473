//! The bytes view: ciphertext and decrypted bytes as 16-byte rows (one AES block per row), hex and
//! ASCII, with noise blocks, padding and the iv-affected first block marked. Rows are virtualised
//! (`ScrollArea::show_rows`), so a megabyte of data stays smooth.

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, RichText, Ui};

use crate::finding::{Code, Severity};
use crate::gui::state::UiEnv;
use crate::gui::widgets;
use crate::opendata::Report;
use crate::opendata::cipher::{BLOCK, Padding};
use crate::opendata::interpret::Kind;

/// Which buffer the bytes view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Buffer {
    #[default]
    Decrypted,
    Ciphertext,
}

/// State of the bytes view.
#[derive(Debug, Clone, Default)]
pub struct BytesState {
    pub buffer: Buffer,
}

/// What the user asked for in the bytes view.
#[derive(Debug, Clone, PartialEq)]
pub enum BytesAction {
    UseIv(String),
}

/// How one byte is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ByteMark {
    Plain,
    PadOk,
    PadBad,
}

/// Draws the view; returns an action when a button was pressed.
pub fn ui(
    ui: &mut Ui,
    env: &UiEnv,
    report: &Report,
    state: &mut BytesState,
) -> Option<BytesAction> {
    let d = &report.detail;
    let mut action = None;
    if d.ciphertext.is_empty() && d.decrypted.is_empty() {
        ui.label(RichText::new(env.tr("bytes.none")).weak());
        return None;
    }
    ui.horizontal(|ui| {
        ui.selectable_value(
            &mut state.buffer,
            Buffer::Decrypted,
            env.tr("bytes.decrypted"),
        );
        ui.selectable_value(
            &mut state.buffer,
            Buffer::Ciphertext,
            env.tr("bytes.ciphertext"),
        );
    });
    let iv_mismatch = report.has(Code::IvMismatch);
    if iv_mismatch {
        ui.horizontal_wrapped(|ui| {
            widgets::severity_mark(ui, Severity::Error);
            ui.label(env.tr("bytes.iv_block"));
            if let Some(iv) = &report.suggested_iv {
                ui.label(RichText::new(iv).monospace().strong());
                if ui.button(env.tr("bytes.use_iv")).clicked() {
                    action = Some(BytesAction::UseIv(iv.clone()));
                }
            }
        });
    }
    let (bytes, is_plain) = match state.buffer {
        Buffer::Decrypted => (&d.decrypted, true),
        Buffer::Ciphertext => (&d.ciphertext, false),
    };
    let pad = match (is_plain, d.padding) {
        (true, Some(Padding::Valid { len })) => Some((bytes.len().saturating_sub(len), true)),
        (true, Some(Padding::Invalid { start, .. })) => Some((start, false)),
        _ => None,
    };
    legend(ui, env, is_plain);
    let mask = env.mask && report.kind == Some(Kind::PhoneNumber) && is_plain;
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let row_h = ui.text_style_height(&egui::TextStyle::Monospace);
    let rows = bytes.len().div_ceil(BLOCK);
    let dark = ui.visuals().dark_mode;
    let text = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    egui::ScrollArea::both()
        .id_salt(("bytes", is_plain))
        .max_height(300.0)
        .min_scrolled_height((rows as f32 * (row_h + ui.spacing().item_spacing.y)).min(300.0))
        .auto_shrink([false, true])
        .show_rows(ui, row_h, rows, |ui, range| {
            for row in range {
                let start = row * BLOCK;
                let chunk = bytes
                    .get(start..(start + BLOCK).min(bytes.len()))
                    .unwrap_or(&[]);
                let noise = is_plain && d.text_blocks.get(row) == Some(&false);
                let iv_row = is_plain && iv_mismatch && row == 0;
                let marks: Vec<ByteMark> = (0..chunk.len())
                    .map(|i| match pad {
                        Some((p, ok)) if start + i >= p => {
                            if ok {
                                ByteMark::PadOk
                            } else {
                                ByteMark::PadBad
                            }
                        }
                        _ => ByteMark::Plain,
                    })
                    .collect();
                let colors = RowColors { dark, text, weak };
                let job = row_job(
                    row, start, chunk, &marks, noise, iv_row, mask, &font, colors,
                );
                let r = ui.add(egui::Label::new(job).extend());
                if noise {
                    r.on_hover_text(env.tr("bytes.noise.tip"));
                } else if iv_row {
                    r.on_hover_text(env.tr("bytes.iv_block"));
                }
            }
        });
    action
}

fn legend(ui: &mut Ui, env: &UiEnv, is_plain: bool) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(env.tr("bytes.legend")).weak());
        if is_plain {
            let dark = ui.visuals().dark_mode;
            for (key, color) in [
                ("bytes.legend.pad_ok", pad_color(dark, true)),
                ("bytes.legend.pad_bad", pad_color(dark, false)),
                (
                    "bytes.legend.noise",
                    widgets::severity_color(ui, Severity::Error),
                ),
            ] {
                ui.label(RichText::new(format!("■ {}", env.tr(key))).color(color));
            }
        }
    });
}

fn pad_color(dark: bool, ok: bool) -> Color32 {
    match (ok, dark) {
        (true, true) => Color32::from_rgb(90, 220, 120),
        (true, false) => Color32::from_rgb(10, 140, 50),
        (false, true) => Color32::from_rgb(255, 110, 100),
        (false, false) => Color32::from_rgb(200, 30, 30),
    }
}

#[derive(Clone, Copy)]
struct RowColors {
    dark: bool,
    text: Color32,
    weak: Color32,
}

#[allow(clippy::too_many_arguments)]
fn row_job(
    row: usize,
    start: usize,
    chunk: &[u8],
    marks: &[ByteMark],
    noise: bool,
    iv_row: bool,
    mask: bool,
    font: &FontId,
    c: RowColors,
) -> LayoutJob {
    let mut job = LayoutJob::default();
    let fmt = |color: Color32, bg: Color32| TextFormat {
        font_id: font.clone(),
        color,
        background: bg,
        ..Default::default()
    };
    let row_bg = if noise {
        widgets::severity_bg(c.dark, Severity::Error)
    } else if iv_row {
        widgets::severity_bg(c.dark, Severity::Warning)
    } else {
        Color32::TRANSPARENT
    };
    let tag = if iv_row {
        "iv?"
    } else if noise {
        "~~~"
    } else {
        "   "
    };
    job.append(
        &format!("{row:>5} {tag} {start:08x}  "),
        0.0,
        fmt(c.weak, Color32::TRANSPARENT),
    );
    let byte_color = |m: ByteMark| match m {
        ByteMark::Plain => c.text,
        ByteMark::PadOk => pad_color(c.dark, true),
        ByteMark::PadBad => pad_color(c.dark, false),
    };
    let hidden = |b: u8| mask && b.is_ascii_digit();
    for i in 0..BLOCK {
        let sep = if i == 7 { "  " } else { " " };
        match (chunk.get(i), marks.get(i)) {
            (Some(&b), Some(&m)) => {
                let hex = if hidden(b) {
                    "••".to_string()
                } else {
                    format!("{b:02x}")
                };
                job.append(&hex, 0.0, fmt(byte_color(m), row_bg));
                job.append(sep, 0.0, fmt(c.text, Color32::TRANSPARENT));
            }
            _ => job.append(&format!("  {sep}"), 0.0, fmt(c.text, Color32::TRANSPARENT)),
        }
    }
    job.append(" |", 0.0, fmt(c.weak, Color32::TRANSPARENT));
    for (i, &b) in chunk.iter().enumerate() {
        let ch = if hidden(b) {
            '•'
        } else if b.is_ascii_graphic() || b == b' ' {
            b as char
        } else {
            '.'
        };
        let m = marks.get(i).copied().unwrap_or(ByteMark::Plain);
        job.append(&ch.to_string(), 0.0, fmt(byte_color(m), row_bg));
    }
    job.append("|", 0.0, fmt(c.weak, Color32::TRANSPARENT));
    job.wrap.max_width = f32::INFINITY;
    job
}
