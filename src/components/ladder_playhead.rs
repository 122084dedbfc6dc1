use yew::prelude::*;

use crate::layout::px;

use super::ladder::LadderGeometry;

/// The playhead across the ladder, the veil over the future, and a dot on
/// every packet in flight at the playhead.
pub fn ladder_playhead(g: &LadderGeometry, t: f64) -> Html {
    let y = g.y(t);
    let in_flight = g.arrows.iter().filter(|a| a.t0 <= t && t < a.t1).map(|a| {
        let (x0, x1) = if a.from_client { (g.client_x, g.server_x) } else { (g.server_x, g.client_x) };
        let x1 = if a.lost { (x0 + x1) / 2.0 } else { x1 };
        let f = if a.t1 > a.t0 { (t - a.t0) / (a.t1 - a.t0) } else { 1.0 };
        let (y0, y1) = (g.y(a.t0) + a.offset, g.y(a.t1) + a.offset);
        html! {
            <circle class={classes!("in-flight", a.lost.then_some("lost"))} cx={px(x0 + (x1 - x0) * f )}
                cy={px(y0 + (y1 - y0) * f )} r="4" />
        }
    });
    html! {
        <g class="playhead-layer" aria-hidden="true">
            <rect class="veil" x="0" y={px(y)} width={px(g.width)} height={px((g.height - y).max(0.0))} />
            <line class="playhead" x1="0" x2={px(g.width)} y1={px(y)} y2={px(y)} />
            { for in_flight }
        </g>
    }
}
