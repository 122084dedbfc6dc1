use reuse_sim::trace::{ConnId, EventKind, PacketInfo, Side};
use reuse_sim::Protocol;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{explain_on, Dispatch};
use crate::layout::{format_ms, format_tick, tick_step, ticks, BrokenAxis};
use crate::state::{Action, Ptr, Shown};
use crate::view_model::{Item, ProtocolRun};

#[derive(Properties, PartialEq)]
pub struct LadderProps {
    pub shown: Ptr<Shown>,
    pub selected: Option<(Protocol, ConnId)>,
    pub width: f64,
    pub playhead_ms: f64,
    pub dispatch: Dispatch,
}

/// A packet as drawn: where its arrow starts and ends.
#[derive(Debug, PartialEq)]
pub struct Arrow {
    pub event: usize,
    pub from_client: bool,
    pub t0: f64,
    pub t1: f64,
    pub lost: bool,
}

#[derive(Debug, PartialEq)]
pub struct LadderGeometry {
    pub width: f64,
    pub height: f64,
    pub top: f64,
    pub client_x: f64,
    pub server_x: f64,
    pub axis: BrokenAxis,
    pub arrows: Vec<Arrow>,
    /// TCP state changes shown beside each endpoint (wide screens only):
    /// time, trace index, side, new state.
    pub states: Vec<(f64, usize, Side, &'static str)>,
}

/// Packets drawn at once: a long transfer is shown a page of packets at a
/// time, the page that holds the playhead.
pub const PACKETS_PER_PAGE: usize = 300;

/// Which page of a connection's packets holds the playhead, given the
/// packets' send times in trace order.
pub fn page_at(sent_ms: &[f64], t_ms: f64) -> usize {
    sent_ms.partition_point(|&s| s <= t_ms).saturating_sub(1) / PACKETS_PER_PAGE
}

impl LadderGeometry {
    pub fn new(run: &ProtocolRun, conn: ConnId, width: f64, page: usize) -> Option<Self> {
        let c = run.connection(conn)?;
        let first = (page * PACKETS_PER_PAGE).min(c.packets.len());
        let last = (first + PACKETS_PER_PAGE).min(c.packets.len());
        let arrows: Vec<Arrow> = c.packets[first..last]
            .iter()
            .filter_map(|&event| {
                let p: &PacketInfo = run.packet(event)?;
                let (t0, t1) = (p.sent.as_ms(), p.arrives.as_ms());
                // A lost packet is drawn half way, where it "dies".
                let t1 = if p.lost { t0 + (t1 - t0) / 2.0 } else { t1 };
                Some(Arrow { event, from_client: p.from == Side::Client, t0, t1, lost: p.lost })
            })
            .collect();
        let busy: Vec<(f64, f64)> = arrows.iter().map(|a| (a.t0, a.t1.max(a.t0 + 0.001))).collect();
        let rtt = run.scenario.network.rtt_ms.max(1.0);
        let gap = (1.5 * rtt).max(5.0);
        let busy_ms = BrokenAxis::new(&busy, 1.0, gap, 0.0).total_px().max(1.0);
        let target = (arrows.len() as f64 * 15.0).clamp(280.0, 2400.0);
        let axis = BrokenAxis::new(&busy, target / busy_ms, gap, 28.0);
        let top = 40.0;
        let plot_w = width.min(820.0);
        let wide = width >= 520.0;
        // Wide screens leave room for the TCP states beside each endpoint.
        let (client_x, server_x) = if wide { (150.0, plot_w - 100.0) } else { (56.0, plot_w - 24.0) };
        let (from, to) = (axis.start_ms() - 1e-6, axis.end_ms() + 1e-6);
        let states = if wide {
            run.output
                .trace
                .iter()
                .enumerate()
                .filter_map(|(i, e)| match e.kind {
                    EventKind::TcpStateChanged { conn: c, side, to: state, .. } if c == conn => {
                        let t = e.time.as_ms();
                        (t >= from && t <= to).then_some((t, i, side, state.as_str()))
                    }
                    _ => None,
                })
                .collect()
        } else {
            Vec::new()
        };
        Some(LadderGeometry {
            width,
            height: top + axis.total_px() + 20.0,
            top,
            client_x,
            server_x,
            axis,
            arrows,
            states,
        })
    }

    pub fn y(&self, t_ms: f64) -> f64 {
        self.top + self.axis.px(t_ms)
    }
}

/// A ladder (sequence) diagram of one connection: client and server lines,
/// each packet an arrow from when it leaves to when it arrives, lost ones
/// marked; the playhead runs down the page.
#[function_component]
pub fn Ladder(props: &LadderProps) -> Html {
    let selected_run = props.selected.and_then(|(p, c)| props.shown.run.get(p).map(|r| (r, c)));
    let sent_times = use_memo((props.shown.clone(), props.selected), |(shown, sel)| {
        sel.and_then(|(p, c)| {
            let run = shown.run.get(p)?;
            let conn = run.connection(c)?;
            Some(
                conn.packets
                    .iter()
                    .filter_map(|&e| run.packet(e))
                    .map(|pk| pk.sent.as_ms())
                    .collect::<Vec<f64>>(),
            )
        })
        .unwrap_or_default()
    });
    let pages = sent_times.len().div_ceil(PACKETS_PER_PAGE).max(1);
    let page = page_at(&sent_times, props.playhead_ms).min(pages - 1);
    let geometry = use_memo(
        (props.shown.clone(), props.selected, props.width.to_bits(), page),
        |(shown, sel, w, page)| {
            sel.and_then(|(p, c)| {
                shown.run.get(p).and_then(|r| LadderGeometry::new(r, c, f64::from_bits(*w), *page))
            })
        },
    );
    let paging = (pages > 1).then(|| {
        let first = page * PACKETS_PER_PAGE + 1;
        let last = ((page + 1) * PACKETS_PER_PAGE).min(sent_times.len());
        format!(
            "Packets {first}–{last} of {}: a long connection is drawn {PACKETS_PER_PAGE} packets at a time, the ones around the playhead.",
            sent_times.len()
        )
    });
    html! {
        <>
            <LadderPicker shown={props.shown.clone()} selected={props.selected} dispatch={props.dispatch.clone()} />
            <p class="hint">{ "Or click a row in the lanes or the waterfall. Time runs down; long quiet gaps are folded." }</p>
            if let Some(text) = paging { <p class="hint" data-testid="ladder-paging">{ text }</p> }
            if let (Some(g), Some((run, _))) = ((*geometry).as_ref(), selected_run) {
                <div class="timeline-wrap">
                    <svg class="timeline ladder" width={g.width.to_string()} height={g.height.to_string()}
                        viewBox={format!("0 0 {} {}", g.width, g.height)} data-testid="ladder"
                        data-packets={g.arrows.len().to_string()}>
                        <LadderStatic shown={props.shown.clone()} protocol={run.protocol}
                            geometry={Ptr(geometry.clone())} dispatch={props.dispatch.clone()} />
                        <LadderPlayhead geometry={Ptr(geometry.clone())} playhead_ms={props.playhead_ms} />
                    </svg>
                </div>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct LadderPickerProps {
    pub shown: Ptr<Shown>,
    pub selected: Option<(Protocol, ConnId)>,
    pub dispatch: Dispatch,
}

/// The ladder's connection picker (its own component so that playback,
/// which re-renders the ladder every frame, does not rebuild the options).
#[function_component]
pub fn LadderPicker(props: &LadderPickerProps) -> Html {
    let on_pick = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut parts = v.split(' ');
            let p = parts.next().and_then(|p| Protocol::parse(p).ok());
            let c = parts.next().and_then(|c| c.parse().ok());
            if let (Some(p), Some(c)) = (p, c) {
                d.dispatch(Action::SelectConnection(p, c));
            }
        })
    };
    let options = props.shown.runs().flat_map(|run| {
        run.connections.iter().map(move |c| {
            let value = format!("{} {}", run.protocol.as_str(), c.id);
            let selected = Some((run.protocol, c.id)) == props.selected;
            html! {
                <option value={value} {selected}>
                    { format!("{} · connection #{} · {} · {} packets", run.protocol.label(), c.id, c.host, c.packets.len()) }
                </option>
            }
        })
    });
    html! {
        <label class="ladder-pick">{ "Connection " }
            <select onchange={on_pick} data-testid="ladder-connection">{ for options }</select>
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct LadderDrawProps {
    pub shown: Ptr<Shown>,
    pub protocol: Protocol,
    pub geometry: Ptr<Option<LadderGeometry>>,
    pub dispatch: Dispatch,
}

#[function_component]
pub fn LadderStatic(props: &LadderDrawProps) -> Html {
    let (Some(g), Some(run)) = ((*props.geometry).as_ref(), props.shown.run.get(props.protocol)) else {
        return html! {};
    };
    let p = props.protocol;
    let explain = explain_on(&props.shown, &props.dispatch);
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
            let y0 = g.y(a.t0);
            if labelled[side].iter().all(|&y| (y - y0).abs() >= 13.0) {
                labelled[side].push(y0);
                shown[i] = true;
            }
        }
    }
    let arrows = g.arrows.iter().enumerate().map(|(i, a)| {
        let (x0, x1) = if a.from_client { (g.client_x, g.server_x) } else { (g.server_x, g.client_x) };
        let (y0, y1) = (g.y(a.t0), g.y(a.t1));
        let x1 = if a.lost { (x0 + x1) / 2.0 } else { x1 };
        let packet = run.packet(a.event);
        let label = shown[i].then(|| texts[i].clone());
        let retx = packet.is_some_and(|pk| pk.retransmission);
        html! {
            <g class={classes!("pkt", if a.from_client { "up" } else { "down" }, a.lost.then_some("lost"), retx.then_some("retx"))}
                data-item={Item::Packet { event: a.event }.key(p)} tabindex="0" data-lost={a.lost.to_string()}>
                <line x1={x0.to_string()} y1={y0.to_string()} x2={x1.to_string()} y2={y1.to_string()}
                    marker-end={if a.lost { "url(#arrow-head-lost)" } else { "url(#arrow-head)" }} />
                <line class="hit" x1={x0.to_string()} y1={y0.to_string()} x2={x1.to_string()} y2={y1.to_string()} />
                if let Some(text) = label {
                    <text class="pkt-label" x={(if a.from_client { x0 + 6.0 } else { x0 - 6.0 }).to_string()}
                        y={(y0 - 2.0).to_string()} text-anchor={if a.from_client { "start" } else { "end" }}>{ text }</text>
                }
            </g>
        }
    });
    // Time labels down the left, per unbroken piece (at the far left when the
    // TCP states take the space beside the client line).
    let (tick_x, tick_anchor) = if g.states.is_empty() { (g.client_x - 8.0, "end") } else { (2.0, "start") };
    let mut last_state_y = [f64::NEG_INFINITY; 2];
    let states = g.states.iter().filter_map(|&(t, event, side, state)| {
        let y = g.y(t);
        let i = side.index();
        if y - last_state_y[i] < 12.0 {
            return None;
        }
        last_state_y[i] = y;
        let (x, anchor) = match side {
            Side::Client => (g.client_x - 6.0, "end"),
            Side::Server => (g.server_x + 6.0, "start"),
        };
        Some(html! {
            <text class="tcp-state" x={x.to_string()} y={y.to_string()} text-anchor={anchor} dominant-baseline="central"
                data-item={Item::Event { event }.key(p)} tabindex="0">{ state }</text>
        })
    });
    let mut labels = Vec::new();
    for &(t0, t1, p0, p1) in &g.axis.pieces {
        let n = (((p1 - p0) / 48.0).floor() as usize).max(1);
        let step = tick_step((t1 - t0).max(0.001), n);
        let mut ts = ticks(t0, t1, step);
        if ts.first().is_none_or(|&f| g.axis.px(f) - p0 > 14.0) {
            ts.insert(0, t0);
        }
        for t in ts {
            let y = g.y(t);
            labels.push(html! {
                <g>
                    <line class="grid" x1={(g.client_x - 4.0).to_string()} x2={g.server_x.to_string()} y1={y.to_string()} y2={y.to_string()} />
                    <text class="tick" x={tick_x.to_string()} y={y.to_string()} text-anchor={tick_anchor} dominant-baseline="central">{ format_tick(t, step) }</text>
                </g>
            });
        }
    }
    let breaks = g.axis.breaks.iter().map(|&(t0, t1, p0, p1)| {
        let (y0, y1) = (g.top + p0, g.top + p1);
        let mid = (y0 + y1) / 2.0;
        html! {
            <g class="axis-break">
                <rect x={(g.client_x - 50.0).to_string()} y={(y0 + 3.0).to_string()} width={(g.server_x - g.client_x + 70.0).to_string()}
                    height={(y1 - y0 - 6.0).max(1.0).to_string()} />
                <text x={((g.client_x + g.server_x) / 2.0).to_string()} y={mid.to_string()} text-anchor="middle"
                    dominant-baseline="central">{ format!("⋯ {} with nothing in flight ⋯", format_ms(t1 - t0)) }</text>
            </g>
        }
    });
    html! {
        <g onmouseover={explain.reform(|e: MouseEvent| e.into())} onfocusin={explain.reform(|e: FocusEvent| e.into())}>
            <text class="end-label" x={g.client_x.to_string()} y="14" text-anchor="middle">{ "client" }</text>
            <text class="end-label" x={g.server_x.to_string()} y="14" text-anchor="middle">{ "server" }</text>
            { for labels }
            <line class="endpoint" x1={g.client_x.to_string()} x2={g.client_x.to_string()} y1="22" y2={bottom.to_string()} />
            <line class="endpoint" x1={g.server_x.to_string()} x2={g.server_x.to_string()} y1="22" y2={bottom.to_string()} />
            { for breaks }
            { for states }
            { for arrows }
        </g>
    }
}

#[derive(Properties, PartialEq)]
pub struct LadderPlayheadProps {
    pub geometry: Ptr<Option<LadderGeometry>>,
    pub playhead_ms: f64,
}

/// The playhead across the ladder, the veil over the future, and a dot on
/// every packet in flight at the playhead.
#[function_component]
pub fn LadderPlayhead(props: &LadderPlayheadProps) -> Html {
    let Some(g) = (*props.geometry).as_ref() else { return html! {} };
    let t = props.playhead_ms;
    let y = g.y(t);
    let in_flight = g.arrows.iter().filter(|a| a.t0 <= t && t < a.t1).map(|a| {
        let (x0, x1) = if a.from_client { (g.client_x, g.server_x) } else { (g.server_x, g.client_x) };
        let x1 = if a.lost { (x0 + x1) / 2.0 } else { x1 };
        let f = if a.t1 > a.t0 { (t - a.t0) / (a.t1 - a.t0) } else { 1.0 };
        let (y0, y1) = (g.y(a.t0), g.y(a.t1));
        html! {
            <circle class={classes!("in-flight", a.lost.then_some("lost"))} cx={(x0 + (x1 - x0) * f).to_string()}
                cy={(y0 + (y1 - y0) * f).to_string()} r="4" />
        }
    });
    html! {
        <g class="playhead-layer" aria-hidden="true">
            <rect class="veil" x="0" y={y.to_string()} width={g.width.to_string()} height={(g.height - y).max(0.0).to_string()} />
            <line class="playhead" x1="0" x2={g.width.to_string()} y1={y.to_string()} y2={y.to_string()} />
            { for in_flight }
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_the_one_holding_the_last_packet_sent_by_the_playhead() {
        let sent: Vec<f64> = (0..(PACKETS_PER_PAGE * 3)).map(|i| i as f64).collect();
        assert_eq!(page_at(&sent, -1.0), 0);
        assert_eq!(page_at(&sent, 0.0), 0);
        assert_eq!(page_at(&sent, (PACKETS_PER_PAGE - 1) as f64), 0);
        assert_eq!(page_at(&sent, PACKETS_PER_PAGE as f64), 1);
        assert_eq!(page_at(&sent, 1e9), 2);
        assert_eq!(page_at(&[], 5.0), 0);
    }
}
