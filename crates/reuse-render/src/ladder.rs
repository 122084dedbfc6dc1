//! The ladder (sequence) diagram of one TCP connection: a client line and a
//! server line, time running down, every packet an arrow from when it starts
//! to leave to when it arrives; TCP states beside the lines, a time scale on
//! the left, quiet stretches folded.

use std::fmt::Write as _;

use reuse_sim::trace::{ConnId, EventKind, PacketInfo, Side};
use reuse_sim::{DescribeContext, Scenario, SimOutput};

use crate::layout::{ellipsize, format_count, format_ms, text_width, ticks, TimeAxis};
use crate::svg::{self, escape, num};
use crate::{RenderError, RenderOptions, PAD};

const TITLE_Y: f64 = 22.0;
/// Where time starts on the page (the end labels and first states above).
const TOP: f64 = 104.0;
/// The time scale's column.
const TIME_W: f64 = 62.0;
/// Room beside each line for the TCP states.
const STATE_W: f64 = 104.0;
const BREAK_PX: f64 = 30.0;
const MIN_BODY_PX: f64 = 240.0;
/// The linear part of the body is at most this tall (the stretch where
/// packets crowd comes on top).
const MAX_LINEAR_PX: f64 = 12_000.0;
/// A one-way trip (half the RTT) on the linear scale, so arrows slope.
const ONE_WAY_PX: f64 = 80.0;
/// Each distinct event time at least this far below the previous one.
const MIN_STEP_PX: f64 = 4.0;
/// Packets leaving one side at the same instant are fanned this far apart…
const FAN_PX: f64 = 3.0;
/// …the whole fan no taller than this.
const FAN_MAX_PX: f64 = 36.0;
/// Labels on one side at least this far apart; the rest give way.
const LABEL_GAP_PX: f64 = 12.0;
const STATE_GAP_PX: f64 = 12.0;

/// The most packets one ladder draws. A larger connection (a 20 MB download
/// has ~27 000) is drawn as its first and last `MAX_LADDER_PACKETS / 2`
/// packets, the middle folded into one band that says how many packets, how
/// many lost and retransmitted, over how long, were left out. Every arrow is
/// ~300 bytes of SVG, so a ladder stays well under 1 MB.
pub const MAX_LADDER_PACKETS: usize = 2400;

/// A packet as drawn.
struct Arrow<'a> {
    packet: &'a PacketInfo,
    event: usize,
    /// Sent, and arrival (for a lost packet: half way, where it dies).
    t0: f64,
    t1: f64,
    /// Fan offset for packets that leave one side at the same instant.
    offset: f64,
}

/// Packets the fold leaves out, summed for its band.
struct Folded {
    packets: usize,
    lost: usize,
    retransmissions: usize,
    from_ms: f64,
    to_ms: f64,
    cut_ms: Option<f64>,
}

/// A TCP state change: time, trace index, side, from, to.
type StateChange = (f64, usize, Side, &'static str, &'static str);

/// The ladder diagram of connection `conn` of one run.
///
/// Time runs down from the connection's first packet. The scale: a one-way
/// trip (half the RTT) is 80 px (less when the connection is busy so long
/// that this would pass 12 000 px), and where packets crowd (a burst at
/// link speed) the scale stretches so that each distinct send or arrival
/// time is at least 4 px below the previous one: every arrow is seen, and
/// the time scale on the left stays true (its ticks are placed through the
/// same map). A stretch with nothing in flight longer than 1.5 RTT (at
/// least 5 ms) is folded into a band that says how long it was, so a 5 s
/// keep-alive idle costs 30 px. Packets that leave one side at the same
/// instant (an infinitely fast link) are fanned 3 px apart. Every packet is
/// drawn up to [`MAX_LADDER_PACKETS`]; beyond that the middle is folded
/// (see there). A burst of packets with the same words from one side is
/// labelled once with its count ("DATA x ×20"); labels give way where they
/// would overlap, plain ACKs first; every arrow keeps its full description
/// as a tooltip.
pub fn ladder_svg_with(
    scenario: &Scenario,
    output: &SimOutput,
    conn: ConnId,
    options: &RenderOptions,
) -> Result<String, RenderError> {
    let run = &output.result;
    let Some(c) = run.connections.iter().find(|c| c.id == conn) else {
        return Err(RenderError::UnknownConnection {
            conn,
            protocol: run.protocol,
            ids: run.connections.iter().map(|c| c.id).collect(),
        });
    };
    let width = options.width();
    let client_x = PAD + TIME_W + STATE_W;
    let server_x = width - PAD - STATE_W;

    let packets: Vec<(usize, &PacketInfo)> = output
        .trace
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match &e.kind {
            EventKind::PacketSent(p) if p.conn == conn => Some((i, p)),
            _ => None,
        })
        .collect();
    let (drawn, folded) = fold(&packets);
    let mut arrows: Vec<Arrow<'_>> = drawn
        .iter()
        .map(|&(event, packet)| {
            let (t0, t1) = (packet.sent.as_ms(), packet.arrives.as_ms());
            let t1 = if packet.lost { t0 + (t1 - t0) / 2.0 } else { t1 };
            Arrow { packet, event, t0, t1, offset: 0.0 }
        })
        .collect();
    fan(&mut arrows);

    let states: Vec<StateChange> = output
        .trace
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e.kind {
            EventKind::TcpStateChanged { conn: c, side, from, to } if c == conn => {
                Some((e.time.as_ms(), i, side, from.as_str(), to.as_str()))
            }
            _ => None,
        })
        .collect();

    // The vertical axis: busy while a packet is in flight, plus each state
    // change (one inside the folded middle stays out, or it would split the fold).
    let in_fold = |t: f64| folded.as_ref().is_some_and(|f| t > f.from_ms && t < f.to_ms);
    let mut busy: Vec<(f64, f64)> = arrows.iter().map(|a| (a.t0, a.t1.max(a.t0 + 0.001))).collect();
    busy.extend(states.iter().filter(|s| !in_fold(s.0)).map(|s| (s.0, s.0)));
    let rtt = scenario.network.rtt_ms.max(0.001);
    let max_gap = (1.5 * rtt).max(5.0);
    let cuts: Vec<f64> = folded.as_ref().and_then(|f| f.cut_ms).into_iter().collect();
    // The ladder starts when the connection does (its first packet; the
    // lanes show where that falls in the page load).
    let origin = arrows.first().map(|a| a.t0).unwrap_or(c.opened_ms).min(c.opened_ms);
    let trial = TimeAxis::fit_with_cuts(&busy, max_gap, 0.0, 1000.0, BREAK_PX, origin, &cuts);
    let busy_ms: f64 = trial.pieces.iter().map(|p| p.1 - p.0).sum();
    let body = (busy_ms * ONE_WAY_PX / (rtt / 2.0)).clamp(MIN_BODY_PX, MAX_LINEAR_PX);
    let axis = TimeAxis::fit_with_cuts(
        &busy,
        max_gap,
        TOP,
        TOP + body + trial.breaks.len() as f64 * BREAK_PX,
        BREAK_PX,
        origin,
        &cuts,
    );
    // Every send and arrival (with its fan) and state change gets room.
    let mut events: Vec<(f64, f64)> =
        arrows.iter().flat_map(|a| [(a.t0, a.offset), (a.t1, a.offset)]).collect();
    events.extend(states.iter().map(|s| (s.0, 0.0)));
    let warp = Warp::new(axis, &events);
    let y = |t: f64| warp.y(t);
    let deepest = arrows.iter().map(|a| y(a.t1) + a.offset).fold(warp.end(), f64::max);
    let bottom = deepest + 16.0;

    let mut back = String::new();
    time_scale(&mut back, &warp, client_x, server_x, bottom);
    for &(from, to, _, _) in &warp.axis.breaks {
        let (y0, y1) = (y(from), y(to));
        let is_fold = folded.as_ref().and_then(|f| f.cut_ms).is_some_and(|cut| from <= cut && cut <= to);
        let words = match (&folded, is_fold) {
            (Some(f), true) => format!(
                "⋯ {} packets over {} not drawn ({} lost, {} retransmitted) ⋯",
                format_count(f.packets as u64),
                format_ms(f.to_ms - f.from_ms),
                f.lost,
                f.retransmissions
            ),
            _ => format!("⋯ {} with nothing in flight ⋯", format_ms(to - from)),
        };
        let class = if is_fold { "fold-band fold-packets" } else { "fold-band" };
        svg::rect(&mut back, class, PAD, y0 + 3.0, width - 2.0 * PAD, (y1 - y0 - 6.0).max(1.0), None);
        svg::text(&mut back, "fold-text", (client_x + server_x) / 2.0, (y0 + y1) / 2.0, "middle", &words);
    }
    if let (Some(f), None) = (&folded, folded.as_ref().and_then(|f| f.cut_ms)) {
        // Packets overlap the fold in time: a note where it would be.
        let words = format!("⋯ {} packets not drawn here ⋯", format_count(f.packets as u64));
        svg::text_on_white(
            &mut back,
            "fold-text",
            (client_x + server_x) / 2.0,
            y(f.from_ms),
            "middle",
            &words,
        );
    }
    for x in [client_x, server_x] {
        svg::line(&mut back, "endpoint", x, TOP - 14.0, x, bottom);
    }
    svg::text(&mut back, "end-label", client_x, TOP - 50.0, "middle", "client");
    svg::text(&mut back, "end-label", server_x, TOP - 50.0, "middle", "server");

    let mut front = String::new();
    draw_states(&mut front, scenario, output, &states, &warp, client_x, server_x);
    draw_arrows(&mut front, scenario, output, &arrows, &warp, client_x, server_x);

    let mut items = vec![("pkt-up", "client → server"), ("pkt-down", "server → client")];
    if arrows.iter().any(|a| a.packet.lost) {
        items.push(("lost", "lost on the way"));
    }
    if arrows.iter().any(|a| a.packet.retransmission) {
        items.push(("retx", "retransmission"));
    }
    items.push(("state", "TCP state (RFC 9293 names)"));
    if !warp.axis.breaks.is_empty() {
        items.push(("fold", "folded: nothing in flight"));
    }
    if packets.is_empty() {
        svg::text(&mut front, "note", client_x, TOP + 20.0, "start", "No packets on this connection.");
    }
    let legend_bottom = crate::legend(&mut front, &items, bottom + 16.0, width);
    let height = legend_bottom + PAD;

    let title = format!("Ladder: connection {} ({}), {}", c.id, run.protocol.label(), scenario.name);
    let lost = packets.iter().filter(|(_, p)| p.lost).count();
    let closed = match c.closed_ms {
        Some(t) => {
            format!("closed at {}: {}", format_ms(t), reuse_sim::describe_close(scenario, c.closed_by))
        }
        None => "still open at the end".to_string(),
    };
    let subtitle = format!(
        "{} · {} packet{}, {lost} lost, {} retransmitted · {closed} · time runs down",
        c.host,
        format_count(packets.len() as u64),
        if packets.len() == 1 { "" } else { "s" },
        c.retransmissions
    );
    // One line across the picture, whatever the width.
    let subtitle = ellipsize(&subtitle, ((width - 2.0 * PAD) / 6.2) as usize);
    let mut out = String::new();
    svg::open(&mut out, width, height, &title, "ladder");
    // The visible title fits the width; the document's <title> keeps it whole.
    let shown_title = ellipsize(&title, ((width - 2.0 * PAD) / 8.2) as usize);
    svg::text(&mut out, "title", PAD, TITLE_Y - 4.0, "start", &shown_title);
    svg::text(&mut out, "subtitle", PAD, TITLE_Y + 14.0, "start", &subtitle);
    let _ = writeln!(
        out,
        "<g class=\"ladder\" data-protocol=\"{}\" data-conn=\"{}\" data-packets=\"{}\" data-packets-drawn=\"{}\">",
        run.protocol.as_str(),
        c.id,
        packets.len(),
        arrows.len()
    );
    out.push_str(&back);
    out.push_str(&front);
    out.push_str("</g>\n");
    svg::close(&mut out);
    Ok(out)
}

/// The packets to draw, and what the fold leaves out (if anything).
fn fold<'a>(packets: &[(usize, &'a PacketInfo)]) -> (Vec<(usize, &'a PacketInfo)>, Option<Folded>) {
    if packets.len() <= MAX_LADDER_PACKETS {
        return (packets.to_vec(), None);
    }
    let half = MAX_LADDER_PACKETS / 2;
    let (head, rest) = packets.split_at(half);
    let (middle, tail) = rest.split_at(rest.len() - half);
    let end = |p: &PacketInfo| {
        let (t0, t1) = (p.sent.as_ms(), p.arrives.as_ms());
        if p.lost {
            t0 + (t1 - t0) / 2.0
        } else {
            t1
        }
    };
    let head_end = head.iter().map(|(_, p)| end(p)).fold(f64::NEG_INFINITY, f64::max);
    let tail_start = tail.iter().map(|(_, p)| p.sent.as_ms()).fold(f64::INFINITY, f64::min);
    let folded = Folded {
        packets: middle.len(),
        lost: middle.iter().filter(|(_, p)| p.lost).count(),
        retransmissions: middle.iter().filter(|(_, p)| p.retransmission).count(),
        from_ms: middle.iter().map(|(_, p)| p.sent.as_ms()).fold(f64::INFINITY, f64::min),
        to_ms: middle.iter().map(|(_, p)| end(p)).fold(f64::NEG_INFINITY, f64::max),
        cut_ms: (head_end < tail_start).then_some((head_end + tail_start) / 2.0),
    };
    let drawn = head.iter().chain(tail).copied().collect();
    (drawn, Some(folded))
}

/// Fans out packets that leave one side at the same instant.
fn fan(arrows: &mut [Arrow<'_>]) {
    for side in [Side::Client, Side::Server] {
        let indices: Vec<usize> = (0..arrows.len()).filter(|&i| arrows[i].packet.from == side).collect();
        let mut start = 0;
        while start < indices.len() {
            let sent = arrows[indices[start]].packet.sent;
            let mut end = start + 1;
            while end < indices.len() && arrows[indices[end]].packet.sent == sent {
                end += 1;
            }
            let n = end - start;
            if n > 1 {
                let step = FAN_PX.min(FAN_MAX_PX / (n - 1) as f64);
                for (k, &i) in indices[start..end].iter().enumerate() {
                    arrows[i].offset = k as f64 * step;
                }
            }
            start = end;
        }
    }
}

/// Time → y for the ladder: the folded linear axis, stretched where events
/// crowd so that each distinct event time lies at least [`MIN_STEP_PX`]
/// (plus the height of its fan) below the one before. Monotonic, so ticks
/// placed through it stay true.
struct Warp {
    axis: TimeAxis,
    times: Vec<f64>,
    ys: Vec<f64>,
}

impl Warp {
    /// `events`: (time, fan height at that time).
    fn new(axis: TimeAxis, events: &[(f64, f64)]) -> Self {
        // Control times: the events, and the ends of every stretch (so the
        // fold bands keep their height); equal times merge.
        let mut controls: Vec<(f64, Option<f64>)> =
            events.iter().filter(|e| e.0.is_finite()).map(|&(t, fan)| (t, Some(fan))).collect();
        controls.extend(axis.pieces.iter().flat_map(|p| [(p.0, None), (p.1, None)]));
        controls.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut merged: Vec<(f64, Option<f64>)> = Vec::with_capacity(controls.len());
        for (t, fan) in controls {
            match merged.last_mut() {
                Some(last) if last.0 == t => {
                    last.1 = match (last.1, fan) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        (a, b) => a.or(b),
                    }
                }
                _ => merged.push((t, fan)),
            }
        }
        let mut times = Vec::with_capacity(merged.len());
        let mut ys: Vec<f64> = Vec::with_capacity(merged.len());
        let mut room_after = 0.0;
        for (t, fan) in merged {
            let y = match (times.last(), ys.last()) {
                (Some(&pt), Some(&py)) => py + (axis.x(t) - axis.x(pt)).max(room_after),
                _ => axis.x(t),
            };
            times.push(t);
            ys.push(y);
            room_after = fan.map(|f| MIN_STEP_PX + f).unwrap_or(0.0);
        }
        Warp { axis, times, ys }
    }

    fn y(&self, t: f64) -> f64 {
        let (Some(&first), Some(&last)) = (self.times.first(), self.times.last()) else {
            return self.axis.x(t);
        };
        if t.is_nan() || t <= first {
            return self.ys[0];
        }
        if t >= last {
            return self.ys[self.ys.len() - 1] + self.axis.x(t) - self.axis.x(last);
        }
        let i = self.times.partition_point(|&c| c <= t);
        let (t0, t1, y0, y1) = (self.times[i - 1], self.times[i], self.ys[i - 1], self.ys[i]);
        if t1 > t0 {
            y0 + (t - t0) / (t1 - t0) * (y1 - y0)
        } else {
            y0
        }
    }

    fn end(&self) -> f64 {
        self.ys.last().copied().unwrap_or_else(|| self.axis.end_x())
    }
}

/// Tick labels on the left and grid lines between the two lines, per
/// unbroken stretch (a stretch too short for a tick still gets its time).
fn time_scale(out: &mut String, warp: &Warp, client_x: f64, server_x: f64, bottom: f64) {
    let axis = &warp.axis;
    let step = axis.tick_step(40.0);
    let label_x = PAD + TIME_W - 8.0;
    out.push_str("<g class=\"time-scale\">\n");
    svg::line(out, "axis-line", PAD + TIME_W - 2.0, TOP, PAD + TIME_W - 2.0, bottom);
    let mut last_label_y = f64::NEG_INFINITY;
    for &(a, b, _, _) in &axis.pieces {
        let piece_ticks = ticks(a, b, step);
        let labels: Vec<(f64, String)> = if piece_ticks.is_empty() {
            vec![(a, format_ms(a))]
        } else {
            piece_ticks.iter().map(|&t| (t, crate::layout::format_tick(t, step))).collect()
        };
        for &t in &piece_ticks {
            svg::line(out, "grid", client_x, warp.y(t), server_x, warp.y(t));
        }
        for (t, label) in labels {
            let y = warp.y(t);
            if y - last_label_y >= 14.0 {
                svg::line(out, "axis-line", PAD + TIME_W - 6.0, y, PAD + TIME_W - 2.0, y);
                svg::text(out, "tick-label", label_x, y, "end", &label);
                last_label_y = y;
            }
        }
    }
    out.push_str("</g>\n");
}

fn draw_states(
    out: &mut String,
    scenario: &Scenario,
    output: &SimOutput,
    states: &[StateChange],
    warp: &Warp,
    client_x: f64,
    server_x: f64,
) {
    let cx = DescribeContext { scenario, hosts: &output.hosts };
    let place = |side: Side| match side {
        Side::Client => (client_x - 8.0, "end"),
        Side::Server => (server_x + 8.0, "start"),
    };
    out.push_str("<g class=\"tcp-states\">\n");
    // Each side starts in the state its first change leaves.
    for side in [Side::Client, Side::Server] {
        if let Some(&(_, _, _, from, _)) = states.iter().find(|s| s.2 == side) {
            let center = if side == Side::Client { client_x } else { server_x };
            let _ = writeln!(
                out,
                "<text class=\"tcp-state\" data-side=\"{}\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                side.as_str(),
                num(center),
                num(TOP - 30.0 + 4.0),
                from
            );
        }
    }
    let mut next_free = [f64::NEG_INFINITY; 2];
    for &(t, event, side, _, to) in states {
        let (x, anchor) = place(side);
        // Changes closer than a line apart stack downwards, none is dropped.
        let y = warp.y(t).max(next_free[side.index()]);
        next_free[side.index()] = y + STATE_GAP_PX;
        let tip = format!("{} (at {})", output.trace[event].describe(cx), format_ms(t));
        let _ = writeln!(
            out,
            "<g class=\"tcp-state-change\"><title>{}</title><text class=\"tcp-state\" data-side=\"{}\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{to}</text></g>",
            escape(&tip),
            side.as_str(),
            num(x),
            num(y + 4.0),
        );
    }
    out.push_str("</g>\n");
}

/// How much a label matters when labels compete for room: handshake, close,
/// loss and retransmission first, requests and data next, plain ACKs last.
fn label_rank(packet: &PacketInfo, text: &str) -> u8 {
    let f = packet.flags;
    if packet.lost || packet.retransmission || f.syn || f.fin || f.rst {
        0
    } else if text == "ACK" {
        2
    } else {
        1
    }
}

fn draw_arrows(
    out: &mut String,
    scenario: &Scenario,
    output: &SimOutput,
    arrows: &[Arrow<'_>],
    warp: &Warp,
    client_x: f64,
    server_x: f64,
) {
    let cx = DescribeContext { scenario, hosts: &output.hosts };
    let y = |t: f64| warp.y(t);
    let texts: Vec<String> = arrows.iter().map(|a| a.packet.label(scenario)).collect();

    // Label candidates: a burst of packets with the same words from one side
    // (each sent within a quarter RTT of the one before) gets one label on
    // its first arrow with the count, so slow start reads "×10, ×20, ×40".
    let burst_gap_ms = scenario.network.rtt_ms.max(0.0) / 4.0;
    let mut candidates: Vec<(usize, String)> = Vec::new();
    for side in [Side::Client, Side::Server] {
        let indices: Vec<usize> = (0..arrows.len()).filter(|&i| arrows[i].packet.from == side).collect();
        let mut start = 0;
        while start < indices.len() {
            let first = indices[start];
            let mut end = start + 1;
            while end < indices.len()
                && arrows[indices[end]].t0 - arrows[indices[end - 1]].t0 <= burst_gap_ms
                && texts[indices[end]] == texts[first]
            {
                end += 1;
            }
            let n = end - start;
            let text = if n > 1 { format!("{} ×{n}", texts[first]) } else { texts[first].clone() };
            candidates.push((first, text));
            start = end;
        }
    }
    candidates.sort_by_key(|&(i, _)| (label_rank(arrows[i].packet, &texts[i]), i));
    let mut taken: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut labels: Vec<Option<String>> = vec![None; arrows.len()];
    for (i, text) in candidates {
        let a = &arrows[i];
        let side = a.packet.from.index();
        let at = y(a.t0) + a.offset;
        if taken[side].iter().all(|&other| (other - at).abs() >= LABEL_GAP_PX) {
            taken[side].push(at);
            labels[i] = Some(text);
        }
    }

    let mut words = String::new();
    out.push_str("<g class=\"packets\">\n");
    for (a, label) in arrows.iter().zip(&labels) {
        let p = a.packet;
        let from_client = p.from == Side::Client;
        let (xa, xb) = if from_client { (client_x, server_x) } else { (server_x, client_x) };
        let ya = y(a.t0) + a.offset;
        let (xe, ye) = if p.lost { ((xa + xb) / 2.0, y(a.t1) + a.offset) } else { (xb, y(a.t1) + a.offset) };
        let mut class = String::from(if from_client { "pkt pkt-up" } else { "pkt pkt-down" });
        if p.lost {
            class.push_str(" pkt-lost");
        }
        if p.retransmission {
            class.push_str(" pkt-retx");
        }
        let mut tip = output.trace[a.event].describe(cx);
        let _ = write!(tip, "; sent at {}", format_ms(p.sent.as_ms()));
        if p.lost {
            let _ = write!(tip, ", would have arrived at {}", format_ms(p.arrives.as_ms()));
        } else {
            let _ = write!(tip, ", arrives at {}", format_ms(p.arrives.as_ms()));
        }
        let _ = write!(
            out,
            "<g class=\"{class}\" data-packet=\"{}\" data-from=\"{}\"><title>{}</title>\
             <line class=\"pkt-line\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            p.id,
            p.from.as_str(),
            escape(&tip),
            num(xa),
            num(ya),
            num(xe),
            num(ye)
        );
        if p.lost {
            let _ = write!(
                out,
                "<path class=\"lost-mark\" d=\"M{} {} l8 8 M{} {} l-8 8\"/>",
                num(xe - 4.0),
                num(ye - 4.0),
                num(xe + 4.0),
                num(ye - 4.0)
            );
        } else {
            arrow_head(out, xa, ya, xe, ye);
        }
        if p.retransmission {
            let _ =
                write!(out, "<circle class=\"retx-mark\" cx=\"{}\" cy=\"{}\" r=\"3.5\"/>", num(xa), num(ya));
        }
        out.push_str("</g>\n");
        if p.lost {
            svg::text_on_white(&mut words, "lost-label", xe + 9.0, ye, "start", "lost");
        }
        if let Some(text) = label {
            let (x, anchor) = if from_client { (xa + 8.0, "start") } else { (xa - 8.0, "end") };
            let w = text_width(text) * 10.0 / 11.0;
            let left = if from_client { x } else { x - w };
            svg::rect(&mut words, "label-bg", left - 2.0, ya - 13.0, w + 4.0, 12.0, None);
            let _ = writeln!(
                words,
                "<text class=\"pkt-label\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                num(x),
                num(ya - 3.5),
                escape(text)
            );
        }
    }
    out.push_str("</g>\n<g class=\"packet-labels\">\n");
    out.push_str(&words);
    out.push_str("</g>\n");
}

/// A filled arrow head at `(x1, y1)`, pointing along the line.
fn arrow_head(out: &mut String, x0: f64, y0: f64, x1: f64, y1: f64) {
    let (dx, dy) = (x1 - x0, y1 - y0);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    let (bx, by) = (x1 - 8.0 * ux, y1 - 8.0 * uy);
    let (nx, ny) = (-uy * 3.2, ux * 3.2);
    let _ = write!(
        out,
        "<path class=\"pkt-head\" d=\"M{} {}L{} {}L{} {}Z\"/>",
        num(x1),
        num(y1),
        num(bx + nx),
        num(by + ny),
        num(bx - nx),
        num(by - ny)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use reuse_sim::trace::{Content, Flags};
    use reuse_sim::SimTime;

    fn packet(id: u64, from: Side, sent_ns: u64) -> PacketInfo {
        PacketInfo {
            id,
            conn: 1,
            from,
            flags: Flags::ACK,
            seq: 0,
            ack: 0,
            payload_bytes: 0,
            wire_bytes: 40,
            queued_at: SimTime(sent_ns),
            sent: SimTime(sent_ns),
            departed: SimTime(sent_ns),
            arrives: SimTime(sent_ns + 50_000_000),
            lost: false,
            queue_drop: false,
            retransmission: false,
            content: Content::None,
            more_content: 0,
            quic: None,
            note: None,
            cwnd_bytes: 0,
        }
    }

    #[test]
    fn simultaneous_packets_fan_out_within_bounds_and_others_stay_put() {
        let packets: Vec<PacketInfo> = (0..40)
            .map(|i| packet(i, Side::Server, 0))
            .chain([packet(40, Side::Client, 0), packet(41, Side::Server, 1_000_000)])
            .collect();
        let mut arrows: Vec<Arrow<'_>> =
            packets.iter().map(|p| Arrow { packet: p, event: 0, t0: 0.0, t1: 1.0, offset: 0.0 }).collect();
        fan(&mut arrows);
        let offsets: Vec<f64> = arrows.iter().map(|a| a.offset).collect();
        assert_eq!(offsets[0], 0.0);
        assert!(offsets[..40].windows(2).all(|w| w[1] > w[0]), "each of the fan is seen");
        assert!(offsets[39] <= FAN_MAX_PX + 1e-9);
        assert_eq!(offsets[40], 0.0, "the other side's packet is not part of the fan");
        assert_eq!(offsets[41], 0.0, "a later packet is not part of the fan");
    }

    #[test]
    fn the_warp_is_monotonic_keeps_quiet_time_linear_and_spaces_crowded_events() {
        let axis = TimeAxis::fit(&[(0.0, 100.0), (5000.0, 5100.0)], 150.0, 0.0, 400.0, 30.0);
        // Ten events within a tenth of a millisecond, then one alone.
        let mut events: Vec<(f64, f64)> = (0..10).map(|i| (50.0 + i as f64 * 0.01, 0.0)).collect();
        events.push((80.0, 6.0));
        events.push((90.0, 0.0));
        let warp = Warp::new(axis.clone(), &events);
        for pair in events.windows(2) {
            let (a, b) = (warp.y(pair[0].0), warp.y(pair[1].0));
            assert!(b - a >= MIN_STEP_PX + pair[0].1 - 1e-9, "{pair:?}: {a} then {b}");
        }
        let mut previous = f64::NEG_INFINITY;
        for i in 0..=5200 {
            let y = warp.y(i as f64);
            assert!(y >= previous, "goes back at {i} ms");
            previous = y;
        }
        // Before the crowd, the plain scale.
        assert!((warp.y(20.0) - axis.x(20.0)).abs() < 1e-9);
        // The fold keeps its height.
        let (from, to, b0, b1) = axis.breaks[0];
        assert!(((warp.y(to) - warp.y(from)) - (b1 - b0)).abs() < 1e-9);
    }

    #[test]
    fn the_fold_keeps_head_and_tail_and_counts_the_middle() {
        let packets: Vec<PacketInfo> = (0..(MAX_LADDER_PACKETS as u64 + 100))
            .map(|i| {
                let mut p = packet(i, Side::Server, i * 1_000_000);
                p.lost = i == (MAX_LADDER_PACKETS as u64 / 2 + 50);
                p
            })
            .collect();
        let listed: Vec<(usize, &PacketInfo)> = packets.iter().enumerate().collect();
        let (drawn, folded) = fold(&listed);
        let folded = folded.expect("too many packets fold");
        assert_eq!(drawn.len(), MAX_LADDER_PACKETS);
        assert_eq!(folded.packets + drawn.len(), packets.len());
        assert_eq!(folded.lost, 1);
        assert_eq!(drawn[0].1.id, 0);
        assert_eq!(drawn.last().map(|d| d.1.id), Some(packets.len() as u64 - 1));
        let (few, none) = fold(&listed[..10]);
        assert!(none.is_none());
        assert_eq!(few.len(), 10);
    }
}
