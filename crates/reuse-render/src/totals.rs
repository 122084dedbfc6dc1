//! Overhead totals: per metric a row, per protocol a column with the number
//! and a bar scaled to the largest value in the row; then the page-load time
//! saved against HTTP/1.0.

use std::fmt::Write as _;

use reuse_sim::result::TOTAL_METRICS;
use reuse_sim::{Protocol, Scenario, SimOutput};

use crate::layout::{ellipsize, format_count, format_ms};
use crate::svg::{self, escape, num};
use crate::{RenderOptions, PAD};

const TITLE_Y: f64 = 22.0;
const HEADER_Y: f64 = 70.0;
const ROWS_TOP: f64 = 86.0;
const ROW_H: f64 = 42.0;
const MIN_LABEL_W: f64 = 150.0;
/// Average advance of a 10 px help character.
const HELP_CHAR_PX: f64 = 5.7;
const SAVING_HELP: &str = "page-load time saved against HTTP/1.0";
const BAR_H: f64 = 10.0;

/// The class that colours a protocol's header and bars (the app's colours).
fn protocol_class(p: Protocol) -> &'static str {
    match p {
        Protocol::Http10 => "p-http10",
        Protocol::Http11 => "p-http11",
        Protocol::H2 => "p-h2",
        Protocol::H3 => "p-h3",
    }
}

fn format_value(value: f64, ms: bool) -> String {
    if ms {
        format_ms(value)
    } else {
        format_count(value.round().max(0.0) as u64)
    }
}

fn help_width(help: &str) -> f64 {
    help.chars().count() as f64 * HELP_CHAR_PX
}

/// The saving against HTTP/1.0 in words, by magnitude: "450 ms faster (38 %)".
fn saving_words(baseline_ms: f64, page_load_ms: f64) -> String {
    let saved = baseline_ms - page_load_ms;
    let pct = if baseline_ms > 0.0 { saved.abs() / baseline_ms * 100.0 } else { 0.0 };
    if saved >= 0.0 {
        format!("{} faster ({pct:.0} %)", format_ms(saved))
    } else {
        format!("{} slower ({pct:.0} %)", format_ms(-saved))
    }
}

/// The overhead totals of each run (one column per run, in the order
/// given), each a number with a bar; the saving in page-load time against
/// HTTP/1.0 when an HTTP/1.0 run is among them. Values are the results'
/// own; bars are scaled to the largest value in their row.
pub fn totals_svg_with(scenario: &Scenario, outputs: &[SimOutput], options: &RenderOptions) -> String {
    let width = options.width();
    // The names column fits the longest help line where the width allows.
    let longest_help =
        TOTAL_METRICS.iter().map(|m| help_width(m.help)).fold(help_width(SAVING_HELP), f64::max);
    let label_w = (longest_help + 20.0).clamp(MIN_LABEL_W, width * 0.38);
    let help_chars = ((label_w - 14.0) / HELP_CHAR_PX) as usize;
    let columns = outputs.len().max(1) as f64;
    let col_w = (width - 2.0 * PAD - label_w) / columns;
    let bar_room = (col_w - 16.0).max(8.0);
    let col_x = |i: usize| PAD + label_w + i as f64 * col_w;
    let baseline =
        outputs.iter().find(|o| o.result.protocol == Protocol::Http10).map(|o| o.result.page_load_ms);
    let rows = TOTAL_METRICS.len() + usize::from(baseline.is_some());

    let mut body = String::new();
    // Row names and stripes, shared by every column.
    body.push_str("<g class=\"metric-labels\">\n");
    for row in 0..rows {
        let top = ROWS_TOP + row as f64 * ROW_H;
        if row % 2 == 0 {
            svg::rect(&mut body, "row-bg", PAD, top, width - 2.0 * PAD, ROW_H, None);
        }
        let (label, help) = match TOTAL_METRICS.get(row) {
            Some(m) => (m.label, m.help),
            None => ("Saving vs HTTP/1.0", SAVING_HELP),
        };
        svg::text(&mut body, "metric", PAD + 6.0, top + 14.0, "start", label);
        svg::text(&mut body, "metric-help", PAD + 6.0, top + 29.0, "start", &ellipsize(help, help_chars));
    }
    body.push_str("</g>\n");

    let maxima: Vec<f64> = TOTAL_METRICS
        .iter()
        .map(|m| outputs.iter().map(|o| (m.value)(&o.result)).fold(0.0, f64::max))
        .collect();
    let max_saving = baseline
        .map(|b| outputs.iter().map(|o| b - o.result.page_load_ms).fold(0.0, f64::max))
        .unwrap_or(0.0);
    for (i, output) in outputs.iter().enumerate() {
        let run = &output.result;
        let p = run.protocol;
        let class = protocol_class(p);
        let x = col_x(i) + 8.0;
        let _ = writeln!(body, "<g class=\"protocol-totals\" data-protocol=\"{}\">", p.as_str());
        let _ = writeln!(
            body,
            "<text class=\"metric {class}\" x=\"{}\" y=\"{}\" text-anchor=\"start\">{}</text>",
            num(x),
            num(HEADER_Y + 4.0),
            escape(p.label())
        );
        for (row, (m, &max)) in TOTAL_METRICS.iter().zip(&maxima).enumerate() {
            let value = (m.value)(run);
            let share = if max > 0.0 { value / max } else { 0.0 };
            cell(
                &mut body,
                Cell { key: m.key, value, text: &format_value(value, m.ms), share, class, x, row, bar_room },
            );
        }
        if let Some(b) = baseline {
            let row = TOTAL_METRICS.len();
            let saved = b - run.page_load_ms;
            if p == Protocol::Http10 {
                cell(
                    &mut body,
                    Cell {
                        key: "saving_ms",
                        value: 0.0,
                        text: "baseline",
                        share: 0.0,
                        class,
                        x,
                        row,
                        bar_room,
                    },
                );
            } else {
                let share = if max_saving > 0.0 { saved.max(0.0) / max_saving } else { 0.0 };
                let text = saving_words(b, run.page_load_ms);
                cell(
                    &mut body,
                    Cell { key: "saving_ms", value: saved, text: &text, share, class, x, row, bar_room },
                );
            }
        }
        body.push_str("</g>\n");
    }
    let mut bottom = ROWS_TOP + rows as f64 * ROW_H;
    if outputs.is_empty() {
        svg::text(&mut body, "note", PAD, bottom + 14.0, "start", "No runs to draw.");
        bottom += 24.0;
    } else if baseline.is_none() {
        let note = "No HTTP/1.0 run among these, so no saving against it.";
        svg::text(&mut body, "note", PAD, bottom + 14.0, "start", note);
        bottom += 24.0;
    }
    let height = bottom + PAD;

    let title = format!("Overhead totals: {}", scenario.name);
    let mut out = String::new();
    svg::open(&mut out, width, height, &title, "totals");
    // The visible title fits the width; the document's <title> keeps it whole.
    let shown_title = ellipsize(&title, ((width - 2.0 * PAD) / 8.2) as usize);
    svg::text(&mut out, "title", PAD, TITLE_Y - 4.0, "start", &shown_title);
    let subtitle =
        "Per page load, from each run's results; bars are scaled to the largest value in their row.";
    svg::text(&mut out, "subtitle", PAD, TITLE_Y + 14.0, "start", subtitle);
    out.push_str(&body);
    svg::close(&mut out);
    out
}

/// One number with its bar.
struct Cell<'a> {
    key: &'a str,
    value: f64,
    text: &'a str,
    /// Bar length as a share of the room, 0 to 1.
    share: f64,
    class: &'a str,
    x: f64,
    row: usize,
    bar_room: f64,
}

fn cell(out: &mut String, c: Cell<'_>) {
    let top = ROWS_TOP + c.row as f64 * ROW_H;
    let _ = writeln!(
        out,
        "<g class=\"total\" data-metric=\"{}\" data-value=\"{}\">",
        escape(c.key),
        // Rust's shortest round-trip form: parses back to the same f64.
        c.value
    );
    let _ = writeln!(
        out,
        "<text class=\"value\" x=\"{}\" y=\"{}\" text-anchor=\"start\">{}</text>",
        num(c.x),
        num(top + 13.0 + 4.0),
        escape(c.text)
    );
    if c.text != "baseline" {
        svg::rect(out, "bar-track", c.x, top + 24.0, c.bar_room, BAR_H, None);
        let w = (c.share.clamp(0.0, 1.0) * c.bar_room).max(if c.share > 0.0 { 1.0 } else { 0.0 });
        if w > 0.0 {
            svg::rect(out, c.class, c.x, top + 24.0, w, BAR_H, None);
        }
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn savings_read_by_magnitude_either_way() {
        assert_eq!(saving_words(1000.0, 600.0), "400 ms faster (40 %)");
        assert_eq!(saving_words(1000.0, 1100.0), "100 ms slower (10 %)");
        assert_eq!(saving_words(0.0, 0.0), "0 ms faster (0 %)");
    }

    #[test]
    fn counts_get_thin_space_thousands() {
        assert_eq!(format_value(27410.0, false), "27\u{202f}410");
        assert_eq!(format_value(12.0, false), "12");
        assert_eq!(format_value(1500.0, true), "1.5 s");
    }
}
