//! The server's side over time: how many connections each protocol's run
//! holds open on the server, as a step line per protocol on one clock,
//! with each run's peak and page load marked. The counts are the engine's
//! (`reuse_sim::fold::server::open_connections`, the same spans as the
//! result's `server.peak_open_connections`); nothing is re-derived.

use std::fmt::Write as _;

use reuse_sim::fold::server::open_connections;
use reuse_sim::{Scenario, SimOutput};

use crate::layout::{format_ms, format_tick, nice_step, ticks, TimeAxis};
use crate::svg::{self, escape, num};
use crate::{RenderOptions, PAD};

const HEIGHT: f64 = 330.0;
const PLOT_TOP: f64 = 78.0;
const PLOT_BOTTOM: f64 = HEIGHT - 48.0;
const AXIS_LABEL_W: f64 = 40.0;
const RIGHT_PAD: f64 = 24.0;

/// Connections open on the server over time, one step line per run (in
/// the order given).
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
    let y_step = nice_step(f64::from(top) / 4.0).max(1.0);
    let y_max = (f64::from(top) / y_step).ceil() * y_step;
    let (x0, x1) = (PAD + AXIS_LABEL_W, width - PAD - RIGHT_PAD);
    let axis = TimeAxis::linear(0.0, end_ms, x0, x1);
    let y = |n: f64| PLOT_BOTTOM - n / y_max * (PLOT_BOTTOM - PLOT_TOP);

    let title = "Connections open on the server";
    let mut out = String::new();
    svg::open(&mut out, width, HEIGHT, title, "server");
    svg::text(&mut out, "title", PAD, 20.0, "start", title);
    let name = if scenario.name.is_empty() { "scenario" } else { &scenario.name };
    svg::text(
        &mut out,
        "subtitle",
        PAD,
        40.0,
        "start",
        &format!("{name}: from each connection's SYN on the server to its close (TIME-WAIT not counted)"),
    );

    // Legend: each run's peak and mean, the figures of the totals.
    let mut lx = PAD;
    for (o, _) in &series {
        let s = &o.result.server;
        let words = format!(
            "{}: peak {}, mean {} over the page load, {} accepted",
            o.result.protocol.label(),
            s.peak_open_connections,
            crate::layout::trim_zeros(reuse_sim::time::fixed(s.mean_open_connections, 2)),
            s.connections_accepted
        );
        svg::line(
            &mut out,
            &format!("curve c-{}", svg::protocol_key(o.result.protocol)),
            lx,
            60.0,
            lx + 18.0,
            60.0,
        );
        svg::text(&mut out, "value", lx + 24.0, 60.0, "start", &words);
        lx += 24.0 + crate::layout::text_width(&words) + 24.0;
    }

    out.push_str("<g class=\"axes\">\n");
    for n in ticks(0.0, y_max, y_step) {
        svg::line(&mut out, "grid", x0, y(n), x1, y(n));
        svg::text(&mut out, "tick-label", x0 - 6.0, y(n), "end", &format!("{}", n as u64));
    }
    let t_step = axis.tick_step(90.0);
    for t in axis.ticks(t_step) {
        let x = axis.x(t);
        svg::line(&mut out, "grid", x, PLOT_TOP, x, PLOT_BOTTOM);
        svg::text(&mut out, "tick-label", x, PLOT_BOTTOM + 14.0, "middle", &format_tick(t, t_step));
    }
    svg::line(&mut out, "axis-line", x0, PLOT_BOTTOM, x1, PLOT_BOTTOM);
    svg::line(&mut out, "axis-line", x0, PLOT_TOP, x0, PLOT_BOTTOM);
    out.push_str("</g>\n");

    for (o, steps) in &series {
        let p = o.result.protocol;
        let key = svg::protocol_key(p);
        let _ = writeln!(
            out,
            "<g class=\"series\" data-protocol=\"{}\" data-peak=\"{}\">",
            p.as_str(),
            o.result.server.peak_open_connections
        );
        // A step line: level until the next change, then straight up or down.
        let mut points: Vec<String> = Vec::with_capacity(steps.len() * 2 + 1);
        let mut level = 0u32;
        for (t, n) in steps {
            let x = axis.x(t.as_ms());
            points.push(format!("{},{}", num(x), num(y(f64::from(level)))));
            points.push(format!("{},{}", num(x), num(y(f64::from(*n)))));
            level = *n;
        }
        points.push(format!("{},{}", num(axis.x(end_ms)), num(y(f64::from(level)))));
        let tip = format!(
            "{}: at most {} connections open at once on the server; page loaded at {}",
            p.label(),
            o.result.server.peak_open_connections,
            format_ms(o.result.page_load_ms)
        );
        let _ = writeln!(
            out,
            "<polyline class=\"curve c-{key}\" points=\"{}\"><title>{}</title></polyline>",
            points.join(" "),
            escape(&tip)
        );
        // The page load: where the views' own axis ends.
        let px = axis.x(o.result.page_load_ms);
        let _ = writeln!(
            out,
            "<line class=\"c-{key}\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke-dasharray=\"3 3\"><title>{}</title></line>",
            num(PLOT_TOP),
            num(PLOT_BOTTOM),
            escape(&format!("{}: page loaded at {}", p.label(), format_ms(o.result.page_load_ms))),
            x = num(px),
        );
        out.push_str("</g>\n");
    }
    svg::close(&mut out);
    out
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
