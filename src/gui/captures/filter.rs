//! Which rows of the Captures table show, in which order: a text filter (URL, verdict, key, source),
//! a kind and an outcome filter, and a sort by any column. The row texts are made once per scan
//! and language, and the order once per change of filter or sort, so a frame of a 100,000-row
//! table only draws the rows on screen.

use crate::capture::ScanItem;
use crate::case::CaseKind;
use crate::gui::state::UiEnv;
use crate::present;

/// A column the table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Time,
    Url,
    Kind,
    Verdict,
    Key,
}

/// Decrypted, failed, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Outcome {
    #[default]
    All,
    Decrypted,
    Failed,
}

/// What the user set above the table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowFilter {
    pub text: String,
    /// `None`: every kind; `Some(None)`: not decrypted (no kind).
    pub kind: Option<Option<CaseKind>>,
    pub outcome: Outcome,
    /// Column and descending.
    pub sort: Option<(SortBy, bool)>,
}

impl RowFilter {
    /// Clicking a header: ascending, then descending, then the scan's order.
    pub fn cycle_sort(&mut self, by: SortBy) {
        self.sort = match self.sort {
            Some((b, false)) if b == by => Some((by, true)),
            Some((b, true)) if b == by => None,
            _ => Some((by, false)),
        };
    }
}

/// The texts a row shows, made once per scan and language.
#[derive(Debug, Clone)]
pub struct RowText {
    /// When the request was made, short and local (the source when the capture has no time).
    pub time: String,
    pub verdict: String,
    /// Where the key came from, in words.
    pub key: String,
    /// Lower-case URL, verdict, key and source, for the text filter.
    haystack: String,
}

/// The rows to show, in order (indices into the scan's items), and the texts they show.
#[derive(Default)]
pub struct RowView {
    /// Scan generation, language and mask the texts were made for.
    texts_for: Option<(u64, UiEnvKey)>,
    pub texts: Vec<RowText>,
    /// Filter and scan generation the order was made for.
    order_for: Option<(u64, RowFilter)>,
    pub order: Vec<usize>,
}

type UiEnvKey = (crate::i18n::Lang, bool);

impl RowView {
    /// Brings texts and order up to date with the scan (`generation` changes with each scan).
    pub fn update(&mut self, items: &[ScanItem], generation: u64, env: &UiEnv, filter: &RowFilter) {
        let env_key = (env.lang, env.mask);
        if self.texts_for != Some((generation, env_key)) || self.texts.len() != items.len() {
            self.texts = items.iter().map(|i| row_text(i, env)).collect();
            self.texts_for = Some((generation, env_key));
            self.order_for = None;
        }
        if self.order_for.as_ref() != Some(&(generation, filter.clone())) {
            self.order = order(items, &self.texts, filter);
            self.order_for = Some((generation, filter.clone()));
        }
    }
}

fn row_text(item: &ScanItem, env: &UiEnv) -> RowText {
    let verdict = present::inspected_outcome(&item.inspected, env.lang, env.mask);
    let key = present::key_words(item.key_from.as_ref(), &item.source, env.lang);
    let time = match &item.time {
        Some(t) => present::short_time(t, env.now).unwrap_or_else(|| t.clone()),
        None => item.source.to_string(),
    };
    let haystack = format!(
        "{}\n{}\n{}\n{}",
        item.url.as_deref().unwrap_or_default(),
        verdict,
        key,
        item.source
    )
    .to_lowercase();
    RowText {
        time,
        verdict,
        key,
        haystack,
    }
}

/// The indices of the rows that pass `filter`, sorted as it says (stable: ties keep the scan's
/// order).
fn order(items: &[ScanItem], texts: &[RowText], filter: &RowFilter) -> Vec<usize> {
    let needle = filter.text.trim().to_lowercase();
    let mut rows: Vec<usize> = items
        .iter()
        .zip(texts)
        .enumerate()
        .filter(|(_, (item, text))| {
            let outcome = match filter.outcome {
                Outcome::All => true,
                Outcome::Decrypted => item.inspected.ok(),
                Outcome::Failed => !item.inspected.ok(),
            };
            outcome
                && filter.kind.is_none_or(|k| item.inspected.kind() == k)
                && (needle.is_empty() || text.haystack.contains(&needle))
        })
        .map(|(i, _)| i)
        .collect();
    if let Some((by, desc)) = filter.sort {
        let item = |i: usize| items.get(i);
        let text = |i: usize| texts.get(i);
        rows.sort_by(|&a, &b| {
            let ord = match by {
                SortBy::Time => item(a)
                    .and_then(|x| x.time.as_deref())
                    .cmp(&item(b).and_then(|x| x.time.as_deref())),
                SortBy::Url => item(a)
                    .and_then(|x| x.url.as_deref())
                    .cmp(&item(b).and_then(|x| x.url.as_deref())),
                SortBy::Kind => item(a)
                    .and_then(|x| x.inspected.kind().map(CaseKind::as_str))
                    .cmp(&item(b).and_then(|x| x.inspected.kind().map(CaseKind::as_str))),
                SortBy::Verdict => text(a)
                    .map(|t| &t.verdict)
                    .cmp(&text(b).map(|t| &t.verdict)),
                SortBy::Key => text(a).map(|t| &t.key).cmp(&text(b).map(|t| &t.key)),
            };
            if desc { ord.reverse() } else { ord }
        });
    }
    rows
}
