use crate::view_model::Column;
use reuse_sim::trace::{ConnId, EventKind, PacketInfo, Side};
use yew::prelude::*;

use super::lab::{skip_link, skip_target};
use super::ladder_picker::ladder_picker;
use super::ladder_playhead::ladder_playhead;
use super::ladder_static::ladder_static;
use super::{Dispatch, Frozen};
use crate::layout::{clamp, px, TimeAxis, Window};
use crate::state::{Ptr, Shown};
use crate::view_model::ProtocolRun;

pub struct LadderProps {
    pub shown: Ptr<Shown>,
    pub selected: Option<(Column, ConnId)>,
    pub width: f64,
    pub playhead_ms: f64,
    /// The zoomed part of the time axis (shared with the other views);
    /// `None` when not zoomed: the whole connection, closes included, even
    /// after the page load where the other views' axis ends.
    pub window: Option<Window>,
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
    /// Packets leaving one side at the same instant (pipelined requests on
    /// an infinitely fast link) are fanned this many pixels apart, so each
    /// arrow is seen and can be pointed at.
    pub offset: f64,
}

/// A TCP state change beside its endpoint's line.
#[derive(Debug, PartialEq)]
pub struct StateLabel {
    pub t: f64,
    /// Index of the `TcpStateChanged` event in the trace.
    pub event: usize,
    pub side: Side,
    pub state: &'static str,
    /// Where the label sits: at its time, or just below the label before it
    /// when several changes happen at one instant (every change is shown).
    pub y: f64,
}

#[derive(Debug, PartialEq)]
pub struct LadderGeometry {
    pub width: f64,
    pub height: f64,
    pub top: f64,
    pub client_x: f64,
    pub server_x: f64,
    pub axis: TimeAxis,
    pub arrows: Vec<Arrow>,
    /// TCP state changes shown beside each endpoint (wide screens only).
    pub states: Vec<StateLabel>,
}

/// Packets drawn at once: a long transfer is shown a page of packets at a
/// time, the page that holds the playhead.
pub const PACKETS_PER_PAGE: usize = 300;
/// Fan step between packets that leave one side together, and the most a
/// whole fan may take (the CLI's ladder uses the same).
const FAN_PX: f64 = 3.0;
const FAN_MAX_PX: f64 = 36.0;
/// State labels on one side at least this far apart.
pub const STATE_GAP_PX: f64 = 12.0;
const BREAK_PX: f64 = 28.0;

/// Which page of a connection's packets holds the playhead, given the
/// packets' send times in trace order.
pub fn page_at(sent_ms: &[f64], t_ms: f64) -> usize {
    sent_ms.partition_point(|&s| s <= t_ms).saturating_sub(1) / PACKETS_PER_PAGE
}

/// Whether a packet sent at `t0` and arriving at `t1` is in flight at some
/// time of the window (the ladder zooms with the other views); every packet
/// is when there is no zoom.
pub fn in_window(t0: f64, t1: f64, window: Option<Window>) -> bool {
    window.is_none_or(|w| t1 >= w.start_ms && t0 <= w.end_ms)
}

impl LadderGeometry {
    pub fn new(
        run: &ProtocolRun,
        conn: ConnId,
        width: f64,
        page: usize,
        window: Option<Window>,
    ) -> Option<Self> {
        let c = run.connection(conn)?;
        let visible: Vec<(usize, &PacketInfo)> = c
            .packets
            .iter()
            .filter_map(|&event| Some((event, run.packet(event)?)))
            .filter(|(_, p)| in_window(p.sent.as_ms(), p.arrives.as_ms(), window))
            .collect();
        let first = (page * PACKETS_PER_PAGE).min(visible.len());
        let last = (first + PACKETS_PER_PAGE).min(visible.len());
        let mut arrows: Vec<Arrow> = visible[first..last]
            .iter()
            .map(|&(event, p)| {
                let (t0, t1) = (p.sent.as_ms(), p.arrives.as_ms());
                // A lost packet is drawn half way, where it "dies".
                let t1 = if p.lost { t0 + (t1 - t0) / 2.0 } else { t1 };
                Arrow { event, from_client: p.from == Side::Client, t0, t1, lost: p.lost, offset: 0.0 }
            })
            .collect();
        fan(&mut arrows);
        let wide = width >= 520.0;
        // The page's time range: its packets (within the window), or the
        // window when it has none.
        let whole = Window { start_ms: f64::NEG_INFINITY, end_ms: f64::INFINITY };
        let w = window.unwrap_or(whole);
        let (from, to) = match (arrows.first(), arrows.iter().map(|a| a.t1).reduce(f64::max)) {
            (Some(a), Some(end)) => (a.t0.max(w.start_ms), end.min(w.end_ms)),
            _ => (w.start_ms, w.end_ms),
        };
        let changes: Vec<(f64, usize, Side, &'static str)> = if wide {
            run.output
                .trace
                .iter()
                .enumerate()
                .filter_map(|(i, e)| match e.kind {
                    EventKind::TcpStateChanged { conn: c, side, to: state, .. } if c == conn => {
                        let t = e.time.as_ms();
                        let shown = t >= from - 1e-6 && t <= to + 1e-6;
                        shown.then_some((t, i, side, state.as_str()))
                    }
                    // A QUIC connection's states (the HTTP/3 build only).
                    #[cfg(feature = "quic")]
                    EventKind::QuicStateChanged { conn: c, side, to: state, .. } if c == conn => {
                        let t = e.time.as_ms();
                        let shown = t >= from - 1e-6 && t <= to + 1e-6;
                        shown.then_some((t, i, side, state.as_str()))
                    }
                    _ => None,
                })
                .collect()
        } else {
            Vec::new()
        };
        // Busy while a packet is in flight, and at each state change (so no
        // change falls inside a folded gap).
        let mut busy: Vec<(f64, f64)> = arrows.iter().map(|a| (a.t0, a.t1.max(a.t0 + 0.001))).collect();
        busy.extend(changes.iter().map(|s| (s.0, s.0)));
        let rtt = run.scenario.network.rtt_ms.max(1.0);
        let gap = (1.5 * rtt).max(5.0);
        let origin = busy.iter().map(|b| b.0).reduce(f64::min).unwrap_or(from);
        let target = clamp(arrows.len() as f64 * 15.0, 280.0, 2400.0);
        // The number of folded gaps first, then the axis with room for them.
        let folds = TimeAxis::fit_with_cuts(&busy, gap, 0.0, target, BREAK_PX, origin, &[]).breaks.len();
        let top = 40.0;
        let axis = TimeAxis::fit_with_cuts(
            &busy,
            gap,
            top,
            top + target + folds as f64 * BREAK_PX,
            BREAK_PX,
            origin,
            &[],
        );
        let plot_w = width.min(820.0);
        // Wide screens leave room for the TCP states beside each endpoint.
        let (client_x, server_x) = if wide { (150.0, plot_w - 100.0) } else { (56.0, plot_w - 24.0) };
        let mut next_free = [f64::NEG_INFINITY; 2];
        let states: Vec<StateLabel> = changes
            .into_iter()
            .map(|(t, event, side, state)| {
                let y = axis.x(t).max(next_free[side.index()]);
                next_free[side.index()] = y + STATE_GAP_PX;
                StateLabel { t, event, side, state, y }
            })
            .collect();
        let deepest_arrow = arrows.iter().map(|a| axis.x(a.t1) + a.offset).fold(axis.end_x(), f64::max);
        let deepest = states.iter().map(|s| s.y).fold(deepest_arrow, f64::max);
        Some(LadderGeometry { width, height: deepest + 20.0, top, client_x, server_x, axis, arrows, states })
    }

    pub fn y(&self, t_ms: f64) -> f64 {
        self.axis.x(t_ms)
    }
}

/// Fans out packets that leave one side at the same instant (arrows in
/// trace order, so the same instant is a run of neighbours per side).
fn fan(arrows: &mut [Arrow]) {
    for from_client in [true, false] {
        let mut run: Vec<usize> = Vec::new();
        let side: Vec<usize> = (0..arrows.len()).filter(|&i| arrows[i].from_client == from_client).collect();
        for i in side.into_iter().chain([usize::MAX]) {
            let same = i != usize::MAX && run.last().is_some_and(|&j| arrows[j].t0 == arrows[i].t0);
            if !same {
                if run.len() > 1 {
                    let step = FAN_PX.min(FAN_MAX_PX / (run.len() - 1) as f64);
                    for (k, &j) in run.iter().enumerate() {
                        arrows[j].offset = k as f64 * step;
                    }
                }
                run.clear();
            }
            if i != usize::MAX {
                run.push(i);
            }
        }
    }
}

/// A ladder (sequence) diagram of one connection: client and server lines,
/// each packet an arrow from when it leaves to when it arrives, lost ones
/// marked; the playhead runs down the page.
#[hook]
pub fn use_ladder(props: LadderProps) -> Html {
    let selected_protocol = props.selected.map(|(p, _)| p).filter(|&p| props.shown.run.get(p).is_some());
    let window = props.window;
    let window_key = window.map(|w| (w.start_ms.to_bits(), w.end_ms.to_bits()));
    let sent_times = use_memo((props.shown.clone(), props.selected, window_key), |(shown, sel, _)| {
        sel.and_then(|(p, c)| {
            let run = shown.run.get(p)?;
            let conn = run.connection(c)?;
            Some(
                conn.packets
                    .iter()
                    .filter_map(|&e| run.packet(e))
                    .filter(|pk| in_window(pk.sent.as_ms(), pk.arrives.as_ms(), window))
                    .map(|pk| pk.sent.as_ms())
                    .collect::<Vec<f64>>(),
            )
        })
        .unwrap_or_default()
    });
    let pages = sent_times.len().div_ceil(PACKETS_PER_PAGE).max(1);
    let page = page_at(&sent_times, props.playhead_ms).min(pages - 1);
    let geometry = use_memo(
        (props.shown.clone(), props.selected, props.width.to_bits(), page, window_key),
        |(shown, sel, w, page, _)| {
            sel.and_then(|(p, c)| {
                shown.run.get(p).and_then(|r| LadderGeometry::new(r, c, f64::from_bits(*w), *page, window))
            })
        },
    );
    let statics = {
        let (shown, dispatch) = (props.shown.clone(), props.dispatch.clone());
        use_memo(Ptr(geometry.clone()), move |g| match (&**g, selected_protocol) {
            (Some(g), Some(p)) => ladder_static(&shown, p, g, &dispatch),
            _ => Html::default(),
        })
    };
    let picker = {
        let (shown, dispatch) = (props.shown.clone(), props.dispatch.clone());
        use_memo((shown.clone(), props.selected), move |(_, selected)| {
            ladder_picker(&shown, *selected, &dispatch)
        })
    };
    #[cfg(feature = "cubic")]
    let cwnd = {
        let shown = props.shown.clone();
        use_memo((shown, props.selected, props.width as u32), |(shown, selected, width)| {
            selected.map_or_else(Html::default, |(p, c)| congestion_window(shown, p, c, *width))
        })
    };
    let paging = (pages > 1).then(|| {
        let first = page * PACKETS_PER_PAGE + 1;
        let last = ((page + 1) * PACKETS_PER_PAGE).min(sent_times.len());
        format!(
            "Packets {first}–{last} of {}: a long connection is drawn {PACKETS_PER_PAGE} packets at a time, the ones around the playhead.",
            sent_times.len()
        )
    });
    let ladder = html! {
        <>
            <Frozen html={picker} />
            <p class="hint">{ "Or click a row in the lanes or the waterfall. Time runs down; long quiet gaps are folded; the ladder follows the zoom." }</p>
            if let Some(text) = paging { <p class="hint" data-testid="ladder-paging">{ text }</p> }
            { skip_link("ladder") }
            if let (Some(g), Some(_)) = ((*geometry).as_ref(), selected_protocol) {
                <div class="timeline-wrap">
                    <div class="stack">
                        <svg class="timeline ladder" width={px(g.width)} height={px(g.height)}
                            viewBox={format!("0 0 {} {}", px(g.width), px(g.height))} data-testid="ladder"
                            data-packets={g.arrows.len().to_string()} role="group" aria-label="Ladder diagram">
                            <Frozen html={statics.clone()} />
                        </svg>
                        <svg class="timeline overlay" width={px(g.width)} height={px(g.height)}
                            viewBox={format!("0 0 {} {}", px(g.width), px(g.height))} aria-hidden="true">
                            { ladder_playhead(g, props.playhead_ms) }
                        </svg>
                    </div>
                </div>
            }
            { skip_target("ladder") }
        </>
    };
    // The first load draws no congestion window (not even an empty node).
    #[cfg(feature = "cubic")]
    let ladder = html! { <>{ ladder }{ (*cwnd).clone() }</> };
    ladder
}

/// The scope of the congestion window picture's style sheet on the page.
#[cfg(feature = "cubic")]
const CWND_SCOPE: &str = ".cwnd-plot";

/// The picture is drawn for paper: a dark page shows it inverted.
#[cfg(feature = "cubic")]
const CWND_CSS: &str = ".cwnd-plot summary{cursor:pointer;font-weight:600;margin:.4rem 0}\
@media (prefers-color-scheme:dark){.cwnd-plot svg{filter:invert(.9) hue-rotate(180deg)}}";

/// The chosen connection's congestion window over time (the server's, which
/// sends the responses): `reuse_render::cwnd_svg_with`, what `reuse-cli svg
/// --view cwnd` draws; each change is marked with the trace's words (Reno's
/// halving, CUBIC's 0.7, HyStart++, a timeout). The full build's.
#[cfg(feature = "cubic")]
fn congestion_window(shown: &Shown, p: Column, conn: ConnId, width: u32) -> Html {
    let Some(run) = shown.run.get(p) else { return Html::default() };
    let options = reuse_render::RenderOptions { width_px: width.max(reuse_render::MIN_WIDTH_PX) };
    let Ok(svg) = reuse_render::cwnd_svg_with(&run.scenario, &run.output, conn, Side::Server, &options)
    else {
        return Html::default();
    };
    let svg = reuse_render::svg::scoped(&svg, CWND_SCOPE);
    html! {
        <details class="cwnd-plot" data-testid="cwnd" open=true>
            <style>{ CWND_CSS }</style>
            <summary>{ format!("Congestion window of connection {conn} (the server's)") }</summary>
            <p class="hint">{ "Each step is a data packet under the window it left with; dashed, ssthresh; a circle, a change the trace explains (point at it); a cross, a lost packet; dotted, BBR's pacing rate (right axis)." }</p>
            <div style="overflow-x:auto">{ Html::from_html_unchecked(AttrValue::from(svg)) }</div>
        </details>
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
