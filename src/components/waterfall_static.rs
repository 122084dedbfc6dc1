use crate::view_model::Column;
use yew::prelude::*;

use super::time_axis::time_axis;
use super::waterfall::WaterfallGeometry;
use super::{explain_on, select_connection_on, Dispatch};
use crate::layout::{ellipsize, format_ms, px};
use crate::state::{Ptr, Shown};

/// The waterfall's rows and bars (everything but the playhead).
pub fn waterfall_static(shown: &Ptr<Shown>, p: Column, g: &WaterfallGeometry, dispatch: &Dispatch) -> Html {
    let Some(run) = shown.run.get(p) else { return html! {} };
    let s = g.scale;
    let explain = explain_on(shown, dispatch);
    let select = select_connection_on(shown, dispatch);
    let label_chars = ((g.label_w - 30.0) / 6.2).max(4.0) as usize;
    let rows = run.rows.iter().enumerate().map(|(i, row)| {
        let y = g.top + i as f64 * g.row_h;
        let bar_h = g.row_h - 3.0;
        html! {
            <g class="wf-row" key={row.request} data-conn={format!("{} {}", p.key(), row.connection)}>
                <text class="row-label" x="4" y={px(y + g.row_h / 2.0 )} dominant-baseline="central">
                    { ellipsize(&run.request_id(row.request), label_chars) }
                </text>
                <text class="row-conn" x={px(g.label_w - 6.0 )} y={px(y + g.row_h / 2.0 )}
                    dominant-baseline="central" text-anchor="end">{ format!("#{}", row.connection) }</text>
                // The phases end to end, then the time held behind a lost
                // packet over the waiting and download bars it lies within.
                { for row.bars.iter().chain(&row.held).filter(|b| b.end_ms >= s.t0_ms && b.start_ms <= s.t1_ms).map(|b| html! {
                    <rect class={classes!("bar", b.phase.class())} x={px(s.px_clamped(b.start_ms))}
                        y={px(y + 1.5)} width={px(s.width(b.start_ms, b.end_ms).max(1.0))}
                        height={px(bar_h)} data-item={b.item.key(p)} tabindex="0" role="img"
                        aria-label={format!("{}: {}, {}", run.request_id(row.request), b.phase.name(), format_ms(b.end_ms - b.start_ms))} />
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
