//! The request waterfall: one row per request, in scenario order, with
//! DevTools' Timing phases and colours.

use std::fmt::Write as _;

use reuse_sim::holds::{hold_spans, Hold, HoldSpan};
use reuse_sim::{Scenario, SimOutput};

use crate::layout::{ellipsize, format_ms, text_width, TimeAxis};
use crate::svg::{self, escape};
use crate::{RenderOptions, PAD};

const TITLE_Y: f64 = 22.0;
const AXIS_Y: f64 = 66.0;
const ROW_H: f64 = 18.0;
const ROW_GAP: f64 = 2.0;
const LABEL_W: f64 = 200.0;

/// One run's requests as a waterfall.
pub fn waterfall_svg_with(scenario: &Scenario, output: &SimOutput, options: &RenderOptions) -> String {
    let width = options.width();
    let run = &output.result;
    let x0 = PAD + LABEL_W;
    // Room on the right for the end time of the longest bar.
    let x1 = width - PAD - 56.0;
    let last_end = run.requests.iter().map(|r| r.end_ms).fold(run.page_load_ms, f64::max);
    let axis = TimeAxis::linear(0.0, last_end.max(1.0) * 1.02, x0, x1);
    let x = |t: f64| axis.x(t);

    let mut body = String::new();
    // Durations go over the page-load line, so they stay readable.
    let mut labels = String::new();
    let mut y = AXIS_Y + 8.0;
    // Held-back time (the engine's spans, which its results sum), drawn over
    // the waiting and download bars it lies within.
    let holds = hold_spans(&output.trace, run.requests.len());
    let _ = writeln!(
        body,
        "<g class=\"waterfall\" data-protocol=\"{}\" data-requests=\"{}\">",
        run.protocol.as_str(),
        run.requests.len()
    );
    for (i, r) in run.requests.iter().enumerate() {
        let mid = y + ROW_H / 2.0;
        let _ = writeln!(
            body,
            "<g class=\"request-row\" data-request=\"{}\" data-conn=\"{}\">",
            escape(&r.id),
            r.connection
        );
        if i % 2 == 0 {
            svg::rect(&mut body, "row-bg", PAD, y, width - 2.0 * PAD, ROW_H, None);
        }
        let conn = format!("#{}", r.connection);
        let id_chars = ((LABEL_W - text_width(&conn) - 14.0) / 6.2).max(4.0) as usize;
        svg::text(&mut body, "row-label", PAD + 4.0, mid, "start", &ellipsize(&r.id, id_chars));
        svg::text(&mut body, "note", x0 - 6.0, mid, "end", &conn);
        let mut t = r.start_ms;
        let phases = [
            ("queue", r.queued_ms, "Queueing"),
            ("dns", r.dns_ms, "DNS"),
            ("connect", r.connect_ms, "Connect"),
            ("tls", r.tls_ms, "TLS"),
            // Waiting as DevTools draws it: request sent, then time to first byte.
            ("wait", r.send_ms + r.wait_ms, "Waiting (TTFB)"),
            ("download", r.download_ms, "Download"),
        ];
        for (phase, ms, name) in phases {
            if ms > 0.0 {
                let tip = format!("{}: {name} {} (from {})", r.id, format_ms(ms), format_ms(t));
                let w = (x(t + ms) - x(t)).max(1.0);
                svg::rect(&mut body, &format!("ph-{phase}"), x(t), y + 3.0, w, ROW_H - 6.0, Some(&tip));
            }
            t += ms;
        }
        if r.download_ms <= 0.0 {
            // A response that arrives in one packet still gets a visible sliver.
            svg::rect(&mut body, "ph-download", x(r.end_ms) - 1.0, y + 3.0, 1.0, ROW_H - 6.0, None);
        }
        for span in holds.iter().filter(|s| s.request as usize == i && s.to_ms > s.from_ms) {
            let (class, _) = hold_words(span.hold);
            let tip = hold_tip(&r.id, span);
            let w = (x(span.to_ms) - x(span.from_ms)).max(1.0);
            svg::rect(&mut body, class, x(span.from_ms), y + 5.0, w, ROW_H - 10.0, Some(&tip));
        }
        let took = format_ms(r.end_ms - r.start_ms);
        svg::text_on_white(&mut labels, "note", x(r.end_ms) + 4.0, mid, "start", &took);
        body.push_str("</g>\n");
        y += ROW_H + ROW_GAP;
    }
    let load_x = x(run.page_load_ms);
    svg::line(&mut body, "load-mark", load_x, AXIS_Y + 2.0, load_x, y);
    body.push_str(&labels);
    body.push_str("</g>\n");
    if run.requests.is_empty() {
        svg::text(&mut body, "note", PAD, y + 10.0, "start", "No requests.");
        y += 24.0;
    }
    let bottom = y;

    let mut back = String::new();
    crate::axis(&mut back, &axis, AXIS_Y, bottom);
    let mut front = String::new();
    let mut items = vec![
        ("queue", "Queueing"),
        ("dns", "DNS"),
        ("connect", "Connect"),
        ("tls", "TLS"),
        ("wait", "Waiting (TTFB)"),
        ("download", "Download"),
    ];
    push_hold_swatches(&mut items, |hold| holds.iter().any(|s| s.hold == hold && s.to_ms > s.from_ms));
    items.push(("load", "Page load"));
    let legend_bottom = crate::legend(&mut front, &items, bottom + 14.0, width);
    let height = legend_bottom + PAD;

    let title = format!("{} waterfall: {}", run.protocol.label(), scenario.name);
    let mut out = String::new();
    svg::open(&mut out, width, height, &title, "waterfall");
    svg::text(&mut out, "title", PAD, TITLE_Y - 4.0, "start", &title);
    let subtitle = format!(
        "Page load {}, {} requests on {} connection{}.",
        format_ms(run.page_load_ms),
        run.requests.len(),
        run.connections.len(),
        if run.connections.len() == 1 { "" } else { "s" }
    );
    svg::text(&mut out, "subtitle", PAD, TITLE_Y + 14.0, "start", &subtitle);
    out.push_str(&back);
    out.push_str(&body);
    out.push_str(&front);
    svg::close(&mut out);
    out
}

/// A held span's tooltip: "vendor.js: Held behind a lost packet 120 ms
/// (from 1.2 s)".
pub(crate) fn hold_tip(request: &str, span: &HoldSpan) -> String {
    let (_, name) = hold_words(span.hold);
    format!("{request}: {name} {} (from {})", format_ms(span.to_ms - span.from_ms), format_ms(span.from_ms))
}

/// A legend swatch for each kind of hold the picture has (`has`), in one
/// order for every export.
pub(crate) fn push_hold_swatches(items: &mut Vec<(&str, &str)>, has: impl Fn(Hold) -> bool) {
    for hold in [Hold::LostPacket, Hold::EarlierResponse] {
        if has(hold) {
            let (class, name) = hold_words(hold);
            items.push((class.trim_start_matches("ph-"), name));
        }
    }
}

/// A hold's class and name, as the app names them.
pub(crate) fn hold_words(hold: Hold) -> (&'static str, &'static str) {
    match hold {
        Hold::LostPacket => ("ph-held", "Held behind a lost packet"),
        Hold::EarlierResponse => ("ph-blocked", "Waiting behind an earlier response"),
    }
}
