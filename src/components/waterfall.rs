use crate::view_model::Column;
use yew::prelude::*;

use super::lab::{skip_link, skip_target};
use super::legend::legend;
use super::totals::proto_class;
use super::waterfall_static::waterfall_static;
use super::{Dispatch, Frozen};
use crate::layout::{px, TimeScale, Window};
use crate::state::{Action, Ptr, Shown};

pub struct WaterfallProps {
    pub shown: Ptr<Shown>,
    pub column: Column,
    pub width: f64,
    /// The part of the time axis shown (zoom).
    pub window: Window,
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
    pub fn new(rows: usize, width: f64, window: Window) -> Self {
        let label_w = if width < 520.0 { 84.0 } else { 150.0 };
        let row_h = if rows > 40 { 11.0 } else { 17.0 };
        let top = 22.0;
        WaterfallGeometry {
            width,
            height: top + rows as f64 * row_h + 6.0,
            label_w,
            row_h,
            top,
            scale: TimeScale::new(window.start_ms, window.end_ms, label_w, width - 10.0),
        }
    }
}

/// The request waterfall of one protocol, with DevTools' phase names and
/// colours (and patterns), on the shared time axis.
#[hook]
pub fn use_waterfall(props: WaterfallProps) -> Html {
    let rows = props.shown.run.get(props.column).map(|r| r.rows.len()).unwrap_or(0);
    let window = (props.window.start_ms.to_bits(), props.window.end_ms.to_bits());
    let geometry = use_memo((rows, props.width.to_bits(), window), |(n, w, (a, b))| {
        let window = Window { start_ms: f64::from_bits(*a), end_ms: f64::from_bits(*b) };
        WaterfallGeometry::new(*n, f64::from_bits(*w), window)
    });
    let statics = {
        let (shown, dispatch) = (props.shown.clone(), props.dispatch.clone());
        use_memo((Ptr(geometry.clone()), shown.clone(), props.column), move |(g, _, p)| {
            waterfall_static(&shown, *p, g, &dispatch)
        })
    };
    let x = geometry.scale.px_clamped(props.playhead_ms);
    let tabs = props.shown.runs().map(|run| {
        let (d, c) = (props.dispatch.clone(), run.column);
        let selected = c == props.column;
        html! {
            <button type="button" role="tab" aria-selected={selected.to_string()}
                class={classes!("tab", proto_class(run.protocol), selected.then_some("on"))}
                onclick={Callback::from(move |_| d.dispatch(Action::SetWaterfall(c)))}
                data-testid={format!("waterfall-{}", c.key())}>{ &*run.label }</button>
        }
    });
    html! {
        <>
            <div class="tabs" role="tablist" aria-label="Waterfall protocol">{ for tabs }</div>
            { legend(false) }
            { skip_link("waterfall") }
            <div class="timeline-wrap">
                <div class="stack">
                    <svg class="timeline waterfall" width={px(props.width)} height={px(geometry.height)}
                        viewBox={format!("0 0 {} {}", px(props.width), px(geometry.height))} data-testid="waterfall"
                        data-plot={format!("{} {}", px(geometry.scale.px0), px(geometry.scale.px1))}
                        role="group" aria-label="Request waterfall">
                        <Frozen html={statics} />
                    </svg>
                    <svg class="timeline overlay" width={px(props.width)} height={px(geometry.height)}
                        viewBox={format!("0 0 {} {}", px(props.width), px(geometry.height))} aria-hidden="true">
                        <rect class="veil" x={px(x)} y={px(geometry.top)}
                            width={px((geometry.scale.px1 - x + 10.0).max(0.0))}
                            height={px(geometry.height - geometry.top )} />
                        if (geometry.scale.t0_ms..=geometry.scale.t1_ms).contains(&props.playhead_ms) {
                            <line class="playhead" x1={px(x)} x2={px(x)} y1="0" y2={px(geometry.height)} />
                        }
                    </svg>
                </div>
            </div>
            { skip_target("waterfall") }
        </>
    }
}
