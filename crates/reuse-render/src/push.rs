//! The server's events (`push`) as a picture: a row per way of fetching
//! them (in the order given), each event a bar from the moment it happens
//! on the server to the moment the client has it, on one clock. The times
//! are the engine's (`RunResult::push`); nothing is re-derived.

use std::fmt::Write as _;

use reuse_sim::SimOutput;

use crate::layout::{format_ms, format_tick, TimeAxis};
use crate::svg::{self, escape, num};
use crate::{RenderOptions, PAD};

const ROWS_TOP: f64 = 58.0;
/// A row: its label above, then its bars.
const ROW_H: f64 = 44.0;
const BAR_H: f64 = 12.0;
const RIGHT_PAD: f64 = 24.0;

/// One row per `(label, run)`: when each event happened (a tick) and reached
/// the client (a bar's end), with the run's mean latency in its label.
pub fn push_svg(rows: &[(&str, &SimOutput)], options: &RenderOptions) -> String {
    let width = options.width();
    let end_ms = rows
        .iter()
        .filter_map(|(_, o)| o.result.push.as_ref())
        .flat_map(|p| p.events.iter().map(|e| e.delivered_ms.unwrap_or(e.happened_ms)))
        .fold(1.0, f64::max);
    let (x0, x1) = (PAD, width - PAD - RIGHT_PAD);
    let axis = TimeAxis::linear(0.0, end_ms, x0, x1);
    let row_top = |i: usize| ROWS_TOP + i as f64 * ROW_H;
    let height = row_top(rows.len()) + 22.0;
    let title = "When each of the server's events reaches the client";
    let mut out = String::new();
    svg::open(&mut out, width, height, title, "push");
    svg::text(&mut out, "title", PAD, 20.0, "start", title);
    svg::text(
        &mut out,
        "subtitle",
        PAD,
        38.0,
        "start",
        "each bar runs from the event on the server (its left end) to its last byte at the client",
    );
    let t_step = axis.tick_step(90.0);
    let last = row_top(rows.len());
    for t in axis.ticks(t_step) {
        svg::line(&mut out, "grid", axis.x(t), ROWS_TOP, axis.x(t), last);
        svg::text(&mut out, "tick-label", axis.x(t), last + 14.0, "middle", &format_tick(t, t_step));
    }
    for (i, (label, o)) in rows.iter().enumerate() {
        let Some(push) = o.result.push.as_ref() else { continue };
        let key = svg::protocol_key(o.result.protocol);
        let top = row_top(i);
        let _ = writeln!(
            out,
            "<g class=\"series\" data-protocol=\"{}\" data-mean-latency=\"{}\">",
            o.result.protocol.as_str(),
            num(push.mean_latency_ms)
        );
        let plural = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let heading = format!(
            "{label} ({}): latency mean {}, max {}; {}, {}",
            o.result.protocol.label(),
            format_ms(push.mean_latency_ms),
            format_ms(push.max_latency_ms),
            plural(push.requests, "request", "requests"),
            plural(push.connections_opened, "connection", "connections")
        );
        svg::text(&mut out, &format!("metric p-{key}"), PAD, top + 12.0, "start", &heading);
        let y = top + 20.0;
        svg::line(&mut out, "axis-line", x0, y + BAR_H, x1, y + BAR_H);
        for (k, e) in push.events.iter().enumerate() {
            let from = axis.x(e.happened_ms);
            svg::line(&mut out, "deadline", from, y - 2.0, from, y + BAR_H + 2.0);
            let tip = match (e.delivered_ms, e.latency_ms) {
                (Some(at), Some(latency)) => format!(
                    "event {}: happened at {}, the client had it at {} ({} later, in {})",
                    k + 1,
                    format_ms(e.happened_ms),
                    format_ms(at),
                    format_ms(latency),
                    e.request.as_deref().unwrap_or("?")
                ),
                _ => format!(
                    "event {}: happened at {}, never reached the client",
                    k + 1,
                    format_ms(e.happened_ms)
                ),
            };
            match e.delivered_ms {
                Some(at) => {
                    // At least a pixel wide, so a short latency still shows.
                    let w = (axis.x(at) - from).max(1.5);
                    let _ = writeln!(
                        out,
                        "<rect class=\"b-{key}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" data-event=\"{k}\"><title>{}</title></rect>",
                        num(from),
                        num(y),
                        num(w),
                        num(BAR_H),
                        escape(&tip)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "<path class=\"lost-mark\" d=\"M{} {}l6 6m0 -6l-6 6\"><title>{}</title></path>",
                        num(from - 3.0),
                        num(y + 3.0),
                        escape(&tip)
                    );
                }
            }
        }
        out.push_str("</g>\n");
    }
    svg::close(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use reuse_sim::push::comparison;
    use reuse_sim::{presets, simulate};

    #[test]
    fn each_event_is_a_bar_from_when_it_happened_to_when_it_arrived() {
        let scenario = presets::find("live-scores").unwrap().scenario();
        let runs: Vec<(&str, SimOutput)> = comparison(&scenario)
            .unwrap()
            .into_iter()
            .map(|(way, s)| (way.label, simulate(&s).unwrap()))
            .collect();
        let rows: Vec<(&str, &SimOutput)> = runs.iter().map(|(l, o)| (*l, o)).collect();
        let svg = push_svg(&rows, &RenderOptions::default());
        let doc = roxmltree::Document::parse(&svg).expect("well-formed");
        let bars: Vec<_> = doc.descendants().filter(|n| n.has_attribute("data-event")).collect();
        let events = scenario.push.as_ref().unwrap().events_ms.len();
        assert_eq!(bars.len(), runs.len() * events, "every event delivered in every way");
        // A bar's width is its latency on the picture's scale: the held-open
        // stream's RTT/2 is the narrowest, the polls' the widest.
        let width = |row: usize, event: usize| -> f64 {
            bars[row * events + event].attribute("width").unwrap().parse().unwrap()
        };
        for k in 0..events {
            assert!(width(3, k) <= width(1, k) && width(1, k) <= width(0, k), "event {k}");
        }
        assert!(svg.contains("data-view=\"push\""));
    }
}
