//! The text a proxy shows for each side of an exchange (its content view): for the request, each
//! payload's human report and where its key came from; for the response, the session keys it
//! handed out (masked), WeChat's error answers and anything encrypted it carries. Written here,
//! from the catalogues, so every proxy extension shows the same words in the user's language.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::capture::live::{LearnedKey, Side};
use crate::capture::{ScanItem, ServerAnswer};
use crate::i18n::Lang;
use crate::present;

/// `{"request": text, "response": text, "nothing": text}`: a side with nothing found is an empty
/// text, and `nothing` is what to show for it when the view is asked for anyway.
/// `texts` are the items' human texts, in order.
pub(super) fn views(
    items: &[(Side, ScanItem)],
    texts: &[String],
    keys: &[LearnedKey],
    answers: &[ServerAnswer],
    lang: Lang,
) -> Value {
    json!({
        "request": side_text(Side::Request, items, texts, keys, &[], lang),
        "response": side_text(Side::Response, items, texts, keys, answers, lang),
        "nothing": lang.tr("api.view.nothing"),
    })
}

fn side_text(
    side: Side,
    items: &[(Side, ScanItem)],
    texts: &[String],
    keys: &[LearnedKey],
    answers: &[ServerAnswer],
    lang: Lang,
) -> String {
    let mut blocks: Vec<String> = Vec::new();
    for k in keys.iter().filter(|k| k.side == side) {
        let state = if k.new {
            "api.view.key_new"
        } else {
            "api.view.key_known"
        };
        let openid = k.openid.as_deref().unwrap_or("—");
        blocks.push(lang.fmt(
            "api.view.key",
            &[
                ("key", &k.masked),
                ("openid", openid),
                ("state", lang.tr(state)),
            ],
        ));
    }
    for a in answers {
        let f = a.error.finding(lang);
        let mut o = String::new();
        let _ = writeln!(o, "✘ {} ({})", lang.tr(f.code.title_key()), f.code.as_str());
        let _ = writeln!(o, "  {}", f.message);
        let _ = write!(o, "  {}: {}", lang.tr("cli.hint"), f.hint);
        blocks.push(o);
    }
    for ((_, item), text) in items.iter().zip(texts).filter(|((s, _), _)| *s == side) {
        let mut o = text.clone();
        let _ = write!(
            o,
            "\n{}: {}",
            lang.tr("api.view.key_from"),
            present::key_words(item.key_from.as_ref(), &item.source, lang)
        );
        blocks.push(o.trim_end().to_string());
    }
    blocks.join("\n\n────────\n\n")
}
