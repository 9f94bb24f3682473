//! In-place highlights for the input fields: finding and repair spans (char offsets in the field as
//! pasted) become coloured backgrounds in a [`LayoutJob`] used as a `TextEdit` layouter.

use std::hash::Hash;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId};

use crate::finding::{Field, Finding, Repair, Severity, Span};
use crate::gui::widgets::severity_bg;
use crate::opendata::Report;

/// One highlighted range of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mark {
    pub span: Span,
    pub severity: Severity,
}

/// The ranges of `field` that findings and repairs point at.
pub fn field_marks(report: &Report, field: Field) -> Vec<Mark> {
    marks(&report.findings, &report.repairs, field)
}

/// The ranges of `field` that these findings and repairs point at (any inspector's report).
pub fn marks(findings: &[Finding], repairs: &[Repair], field: Field) -> Vec<Mark> {
    let mut marks: Vec<Mark> = findings
        .iter()
        .filter(|f| f.field == field)
        .filter_map(|f| {
            f.span.map(|span| Mark {
                span,
                severity: f.severity,
            })
        })
        .collect();
    for r in repairs.iter().filter(|r| r.field == field) {
        for span in &r.spans {
            marks.push(Mark {
                span: *span,
                severity: r.code.severity(),
            });
        }
    }
    // Zero-width spans (e.g. "ends here") mark the character before them.
    for m in &mut marks {
        if m.span[0] == m.span[1] {
            m.span[0] = m.span[0].saturating_sub(1);
        }
    }
    marks
}

/// How a field is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Hash)]
pub struct Style<'a> {
    pub font: &'a FontId,
    pub color: Color32,
    pub dark: bool,
    /// Show every character as a bullet (same count, so the cursor still lines up).
    pub mask: bool,
}

/// Builds the highlighted layout of a field's text.
pub fn layout_job(text: &str, marks: &[Mark], style: Style<'_>) -> LayoutJob {
    let mut job = LayoutJob::default();
    let fmt = |sev: Option<Severity>| TextFormat {
        font_id: style.font.clone(),
        color: style.color,
        background: sev.map_or(Color32::TRANSPARENT, |s| severity_bg(style.dark, s)),
        ..Default::default()
    };
    let class_at = |i: usize| {
        marks
            .iter()
            .filter(|m| m.span[0] <= i && i < m.span[1])
            .map(|m| m.severity)
            .max()
    };
    let mut run = String::new();
    let mut run_class: Option<Severity> = None;
    for (i, c) in text.chars().enumerate() {
        let class = if marks.is_empty() { None } else { class_at(i) };
        if class != run_class && !run.is_empty() {
            job.append(&std::mem::take(&mut run), 0.0, fmt(run_class));
        }
        run_class = class;
        let shown = if style.mask && !c.is_whitespace() {
            '•'
        } else if c == '\t' || (c.is_whitespace() && c != '\n' && c != ' ') {
            // Make invisible whitespace visible where it is highlighted.
            if class.is_some() { '·' } else { c }
        } else {
            c
        };
        run.push(shown);
    }
    if !run.is_empty() {
        job.append(&run, 0.0, fmt(run_class));
    }
    job
}

/// Frame cache of highlighted layouts (the layouter runs every frame; the text rarely changes).
#[derive(Default)]
pub struct Highlighter;

type Key<'a> = (&'a str, &'a [Mark], Style<'a>);

impl egui::cache::ComputerMut<Key<'_>, LayoutJob> for Highlighter {
    fn compute(&mut self, (text, marks, style): Key<'_>) -> LayoutJob {
        layout_job(text, marks, style)
    }
}

type Cache = egui::cache::FrameCache<LayoutJob, Highlighter>;

/// The cached layout job of a field.
pub fn cached_job(ctx: &egui::Context, text: &str, marks: &[Mark], style: Style<'_>) -> LayoutJob {
    ctx.memory_mut(|m| m.caches.cache::<Cache>().get((text, marks, style)).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_follow_marks_in_chars() {
        let font = FontId::monospace(12.0);
        let style = Style {
            font: &font,
            color: Color32::WHITE,
            dark: true,
            mask: false,
        };
        let marks = [Mark {
            span: [1, 3],
            severity: Severity::Error,
        }];
        let job = layout_job("é12x", &marks, style);
        assert_eq!(job.text, "é12x");
        assert_eq!(job.sections.len(), 3);
        let r = &job.sections[1].byte_range;
        assert_eq!(&job.text[r.start.0..r.end.0], "12");
    }

    #[test]
    fn mask_keeps_char_count() {
        let font = FontId::monospace(12.0);
        let style = Style {
            font: &font,
            color: Color32::WHITE,
            dark: false,
            mask: true,
        };
        let job = layout_job("ab c", &[], style);
        assert_eq!(job.text, "•• •");
    }
}
