//! The WeRun result: a bar chart of steps (days grouped into at most [`MAX_BARS`] bars, so a
//! history of years draws as fast as a month) and a virtualised table of every day.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use serde_json::Value;

use crate::gui::memo;
use crate::gui::state::UiEnv;
use crate::gui::widgets;
use crate::present;

/// Most bars the chart draws; longer histories are grouped, several days a bar.
pub const MAX_BARS: usize = 62;

/// Room a date label under the chart needs (points); fewer labels are drawn on narrow charts.
const LABEL_WIDTH: f32 = 80.0;

/// One WeRun day.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub timestamp: i64,
    pub steps: i64,
}

/// The days of a WeRun payload, in payload order.
pub fn days(o: &serde_json::Map<String, Value>) -> Vec<Day> {
    o.get("stepInfoList")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|it| {
                    Some(Day {
                        timestamp: it.get("timestamp")?.as_i64()?,
                        steps: it.get("step")?.as_i64().unwrap_or(0),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// One bar: the mean steps a day over its days, its axis label and its hover name.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub steps: f64,
    pub label: String,
    pub name: String,
}

/// What the chart and table show, made once per payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub days: Vec<Day>,
    /// Each day's local date (`2023-11-14`).
    pub dates: Vec<String>,
    pub total: i64,
    /// Days a bar (1 up to [`MAX_BARS`] days).
    pub per_bar: usize,
    pub bars: Vec<Bar>,
}

impl Chart {
    pub fn new(days: Vec<Day>) -> Chart {
        let dates: Vec<String> = days
            .iter()
            .map(|d| present::local_date(d.timestamp).unwrap_or_default())
            .collect();
        let total = days.iter().fold(0i64, |t, d| t.saturating_add(d.steps));
        let per_bar = days.len().div_ceil(MAX_BARS).max(1);
        let short = |s: &str| s.get(5..).unwrap_or(s).to_string();
        let bars = days
            .chunks(per_bar)
            .zip(dates.chunks(per_bar))
            .map(|(group, ds)| {
                let sum: f64 = group.iter().map(|d| d.steps as f64).sum();
                let first = ds.first().map(String::as_str).unwrap_or_default();
                let last = ds.last().map(String::as_str).unwrap_or_default();
                Bar {
                    steps: sum / group.len() as f64,
                    label: if per_bar == 1 {
                        short(first)
                    } else {
                        first.to_string()
                    },
                    name: if per_bar == 1 {
                        short(first)
                    } else {
                        format!("{first} – {last}")
                    },
                }
            })
            .collect();
        Chart {
            days,
            dates,
            total,
            per_bar,
            bars,
        }
    }
}

/// The WeRun card's body.
pub fn ui(ui: &mut Ui, env: &UiEnv, plaintext: &str, o: &serde_json::Map<String, Value>) {
    let chart = memo::cached(ui.ctx(), egui::Id::unique("werun_chart"), plaintext, || {
        Chart::new(days(o))
    });
    if chart.days.is_empty() {
        ui.label(RichText::new(env.tr("result.werun.empty")).weak());
        return;
    }
    ui.label(env.lang.fmt(
        "result.werun.summary",
        &[
            ("days", &chart.days.len().to_string()),
            ("total", &chart.total.to_string()),
        ],
    ));
    if chart.per_bar > 1 {
        ui.label(
            RichText::new(env.lang.fmt(
                "result.werun.grouped",
                &[("per", &chart.per_bar.to_string())],
            ))
            .weak(),
        );
    }
    plot(ui, env, &chart);
    table(ui, env, &chart);
}

fn plot(ui: &mut Ui, env: &UiEnv, chart: &std::sync::Arc<Chart>) {
    let bars: Vec<egui_plot::Bar> = chart
        .bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            egui_plot::Bar::new(i as f64, b.steps)
                .width(0.7)
                .name(&b.name)
        })
        .collect();
    let color = widgets::ok_color(ui);
    let bar_chart = egui_plot::BarChart::new(env.tr("result.werun.steps"), bars).color(color);
    let fit = ((ui.available_width() / LABEL_WIDTH) as usize).max(2);
    let every = chart.bars.len().div_ceil(fit).max(1) as i64;
    let labels = chart.clone();
    egui_plot::Plot::new("werun_plot")
        .height(180.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .include_y(0.0)
        .show_grid([false, true])
        .x_grid_spacer(move |input| {
            // A mark every `every` bars.
            let (lo, hi) = input.bounds;
            let first = lo.ceil().max(0.0) as i64;
            let last = hi.floor() as i64;
            (first..=last.max(first))
                .filter(|b| b % every == 0)
                .map(|b| egui_plot::GridMark {
                    value: b as f64,
                    // Reported larger than one bar so egui_plot draws every label at full
                    // strength (it fades labels of small steps).
                    step_size: (every * 10) as f64,
                })
                .collect()
        })
        .x_axis_formatter(move |mark, _| {
            let v = mark.value;
            if v.fract().abs() > 1e-6 || v < 0.0 {
                return String::new();
            }
            labels
                .bars
                .get(v as usize)
                .map(|b| b.label.clone())
                .unwrap_or_default()
        })
        .show(ui, |plot| plot.add(bar_chart));
}

/// Every day, in a table that lays out only the rows on screen.
fn table(ui: &mut Ui, env: &UiEnv, chart: &Chart) {
    egui::CollapsingHeader::new(env.tr("result.werun.table"))
        .id_salt("werun_table")
        .default_open(chart.days.len() <= 7)
        .show(ui, |ui| {
            let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
            TableBuilder::new(ui)
                .id_salt("werun_rows")
                .striped(true)
                .max_scroll_height(200.0)
                .column(Column::auto().at_least(90.0))
                .column(Column::auto().at_least(70.0))
                .column(Column::remainder().at_least(90.0))
                .header(row_height, |mut h| {
                    h.col(|ui| {
                        ui.label(RichText::new(env.tr("result.werun.date")).strong());
                    });
                    h.col(|ui| {
                        ui.label(RichText::new(env.tr("result.werun.steps")).strong());
                    });
                    h.col(|ui| {
                        ui.label(RichText::new("timestamp").strong());
                    });
                })
                .body(|body| {
                    body.rows(row_height, chart.days.len(), |mut row| {
                        let i = row.index();
                        let (Some(d), Some(date)) = (chart.days.get(i), chart.dates.get(i)) else {
                            return;
                        };
                        row.col(|ui| {
                            ui.label(date.as_str());
                        });
                        row.col(|ui| {
                            ui.label(RichText::new(d.steps.to_string()).monospace());
                        });
                        row.col(|ui| {
                            ui.label(RichText::new(d.timestamp.to_string()).monospace().weak());
                        });
                    });
                });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(i: i64, steps: i64) -> Day {
        Day {
            timestamp: 1_700_000_000 + i * 86_400,
            steps,
        }
    }

    #[test]
    fn a_month_is_a_bar_a_day() {
        let c = Chart::new((0..31).map(|i| day(i, i * 100)).collect());
        assert_eq!((c.per_bar, c.bars.len(), c.total), (1, 31, 46_500));
        assert_eq!(c.bars[3].steps, 300.0);
        assert_eq!(c.bars[3].label.len(), 5, "MM-DD: {}", c.bars[3].label);
    }

    #[test]
    fn years_are_grouped_into_at_most_max_bars_of_mean_steps() {
        let c = Chart::new((0..21_500).map(|i| day(i, i % 7 * 1000)).collect());
        assert_eq!(c.per_bar, 347);
        assert_eq!(c.bars.len(), 62);
        // The first bar holds days 0..347: 49 whole weeks (mean 3000) and days 0..4.
        let want = (49.0 * 21_000.0 + 6_000.0) / 347.0;
        assert!((c.bars[0].steps - want).abs() < 1e-9, "{}", c.bars[0].steps);
        assert!(c.bars[0].name.contains(" – "), "{}", c.bars[0].name);
        assert_eq!(c.dates.len(), 21_500);
    }

    #[test]
    fn no_days_no_bars() {
        let c = Chart::new(Vec::new());
        assert!(c.bars.is_empty() && c.dates.is_empty());
    }
}
