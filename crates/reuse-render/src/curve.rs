//! A sweep's curves: the metric against the parameter, one line per
//! protocol through the points' medians, the 10th–90th percentile band
//! where a point took several runs (loss), and a dashed mark with its words
//! at every crossover. Everything comes from the sweep's points and
//! crossovers (`reuse_sim::sweep`); nothing is re-derived.

use std::fmt::Write as _;

use reuse_sim::sweep::{Crossover, Point, Sweep};
use reuse_sim::time::fixed;

use crate::layout::{format_count, format_ms, nice_step, ticks, trim_zeros};
use crate::svg::{self, escape, num};
use crate::{RenderOptions, PAD};

const HEIGHT: f64 = 460.0;
const PLOT_TOP: f64 = 78.0;
const PLOT_BOTTOM: f64 = HEIGHT - 56.0;
const AXIS_LABEL_W: f64 = 64.0;
/// Room on the right for the crossovers' words.
const RIGHT_PAD: f64 = 24.0;

/// The value of the metric for people.
fn value_text(sweep: &Sweep, v: f64) -> String {
    if sweep.metric.is_time() {
        format_ms(v)
    } else if v.fract() == 0.0 && v >= 0.0 {
        format_count(v as u64)
    } else {
        trim_zeros(fixed(v, 2))
    }
}

/// A value of the parameter with its unit: "2.5 %", "80 ms", "12".
fn param_text(sweep: &Sweep, v: f64) -> String {
    let digits = if sweep.param.whole() || v.abs() >= 100.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else if v.abs() >= 1.0 {
        2
    } else {
        3
    };
    let number = trim_zeros(fixed(v, digits));
    match sweep.param.unit() {
        "" => number,
        "%" => format!("{number} %"),
        unit => format!("{number} {unit}"),
    }
}

/// Ticks of the parameter's axis: nice steps, or decades (with 2 and 5
/// between when they are few) on a log axis.
fn x_ticks(sweep: &Sweep, plot_w: f64) -> Vec<f64> {
    if sweep.log {
        let (lo, hi) = (libm::log10(sweep.from).floor() as i32, libm::log10(sweep.to).ceil() as i32);
        let mults: &[f64] = if hi - lo <= 3 { &[1.0, 2.0, 5.0] } else { &[1.0] };
        (lo..=hi)
            .flat_map(|e| mults.iter().map(move |m| m * 10f64.powi(e)))
            .filter(|v| *v >= sweep.from * (1.0 - 1e-9) && *v <= sweep.to * (1.0 + 1e-9))
            .collect()
    } else {
        let step = nice_step((sweep.to - sweep.from) * 80.0 / plot_w.max(1.0));
        ticks(sweep.from, sweep.to, step)
    }
}

/// Every protocol's value at one point, in words: "RTT 120 ms: http/1.0
/// 2,400 ms, http/1.1 1,320 ms, h2 840 ms" (under loss each with its
/// 10th–90th percentile).
pub fn point_tip(sweep: &Sweep, pt: &Point) -> String {
    let mut tip = format!("{} {}:", sweep.param.label(), param_text(sweep, pt.value));
    for (i, s) in pt.stats.iter().enumerate() {
        let _ = write!(
            tip,
            "{} {} {}",
            if i == 0 { "" } else { "," },
            sweep.series_label(i),
            value_text(sweep, s.median)
        );
        if s.runs > 1 {
            let _ = write!(tip, " ({}–{})", value_text(sweep, s.p10), value_text(sweep, s.p90));
        }
    }
    // Sentence case, as a tooltip starts.
    match tip.get(0..1) {
        Some(first) => first.to_uppercase() + &tip[1..],
        None => tip,
    }
}

/// The curves of a sweep as a self-contained SVG (`data-view="curve"`).
pub fn curve_svg_with(
    sweep: &Sweep,
    points: &[Point],
    crossovers: &[Crossover],
    options: &RenderOptions,
) -> String {
    let width = options.width();
    let (x0, x1) = (PAD + AXIS_LABEL_W, width - PAD - RIGHT_PAD);
    let plot_w = x1 - x0;
    let seeded = points.iter().any(|p| p.stats.iter().any(|s| s.runs > 1));
    let top = points
        .iter()
        .flat_map(|p| p.stats.iter().map(|s| if seeded { s.p90 } else { s.median }))
        .fold(0.0f64, f64::max);
    let y_step = nice_step((top.max(1e-9)) / 5.0);
    let y_max = (top / y_step).ceil().max(1.0) * y_step;
    let x = |v: f64| x0 + sweep.axis_share(v) * plot_w;
    let y = |v: f64| PLOT_BOTTOM - v / y_max * (PLOT_BOTTOM - PLOT_TOP);

    let mut title = format!("{} against {}", sweep.metric.label(), sweep.param.label());
    // Sentence case: "Page load against RTT".
    if let Some(first) = title.get(0..1) {
        title = first.to_uppercase() + &title[1..];
    }
    let mut out = String::new();
    svg::open(&mut out, width, HEIGHT, &title, "curve");
    svg::text(&mut out, "title", PAD, 20.0, "start", &title);
    let mut subtitle = format!(
        "{}: {} from {} to {}{}",
        if sweep.scenario.name.is_empty() { "scenario" } else { &sweep.scenario.name },
        sweep.param.label(),
        param_text(sweep, sweep.from),
        param_text(sweep, sweep.to),
        if sweep.log { ", log axis" } else { "" }
    );
    if seeded {
        let _ =
            write!(subtitle, "; under loss the median of {} seeds, band 10th–90th percentile", sweep.seeds);
    }
    svg::text(&mut out, "subtitle", PAD, 40.0, "start", &subtitle);

    // Legend: a swatch and a name per curve (a protocol's colour; variants
    // sharing a protocol told apart by their dashes).
    let mut lx = PAD;
    for i in 0..sweep.series_count() {
        let (p, label) = (sweep.series_protocol(i), sweep.series_label(i));
        let _ = writeln!(
            out,
            "<line class=\"curve c-{}\" x1=\"{}\" y1=\"60\" x2=\"{}\" y2=\"60\"{}/>",
            svg::protocol_key(p),
            num(lx),
            num(lx + 18.0),
            dashes(sweep, i)
        );
        svg::text(&mut out, "value", lx + 24.0, 60.0, "start", label);
        lx += 24.0 + crate::layout::text_width(label) + 24.0;
    }

    // Grid and axes.
    out.push_str("<g class=\"axes\">\n");
    for t in ticks(0.0, y_max, y_step) {
        svg::line(&mut out, "grid", x0, y(t), x1, y(t));
        svg::text(&mut out, "tick-label", x0 - 6.0, y(t), "end", &value_text(sweep, t));
    }
    for t in x_ticks(sweep, plot_w) {
        svg::line(&mut out, "grid", x(t), PLOT_TOP, x(t), PLOT_BOTTOM);
        svg::text(&mut out, "tick-label", x(t), PLOT_BOTTOM + 14.0, "middle", &param_text(sweep, t));
    }
    svg::line(&mut out, "axis-line", x0, PLOT_BOTTOM, x1, PLOT_BOTTOM);
    svg::line(&mut out, "axis-line", x0, PLOT_TOP, x0, PLOT_BOTTOM);
    svg::text(&mut out, "subtitle", (x0 + x1) / 2.0, PLOT_BOTTOM + 36.0, "middle", sweep.param.label());
    out.push_str("</g>\n");

    // Bands, then lines and points on top.
    for i in 0..sweep.series_count() {
        let p = &sweep.series_protocol(i);
        let _ = writeln!(
            out,
            "<g class=\"series\" data-protocol=\"{}\" data-series=\"{}\">",
            p.as_str(),
            escape(sweep.series_label(i))
        );
        if seeded {
            let upper = points.iter().map(|pt| format!("{},{}", num(x(pt.value)), num(y(pt.stats[i].p90))));
            let lower =
                points.iter().rev().map(|pt| format!("{},{}", num(x(pt.value)), num(y(pt.stats[i].p10))));
            let all: Vec<String> = upper.chain(lower).collect();
            let _ = writeln!(
                out,
                "<polygon class=\"band b-{}\" points=\"{}\"/>",
                svg::protocol_key(*p),
                all.join(" ")
            );
        }
        let line: Vec<String> =
            points.iter().map(|pt| format!("{},{}", num(x(pt.value)), num(y(pt.stats[i].median)))).collect();
        let _ = writeln!(
            out,
            "<polyline class=\"curve c-{}\" points=\"{}\"{}/>",
            svg::protocol_key(*p),
            line.join(" "),
            dashes(sweep, i)
        );
        for pt in points {
            let s = &pt.stats[i];
            let mut tip = format!(
                "{} at {} {}: {}",
                sweep.series_label(i),
                sweep.param.key(),
                param_text(sweep, pt.value),
                value_text(sweep, s.median)
            );
            if s.runs > 1 {
                let _ = write!(
                    tip,
                    " (median of {}; 10th–90th percentile {} – {})",
                    s.runs,
                    value_text(sweep, s.p10),
                    value_text(sweep, s.p90)
                );
            }
            let _ = writeln!(
                out,
                "<circle class=\"dot d-{}\" cx=\"{}\" cy=\"{}\" r=\"2.5\"><title>{}</title></circle>",
                svg::protocol_key(*p),
                num(x(pt.value)),
                num(y(s.median)),
                escape(&tip)
            );
        }
        out.push_str("</g>\n");
    }

    // A strip per point across the plot, on top: hovering one names every
    // protocol's value there (its `<title>`); the app loads the point its
    // `data-value` gives into the main views on a click.
    out.push_str("<g class=\"hits\">\n");
    for (k, pt) in points.iter().enumerate() {
        let edge = |other: Option<&Point>| other.map_or(x(pt.value), |o| (x(o.value) + x(pt.value)) / 2.0);
        let left = if k == 0 { x(pt.value) - 6.0 } else { edge(points.get(k - 1)) };
        let right = if k + 1 == points.len() { x(pt.value) + 6.0 } else { edge(points.get(k + 1)) };
        let _ = writeln!(
            out,
            "<rect class=\"hit\" data-value=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>",
            pt.value,
            num(left),
            num(PLOT_TOP),
            num((right - left).max(1.0)),
            num(PLOT_BOTTOM - PLOT_TOP),
            escape(&point_tip(sweep, pt))
        );
    }
    out.push_str("</g>\n");

    // Crossovers: a dashed mark and its words, stacked down the plot.
    for (k, c) in crossovers.iter().enumerate() {
        let cx = x(c.at);
        let words = sweep.describe(c);
        let _ = writeln!(out, "<g class=\"crossover\"><title>{}</title>", escape(&words));
        svg::line(&mut out, "load-mark", cx, PLOT_TOP, cx, PLOT_BOTTOM);
        let anchor = if cx > (x0 + x1) / 2.0 { "end" } else { "start" };
        let tx = if anchor == "end" { cx - 4.0 } else { cx + 4.0 };
        svg::text_on_white(&mut out, "load-label", tx, PLOT_TOP + 10.0 + 16.0 * k as f64, anchor, &words);
        out.push_str("</g>\n");
    }
    svg::close(&mut out);
    out
}

/// Curve `i`'s dash pattern: none for the first curve of its protocol,
/// then one per repeat (variants may share a protocol and so a colour).
fn dashes(sweep: &Sweep, i: usize) -> &'static str {
    const DASHES: [&str; 4] =
        ["", " stroke-dasharray=\"7 4\"", " stroke-dasharray=\"2 3\"", " stroke-dasharray=\"9 3 2 3\""];
    let p = sweep.series_protocol(i);
    let repeat = (0..i).filter(|&j| sweep.series_protocol(j) == p).count();
    DASHES[repeat % DASHES.len()]
}

/// A sweep's points as CSV, one row per point and protocol: the
/// parameter's value, the protocol, the metric's median, its 10th and 90th
/// percentiles and the runs they came from (`reuse-cli sweep --csv`, the
/// app's curve export).
pub fn curve_csv(sweep: &Sweep, points: &[Point]) -> String {
    // A variant's column holds its label (quoted: labels may hold commas).
    let column = if sweep.variants.is_empty() { "protocol" } else { "variant" };
    let mut out = format!("{},{column},{},p10,p90,runs\n", sweep.param.key(), sweep.metric);
    for p in points {
        for (i, s) in p.stats.iter().enumerate() {
            let label = sweep.series_label(i);
            let label = if sweep.variants.is_empty() {
                label.to_string()
            } else {
                format!("\"{}\"", label.replace('"', "\"\""))
            };
            out.push_str(&format!("{},{},{},{},{},{}\n", p.value, label, s.median, s.p10, s.p90, s.runs));
        }
    }
    out
}
