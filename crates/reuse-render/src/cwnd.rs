//! The congestion window of one connection's sender over time: a step line
//! of the window each of its data packets left under (the trace's
//! `PacketSent.cwnd_bytes`), ssthresh dashed, every change the trace names
//! (`CongestionWindow`: a loss, a timeout, HyStart++, the end of recovery)
//! marked and labelled in the engine's words, and each lost packet of the
//! sender as a red cross on the time axis.

use std::fmt::Write as _;

use reuse_sim::trace::{BbrMode, ConnId, CwndCause, EventKind, Side};
use reuse_sim::{Protocol, Scenario, SimOutput};

use crate::layout::{format_count, TimeAxis};
use crate::svg::{self, escape, num};
use crate::{RenderError, RenderOptions, PAD};

const TITLE_Y: f64 = 22.0;
const PLOT_TOP: f64 = 64.0;
const PLOT_H: f64 = 260.0;
const Y_LABEL_W: f64 = 48.0;
const LOSS_ROW: f64 = 16.0;
const CWND_STYLE: &str = ".cwnd{fill:none;stroke:#1a73e8;stroke-width:2}\
.ssthresh{fill:none;stroke:#8e24aa;stroke-width:1.5;stroke-dasharray:6 4}\
.pacing{fill:none;stroke:#c25400;stroke-width:1.5;stroke-dasharray:2 3}\
.cwnd-change{fill:#ffffff;stroke:#1b2330;stroke-width:1.5}\n</style>";

/// A change the trace names: the window's (a loss, HyStart++...) or BBR's
/// new mode.
#[derive(Clone, Copy, Debug)]
enum Mark {
    Cwnd(CwndCause),
    Bbr(BbrMode),
}

impl Mark {
    fn label(self) -> String {
        match self {
            Mark::Cwnd(cause) => cause.marker().to_string(),
            Mark::Bbr(mode) => format!("BBR: {}", mode.name()),
        }
    }
}

/// One segment in the window's unit: the MSS over TCP, the maximum
/// datagram size over QUIC.
fn segment_bytes(scenario: &Scenario, protocol: Protocol) -> u64 {
    match protocol {
        Protocol::Http10 | Protocol::Http11 | Protocol::H2 => scenario.network.mss_bytes as u64,
        Protocol::H3 => scenario.quic.max_datagram_size_bytes as u64,
    }
}

/// Connection `conn`'s sender of `side` (the server sends the responses):
/// its congestion window, ssthresh and the trace's reasons, over time.
pub fn cwnd_svg_with(
    scenario: &Scenario,
    output: &SimOutput,
    conn: ConnId,
    side: Side,
    options: &RenderOptions,
) -> Result<String, RenderError> {
    let run = &output.result;
    if !run.connections.iter().any(|c| c.id == conn) {
        return Err(RenderError::UnknownConnection {
            conn,
            protocol: run.protocol,
            ids: run.connections.iter().map(|c| c.id).collect(),
        });
    }
    let seg = segment_bytes(scenario, run.protocol).max(1) as f64;
    // (time, window in segments) for every packet the sender sent; the
    // changes the trace names; the sender's lost packets.
    let mut window: Vec<(f64, f64)> = Vec::new();
    let mut changes: Vec<(f64, Mark, f64, Option<f64>, String)> = Vec::new();
    let words = reuse_sim::DescribeContext { scenario, hosts: &output.hosts };
    let mut losses: Vec<f64> = Vec::new();
    // BBR's pacing rate (Mbit/s) from each time the trace shows it.
    let mut pacing: Vec<(f64, f64)> = Vec::new();
    for e in &output.trace {
        match &e.kind {
            // Data only (the window limits data), at the moment the sender
            // let it go (the event's time; `sent` waits for the bottleneck).
            EventKind::PacketSent(p) if p.conn == conn && p.from == side && p.payload_bytes > 0 => {
                window.push((e.time.as_ms(), p.cwnd_bytes as f64 / seg));
                if p.lost || p.queue_drop {
                    losses.push(e.time.as_ms());
                }
            }
            EventKind::CongestionWindow { conn: c, side: s, cause, cwnd_bytes, ssthresh_bytes }
                if *c == conn && *s == side =>
            {
                let ssthresh = (*ssthresh_bytes < u64::MAX / 4).then(|| *ssthresh_bytes as f64 / seg);
                changes.push((
                    e.time.as_ms(),
                    Mark::Cwnd(*cause),
                    *cwnd_bytes as f64 / seg,
                    ssthresh,
                    e.describe(words),
                ));
            }
            _ => {
                if let Some((_, _, rate)) = e.bbr_pacing().filter(|p| p.0 == conn && p.1 == side) {
                    pacing.push((e.time.as_ms(), rate as f64 * 8.0 / 1e6));
                }
                if let Some((_, _, to, cwnd_bytes)) = e.bbr_mode().filter(|m| m.0 == conn && m.1 == side) {
                    changes.push((
                        e.time.as_ms(),
                        Mark::Bbr(to),
                        cwnd_bytes as f64 / seg,
                        None,
                        e.describe(words),
                    ));
                }
            }
        }
    }
    let width = options.width();
    let (t0, t1) = match (window.first(), window.last()) {
        (Some(first), Some(last)) => (first.0, last.0.max(first.0 + 1.0)),
        _ => (0.0, 1.0),
    };
    let t1 = changes.iter().map(|c| c.0).fold(t1, f64::max);
    let x0 = PAD + Y_LABEL_W;
    // The pacing rate's axis takes room on the right.
    let right = if pacing.is_empty() { width - PAD } else { width - PAD - Y_LABEL_W };
    let axis = TimeAxis::linear(t0, t1, x0, right);
    let top_value = window.iter().map(|w| w.1).chain(changes.iter().flat_map(|c| [Some(c.2), c.3]).flatten());
    let y_max = nice_ceiling(top_value.fold(1.0, f64::max));
    let y = |segments: f64| PLOT_TOP + PLOT_H - segments / y_max * PLOT_H;
    let unit = match run.protocol {
        Protocol::Http10 | Protocol::Http11 | Protocol::H2 => "segments",
        Protocol::H3 => "datagrams",
    };

    let mut body = String::new();
    let title = format!(
        "Congestion window · connection {conn} · {} sending · {} · {}",
        side.as_str(),
        run.protocol.label(),
        scenario.tcp.congestion_control.label()
    );
    svg::text(&mut body, "title", PAD, TITLE_Y, "start", &title);
    let subtitle = format!(
        "{} packets sent, {} lost; window in {unit} of {} bytes",
        format_count(window.len() as u64),
        format_count(losses.len() as u64),
        seg
    );
    svg::text(&mut body, "subtitle", PAD, TITLE_Y + 18.0, "start", &subtitle);

    // Grid and axes.
    let bottom = PLOT_TOP + PLOT_H;
    let y_step = y_max / 4.0;
    for i in 0..=4 {
        let v = y_step * i as f64;
        svg::line(&mut body, "grid", x0, y(v), right, y(v));
        svg::text(
            &mut body,
            "tick-label",
            x0 - 6.0,
            y(v),
            "end",
            &crate::layout::trim_zeros(format!("{v:.1}")),
        );
    }
    let step = axis.tick_step(90.0);
    for t in axis.ticks(step) {
        let x = axis.x(t);
        svg::line(&mut body, "axis-line", x, bottom, x, bottom + 4.0);
        svg::text(&mut body, "tick-label", x, bottom + 14.0, "middle", &crate::layout::format_tick(t, step));
    }
    svg::line(&mut body, "axis-line", x0, bottom, right, bottom);

    // ssthresh from each named change on (dashed), where it is finite.
    let mut path = String::new();
    for (i, &(t, _, _, ssthresh, _)) in changes.iter().enumerate() {
        let Some(s) = ssthresh else { continue };
        let end = changes.get(i + 1).map_or(t1, |next| next.0);
        let _ = write!(path, "M{} {} H{} ", num(axis.x(t)), num(y(s)), num(axis.x(end)));
    }
    if !path.is_empty() {
        let _ =
            writeln!(body, "<path class=\"ssthresh\" data-series=\"ssthresh\" d=\"{}\"/>", path.trim_end());
    }
    // The window as a step line through every packet's value.
    if let Some(&(t, w)) = window.first() {
        let mut d = format!("M{} {}", num(axis.x(t)), num(y(w)));
        for &(t, w) in &window[1..] {
            let _ = write!(d, " H{} V{}", num(axis.x(t)), num(y(w)));
        }
        let _ = writeln!(body, "<path class=\"cwnd\" data-series=\"cwnd\" d=\"{d}\"/>");
    }
    // BBR's pacing rate on its own scale (the right axis, Mbit/s), a step
    // from each time the trace shows it to the next.
    let mut legend_items =
        vec![("cwnd", "congestion window"), ("ssthresh", "ssthresh"), ("lost", "lost packet")];
    if let Some(&(first, _)) = pacing.first() {
        let p_max = nice_ceiling(pacing.iter().map(|p| p.1).fold(0.1, f64::max));
        let py = |mbps: f64| PLOT_TOP + PLOT_H - mbps / p_max * PLOT_H;
        let mut d = format!("M{} {}", num(axis.x(first.max(t0))), num(py(pacing[0].1)));
        for &(t, rate) in &pacing[1..] {
            let _ = write!(d, " H{} V{}", num(axis.x(t.max(t0))), num(py(rate)));
        }
        let _ = write!(d, " H{}", num(axis.x(t1)));
        let _ = writeln!(body, "<path class=\"pacing\" data-series=\"pacing\" d=\"{d}\"/>");
        for i in 0..=4 {
            let v = p_max / 4.0 * i as f64;
            let label = crate::layout::trim_zeros(format!("{v:.1}"));
            svg::text(&mut body, "tick-label", right + 6.0, py(v), "start", &label);
        }
        legend_items.push(("pacing", "BBR's pacing rate (Mbit/s, right axis)"));
    }
    // Each named change: a marker with the engine's words as its tooltip,
    // and a short label above it.
    let mut last_label_x = f64::NEG_INFINITY;
    for (t, cause, w, _, words) in &changes {
        let (x, yy) = (axis.x(*t), y(*w));
        let tip = format!("{} ms: {words}", num(*t));
        let _ = writeln!(
            body,
            "<circle class=\"cwnd-change\" data-cause=\"{}\" cx=\"{}\" cy=\"{}\" r=\"4\"><title>{}</title></circle>",
            match cause {
                Mark::Cwnd(c) => format!("{c:?}"),
                Mark::Bbr(mode) => format!("Bbr{mode:?}"),
            },
            num(x),
            num(yy),
            escape(&tip)
        );
        if x - last_label_x > 70.0 {
            let label = cause.label();
            let label = label.as_str();
            // Near the right edge the label goes to the marker's left.
            if x + 6.0 + crate::layout::text_width(label) > right {
                svg::text_on_white(&mut body, "note", x - 6.0, yy - 10.0, "end", label);
            } else {
                svg::text_on_white(&mut body, "note", x + 6.0, yy - 10.0, "start", label);
            }
            last_label_x = x;
        }
    }
    // Lost packets on the axis.
    for &t in &losses {
        let x = axis.x(t);
        let yy = bottom + LOSS_ROW + 8.0;
        let _ = writeln!(
            body,
            "<path class=\"lost-mark\" d=\"M{} {} l6 6 M{} {} l-6 6\"><title>{} ms: a packet of this sender was lost</title></path>",
            num(x - 3.0),
            num(yy - 3.0),
            num(x + 3.0),
            num(yy - 3.0),
            num(t)
        );
    }
    let legend_y = bottom + LOSS_ROW + 34.0;
    let height = crate::legend(&mut body, &legend_items, legend_y, width) + 8.0;
    let mut out = String::new();
    svg::open(&mut out, width, height, &title, "cwnd");
    // This view's rules join the one style sheet (kept out of the shared
    // one, which every other view and the web app carry).
    let out = out.replacen("</style>", CWND_STYLE, 1);
    let mut out = out;
    out.push_str(&body);
    svg::close(&mut out);
    Ok(out)
}

/// The next of 1, 2, 5 × 10ⁿ at or above `v`.
fn nice_ceiling(v: f64) -> f64 {
    let mut base = 1.0;
    loop {
        for k in [1.0, 2.0, 5.0] {
            if k * base >= v {
                return k * base;
            }
        }
        base *= 10.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ceiling_is_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_ceiling(1.0), 1.0);
        assert_eq!(nice_ceiling(1.1), 2.0);
        assert_eq!(nice_ceiling(42.0), 50.0);
        assert_eq!(nice_ceiling(260.0), 500.0);
    }
}
