use yew::prelude::*;

use crate::layout::{format_tick, nice_step, num, px, ticks, TimeScale};

/// Vertical grid lines with time labels, for a horizontal time axis: labels
/// at `top`, lines down to `bottom`. A plain view function rather than a
/// component: it is only ever drawn inside a static layer that is already
/// memoised, and each component costs code size in the wasm.
pub fn time_axis(s: TimeScale, top: f64, bottom: f64) -> Html {
    // A label every 70 px or more, 2 to 12 of them.
    let max_ticks = crate::layout::clamp(((s.px1 - s.px0) / 70.0).floor(), 2.0, 12.0);
    let step = nice_step((s.t1_ms - s.t0_ms) / max_ticks);
    html! {
        <g class="axis" aria-hidden="true">
            { for ticks(s.t0_ms, s.t1_ms, step).into_iter().map(|t| {
                let x = s.px(t);
                html! {
                    <g key={num(t)}>
                        <line class="grid" x1={px(x)} x2={px(x)}
                            y1={px(top + 4.0 )} y2={px(bottom)} />
                        // A label at the right edge ends there instead of being cut.
                        <text class="tick" x={px(x)} y={px(top)}
                            text-anchor={if s.px1 - x < 24.0 { "end" } else { "middle" }}>{ format_tick(t, step) }</text>
                    </g>
                }
            }) }
        </g>
    }
}
