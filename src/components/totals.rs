use yew::prelude::*;

use crate::layout::num;

use reuse_sim::result::{TotalMetric, TOTAL_METRICS};
use reuse_sim::time::fixed;
use reuse_sim::Protocol;

use crate::layout::format_ms;
use crate::state::Shown;

fn format_value(v: f64, ms: bool) -> String {
    if ms {
        format_ms(v)
    } else {
        // Thin-space thousands separators, as people read big counts.
        reuse_render::layout::format_count(v.round() as u64)
    }
}

/// Head-of-line blocking as a total: the engine's `totals.held_ms` (kept in
/// the app's list, after the engine's own, so the command line's totals
/// picture is unchanged).
const HELD: TotalMetric = TotalMetric {
    key: "held_ms",
    label: "Held behind a lost packet",
    help: "time data that had arrived waited for a lost packet",
    value: |r| r.totals.held_ms,
    ms: true,
};

/// Pipelining's in-order wait: the engine's `totals.blocked_ms`. Shown only
/// when some run has it: most lessons never pipeline.
const BLOCKED: TotalMetric = TotalMetric {
    key: "blocked_ms",
    label: "Waiting behind an earlier response",
    help: "pipelining answers in order: time spent behind earlier requests",
    value: |r| r.totals.blocked_ms,
    ms: true,
};

/// Overhead totals per protocol: a number and a bar for each, the bar scaled
/// to the largest value in its row; and the saving against HTTP/1.0.
pub fn totals(shown: &Shown) -> Html {
    let runs: Vec<_> = shown.runs().collect();
    let first = shown.run.baseline();
    let baseline = first.map(|r| r.page_load_ms());
    let than = first.map_or("HTTP/1.0", |r| &r.label);
    html! {
        <div class="totals-wrap">
        <table class="totals">
            <thead>
                <tr>
                    <th scope="col">{ "Per page" }</th>
                    { for runs.iter().map(|r| html! {
                        <th scope="col" class={classes!("proto", proto_class(r.protocol))}>{ &*r.label }</th>
                    }) }
                </tr>
            </thead>
            <tbody>
                { for TOTAL_METRICS.iter().chain([&HELD, &BLOCKED]).filter(|m| {
                    m.key != BLOCKED.key || runs.iter().any(|r| (m.value)(r.result()) > 0.0)
                }).map(|m| {
                    let values: Vec<f64> = runs.iter().map(|r| (m.value)(r.result())).collect();
                    let max = values.iter().copied().fold(0.0, f64::max);
                    html! {
                        <tr key={m.key}>
                            <th scope="row"><span class="metric">{ m.label }</span><span class="metric-help">{ m.help }</span></th>
                            { for runs.iter().zip(values).map(|(r, v)| {
                                let pct = if max > 0.0 { v / max * 100.0 } else { 0.0 };
                                html! {
                                    <td data-testid="total" data-protocol={r.protocol.as_str()} data-metric={m.key}
                                        data-value={num(v)}>
                                        <span class="num">{ format_value(v, m.ms) }</span>
                                        <span class={classes!("meter", proto_class(r.protocol))} aria-hidden="true">
                                            <span style={format!("width:{}%", fixed(pct, 1))}></span>
                                        </span>
                                    </td>
                                }
                            }) }
                        </tr>
                    }
                }) }
                <tr class="saving">
                    <th scope="row"><span class="metric">{ "Saving vs " }{ than }</span><span class="metric-help">{ "page load time saved against " }{ than }</span></th>
                    { for runs.iter().map(|r| {
                        let saving = baseline.map(|b| (b - r.page_load_ms(), if b > 0.0 { (b - r.page_load_ms()) / b * 100.0 } else { 0.0 }));
                        match saving {
                            Some(_) if first.is_some_and(|f| f.column == r.column) => html! {
                                <td data-testid="total" data-protocol={r.protocol.as_str()} data-metric="saving_ms" data-value="0">
                                    <span class="num muted">{ "baseline" }</span>
                                </td>
                            },
                            Some((ms, pct)) => html! {
                                <td data-testid="total" data-protocol={r.protocol.as_str()} data-metric="saving_ms" data-value={num(ms)}>
                                    <span class="num">{ format!("{} ({} %)", format_ms(ms), fixed(pct, 0)) }</span>
                                    <span class={classes!("meter", proto_class(r.protocol))} aria-hidden="true">
                                        <span style={format!("width:{}%", fixed(crate::layout::clamp(pct, 0.0, 100.0), 1))}></span>
                                    </span>
                                </td>
                            },
                            None => html! { <td>{ "—" }</td> },
                        }
                    }) }
                </tr>
            </tbody>
        </table>
        </div>
    }
}

pub fn proto_class(p: Protocol) -> &'static str {
    match p {
        Protocol::Http10 => "p10",
        Protocol::Http11 => "p11",
        Protocol::H2 => "p2",
        Protocol::H3 => "p3",
    }
}
