//! Connection lanes: per protocol a header, one row per connection with its
//! set-up, its requests, its idle periods and its close.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use reuse_sim::holds::{hold_spans, Hold, HoldSpan};
use reuse_sim::trace::{CloseReason, EventKind, Side};
use reuse_sim::variant::request_deltas;
use reuse_sim::{ConnectionResult, IdlePeriod, RequestResult, Scenario, SimOutput};

use crate::layout::{assign_sublanes, ellipsize, format_ms, text_width, TimeAxis};
use crate::svg::{self, escape, num};
use crate::waterfall::{hold_tip, hold_words, push_hold_swatches};
use crate::{RenderOptions, PAD};

const TITLE_Y: f64 = 22.0;
const AXIS_Y: f64 = 66.0;
const GROUP_HEADER_H: f64 = 26.0;
const ROW_GAP: f64 = 3.0;
const ROW_H: f64 = 18.0;
const BREAK_PX: f64 = 26.0;

/// Height of one connection row holding `sublanes` overlapping requests.
fn row_height(sublanes: usize) -> f64 {
    if sublanes <= 1 {
        ROW_H
    } else {
        (sublanes as f64 * sublane_height(sublanes)).max(ROW_H)
    }
}

fn sublane_height(sublanes: usize) -> f64 {
    match sublanes {
        0 | 1 => ROW_H - 2.0,
        2..=3 => 9.0,
        4..=8 => 6.0,
        9..=24 => 4.0,
        // Hundreds of multiplexed streams: thin, but every one is drawn.
        25..=60 => 3.0,
        _ => 2.0,
    }
}

/// Everything the axis must show: activity, and every close.
fn busy_intervals(outputs: &[&SimOutput]) -> Vec<(f64, f64)> {
    let mut busy = Vec::new();
    for output in outputs {
        busy.push((0.0, output.result.page_load_ms));
        for c in &output.result.connections {
            let last_end = output
                .result
                .requests
                .iter()
                .filter(|r| r.connection == c.id)
                .map(|r| r.end_ms)
                .fold(c.ready_ms.unwrap_or(c.opened_ms), f64::max);
            busy.push((c.opened_ms, last_end));
            if let Some(closed) = c.closed_ms {
                busy.push((closed, closed));
            }
        }
    }
    busy
}

/// Connection lanes of every run on one shared time axis.
pub fn lanes_svg_with(scenario: &Scenario, outputs: &[SimOutput], options: &RenderOptions) -> String {
    let lanes: Vec<Lane> = outputs
        .iter()
        .map(|output| Lane { label: output.result.protocol.label(), scenario, output })
        .collect();
    lanes_svg_of(&scenario.name, &lanes, options)
}

/// One group of lanes: a run, the scenario it ran and its heading's name
/// (a protocol's, or a variant's label).
pub struct Lane<'a> {
    pub label: &'a str,
    pub scenario: &'a Scenario,
    pub output: &'a SimOutput,
}

/// Connection lanes of runs of different scenarios (variants: a protocol
/// plus settings each) on one shared time axis, each group headed by its
/// label; `name` titles the picture. Each request of the second and later
/// groups says, on hover and in `data-earlier-ms`, how much earlier it was
/// done than the same request in the first group ("img3: … 400 ms earlier
/// than non-persistent", [`reuse_sim::variant::request_deltas`]).
pub fn lanes_svg_of(name: &str, lanes: &[Lane], options: &RenderOptions) -> String {
    let outputs: Vec<&SimOutput> = lanes.iter().map(|l| l.output).collect();
    let width = options.width();
    let multi_host = outputs.iter().flat_map(|o| &o.result.connections).any(|c| {
        outputs.first().and_then(|o| o.result.connections.first()).map(|f| f.host != c.host).unwrap_or(false)
    });
    let label_w = if multi_host { 190.0 } else { 44.0 };
    let x0 = PAD + label_w;
    // Room on the right for the words of a close at the very end of the axis.
    let close_words_w = outputs
        .iter()
        .flat_map(|o| &o.result.connections)
        .filter(|c| c.closed_ms.is_some())
        .map(|c| text_width(CloseReason::label(c.closed_by)))
        .fold(text_width("open"), f64::max);
    let x1 = width - PAD - close_words_w - 14.0;
    let longest_load = outputs.iter().map(|o| o.result.page_load_ms).fold(0.0, f64::max);
    // Gaps longer than a quarter of the page load are quiet time (keep-alive
    // idling, think time) and are cut out of the axis.
    let axis = TimeAxis::fit(&busy_intervals(&outputs), (longest_load * 0.25).max(1.0), x0, x1, BREAK_PX);

    let mut body = String::new();
    // Words over everything else (break bands included), so none is cut.
    let mut labels = String::new();
    let mut y = AXIS_Y + 8.0;
    let mut holds_seen: Vec<Hold> = Vec::new();
    for (index, lane) in lanes.iter().enumerate() {
        let (output, scenario) = (lane.output, lane.scenario);
        let run = &output.result;
        let compared = match lanes.first() {
            Some(first) if index > 0 => Some(Compared {
                label: first.label,
                earlier_ms: request_deltas(&first.output.result, run)
                    .into_iter()
                    .map(|d| (d.id.clone(), d.earlier_in_b_ms()))
                    .collect(),
            }),
            _ => None,
        };
        let p = run.protocol;
        let _ = writeln!(
            body,
            "<g class=\"protocol-group\" data-protocol=\"{}\" data-connections=\"{}\">",
            p.as_str(),
            run.connections.len()
        );
        let header = format!(
            "{}: page load {}, {} connection{}, set-up {}{}",
            lane.label,
            format_ms(run.page_load_ms),
            run.connections.len(),
            if run.connections.len() == 1 { "" } else { "s" },
            format_ms(run.totals.setup_ms),
            match run.totals.idle_closes {
                0 => String::new(),
                1 => ", 1 idle close".to_string(),
                n => format!(", {n} idle closes"),
            }
        );
        svg::text(&mut labels, "group-title", PAD, y + GROUP_HEADER_H / 2.0, "start", &header);
        y += GROUP_HEADER_H;
        let rows_top = y;
        // Requests lost to a close (the keep-alive race), from the trace: the
        // results only keep the attempt that succeeded.
        let lost: Vec<Lost> = output
            .trace
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::RequestLost { request, conn, closed_by, .. } => Some(Lost {
                    at_ms: e.time.as_ms(),
                    conn: *conn,
                    request: scenario.requests.get(*request as usize).map(|r| r.id.as_str()).unwrap_or("?"),
                    closed_by: *closed_by,
                }),
                _ => None,
            })
            .collect();
        // Held-back time (the engine's spans, as the waterfall draws them).
        let spans = hold_spans(&output.trace, run.requests.len());
        for hold in [Hold::LostPacket, Hold::EarlierResponse] {
            if spans.iter().any(|s| s.hold == hold && s.to_ms > s.from_ms) && !holds_seen.contains(&hold) {
                holds_seen.push(hold);
            }
        }
        for c in &run.connections {
            let on_conn: Vec<usize> =
                (0..run.requests.len()).filter(|&i| run.requests[i].connection == c.id).collect();
            let requests: Vec<&RequestResult> = on_conn.iter().map(|&i| &run.requests[i]).collect();
            // A request's spans within its bar on this connection (an
            // attempt lost to a close is not drawn here).
            let held: Vec<Vec<&HoldSpan>> = on_conn
                .iter()
                .map(|&i| {
                    let r = &run.requests[i];
                    spans
                        .iter()
                        .filter(|s| {
                            s.request as usize == i
                                && s.to_ms > s.from_ms
                                && s.from_ms >= r.sent_ms
                                && s.to_ms <= r.end_ms
                        })
                        .collect()
                })
                .collect();
            let intervals: Vec<(f64, f64)> = requests.iter().map(|r| (r.sent_ms, r.end_ms)).collect();
            let (lanes, sublanes) = assign_sublanes(&intervals);
            let h = row_height(sublanes);
            connection_row(
                &mut body,
                &mut labels,
                scenario,
                &axis,
                c,
                &requests,
                &held,
                &lost,
                &lanes,
                sublanes,
                RowBox { y, h, width, label_w, multi_host },
                p.as_str(),
                compared.as_ref(),
            );
            y += h + ROW_GAP;
        }
        let load_x = axis.x(run.page_load_ms);
        svg::line(&mut body, "load-mark", load_x, rows_top - 4.0, load_x, y - ROW_GAP + 2.0);
        body.push_str("</g>\n");
        y += 10.0;
    }
    if outputs.is_empty() {
        svg::text(&mut body, "note", PAD, y + 10.0, "start", "No runs to draw.");
        y += 24.0;
    }
    let bottom = y;

    let mut back = String::new();
    crate::axis(&mut back, &axis, AXIS_Y, bottom);
    let mut front = String::new();
    crate::breaks(&mut front, &axis, AXIS_Y, bottom);
    front.push_str(&labels);
    let mut items = vec![
        ("dns", "DNS"),
        ("connect", "Connect"),
        ("tls", "TLS"),
        ("wait", "Waiting (TTFB)"),
        ("download", "Download"),
    ];
    push_hold_swatches(&mut items, |hold| holds_seen.contains(&hold));
    items.extend([("idle", "Idle (keep-alive)"), ("close", "Close"), ("load", "Page load")]);
    if outputs.iter().any(|o| o.result.totals.retried_requests > 0) {
        items.push(("lost", "Request lost to a close, sent again"));
    }
    let legend_bottom = crate::legend(&mut front, &items, bottom + 14.0, width);
    let height = legend_bottom + PAD;

    let title = format!("Connection lanes: {name}");
    let mut out = String::new();
    svg::open(&mut out, width, height, &title, "lanes");
    svg::text(&mut out, "title", PAD, TITLE_Y - 4.0, "start", &title);
    let subtitle = if axis.breaks.is_empty() {
        "Time from the first request.".to_string()
    } else {
        "Time from the first request; white bands cut out quiet time (idle keep-alive, think time)."
            .to_string()
    };
    svg::text(&mut out, "subtitle", PAD, TITLE_Y + 14.0, "start", &subtitle);
    out.push_str(&back);
    out.push_str(&body);
    out.push_str(&front);
    svg::close(&mut out);
    out
}

/// A request sent on a connection that closed under it.
struct Lost<'a> {
    at_ms: f64,
    conn: u32,
    request: &'a str,
    closed_by: CloseReason,
}

/// Where a row goes and what its label column looks like.
/// Each request's end against the first group's (the groups after it).
struct Compared<'a> {
    label: &'a str,
    /// By request id (a page may have thousands).
    earlier_ms: BTreeMap<String, f64>,
}

impl Compared<'_> {
    /// How much earlier `id` was done here than in the first group, and the
    /// words for it.
    fn of(&self, id: &str) -> Option<(f64, String)> {
        let earlier = *self.earlier_ms.get(id)?;
        Some((earlier, earlier_words(earlier, self.label)))
    }
}

/// "300 ms earlier than non-persistent": how much earlier a request had its
/// whole response than under the variant `than` (negative: later). The
/// app's player says the same on hover.
pub fn earlier_words(earlier_ms: f64, than: &str) -> String {
    if earlier_ms > 0.0 {
        format!("{} earlier than {than}", format_ms(earlier_ms))
    } else if earlier_ms < 0.0 {
        format!("{} later than {than}", format_ms(-earlier_ms))
    } else {
        format!("at the same time as {than}")
    }
}

struct RowBox {
    y: f64,
    h: f64,
    width: f64,
    label_w: f64,
    multi_host: bool,
}

#[allow(clippy::too_many_arguments)]
fn connection_row(
    out: &mut String,
    labels: &mut String,
    scenario: &Scenario,
    axis: &TimeAxis,
    c: &ConnectionResult,
    requests: &[&RequestResult],
    held: &[Vec<&HoldSpan>],
    lost: &[Lost<'_>],
    lanes: &[usize],
    sublanes: usize,
    row: RowBox,
    protocol: &str,
    compared: Option<&Compared>,
) {
    let RowBox { y, h, width, label_w, multi_host } = row;
    let x = |t: f64| axis.x(t);
    let mid = y + h / 2.0;
    let _ = writeln!(
        out,
        "<g class=\"lane\" data-protocol=\"{protocol}\" data-conn=\"{}\" data-closed-by=\"{}\">",
        c.id,
        c.closed_by.as_str()
    );
    svg::rect(out, "row-bg", PAD, y, width - 2.0 * PAD, h, None);
    let label = if multi_host {
        ellipsize(&format!("#{} {}", c.id, c.host), ((label_w - 8.0) / 6.2) as usize)
    } else {
        format!("#{}", c.id)
    };
    svg::text(out, "row-label", PAD + 4.0, mid, "start", &label);

    // Set-up: DNS, TCP handshake, TLS handshake, back to back from the open.
    let mut t = c.opened_ms;
    for (phase, ms, what) in [
        ("dns", c.dns_ms, "DNS lookup"),
        ("connect", c.connect_ms, "TCP handshake"),
        ("tls", c.tls_ms, "TLS handshake"),
    ] {
        if ms > 0.0 {
            let tip = format!("connection {}: {what} {} (from {})", c.id, format_ms(ms), format_ms(t));
            svg::rect(
                out,
                &format!("ph-{phase}"),
                x(t),
                y + 1.0,
                (x(t + ms) - x(t)).max(1.0),
                h - 2.0,
                Some(&tip),
            );
        }
        t += ms;
    }

    // Idle periods first, so requests and closes draw over their ends.
    for period in &c.idle {
        idle(out, labels, scenario, axis, c, period, mid);
    }

    let sub_h = if sublanes <= 1 { h - 2.0 } else { sublane_height(sublanes) };
    for (i, (r, &lane)) in requests.iter().zip(lanes).enumerate() {
        let ry = y + 1.0 + lane as f64 * sub_h;
        let bar_h = if sublanes > 1 { (sub_h - 1.0).max(1.0) } else { sub_h };
        let (sent, first, end) = (r.sent_ms, r.first_byte_ms, r.end_ms);
        let against = compared.and_then(|cmp| cmp.of(&r.id));
        let tip = format!(
            "{} on connection {}{}: sent at {}, first byte at {}, done at {}{}",
            r.id,
            c.id,
            r.stream.map(|s| format!(" (stream {s})")).unwrap_or_default(),
            format_ms(sent),
            format_ms(first),
            format_ms(end),
            against.as_ref().map(|(_, words)| format!(", {words}")).unwrap_or_default()
        );
        match &against {
            Some((earlier, _)) => {
                let _ = writeln!(
                    out,
                    "<g class=\"request\" data-request=\"{}\" data-earlier-ms=\"{}\">",
                    escape(&r.id),
                    num(*earlier)
                );
            }
            None => {
                let _ = writeln!(out, "<g class=\"request\" data-request=\"{}\">", escape(&r.id));
            }
        }
        if first > sent {
            svg::rect(out, "ph-wait", x(sent), ry, (x(first) - x(sent)).max(0.5), bar_h, Some(&tip));
        }
        svg::rect(out, "ph-download", x(first), ry, (x(end) - x(first)).max(1.0), bar_h, Some(&tip));
        for span in held.get(i).into_iter().flatten() {
            let (class, _) = hold_words(span.hold);
            let tip = hold_tip(&r.id, span);
            let inset = (bar_h / 4.0).min(2.0);
            let w = (x(span.to_ms) - x(span.from_ms)).max(1.0);
            svg::rect(out, class, x(span.from_ms), ry + inset, w, bar_h - 2.0 * inset, Some(&tip));
        }
        let bar_w = x(end) - x(sent);
        if sublanes <= 1 && bar_w > text_width(&r.id) + 6.0 {
            svg::text(out, "request-label", x(sent) + 3.0, mid, "start", &r.id);
        }
        out.push_str("</g>\n");
    }

    for l in lost.iter().filter(|l| l.conn == c.id) {
        let lx = x(l.at_ms);
        let _ = writeln!(
            out,
            "<path class=\"lost-mark\" d=\"M{} {} l6 6 M{} {} l-6 6\"><title>{} lost at {}: connection {} was closed ({}) before the server read it; sent again</title></path>",
            num(lx - 3.0),
            num(mid - 3.0),
            num(lx + 3.0),
            num(mid - 3.0),
            escape(l.request),
            format_ms(l.at_ms),
            c.id,
            escape(&reuse_sim::describe_close(scenario, l.closed_by)),
        );
    }

    if let Some(closed) = c.closed_ms {
        let cx = x(closed);
        let words = CloseReason::label(c.closed_by);
        let _ = writeln!(
            out,
            "<path class=\"close-mark\" d=\"M{cx} {} V{} M{cx} {} H{}\"><title>connection {} closed at {}: {}</title></path>",
            num(y),
            num(y + h),
            num(mid),
            num(cx + 5.0),
            c.id,
            format_ms(closed),
            escape(&reuse_sim::describe_close(scenario, c.closed_by)),
            cx = num(cx),
        );
        // The server may close before its last bytes arrive: words go after
        // whatever is still drawn on the row, or before the mark if no room.
        let busy_until = requests.iter().map(|r| r.end_ms).fold(closed, f64::max);
        let label_x = x(busy_until).max(cx) + 8.0;
        if label_x + text_width(words) < width - PAD {
            svg::text_on_white(labels, "close-label", label_x, mid, "start", words);
        } else {
            svg::text_on_white(labels, "close-label", cx - 6.0, mid, "end", words);
        }
    } else {
        svg::text_on_white(labels, "note", axis.end_x() - 2.0, mid, "end", "open");
    }
    out.push_str("</g>\n");
}

/// A dashed line over the idle period, with the keep-alive deadline that
/// ends it (a tick where it fires) and, where there is room, a note.
fn idle(
    out: &mut String,
    labels: &mut String,
    scenario: &Scenario,
    axis: &TimeAxis,
    c: &ConnectionResult,
    p: &IdlePeriod,
    mid: f64,
) {
    let (x0, x1) = (axis.x(p.from_ms), axis.x(p.to_ms));
    let deadline = p.deadline_ms;
    let (who, timeout) = match p.deadline_side {
        Side::Server => ("server", scenario.server.keep_alive_timeout_ms),
        Side::Client => ("client", scenario.client.idle_timeout_ms),
    };
    let fired = deadline <= p.to_ms + 1e-6;
    let tip = format!(
        "connection {} idle from {} to {}; the {who} closes it at {} ({who} timeout {}){}",
        c.id,
        format_ms(p.from_ms),
        format_ms(p.to_ms),
        format_ms(deadline),
        format_ms(timeout),
        if fired { "" } else { ", but a request came first" }
    );
    let _ = writeln!(
        out,
        "<g class=\"idle\"><title>{}</title>\n<line class=\"idle-line\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        escape(&tip),
        num(x0),
        num(mid),
        num(x1),
        num(mid)
    );
    if fired {
        let dx = axis.x(deadline);
        svg::line(out, "deadline", dx, mid - 5.0, dx, mid + 5.0);
    }
    let note = format!("idle, {who} keep-alive {}", format_ms(timeout));
    // The note stays within the stretch of axis it starts on.
    let stretch_end = axis.breaks.iter().map(|b| b.2).find(|&bx| bx > x0).unwrap_or(x1).min(x1);
    if stretch_end - x0 > text_width(&note) + 16.0 {
        svg::text_on_white(labels, "note", x0 + 8.0, mid, "start", &note);
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_grow_with_overlapping_requests() {
        assert_eq!(row_height(1), ROW_H);
        let mut previous = row_height(1);
        for n in 2..400 {
            let h = row_height(n);
            assert!(h >= previous.min(h) && h >= n as f64 * sublane_height(n) - 1e-9, "{n}: {h}");
            assert!(sublane_height(n) >= 2.0, "{n} sublanes stay visible");
            previous = h;
        }
    }

    #[test]
    fn every_close_reason_has_words() {
        for reason in [
            CloseReason::ServerClose,
            CloseReason::ServerIdleTimeout,
            CloseReason::ClientIdleTimeout,
            CloseReason::MaxRequests,
            CloseReason::Error,
            CloseReason::Open,
            CloseReason::ServerReadTimeout,
            CloseReason::Middlebox,
            CloseReason::TimedOut,
            CloseReason::ErrorResponse,
        ] {
            assert!(!CloseReason::label(reason).is_empty());
        }
    }
}
