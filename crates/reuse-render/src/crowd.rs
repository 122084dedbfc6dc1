//! Many clients (`clients`) on the server: the connections open at once over
//! time, a band per run (in the order given) on one clock and its own
//! scale, with the peak and the connections accepted. The counts are the
//! engine's (`reuse_sim::crowd`, the envelope of each slice of the run);
//! nothing is re-derived.

use std::fmt::Write as _;

use reuse_sim::crowd::CrowdResult;
use reuse_sim::Scenario;

use crate::layout::{format_count, format_tick, nice_step, TimeAxis};
use crate::server::Band;
use crate::svg::{self, num};
use crate::{RenderOptions, PAD};

const BANDS_TOP: f64 = 52.0;
const BAND_H: f64 = 62.0;
const BAND_GAP: f64 = 36.0;
const AXIS_LABEL_W: f64 = 56.0;
const RIGHT_PAD: f64 = 24.0;

/// A band per crowd: the most connections open on the server in each slice
/// of time, as an area.
pub fn crowd_svg(scenario: &Scenario, crowds: &[&CrowdResult], options: &RenderOptions) -> String {
    let width = options.width();
    let end_ms = crowds.iter().map(|c| c.duration_ms).fold(1.0, f64::max);
    let (x0, x1) = (PAD + AXIS_LABEL_W, width - PAD - RIGHT_PAD);
    let axis = TimeAxis::linear(0.0, end_ms, x0, x1);
    let band_top = |i: usize| BANDS_TOP + i as f64 * (BAND_H + BAND_GAP) + 18.0;
    let height = band_top(crowds.len()) + 16.0;
    let title = "Connections open on the server, many clients";
    let mut out = String::new();
    svg::open(&mut out, width, height, title, "crowd");
    svg::text(&mut out, "title", PAD, 20.0, "start", title);
    let name = if scenario.name.is_empty() { "scenario" } else { &scenario.name };
    let subtitle = match crowds.first() {
        Some(c) => format!(
            "{name}: {} clients arriving over {} s, each with its own connections; the most open in each slice of time",
            format_count(u64::from(c.clients)),
            crate::layout::trim_zeros(reuse_sim::time::fixed(c.over_ms / 1000.0, 1))
        ),
        None => name.to_string(),
    };
    svg::text(&mut out, "subtitle", PAD, 38.0, "start", &subtitle);
    let t_step = axis.tick_step(90.0);
    for (i, c) in crowds.iter().enumerate() {
        let key = svg::protocol_key(c.protocol);
        let top = c.peak_open_connections.max(1) as f64;
        let y_step = nice_step(top / 3.0).max(1.0);
        let y_max = (top / y_step).ceil() * y_step;
        let bottom = band_top(i) + BAND_H;
        let _ = writeln!(
            out,
            "<g class=\"series\" data-protocol=\"{}\" data-peak=\"{}\">",
            c.protocol.as_str(),
            c.peak_open_connections
        );
        let heading = format!(
            "{}: at most {} open at once, {} accepted (at most {} in a second), {} full TLS handshakes",
            c.protocol.label(),
            format_count(c.peak_open_connections),
            format_count(c.connections_accepted),
            format_count(c.peak_accepts_per_second),
            format_count(c.full_handshakes)
        );
        svg::text(&mut out, &format!("metric p-{key}"), PAD, band_top(i) - 14.0, "start", &heading);
        let band = Band { key, top: band_top(i), bottom, y_max, y_step, x0, x1 };
        let mut points: Vec<String> = Vec::with_capacity(c.open_over_time.len() * 2 + 2);
        points.push(format!("{},{}", num(x0), num(bottom)));
        for (k, &(t, n)) in c.open_over_time.iter().enumerate() {
            let next = c.open_over_time.get(k + 1).map_or(end_ms, |p| p.0);
            points.push(format!("{},{}", num(axis.x(t)), num(band.y(n as f64))));
            points.push(format!("{},{}", num(axis.x(next)), num(band.y(n as f64))));
        }
        points.push(format!("{},{}", num(axis.x(end_ms)), num(bottom)));
        let tip = format!(
            "{}: at most {} connections open at once on the server, first at {} s",
            c.protocol.label(),
            format_count(c.peak_open_connections),
            crate::layout::trim_zeros(reuse_sim::time::fixed(c.peak_at_ms / 1000.0, 1))
        );
        band.draw(&mut out, &axis, t_step, &points, &tip);
        out.push_str("</g>\n");
    }
    let last = band_top(crowds.len().saturating_sub(1)) + BAND_H;
    for t in axis.ticks(t_step) {
        svg::text(&mut out, "tick-label", axis.x(t), last + 14.0, "middle", &format_tick(t, t_step));
    }
    svg::close(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use reuse_sim::crowd::simulate_crowd;
    use reuse_sim::scenario::Clients;
    use reuse_sim::{presets, Limits, Protocol};

    #[test]
    fn each_protocol_is_a_band_whose_peak_is_the_crowds() {
        let mut s = presets::find("textbook").unwrap().scenario();
        s.clients = Some(Clients { count: 200, over_ms: 20_000.0 });
        let crowds: Vec<CrowdResult> = [Protocol::Http10, Protocol::Http11, Protocol::H2]
            .into_iter()
            .map(|p| simulate_crowd(&s, p, Limits::default()).unwrap())
            .collect();
        let refs: Vec<&CrowdResult> = crowds.iter().collect();
        let svg = crowd_svg(&s, &refs, &RenderOptions::default());
        roxmltree::Document::parse(&svg).expect("well-formed");
        assert!(svg.contains("data-view=\"crowd\""));
        for c in &crowds {
            let peak = c.open_over_time.iter().map(|&(_, n)| n).max();
            assert_eq!(
                peak,
                Some(c.peak_open_connections),
                "{:?}: the envelope reaches the peak",
                c.protocol
            );
            assert!(svg.contains(&format!(
                "data-protocol=\"{}\" data-peak=\"{}\"",
                c.protocol.as_str(),
                c.peak_open_connections
            )));
        }
    }
}
