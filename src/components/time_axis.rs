use yew::prelude::*;

use crate::layout::{format_tick, tick_step, ticks, TimeScale};

#[derive(Properties, PartialEq)]
pub struct TimeAxisProps {
    pub scale: TimeScale,
    /// Where the labels sit; grid lines run from `top` to `bottom`.
    pub top: f64,
    pub bottom: f64,
}

/// Vertical grid lines with time labels, for a horizontal time axis.
#[function_component]
pub fn TimeAxis(props: &TimeAxisProps) -> Html {
    let s = props.scale;
    let max_ticks = (((s.px1 - s.px0) / 70.0).floor() as usize).clamp(2, 12);
    let step = tick_step(s.t1_ms - s.t0_ms, max_ticks);
    html! {
        <g class="axis" aria-hidden="true">
            { for ticks(s.t0_ms, s.t1_ms, step).into_iter().map(|t| {
                let x = s.px(t);
                html! {
                    <g key={format!("{t}")}>
                        <line class="grid" x1={x.to_string()} x2={x.to_string()}
                            y1={(props.top + 4.0).to_string()} y2={props.bottom.to_string()} />
                        <text class="tick" x={x.to_string()} y={props.top.to_string()}
                            text-anchor="middle">{ format_tick(t, step) }</text>
                    </g>
                }
            }) }
        </g>
    }
}
