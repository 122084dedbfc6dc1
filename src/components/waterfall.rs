use reuse_sim::Protocol;
use yew::prelude::*;

use super::legend::Legend;
use super::time_axis::time_axis;
use super::totals::proto_class;
use super::{explain_on, select_connection_on, Dispatch};
use crate::layout::{ellipsize, TimeScale};
use crate::state::{Action, Ptr, Shown};

#[derive(Properties, PartialEq)]
pub struct WaterfallProps {
    pub shown: Ptr<Shown>,
    pub protocol: Protocol,
    pub width: f64,
    pub axis_end_ms: f64,
    pub playhead_ms: f64,
    pub dispatch: Dispatch,
}

#[derive(Debug, PartialEq)]
pub struct WaterfallGeometry {
    pub width: f64,
    pub height: f64,
    pub label_w: f64,
    pub row_h: f64,
    pub top: f64,
    pub scale: TimeScale,
}

impl WaterfallGeometry {
    pub fn new(rows: usize, width: f64, axis_end_ms: f64) -> Self {
        let label_w = if width < 520.0 { 84.0 } else { 150.0 };
        let row_h = if rows > 40 { 11.0 } else { 17.0 };
        let top = 22.0;
        WaterfallGeometry {
            width,
            height: top + rows as f64 * row_h + 6.0,
            label_w,
            row_h,
            top,
            scale: TimeScale::new(0.0, axis_end_ms, label_w, width - 10.0),
        }
    }
}

/// The request waterfall of one protocol, with DevTools' phase names and
/// colours (and patterns), on the shared time axis.
#[function_component]
pub fn Waterfall(props: &WaterfallProps) -> Html {
    let rows = props.shown.run.get(props.protocol).map(|r| r.rows.len()).unwrap_or(0);
    let geometry = use_memo((rows, props.width.to_bits(), props.axis_end_ms.to_bits()), |(n, w, e)| {
        WaterfallGeometry::new(*n, f64::from_bits(*w), f64::from_bits(*e))
    });
    let geometry = Ptr(geometry);
    let x = geometry.scale.px_clamped(props.playhead_ms);
    let tabs = props.shown.protocols.iter().map(|&p| {
        let d = props.dispatch.clone();
        let selected = p == props.protocol;
        html! {
            <button type="button" role="tab" aria-selected={selected.to_string()}
                class={classes!("tab", proto_class(p), selected.then_some("on"))}
                onclick={Callback::from(move |_| d.dispatch(Action::SetWaterfall(p)))}
                data-testid={format!("waterfall-{}", p.as_str())}>{ p.label() }</button>
        }
    });
    html! {
        <>
            <div class="tabs" role="tablist" aria-label="Waterfall protocol">{ for tabs }</div>
            <Legend />
            <div class="timeline-wrap">
                <svg class="timeline waterfall" width={props.width.to_string()} height={geometry.height.to_string()}
                    viewBox={format!("0 0 {} {}", props.width, geometry.height)} data-testid="waterfall">
                    <WaterfallStatic shown={props.shown.clone()} protocol={props.protocol} geometry={geometry.clone()}
                        dispatch={props.dispatch.clone()} />
                    <g class="playhead-layer" aria-hidden="true">
                        <rect class="veil" x={x.to_string()} y={geometry.top.to_string()}
                            width={(geometry.scale.px1 - x + 10.0).max(0.0).to_string()}
                            height={(geometry.height - geometry.top).to_string()} />
                        <line class="playhead" x1={x.to_string()} x2={x.to_string()} y1="0" y2={geometry.height.to_string()} />
                    </g>
                </svg>
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct WaterfallStaticProps {
    pub shown: Ptr<Shown>,
    pub protocol: Protocol,
    pub geometry: Ptr<WaterfallGeometry>,
    pub dispatch: Dispatch,
}

#[function_component]
pub fn WaterfallStatic(props: &WaterfallStaticProps) -> Html {
    let Some(run) = props.shown.run.get(props.protocol) else { return html! {} };
    let g = &props.geometry;
    let s = g.scale;
    let p = props.protocol;
    let explain = explain_on(&props.shown, &props.dispatch);
    let select = select_connection_on(&props.shown, &props.dispatch);
    let label_chars = ((g.label_w - 30.0) / 6.2).max(4.0) as usize;
    let rows = run.rows.iter().enumerate().map(|(i, row)| {
        let y = g.top + i as f64 * g.row_h;
        let bar_h = g.row_h - 3.0;
        html! {
            <g class="wf-row" key={row.request} data-conn={format!("{} {}", p.as_str(), row.connection)}>
                <text class="row-label" x="4" y={(y + g.row_h / 2.0).to_string()} dominant-baseline="central">
                    { ellipsize(run.request_id(row.request), label_chars) }
                </text>
                <text class="row-conn" x={(g.label_w - 6.0).to_string()} y={(y + g.row_h / 2.0).to_string()}
                    dominant-baseline="central" text-anchor="end">{ format!("#{}", row.connection) }</text>
                { for row.bars.iter().map(|b| html! {
                    <rect class={classes!("bar", b.phase.class())} x={s.px_clamped(b.start_ms).to_string()}
                        y={(y + 1.5).to_string()} width={s.width(b.start_ms, b.end_ms).max(1.0).to_string()}
                        height={bar_h.to_string()} data-item={b.item.key(p)} tabindex="0" />
                }) }
            </g>
        }
    });
    html! {
        <g onmouseover={explain.reform(|e: MouseEvent| e.into())} onfocusin={explain.reform(|e: FocusEvent| e.into())}
            onclick={select.reform(|e: MouseEvent| e.into())}>
            { time_axis(s, 12.0, g.height) }
            { for rows }
        </g>
    }
}
