use reuse_sim::trace::ConnId;
use reuse_sim::Protocol;
use yew::prelude::*;

use super::lanes::{LanesGeometry, MAX_SUBLANES};
use super::time_axis::time_axis;
use super::totals::proto_class;
use super::{explain_on, select_connection_on, Dispatch};
use crate::layout::{ellipsize, num, px};
use crate::state::{Ptr, Shown};
use crate::view_model::{Item, Phase};

#[derive(Properties, PartialEq)]
pub struct LanesStaticProps {
    pub shown: Ptr<Shown>,
    pub geometry: Ptr<LanesGeometry>,
    pub selected: Option<(Protocol, ConnId)>,
    pub dispatch: Dispatch,
}

/// Everything that does not move with the playhead (drawn once per run).
#[function_component]
pub fn LanesStatic(props: &LanesStaticProps) -> Html {
    let g = &props.geometry;
    let s = g.scale;
    let explain = explain_on(&props.shown, &props.dispatch);
    let select = select_connection_on(&props.shown, &props.dispatch);
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
    let right = s.px1;
    let groups = g.groups.iter().filter_map(|group| {
        let run = props.shown.run.get(group.protocol)?;
        let p = group.protocol;
        let load_x = x(run.page_load_ms());
        let rows = group.rows.iter().map(|row| {
            let c = &run.connections[row.conn_index];
            let selected = props.selected == Some((p, c.id));
            let inner = row.h - 2.0;
            let subs = c.sublanes.clamp(1, MAX_SUBLANES);
            let sub_h = inner / subs as f64;
            let label_chars = ((g.label_w - 8.0) / 6.2) as usize;
            let label = if g.multi_host {
                ellipsize(&format!("#{} {}", c.id, c.host), label_chars)
            } else {
                format!("#{}", c.id)
            };
            let setup = c.setup.iter().map(|b| {
                html! {
                    <rect class={classes!("bar", b.phase.class())} x={px(x(b.start_ms))} y={px(row.y + 1.0 )}
                        width={px(s.width(b.start_ms, b.end_ms).max(1.0))} height={px(inner)}
                        data-item={b.item.key(p)} tabindex="0" />
                }
            });
            let requests = c.requests.iter().map(|r| {
                let lane = (r.sublane % subs) as f64;
                let ry = row.y + 1.0 + lane * sub_h;
                let h = (sub_h - if subs > 1 { 1.0 } else { 0.0 }).max(1.0);
                let wait_w = s.width(r.sent_ms, r.first_byte_ms);
                let down_w = s.width(r.first_byte_ms, r.end_ms);
                let label = run.request_id(r.request);
                let show_text = !group.compact && subs == 1 && down_w + wait_w > 8.0 * label.len() as f64;
                html! {
                    <g class="req">
                        if wait_w > 0.0 {
                            <rect class="bar ph-wait lane-wait" x={px(x(r.sent_ms))} y={px(ry)}
                                width={px(wait_w.max(0.5))} height={px(h)}
                                data-item={Item::Request { request: r.request, phase: Phase::Waiting }.key(p)} tabindex="0" />
                        }
                        <rect class="bar ph-download" x={px(x(r.first_byte_ms))} y={px(ry)}
                            width={px(down_w.max(1.0))} height={px(h)}
                            data-item={Item::Request { request: r.request, phase: Phase::Download }.key(p)} tabindex="0" />
                        if show_text {
                            <text class="bar-label" x={px(x(r.sent_ms) + 3.0 )} y={px(ry + h / 2.0 )}
                                dominant-baseline="central">{ label }</text>
                        }
                    </g>
                }
            });
            let idle = c.idle.iter().enumerate().map(|(i, period)| {
                let x0 = x(period.from_ms);
                let x1 = x(period.to_ms);
                let mid = row.y + row.h / 2.0;
                html! {
                    <g class="idle">
                        <line class="idle-line" x1={px(x0)} x2={px(x1)} y1={px(mid)} y2={px(mid)} />
                        <rect class="hit" x={px(x0)} y={px(row.y)} width={px((x1 - x0).max(2.0))}
                            height={px(row.h)} data-item={Item::Idle { conn: c.id, index: i }.key(p)} tabindex="0" />
                    </g>
                }
            });
            let close = c.closed_ms.filter(|&t| t <= s.t1_ms).map(|t| {
                let cx = x(t);
                let mid = row.y + row.h / 2.0;
                let label = c.closed_by.label();
                // The server may close before its last bytes reach the client:
                // the words go after whatever is still drawn on the row.
                let busy_until = c.requests.iter().map(|r| r.end_ms).fold(t, f64::max);
                let label_x = cx.max(x(busy_until)) + 8.0;
                let room = right - label_x > 6.5 * label.len() as f64 + 2.0;
                html! {
                    <g class="close" data-item={Item::Close { conn: c.id }.key(p)} tabindex="0">
                        <path class="close-mark" d={format!("M{} {} V{} M{} {} H{}", px(cx), px(row.y), px(row.y + row.h), px(cx), px(mid), px(cx + 5.0))} />
                        <rect class="hit" x={px(cx - 3.0 )} y={px(row.y)} width="9" height={px(row.h)} />
                        if room && !group.compact {
                            <text class="close-label" x={px(label_x)} y={px(mid)} dominant-baseline="central">{ label }</text>
                        }
                    </g>
                }
            });
            let lost = c.lost.iter().filter(|(t, _)| *t <= s.t1_ms).map(|&(t, event)| {
                let lx = x(t);
                let mid = row.y + row.h / 2.0;
                html! {
                    <g class="lost-request" data-item={Item::Lost { event }.key(p)} tabindex="0">
                        <path class="lost-x" d={format!("M{} {} l6 6 M{} {} l-6 6", px(lx - 3.0), px(mid - 3.0), px(lx + 3.0), px(mid - 3.0))} />
                        <rect class="hit" x={px(lx - 5.0 )} y={px(row.y)} width="10" height={px(row.h)} />
                    </g>
                }
            });
            html! {
                <g class={classes!("lane-row", selected.then_some("selected"))} key={c.id}
                    data-conn={format!("{} {}", p.as_str(), c.id)}>
                    <rect class="row-bg" x="0" y={px(row.y)} width={px(g.width)} height={px(row.h)} />
                    <text class="row-label" x="4" y={px(row.y + row.h / 2.0 )} dominant-baseline="central">
                        { label }
                    </text>
                    { for setup }
                    { for idle }
                    { for requests }
                    { for close }
                    { for lost }
                </g>
            }
        });
        Some(html! {
            <g class={classes!("proto-group", proto_class(p))} key={p.as_str()} data-protocol={p.as_str()}
                data-connections={run.connections.len().to_string()} data-page-load={num(run.page_load_ms())}>
                { for rows }
                <line class="load-mark" x1={px(load_x)} x2={px(load_x)}
                    y1={px(group.y + 16.0 )} y2={px(group.bottom)} />
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
