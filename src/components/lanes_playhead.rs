use yew::prelude::*;

use super::lanes::{LanesGeometry, AXIS_H};
use super::totals::proto_class;
use crate::layout::{format_ms, px};
use crate::state::Shown;
use crate::view_model::countdown;

/// What moves: the playhead, the veil over the future, and the keep-alive
/// countdowns of connections idle at the playhead.
pub fn lanes_playhead(shown: &Shown, g: &LanesGeometry, t: f64) -> Html {
    let x = g.scale.px_clamped(t);
    // Zoomed away from the playhead: no countdowns (they would sit at an edge).
    let on_screen = (g.scale.t0_ms..=g.scale.t1_ms).contains(&t);
    let mut countdowns = Vec::new();
    for group in g.groups.iter().filter(|_| on_screen) {
        let Some(run) = shown.run.get(group.column) else { continue };
        if group.compact {
            continue;
        }
        for row in &group.rows {
            let c = &run.connections[row.conn_index];
            for idle in &c.idle {
                if let Some(text) = countdown(idle, t, g.width < 520.0) {
                    // Beside the playhead, on whichever side has room; left out if neither has.
                    let text_w = 5.9 * text.chars().count() as f64 + 6.0;
                    let anchor_end = g.scale.px1 - x < text_w;
                    if anchor_end && x - text_w < g.label_w {
                        continue;
                    }
                    countdowns.push(html! {
                        <text class="countdown" x={px(if anchor_end { x - 4.0 } else { x + 4.0 })}
                            y={px(row.y + row.h / 2.0 )} dominant-baseline="central"
                            text-anchor={if anchor_end { "end" } else { "start" }}>{ text }</text>
                    });
                }
            }
        }
    }
    // Group titles sit above the veil so they stay readable.
    let titles = g.groups.iter().filter_map(|group| {
        let run = shown.run.get(group.column)?;
        let n = run.connections.len();
        let text = if g.width < 520.0 {
            format!("{} · {n} conn. · loaded {}", run.label, format_ms(run.page_load_ms()))
        } else {
            format!(
                "{} · {n} connection{} · page loaded at {}",
                run.label,
                if n == 1 { "" } else { "s" },
                format_ms(run.page_load_ms())
            )
        };
        Some(html! {
            <text class={classes!("group-title", proto_class(run.protocol))} x="4" y={px(group.y + 13.0 )}>{ text }</text>
        })
    });
    html! {
        <g class="playhead-layer" aria-hidden="true">
            <rect class="veil" x={px(x)} y={px(AXIS_H)} width={px((g.scale.px1 - x + 10.0).max(0.0))}
                height={px(g.height - AXIS_H )} />
            if (g.scale.t0_ms..=g.scale.t1_ms).contains(&t) {
                <line class="playhead" x1={px(x)} x2={px(x)} y1="0" y2={px(g.height)} />
            }
            { for titles }
            { for countdowns }
        </g>
    }
}
