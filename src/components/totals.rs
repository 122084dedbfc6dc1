use yew::prelude::*;

use crate::layout::num;

use reuse_sim::time::fixed;
use reuse_sim::{Protocol, RunResult};

use crate::state::{Ptr, Shown};
use crate::view_model::fmt_ms;

#[derive(Properties, PartialEq)]
pub struct TotalsProps {
    pub shown: Ptr<Shown>,
}

struct Metric {
    key: &'static str,
    label: &'static str,
    help: &'static str,
    value: fn(&RunResult) -> f64,
    ms: bool,
}

const METRICS: [Metric; 8] = [
    Metric {
        key: "page_load_ms",
        label: "Page load",
        help: "when the last byte of the last response arrives",
        value: |r| r.page_load_ms,
        ms: true,
    },
    Metric {
        key: "connections_opened",
        label: "Connections opened",
        help: "TCP connections, each with its own handshake",
        value: |r| r.totals.connections_opened as f64,
        ms: false,
    },
    Metric {
        key: "setup_ms",
        label: "Time in handshakes",
        help: "DNS, TCP and TLS set-up, summed over connections",
        value: |r| r.totals.setup_ms,
        ms: true,
    },
    Metric {
        key: "packets",
        label: "Packets",
        help: "packets on the wire, both directions",
        value: |r| r.totals.packets as f64,
        ms: false,
    },
    Metric {
        key: "header_bytes",
        label: "Header bytes",
        help: "HTTP headers on the wire (HTTP/2 compresses them)",
        value: |r| r.totals.header_bytes as f64,
        ms: false,
    },
    Metric {
        key: "retransmissions",
        label: "Retransmissions",
        help: "segments sent again after a loss",
        value: |r| r.totals.retransmissions as f64,
        ms: false,
    },
    Metric {
        key: "idle_closes",
        label: "Idle closes",
        help: "connections closed by a keep-alive timeout",
        value: |r| r.totals.idle_closes as f64,
        ms: false,
    },
    Metric {
        key: "retried_requests",
        label: "Retried requests",
        help: "requests sent again after the connection closed under them",
        value: |r| r.totals.retried_requests as f64,
        ms: false,
    },
];

fn format_value(v: f64, ms: bool) -> String {
    if ms {
        fmt_ms(v)
    } else {
        let n = v.round() as u64;
        // Thin-space thousands separators, as people read big counts.
        let digits = n.to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('\u{202f}');
            }
            out.push(ch);
        }
        out
    }
}

/// Overhead totals per protocol: a number and a bar for each, the bar scaled
/// to the largest value in its row; and the saving against HTTP/1.0.
#[function_component]
pub fn Totals(props: &TotalsProps) -> Html {
    let shown = &props.shown;
    let runs: Vec<_> = shown.runs().collect();
    let baseline = shown.run.get(Protocol::Http10).map(|r| r.page_load_ms());
    html! {
        <div class="totals-wrap">
        <table class="totals">
            <thead>
                <tr>
                    <th scope="col">{ "Per page" }</th>
                    { for runs.iter().map(|r| html! {
                        <th scope="col" class={classes!("proto", proto_class(r.protocol))}>{ r.protocol.label() }</th>
                    }) }
                </tr>
            </thead>
            <tbody>
                { for METRICS.iter().map(|m| {
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
                    <th scope="row"><span class="metric">{ "Saving vs HTTP/1.0" }</span><span class="metric-help">{ "page load time saved against HTTP/1.0" }</span></th>
                    { for runs.iter().map(|r| {
                        let saving = baseline.map(|b| (b - r.page_load_ms(), if b > 0.0 { (b - r.page_load_ms()) / b * 100.0 } else { 0.0 }));
                        match saving {
                            Some(_) if r.protocol == Protocol::Http10 => html! {
                                <td data-testid="total" data-protocol={r.protocol.as_str()} data-metric="saving_ms" data-value="0">
                                    <span class="num muted">{ "baseline" }</span>
                                </td>
                            },
                            Some((ms, pct)) => html! {
                                <td data-testid="total" data-protocol={r.protocol.as_str()} data-metric="saving_ms" data-value={num(ms)}>
                                    <span class="num">{ format!("{} ({} %)", fmt_ms(ms), fixed(pct, 0)) }</span>
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
    }
}
