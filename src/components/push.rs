//! The server's events (full build only, for a scenario with `push`): the
//! same events fetched five ways side by side (`reuse_sim::push::ways`, what
//! `reuse-cli run --push-ways` prints): a new connection per poll, polls
//! over keep-alive, long polls, server-sent events and an HTTP/2 stream,
//! each with its event latencies, requests, connections, and bytes and
//! packets per event, and a picture of when each event reached the client.

use std::rc::Rc;

use yew::prelude::*;

use crate::layout::format_ms;
use reuse_render::layout::format_count;
use reuse_sim::push::Way;
use reuse_sim::{Scenario, SimOutput};

/// The scope the picture's style sheet is limited to on the page.
const PLOT_SCOPE: &str = ".push-plot";

/// The table's figures right-aligned in tabular digits; the picture is
/// drawn for paper, and a dark page shows it inverted.
const PUSH_CSS: &str = ".push-ways{border-collapse:collapse;font-size:.88rem;width:100%}\
.push-ways th,.push-ways td{padding:.28rem .4rem;white-space:nowrap;border-bottom:1px solid var(--grid);text-align:right;vertical-align:top;font-variant-numeric:tabular-nums}\
.push-ways thead th{font-size:.8rem;border-bottom:1px solid var(--line)}\
.push-ways th[scope=row],.push-ways thead th:first-child{text-align:left;font-weight:500;white-space:normal}\
@media (prefers-color-scheme:dark){.push-plot svg{filter:invert(.9) hue-rotate(180deg)}}";

#[derive(Properties, PartialEq)]
pub struct PushCardProps {
    pub scenario: Rc<Scenario>,
    pub width: f64,
}

/// Each way's run, or why the comparison could not run.
type Ways = Result<Vec<(Way, SimOutput)>, String>;

fn run_ways(scenario: &Scenario) -> Ways {
    let ways = reuse_sim::push::comparison(scenario).map_err(|e| e.to_string())?;
    ways.into_iter()
        .map(|(way, s)| {
            reuse_sim::simulate(&s).map(|out| (way, out)).map_err(|e| format!("{}: {e}", way.label))
        })
        .collect()
}

#[function_component]
pub fn PushCard(props: &PushCardProps) -> Html {
    let ways = use_memo(props.scenario.clone(), |s| run_ways(s));
    let svg = use_memo((ways.clone(), props.width as u32), |(ways, width)| match &**ways {
        Ok(ways) => {
            let rows: Vec<(&str, &SimOutput)> = ways.iter().map(|(way, out)| (way.label, out)).collect();
            let options = reuse_render::RenderOptions { width_px: (*width).max(reuse_render::MIN_WIDTH_PX) };
            reuse_render::svg::scoped(&reuse_render::push_svg(&rows, &options), PLOT_SCOPE)
        }
        Err(_) => String::new(),
    });
    let body = match &*ways {
        Err(message) => html! { <p class="error" role="alert">{ message.clone() }</p> },
        Ok(ways) => html! {
            <>
            <div class="totals-wrap">
            <table class="push-ways" aria-labelledby="h-push">
                <thead>
                    <tr>{ for COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr>
                </thead>
                <tbody>
                    { for ways.iter().map(|(way, out)| html! {
                        <tr data-testid="push-way">
                            <th scope="row">{ format!("{} ({})", way.label, way.protocol.label()) }</th>
                            { for cells(out).into_iter().map(|c| html! { <td>{ c }</td> }) }
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
            <div class="push-plot" style="overflow-x:auto">{ Html::from_html_unchecked(AttrValue::from((*svg).clone())) }</div>
            </>
        },
    };
    let events = props.scenario.push.as_ref().map_or(0, |p| p.events_ms.len());
    html! {
        <section class="card" aria-labelledby="h-push" data-testid="push-view">
            <style>{ PUSH_CSS }</style>
            <div class="card-head">
                <h2 id="h-push">{ "The server's events, five ways" }</h2>
            </div>
            <p class="hint">
                { format!(
                    "The same {events} events, happening on the server when they do, reach the client by polls on a new connection each time, \
                     polls over one kept-alive connection, long polls, or one response held open (server-sent events, an HTTP/2 stream). \
                     Latency runs from the event on the server to its last byte at the client."
                ) }
            </p>
            { body }
        </section>
    }
}

/// The table's columns: the way, then [`cells`].
const COLUMNS: [&str; 8] = [
    "Way",
    "Latency, mean",
    "Median",
    "Max",
    "Requests (none found)",
    "Connections",
    "Bytes per event",
    "Packets per event",
];

/// A way's figures, in the order of [`COLUMNS`] after the first.
fn cells(out: &SimOutput) -> Vec<String> {
    let Some(p) = out.result.push.as_ref() else { return Vec::new() };
    let undelivered = p.events.len() as u32 - p.delivered;
    let mut mean = format_ms(p.mean_latency_ms);
    if undelivered > 0 {
        mean.push_str(&format!(" ({undelivered} never delivered)"));
    }
    vec![
        mean,
        format_ms(p.median_latency_ms),
        format_ms(p.max_latency_ms),
        format!("{} ({})", p.requests, p.empty_responses),
        p.connections_opened.to_string(),
        format_count(p.bytes_per_event.round() as u64),
        reuse_sim::time::fixed(p.packets_per_event, 1),
    ]
}
