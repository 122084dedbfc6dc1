use crate::view_model::Column;
use reuse_sim::trace::ConnId;
use yew::prelude::*;

use super::lanes::{LanesGeometry, MAX_SUBLANES};
use super::time_axis::time_axis;
use super::totals::proto_class;
use super::{explain_on, select_connection_on, Dispatch};
use crate::layout::{ellipsize, format_ms, num, px};
use crate::state::{Ptr, Shown};
use crate::view_model::{Bar, Item, Phase};

/// Room a bar's label needs per character (9.5 px text), and the fewest
/// characters worth drawing ("i…" says nothing).
const LABEL_CHAR_PX: f64 = 5.8;
const LABEL_MIN_CHARS: usize = 3;

/// Everything that does not move with the playhead (drawn once per run and
/// zoom). Rows are the client's view of each connection: its requests as
/// it sent and received them, and the close when the client closed it or
/// learnt that the server had; the server's own close time is a small
/// hollow mark. Items wholly outside the zoomed window are left out (fewer
/// keyboard stops); the rest are cut at its edges.
pub fn lanes_static(
    shown: &Ptr<Shown>,
    g: &LanesGeometry,
    selected: Option<(Column, ConnId)>,
    dispatch: &Dispatch,
) -> Html {
    let s = g.scale;
    let explain = explain_on(shown, dispatch);
    let select = select_connection_on(shown, dispatch);
    let on_key = {
        let select = select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                select.emit(e.into());
            }
        })
    };
    let onmouseover = explain.reform(|e: MouseEvent| e.into());
    let onfocusin = explain.reform(|e: FocusEvent| e.into());
    let onclick = select.reform(|e: MouseEvent| e.into());
    let x = |t: f64| s.px_clamped(t);
    let seen = |a: f64, b: f64| b >= s.t0_ms && a <= s.t1_ms;
    let right = s.px1;
    let groups = g.groups.iter().filter_map(|group| {
        let run = shown.run.get(group.column)?;
        let p = group.column;
        let load = run.page_load_ms();
        let rows = group.rows.iter().map(|row| {
            let c = &run.connections[row.conn_index];
            let selected = selected == Some((p, c.id));
            let inner = row.h - 2.0;
            let mid = row.y + row.h / 2.0;
            let subs = c.sublanes.clamp(1, MAX_SUBLANES);
            let sub_h = inner / subs as f64;
            let label_chars = ((g.label_w - 8.0) / 6.2) as usize;
            let label = if g.multi_host {
                ellipsize(&format!("#{} {}", c.id, c.host), label_chars)
            } else {
                format!("#{}", c.id)
            };
            let conn_name = format!("{} connection {}", run.label, c.id);
            // One phase's bar: a connection's set-up, or a request's time
            // held behind a lost packet (one closure, one copy of the markup).
            let bar = |b: &Bar, y: f64, h: f64, whose: &str| {
                html! {
                    <rect class={classes!("bar", b.phase.class())} x={px(x(b.start_ms))} y={px(y)}
                        width={px(s.width(b.start_ms, b.end_ms).max(1.0))} height={px(h)}
                        data-item={b.item.key(p)} tabindex="0" role="img"
                        aria-label={format!("{whose}: {}, {}", b.phase.name(), format_ms(b.end_ms - b.start_ms))} />
                }
            };
            let setup = c.setup.iter().filter(|b| seen(b.start_ms, b.end_ms)).map(|b| bar(b, row.y + 1.0, inner, &conn_name));
            let requests = c.requests.iter().filter(|r| seen(r.sent_ms, r.end_ms)).map(|r| {
                let lane = (r.sublane % subs) as f64;
                let ry = row.y + 1.0 + lane * sub_h;
                let h = (sub_h - if subs > 1 { 1.0 } else { 0.0 }).max(1.0);
                let wait_w = s.width(r.sent_ms, r.first_byte_ms);
                let down_w = s.width(r.first_byte_ms, r.end_ms);
                let id = run.request_id(r.request);
                // A label sits inside one bar, in the colour that reads on it
                // (dark on the light wait bar, light on the dark download bar),
                // shortened to fit; none on rows too thin for words.
                let fits = |w: f64| ((w - 4.0) / LABEL_CHAR_PX).floor().max(0.0) as usize;
                let room = if group.compact || h < 9.5 {
                    None
                } else if fits(wait_w) >= LABEL_MIN_CHARS.min(id.chars().count()) {
                    Some(("on-wait", x(r.sent_ms), fits(wait_w)))
                } else if fits(down_w) >= LABEL_MIN_CHARS.min(id.chars().count()) {
                    Some(("on-download", x(r.first_byte_ms), fits(down_w)))
                } else {
                    None
                };
                let wait = Item::Request { request: r.request, phase: Phase::Waiting }.key(p);
                let download = Item::Request { request: r.request, phase: Phase::Download }.key(p);
                // Held behind a lost packet: drawn over the bars and their label.
                let whose = format!("{id} on {conn_name}");
                let held = run.rows.get(r.request as usize).map_or(&[][..], |row| &row.held);
                let held = held.iter().filter(|b| seen(b.start_ms, b.end_ms)).map(|b| bar(b, ry, h, &whose));
                html! {
                    <g class="req" data-request={run.scenario.requests.get(r.request as usize).map_or("?", |q| q.id.as_str()).to_string()}>
                        if wait_w > 0.0 {
                            <rect class="bar ph-wait lane-wait" x={px(x(r.sent_ms))} y={px(ry)}
                                width={px(wait_w.max(0.5))} height={px(h)} data-item={wait} tabindex="0" role="img"
                                aria-label={format!("{id} on {conn_name}: waiting for the server, {}", format_ms(r.first_byte_ms - r.sent_ms))} />
                        }
                        <rect class="bar ph-download" x={px(x(r.first_byte_ms))} y={px(ry)}
                            width={px(down_w.max(1.0))} height={px(h)} data-item={download} tabindex="0" role="img"
                            aria-label={format!("{id} on {conn_name}: downloading, {}", format_ms(r.end_ms - r.first_byte_ms))} />
                        // Where one request ends and the next begins on a busy row.
                        <line class="req-start" x1={px(x(r.sent_ms))} x2={px(x(r.sent_ms))} y1={px(ry)} y2={px(ry + h)} />
                        if let Some((class, lx, chars)) = room {
                            <text class={classes!("bar-label", class)} x={px(lx + 2.0)} y={px(ry + h / 2.0)}
                                dominant-baseline="central" aria-hidden="true">{ ellipsize(&id, chars) }</text>
                        }
                        { for held }
                    </g>
                }
            });
            let idle = c.idle.iter().enumerate().filter(|(_, i)| seen(i.from_ms, i.to_ms)).map(|(i, period)| {
                let (x0, x1) = (x(period.from_ms), x(period.to_ms));
                html! {
                    <g class="idle">
                        <line class="idle-line" x1={px(x0)} x2={px(x1)} y1={px(mid)} y2={px(mid)} />
                        <rect class="hit" x={px(x0)} y={px(row.y)} width={px((x1 - x0).max(2.0))}
                            height={px(row.h)} data-item={Item::Idle { conn: c.id, index: i }.key(p)} tabindex="0"
                            role="img" aria-label={format!("{conn_name} idle, {}", format_ms(period.to_ms - period.from_ms))} />
                    </g>
                }
            });
            let close = c.client_closed_ms.filter(|&t| seen(t, t)).map(|t| {
                let cx = x(t);
                let label = c.closed_by.label();
                let busy_until = c.requests.iter().map(|r| r.end_ms).fold(t, f64::max);
                let label_x = cx.max(x(busy_until)) + 8.0;
                let room = right - label_x > 6.5 * label.len() as f64 + 2.0;
                html! {
                    <g class="close" data-item={Item::Close { conn: c.id }.key(p)} tabindex="0" role="img"
                        aria-label={format!("{conn_name}: {label}; the client sees it at {}", format_ms(t))}
                        data-t={num(t)}>
                        <path class="close-mark" d={format!("M{} {} V{} M{} {} H{}", px(cx), px(row.y), px(row.y + row.h), px(cx), px(mid), px(cx + 5.0))} />
                        // Reaching right of the mark: a lost request's mark may end on it.
                        <rect class="hit" x={px(cx - 1.0)} y={px(row.y)} width="10" height={px(row.h)} />
                        if room && !group.compact {
                            <text class="close-label" x={px(label_x)} y={px(mid)} dominant-baseline="central">{ label }</text>
                        }
                    </g>
                }
            });
            // The server's own close, when it comes before the client learns of
            // it: a hollow mark on the row's top edge, drawn over the bars
            // (the response may still be on its way) and never taking the
            // pointer from them.
            let server_close = c.closed_ms.zip(c.client_closed_ms).filter(|&(st, ct)| {
                x(st) < x(ct) - 1.5 && seen(st, st)
            });
            let server_mark = server_close.map(|(st, _)| {
                html! { <path class="close-other" d={format!("M{} {} l-3.5 -4 h7 z", px(x(st)), px(row.y + 4.0))} data-t={num(st)} /> }
            });
            let lost = c.lost.iter().filter(|l| seen(l.sent_ms, l.lost_ms)).map(|l| {
                let (x0, lx) = (x(l.sent_ms), x(l.lost_ms));
                html! {
                    <g class="lost-request" data-item={Item::Lost { event: l.event }.key(p)} tabindex="0" role="img"
                        aria-label={format!("A request sent on {conn_name} at {} was lost to its close at {}; it is retried", format_ms(l.sent_ms), format_ms(l.lost_ms))}>
                        <rect class="lost-attempt" x={px(x0)} y={px(mid - 2.0)} width={px((lx - x0).max(1.0))} height="4" />
                        <path class="lost-x" d={format!("M{} {} l6 6 M{} {} l-6 6", px(lx - 3.0), px(mid - 3.0), px(lx + 3.0), px(mid - 3.0))} />
                        // Only as tall as the dashed bar: the close marks above and below it stay pointable.
                        <rect class="hit" x={px(x0.min(lx) - 2.0)} y={px(mid - 4.0)} width={px((lx - x0).max(0.0) + 3.0)} height="8" />
                    </g>
                }
            });
            // The chosen connection's congestion window over its row (the
            // full build's; the ladder's chart names each change).
            #[cfg(feature = "cubic")]
            let window = selected.then(|| window_line(&run.server_window(c.id), row.y, row.h, &x, s.t0_ms, s.t1_ms));
            #[cfg(not(feature = "cubic"))]
            let window: Option<Html> = None;
            html! {
                <g class={classes!("lane-row", selected.then_some("selected"))} key={c.id}
                    data-conn={format!("{} {}", p.key(), c.id)}>
                    <rect class="row-bg" x="0" y={px(row.y)} width={px(g.width)} height={px(row.h)} />
                    <text class="row-label" x="4" y={px(mid)} dominant-baseline="central">{ label }</text>
                    // Marks first, bars last: a bar is never under a mark's pointer area.
                    { for setup }
                    { for idle }
                    { for close }
                    { for lost }
                    { for requests }
                    { for server_mark }
                    { for window }
                </g>
            }
        });
        Some(html! {
            <g class={classes!("proto-group", proto_class(run.protocol))} key={&*p.key()} data-protocol={run.protocol.as_str()}
                data-connections={run.connections.len().to_string()} data-page-load={num(load)}>
                { for rows }
                if seen(load, load) {
                    <line class="load-mark" x1={px(x(load))} x2={px(x(load))}
                        y1={px(group.y + 16.0)} y2={px(group.bottom)} />
                }
            </g>
        })
    });
    html! {
        <g onmouseover={onmouseover} onfocusin={onfocusin} onclick={onclick} onkeydown={on_key}>
            { time_axis(s, 12.0, g.height) }
            { for groups }
        </g>
    }
}

/// A step line of a congestion window `(ms, bytes)` across a lane row
/// (`y`, `h`), scaled to its largest value in the zoomed window; drawn over
/// the bars with a light halo, never taking the pointer. The full build's.
#[cfg(feature = "cubic")]
fn window_line(window: &[(f64, u64)], y: f64, h: f64, x: &dyn Fn(f64) -> f64, t0: f64, t1: f64) -> Html {
    // What holds at the window's left edge (the last packet before it),
    // then every packet in it.
    let first = window.partition_point(|&(t, _)| t < t0);
    let before = first.checked_sub(1).map(|i| (t0, window[i].1));
    let seen: Vec<(f64, u64)> =
        before.into_iter().chain(window[first..].iter().copied().take_while(|&(t, _)| t <= t1)).collect();
    let max = seen.iter().map(|w| w.1).max().unwrap_or(0);
    if seen.len() < 2 || max == 0 {
        return Html::default();
    }
    let level = |bytes: u64| y + h - 1.5 - bytes as f64 / max as f64 * (h - 3.0);
    let mut points = String::new();
    let mut last: Option<f64> = None;
    for &(t, bytes) in &seen {
        let (px_t, py) = (x(t), level(bytes));
        if let Some(prev) = last {
            points.push_str(&format!("{} {} ", px(px_t), px(prev)));
        }
        points.push_str(&format!("{} {} ", px(px_t), px(py)));
        last = Some(py);
    }
    let points = points.trim_end().to_string();
    html! {
        <g class="cwnd-line" aria-hidden="true" pointer-events="none" data-max-bytes={max.to_string()}
            data-steps={seen.len().to_string()}>
            <polyline points={points.clone()} fill="none" stroke="#fff" stroke-width="3" stroke-opacity="0.8" />
            <polyline points={points} fill="none" stroke="#d55e00" stroke-width="1.4" />
        </g>
    }
}
