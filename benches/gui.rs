//! CPU time per frame of the workbench, driven headless with egui_kittest (issue 8): Inspect with a
//! 1 MB field (idle frame, and a keystroke in the field), and Captures with 100,000 rows. Only
//! egui's work is measured (no GPU, no window): what the UI thread spends on a frame.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use wxdecrypt::Lang;
use wxdecrypt::capture::{ScanOptions, pair_and_inspect, read_capture};
use wxdecrypt::gui::app::Tab;
use wxdecrypt::gui::state::UiEnv;
use wxdecrypt::gui::{App, demo, fonts};

const NOW: i64 = 1_700_000_000;

fn harness(app: App) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .with_context_setup(fonts::install)
        .build_ui_state(|ui, app: &mut App| app.show(ui), app)
}

fn env() -> UiEnv {
    UiEnv {
        lang: Lang::En,
        mask: false,
        redact_on_save: false,
        now: NOW,
    }
}

/// The app on the `big` preset (1 MB of encryptedData), inspected.
fn big_app() -> Harness<'static, App> {
    let mut app = App::new_for_test(env());
    let e = app.env;
    if let Some(input) = demo::preset("big", NOW) {
        app.doc.set_input(input, &e);
    }
    let mut h = harness(app);
    let start = Instant::now();
    while h.state().doc.is_stale() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    h.run();
    h
}

/// The Captures tab with `n` rows (one payload scanned, repeated with distinct URLs).
fn captures_app(n: usize) -> Harness<'static, App> {
    let mut app = App::new_for_test(env());
    app.tab = Tab::Captures;
    let phone = demo::preset("phone", NOW).unwrap_or_default();
    let line = serde_json::json!({
        "url": "https://api.example.com/decodePhone",
        "encryptedData": phone.encrypted_data,
        "iv": phone.iv,
        "sessionKey": phone.session_key,
    })
    .to_string();
    let found = read_capture("bench.jsonl", line.as_bytes(), 0, 0, None, &mut |_, _| {});
    let mut scan = pair_and_inspect(found.into_iter().collect(), &ScanOptions::default());
    if let Some(one) = scan.items.first().cloned() {
        scan.items = (0..n)
            .map(|i| {
                let mut item = one.clone();
                item.url = Some(format!("https://api.example.com/decode/{i:06}"));
                item
            })
            .collect();
    }
    app.captures.result = Some(scan);
    let mut h = harness(app);
    h.run();
    h
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("gui_frame");
    g.sample_size(20);
    let mut h = big_app();
    g.bench_function("inspect_1mb_idle", |b| b.iter(|| h.step()));
    h.get_by_label("encryptedData").focus();
    h.run();
    g.bench_function("inspect_1mb_keystroke", |b| {
        b.iter(|| {
            h.get_by_label("encryptedData").type_text("A");
            h.step();
        })
    });
    drop(h);
    let mut h = captures_app(100_000);
    g.bench_function("captures_100k_rows", |b| b.iter(|| h.step()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
