use crate::view_model::Column;
use reuse_sim::trace::Side;
use yew::prelude::*;

use super::ladder::LadderGeometry;
use super::{explain_on, Dispatch};
use crate::layout::{ellipsize, format_ms, format_tick, nice_step, px, ticks};
use crate::state::{Ptr, Shown};
use crate::view_model::Item;

/// The ladder's lines, arrows, states and time scale (everything but the playhead).
pub fn ladder_static(shown: &Ptr<Shown>, p: Column, g: &LadderGeometry, dispatch: &Dispatch) -> Html {
    let Some(run) = shown.run.get(p) else { return html! {} };
    let explain = explain_on(shown, dispatch);
    let bottom = g.height - 10.0;
    // Labels where they fit (13 px apart per side); a plain ACK gives way
    // to any other packet leaving the same side close by.
    let texts: Vec<String> = g
        .arrows
        .iter()
        .map(|a| run.packet(a.event).map(|pk| pk.label(&run.scenario)).unwrap_or_default())
        .collect();
    let mut labelled: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut shown = vec![false; g.arrows.len()];
    for plain_acks in [false, true] {
        for (i, a) in g.arrows.iter().enumerate() {
            if (texts[i] == "ACK") != plain_acks {
                continue;
            }
            let side = usize::from(!a.from_client);
            let y0 = g.y(a.t0) + a.offset;
            if labelled[side].iter().all(|&y| (y - y0).abs() >= 13.0) {
                labelled[side].push(y0);
                shown[i] = true;
            }
        }
    }
    let room = ((g.server_x - g.client_x - 12.0) / 5.8).max(8.0) as usize;
    let arrows = g.arrows.iter().enumerate().map(|(i, a)| {
        let (x0, x1) = if a.from_client { (g.client_x, g.server_x) } else { (g.server_x, g.client_x) };
        let (y0, y1) = (g.y(a.t0) + a.offset, g.y(a.t1) + a.offset);
        let x1 = if a.lost { (x0 + x1) / 2.0 } else { x1 };
        let packet = run.packet(a.event);
        // Cut to the room between the lines (QUIC's labels list frames);
        // the whole label is the arrow's name and in the "why" panel.
        let label = shown[i].then(|| ellipsize(&texts[i], room));
        let retx = packet.is_some_and(|pk| pk.retransmission);
        let name = format!(
            "{} at {}: {}{}",
            if a.from_client { "client to server" } else { "server to client" },
            format_ms(a.t0),
            texts[i],
            if a.lost { ", lost" } else { "" }
        );
        html! {
            <g class={classes!("pkt", if a.from_client { "up" } else { "down" }, a.lost.then_some("lost"), retx.then_some("retx"))}
                data-item={Item::Packet { event: a.event }.key(p)} tabindex="0" data-lost={a.lost.to_string()}
                role="img" aria-label={name}>
                <line x1={px(x0)} y1={px(y0)} x2={px(x1)} y2={px(y1)}
                    marker-end={if a.lost { "url(#arrow-head-lost)" } else { "url(#arrow-head)" }} />
                <line class="hit" x1={px(x0)} y1={px(y0)} x2={px(x1)} y2={px(y1)} />
                if let Some(text) = label {
                    <text class="pkt-label" x={px(if a.from_client { x0 + 6.0 } else { x0 - 6.0 })}
                        y={px(y0 - 2.0 )} text-anchor={if a.from_client { "start" } else { "end" }}>{ text }</text>
                }
            </g>
        }
    });
    // Time labels down the left, per unbroken piece (at the far left when the
    // TCP states take the space beside the client line).
    let (tick_x, tick_anchor) = if g.states.is_empty() { (g.client_x - 8.0, "end") } else { (2.0, "start") };
    // Every state change the trace holds, each at its time or pushed just
    // below the one before (several happen at one instant when a FIN and
    // its ACK cross); a short leader shows where a pushed label belongs.
    let states = g.states.iter().map(|label| {
        let (x, anchor, lead) = match label.side {
            Side::Client => (g.client_x - 6.0, "end", g.client_x - 4.0),
            Side::Server => (g.server_x + 6.0, "start", g.server_x + 4.0),
        };
        let at = g.y(label.t);
        html! {
            <g class="tcp-state-change">
                if label.y - at > 1.0 {
                    <path class="state-leader" d={format!("M{} {}L{} {}", px(lead), px(at), px(x), px(label.y))} />
                }
                <text class="tcp-state" x={px(x)} y={px(label.y)} text-anchor={anchor} dominant-baseline="central"
                    data-item={Item::Event { event: label.event }.key(p)} data-t={crate::layout::num(label.t)}
                    tabindex="0">{ label.state }</text>
            </g>
        }
    });
    let mut labels = Vec::new();
    for &(t0, t1, p0, p1) in &g.axis.pieces {
        let n = ((p1 - p0) / 48.0).floor().max(1.0);
        let step = nice_step((t1 - t0).max(0.001) / n);
        let mut ts = ticks(t0, t1, step);
        if ts.first().is_none_or(|&f| g.y(f) - p0 > 14.0) {
            ts.insert(0, t0);
        }
        for t in ts {
            let y = g.y(t);
            labels.push(html! {
                <g>
                    <line class="grid" x1={px(g.client_x - 4.0 )} x2={px(g.server_x)} y1={px(y)} y2={px(y)} />
                    <text class="tick" x={px(tick_x)} y={px(y)} text-anchor={tick_anchor} dominant-baseline="central">{ format_tick(t, step) }</text>
                </g>
            });
        }
    }
    let breaks = g.axis.breaks.iter().map(|&(t0, t1, y0, y1)| {
        let mid = (y0 + y1) / 2.0;
        html! {
            <g class="axis-break">
                <rect x={px(g.client_x - 50.0 )} y={px(y0 + 3.0 )} width={px(g.server_x - g.client_x + 70.0 )}
                    height={px((y1 - y0 - 6.0).max(1.0))} />
                <text x={px((g.client_x + g.server_x) / 2.0 )} y={px(mid)} text-anchor="middle"
                    dominant-baseline="central">{ format!("⋯ {} with nothing in flight ⋯", format_ms(t1 - t0)) }</text>
            </g>
        }
    });
    html! {
        <g onmouseover={explain.reform(|e: MouseEvent| e.into())} onfocusin={explain.reform(|e: FocusEvent| e.into())}>
            <text class="end-label" x={px(g.client_x)} y="14" text-anchor="middle">{ "client" }</text>
            <text class="end-label" x={px(g.server_x)} y="14" text-anchor="middle">{ "server" }</text>
            { for labels }
            <line class="endpoint" x1={px(g.client_x)} x2={px(g.client_x)} y1="22" y2={px(bottom)} />
            <line class="endpoint" x1={px(g.server_x)} x2={px(g.server_x)} y1="22" y2={px(bottom)} />
            { for breaks }
            { for states }
            { for arrows }
        </g>
    }
}
