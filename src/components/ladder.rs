use reuse_sim::trace::{ConnId, EventKind, PacketInfo, Side};
use reuse_sim::Protocol;
use yew::prelude::*;

use super::ladder_picker::LadderPicker;
use super::ladder_playhead::LadderPlayhead;
use super::ladder_static::LadderStatic;
use super::Dispatch;
use crate::layout::{px, BrokenAxis};
use crate::state::{Ptr, Shown};
use crate::view_model::ProtocolRun;

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
        let target = crate::layout::clamp(arrows.len() as f64 * 15.0, 280.0, 2400.0);
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
                    <div class="stack">
                        <svg class="timeline ladder" width={px(g.width)} height={px(g.height)}
                            viewBox={format!("0 0 {} {}", px(g.width), px(g.height))} data-testid="ladder"
                            data-packets={g.arrows.len().to_string()}>
                            <LadderStatic shown={props.shown.clone()} protocol={run.protocol}
                                geometry={Ptr(geometry.clone())} dispatch={props.dispatch.clone()} />
                        </svg>
                        <svg class="timeline overlay" width={px(g.width)} height={px(g.height)}
                            viewBox={format!("0 0 {} {}", px(g.width), px(g.height))} aria-hidden="true">
                            <LadderPlayhead geometry={Ptr(geometry.clone())} playhead_ms={props.playhead_ms} />
                        </svg>
                    </div>
                </div>
            }
        </>
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
