//! # reuse-render: Reuse Lab runs as self-contained SVG
//!
//! Pictures for papers, slides and documentation built without a browser,
//! one per view of the app:
//! - [`lanes_svg`]: the connection lanes of one or several protocols on one
//!   shared time axis;
//! - [`waterfall_svg`]: one row per request with DevTools' phases and colours;
//! - [`ladder_svg`]: the ladder (sequence) diagram of one TCP connection;
//! - [`totals_svg`]: the overhead totals per protocol as labelled bars;
//! - [`cwnd_svg_with`]: one connection's congestion window over time, with
//!   ssthresh, the trace's reasons for each change and the lost packets;
//! - [`curve_svg_with`]: a sweep's curves with their crossovers.
//!
//! Each is a complete SVG document: one inline `<style>` (no CSS variables),
//! no external references, no `foreignObject`, every row drawn (the height
//! grows with the rows). The root element and one top-level group carry
//! `data-view` (`lanes`, `waterfall`, `ladder`, `totals`, `curve`); the group's `id` is
//! the same word. Everything comes from the run's results and trace; nothing
//! is re-derived. Pure Rust with no dependency beyond the engine, so the web
//! app can call it (for its SVG export, also in a worker) as well as
//! `reuse-cli svg`.
#![forbid(unsafe_code)]

#[cfg(feature = "clients")]
mod crowd;
mod curve;
mod cwnd;
mod ladder;
mod lanes;
pub mod layout;
#[cfg(feature = "push")]
mod push;
mod server;
pub mod svg;
mod totals;
mod waterfall;

#[cfg(feature = "clients")]
pub use crowd::crowd_svg;
pub use curve::{curve_csv, curve_svg_with, point_tip};
pub use cwnd::cwnd_svg_with;
pub use ladder::{ladder_svg_with, MAX_LADDER_PACKETS};
pub use lanes::{earlier_words, lanes_svg_of, lanes_svg_with, Lane};
#[cfg(feature = "push")]
pub use push::push_svg;
pub use server::server_svg_with;
pub use totals::totals_svg_with;
pub use waterfall::waterfall_svg_with;

use std::fmt;

use reuse_sim::trace::ConnId;
use reuse_sim::{Protocol, Scenario, SimOutput};

/// Why a picture cannot be drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenderError {
    /// The run has no connection with this id; `ids` are the ones it has.
    UnknownConnection { conn: ConnId, protocol: Protocol, ids: Vec<ConnId> },
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::UnknownConnection { conn, protocol, ids } => match (ids.first(), ids.last()) {
                (Some(first), Some(last)) if first == last => {
                    write!(
                        f,
                        "no connection {conn} in the {} run; it has only connection {first}",
                        protocol.label()
                    )
                }
                (Some(first), Some(last)) => write!(
                    f,
                    "no connection {conn} in the {} run; it has connections {first} to {last}",
                    protocol.label()
                ),
                _ => write!(f, "no connection {conn}: the {} run opened none", protocol.label()),
            },
        }
    }
}

impl std::error::Error for RenderError {}

/// Default picture width in pixels (a page width in a paper or a slide).
pub const DEFAULT_WIDTH_PX: u32 = 1000;
/// Narrower than this leaves no room for labels and bars.
pub const MIN_WIDTH_PX: u32 = 480;
/// Wider than this is a mistake, not a picture.
pub const MAX_WIDTH_PX: u32 = 20_000;

/// Options shared by every rendering.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RenderOptions {
    /// Picture width; clamped to [`MIN_WIDTH_PX`]..=[`MAX_WIDTH_PX`].
    pub width_px: u32,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions { width_px: DEFAULT_WIDTH_PX }
    }
}

impl RenderOptions {
    fn width(&self) -> f64 {
        self.width_px.clamp(MIN_WIDTH_PX, MAX_WIDTH_PX) as f64
    }
}

/// Connection lanes of every run on one time axis, [`DEFAULT_WIDTH_PX`] wide.
pub fn lanes_svg(scenario: &Scenario, outputs: &[SimOutput]) -> String {
    lanes_svg_with(scenario, outputs, &RenderOptions::default())
}

/// One run's request waterfall, [`DEFAULT_WIDTH_PX`] wide.
pub fn waterfall_svg(scenario: &Scenario, output: &SimOutput) -> String {
    waterfall_svg_with(scenario, output, &RenderOptions::default())
}

/// The ladder of connection `conn` of one run, [`DEFAULT_WIDTH_PX`] wide.
pub fn ladder_svg(scenario: &Scenario, output: &SimOutput, conn: ConnId) -> Result<String, RenderError> {
    ladder_svg_with(scenario, output, conn, &RenderOptions::default())
}

/// The overhead totals of every run, [`DEFAULT_WIDTH_PX`] wide.
pub fn totals_svg(scenario: &Scenario, outputs: &[SimOutput]) -> String {
    totals_svg_with(scenario, outputs, &RenderOptions::default())
}

/// Margin around the picture.
const PAD: f64 = 12.0;

/// Draws the legend from `y` (wrapping to the width); returns its bottom.
fn legend(out: &mut String, items: &[(&str, &str)], y: f64, width: f64) -> f64 {
    let mut x = PAD;
    let mut y = y;
    for (kind, label) in items {
        let item_w = 22.0 + layout::text_width(label) + 16.0;
        if x + item_w > width - PAD && x > PAD {
            x = PAD;
            y += 18.0;
        }
        out.push_str("<g class=\"legend-item\">");
        match *kind {
            "idle" => {
                svg::line(out, "idle-line", x, y, x + 16.0, y);
            }
            // The congestion window's lines (`cwnd.rs`).
            "cwnd" | "ssthresh" | "pacing" => svg::line(out, kind, x, y, x + 16.0, y),
            "lost" => {
                let _ = std::fmt::Write::write_fmt(
                    out,
                    format_args!(
                        "<path class=\"lost-mark\" d=\"M{} {} l8 8 M{} {} l-8 8\"/>\n",
                        svg::num(x + 4.0),
                        svg::num(y - 4.0),
                        svg::num(x + 12.0),
                        svg::num(y - 4.0)
                    ),
                );
            }
            "close" => {
                let _ = std::fmt::Write::write_fmt(
                    out,
                    format_args!(
                        "<path class=\"close-mark\" d=\"M{} {} V{} M{} {} H{}\"/>\n",
                        svg::num(x + 6.0),
                        svg::num(y - 6.0),
                        svg::num(y + 6.0),
                        svg::num(x + 6.0),
                        svg::num(y),
                        svg::num(x + 12.0)
                    ),
                );
            }
            "load" => svg::line(out, "load-mark", x + 8.0, y - 6.0, x + 8.0, y + 6.0),
            "pkt-up" | "pkt-down" => {
                let _ = std::fmt::Write::write_fmt(
                    out,
                    format_args!(
                        "<g class=\"{kind}\"><line class=\"pkt-line\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\
                         <path class=\"pkt-head\" d=\"M{} {}l-7 -3.2v6.4Z\"/></g>\n",
                        svg::num(x),
                        svg::num(y),
                        svg::num(x + 16.0),
                        svg::num(y),
                        svg::num(x + 16.0),
                        svg::num(y)
                    ),
                );
            }
            "retx" => {
                let _ = std::fmt::Write::write_fmt(
                    out,
                    format_args!(
                        "<circle class=\"retx-mark\" cx=\"{}\" cy=\"{}\" r=\"3.5\"/>\n",
                        svg::num(x + 8.0),
                        svg::num(y)
                    ),
                );
            }
            "state" => svg::text(out, "tcp-state", x + 8.0, y, "middle", "Aa"),
            "fold" => svg::rect(out, "fold-band", x, y - 5.0, 16.0, 10.0, None),
            phase => svg::rect(out, &format!("ph-{phase}"), x, y - 5.0, 16.0, 10.0, None),
        }
        svg::text(out, "legend-label", x + 22.0, y, "start", label);
        out.push_str("</g>\n");
        x += item_w;
    }
    y + 12.0
}

/// The time axis: tick labels above `axis_y`, grid lines down to `bottom`,
/// break marks where quiet time was cut out.
fn axis(out: &mut String, axis: &layout::TimeAxis, axis_y: f64, bottom: f64) {
    let step = axis.tick_step(70.0);
    svg::line(out, "axis-line", axis.x(axis.start_ms()), axis_y, axis.end_x(), axis_y);
    let mut last_label_right = f64::NEG_INFINITY;
    for &(a, b, xa, xb) in &axis.pieces {
        let ticks = layout::ticks(a, b, step);
        // A stretch after a break too short for a tick still says where it is.
        let labels: Vec<(f64, String)> = if ticks.is_empty() {
            let mid = (a + b) / 2.0;
            vec![(axis.x(mid), layout::format_ms(mid))]
        } else {
            ticks.iter().map(|&t| (axis.x(t), layout::format_tick(t, step))).collect()
        };
        for &t in &ticks {
            let x = axis.x(t);
            svg::line(out, "grid", x, axis_y, x, bottom);
        }
        for (x, label) in labels {
            let half = layout::text_width(&label) / 2.0;
            let x = x.clamp(xa.min(xb) + half.min((xb - xa) / 2.0), xb.max(xa));
            if x - half > last_label_right + 6.0 {
                svg::text(out, "tick-label", x, axis_y - 10.0, "middle", &label);
                last_label_right = x + half;
            }
        }
    }
}

/// White bands over the rows where the axis skips quiet time, with the
/// usual double slash on the axis and the time the picture resumes at.
fn breaks(out: &mut String, axis: &layout::TimeAxis, axis_y: f64, bottom: f64) {
    for &(from, to, x0, x1) in &axis.breaks {
        svg::rect(
            out,
            "break-band",
            x0 + 2.0,
            axis_y - 4.0,
            x1 - x0 - 4.0,
            bottom - axis_y + 4.0,
            Some(&format!("{} of quiet time left out", layout::format_ms(to - from))),
        );
        for dx in [x0 + 6.0, x1 - 10.0] {
            let _ = std::fmt::Write::write_fmt(
                out,
                format_args!(
                    "<path class=\"break-mark\" d=\"M{} {} l4 -8\"/>\n",
                    svg::num(dx),
                    svg::num(axis_y + 4.0)
                ),
            );
        }
    }
}
