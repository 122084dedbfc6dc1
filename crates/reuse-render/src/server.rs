//! The server's side over time: how many connections each protocol's run
//! holds open on the server, as a step line per protocol on one clock,
//! with each run's peak and page load marked. The counts are the engine's
//! (`reuse_sim::fold::server::open_connections`, the same spans as the
//! result's `server.peak_open_connections`); nothing is re-derived.

use std::fmt::Write as _;

use reuse_sim::fold::server::open_connections;
use reuse_sim::{Scenario, SimOutput};

use crate::layout::{format_count, format_ms, format_tick, nice_step, ticks, TimeAxis};
use crate::svg::{self, escape, num};
use crate::{RenderOptions, PAD};

/// Where the first band starts, a band's height and the gap between bands.
const BANDS_TOP: f64 = 52.0;
const BAND_H: f64 = 62.0;
const BAND_GAP: f64 = 36.0;
const AXIS_LABEL_W: f64 = 40.0;
const RIGHT_PAD: f64 = 24.0;

/// Connections open on the server over time: a band per run (in the order
/// given) on one clock and one scale, its area the count, with the run's
/// peak, mean and page load.
pub fn server_svg_with(scenario: &Scenario, outputs: &[&SimOutput], options: &RenderOptions) -> String {
    let width = options.width();
    let series: Vec<_> = outputs.iter().map(|o| (*o, open_connections(&o.trace))).collect();
    // The clock runs to the last close of any run (or its last event).
    let end_ms = outputs
        .iter()
        .flat_map(|o| o.trace.last().map(|e| e.time.as_ms()))
        .chain(outputs.iter().map(|o| o.result.page_load_ms))
        .fold(1.0, f64::max);
    let top = series.iter().map(|(o, _)| o.result.server.peak_open_connections).max().unwrap_or(0).max(1);
    let y_step = nice_step(f64::from(top) / 3.0).max(1.0);
    let y_max = (f64::from(top) / y_step).ceil() * y_step;
    let (x0, x1) = (PAD + AXIS_LABEL_W, width - PAD - RIGHT_PAD);
    let axis = TimeAxis::linear(0.0, end_ms, x0, x1);
    let band_top = |i: usize| BANDS_TOP + i as f64 * (BAND_H + BAND_GAP) + 18.0;
    let height = band_top(series.len()) + 16.0;

    let title = "Connections open on the server";
    let mut out = String::new();
    svg::open(&mut out, width, height, title, "server");
    svg::text(&mut out, "title", PAD, 20.0, "start", title);
    let name = if scenario.name.is_empty() { "scenario" } else { &scenario.name };
    let subtitle =
        format!("{name}: from each connection's SYN on the server to its close (TIME-WAIT not counted)");
    svg::text(&mut out, "subtitle", PAD, 38.0, "start", &subtitle);

    let t_step = axis.tick_step(90.0);
    for (i, (o, steps)) in series.iter().enumerate() {
        let p = o.result.protocol;
        let key = svg::protocol_key(p);
        let s = &o.result.server;
        let bottom = band_top(i) + BAND_H;
        let _ = writeln!(
            out,
            "<g class=\"series\" data-protocol=\"{}\" data-peak=\"{}\">",
            p.as_str(),
            s.peak_open_connections
        );
        let heading = format!(
            "{}: peak {} open at once, mean {} over the page load, {} accepted",
            p.label(),
            s.peak_open_connections,
            crate::layout::trim_zeros(reuse_sim::time::fixed(s.mean_open_connections, 2)),
            s.connections_accepted
        );
        svg::text(&mut out, &format!("metric p-{key}"), PAD, band_top(i) - 14.0, "start", &heading);
        let band = Band { key, top: band_top(i), bottom, y_max, y_step, x0, x1 };
        // The count as an area: level until the next change, then straight up or down.
        let mut points: Vec<String> = Vec::with_capacity(steps.len() * 2 + 3);
        points.push(format!("{},{}", num(x0), num(bottom)));
        let mut level = 0u32;
        for (t, n) in steps {
            let x = axis.x(t.as_ms());
            points.push(format!("{},{}", num(x), num(band.y(f64::from(level)))));
            points.push(format!("{},{}", num(x), num(band.y(f64::from(*n)))));
            level = *n;
        }
        points.push(format!("{},{}", num(axis.x(end_ms)), num(band.y(f64::from(level)))));
        points.push(format!("{},{}", num(axis.x(end_ms)), num(bottom)));
        let tip = format!(
            "{}: at most {} connections open at once on the server; page loaded at {}",
            p.label(),
            s.peak_open_connections,
            format_ms(o.result.page_load_ms)
        );
        band.draw(&mut out, &axis, t_step, &points, &tip);
        // The page load: where the views' own axis ends.
        let px = num(axis.x(o.result.page_load_ms));
        let _ = writeln!(
            out,
            "<line class=\"curve c-{key}\" x1=\"{px}\" y1=\"{}\" x2=\"{px}\" y2=\"{}\" stroke-dasharray=\"3 3\"><title>{}</title></line>",
            num(band_top(i)),
            num(bottom),
            escape(&format!("{}: page loaded at {}", p.label(), format_ms(o.result.page_load_ms))),
        );
        out.push_str("</g>\n");
    }
    // One time axis under the last band.
    let last = band_top(series.len().saturating_sub(1)) + BAND_H;
    for t in axis.ticks(t_step) {
        svg::text(&mut out, "tick-label", axis.x(t), last + 14.0, "middle", &format_tick(t, t_step));
    }
    svg::close(&mut out);
    out
}

/// One band of a count over time (the server's view, many clients): where
/// it stands and its count's scale.
pub(crate) struct Band<'a> {
    pub key: &'a str,
    pub top: f64,
    pub bottom: f64,
    pub y_max: f64,
    pub y_step: f64,
    pub x0: f64,
    pub x1: f64,
}

impl Band<'_> {
    /// The height of count `n`.
    pub fn y(&self, n: f64) -> f64 {
        self.bottom - n / self.y_max * (self.bottom - self.top)
    }

    /// The count's grid and labels, the time grid, the area under `points`
    /// (a polygon from the baseline and back) with its line and `tip`, and
    /// the baseline.
    pub fn draw(&self, out: &mut String, axis: &TimeAxis, t_step: f64, points: &[String], tip: &str) {
        for n in ticks(0.0, self.y_max, self.y_step) {
            svg::line(out, "grid", self.x0, self.y(n), self.x1, self.y(n));
            svg::text(out, "tick-label", self.x0 - 6.0, self.y(n), "end", &format_count(n as u64));
        }
        for t in axis.ticks(t_step) {
            svg::line(out, "grid", axis.x(t), self.top, axis.x(t), self.bottom);
        }
        let key = self.key;
        let _ = writeln!(
            out,
            "<polygon class=\"band b-{key}\" points=\"{}\"/><polyline class=\"curve c-{key}\" points=\"{}\"><title>{}</title></polyline>",
            points.join(" "),
            points[1..points.len() - 1].join(" "),
            escape(tip)
        );
        svg::line(out, "axis-line", self.x0, self.bottom, self.x1, self.bottom);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reuse_sim::{presets, simulate_each, Limits, Protocol};

    #[test]
    fn each_run_is_a_step_line_whose_highest_step_is_its_peak() {
        let scenario = presets::find("textbook").unwrap().scenario();
        let protocols = [Protocol::Http10, Protocol::Http11, Protocol::H2];
        let outputs = simulate_each(&scenario, &protocols, Limits::default()).unwrap();
        let refs: Vec<&SimOutput> = outputs.iter().collect();
        let svg = server_svg_with(&scenario, &refs, &RenderOptions::default());
        assert!(svg.contains("data-view=\"server\""));
        for o in &outputs {
            let peak = o.result.server.peak_open_connections;
            let steps = open_connections(&o.trace);
            assert_eq!(steps.iter().map(|(_, n)| *n).max(), Some(peak), "{:?}", o.result.protocol);
            assert_eq!(steps.first(), Some(&(reuse_sim::SimTime::ZERO, 0)));
            assert!(svg
                .contains(&format!("data-protocol=\"{}\" data-peak=\"{peak}\"", o.result.protocol.as_str())));
        }
        // K&R's page with 6 connections per host: HTTP/2 holds 1, HTTP/1.1
        // at most 6, HTTP/1.0 at most 6 at a time too (one per object).
        let peak = |p: Protocol| {
            outputs.iter().find(|o| o.result.protocol == p).unwrap().result.server.peak_open_connections
        };
        assert_eq!(peak(Protocol::H2), 1);
        assert!(peak(Protocol::Http11) <= 6 && peak(Protocol::Http10) >= 1);
    }
}
