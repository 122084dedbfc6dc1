use reuse_sim::Protocol;
use yew::prelude::*;

use super::legend::Legend;
use super::totals::proto_class;
use super::waterfall_static::WaterfallStatic;
use super::Dispatch;
use crate::layout::{px, TimeScale};
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
                <div class="stack">
                    <svg class="timeline waterfall" width={px(props.width)} height={px(geometry.height)}
                        viewBox={format!("0 0 {} {}", px(props.width), px(geometry.height))} data-testid="waterfall">
                        <WaterfallStatic shown={props.shown.clone()} protocol={props.protocol} geometry={geometry.clone()}
                            dispatch={props.dispatch.clone()} />
                    </svg>
                    <svg class="timeline overlay" width={px(props.width)} height={px(geometry.height)}
                        viewBox={format!("0 0 {} {}", px(props.width), px(geometry.height))} aria-hidden="true">
                        <rect class="veil" x={px(x)} y={px(geometry.top)}
                            width={px((geometry.scale.px1 - x + 10.0).max(0.0))}
                            height={px(geometry.height - geometry.top )} />
                        <line class="playhead" x1={px(x)} x2={px(x)} y1="0" y2={px(geometry.height)} />
                    </svg>
                </div>
            </div>
        </>
    }
}
