//! The server's view (full build only): the connections each shown run
//! holds open on the server over time, one step line per protocol on one
//! clock (`reuse_render::server_svg_with`, what `reuse-cli svg --view
//! server` prints), with its SVG and PNG downloads. The totals above give
//! the same peak, mean, handshakes and CPU and memory estimates.

use yew::prelude::*;

use super::Dispatch;
use crate::state::{Action, Ptr, Shown};

/// The scope the picture's style sheet is limited to on the page.
const PLOT_SCOPE: &str = ".server-plot";

/// The picture is drawn for paper (a white page, as it downloads); in a
/// dark page it is shown inverted, its hues turned back.
/// The many-clients fields sit on one line with their button.
const SERVER_CSS: &str =
    "@media (prefers-color-scheme:dark){.server-plot svg{filter:invert(.9) hue-rotate(180deg)}}\
.crowd-form{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:flex-start;margin:.3rem 0 .6rem}\
.crowd-form .field{width:13rem;margin:0}.crowd-form button{margin-top:1.45rem}";

#[derive(Properties, PartialEq)]
pub struct ServerCardProps {
    pub shown: Ptr<Shown>,
    pub width: f64,
    /// The page's link, for the downloads.
    pub link: AttrValue,
    pub embedded: bool,
    pub dispatch: Dispatch,
    /// Many clients, `(count, over_ms)`; `None`: the one client above.
    pub clients: Option<(u32, f64)>,
    /// The scenario's link alone (no view keys): what the many-clients
    /// figures are made from, so moving the playhead does not remake them.
    pub scenario_link: AttrValue,
}

#[function_component]
pub fn ServerCard(props: &ServerCardProps) -> Html {
    let svg = use_memo((props.shown.clone(), props.width as u32), |(shown, width)| {
        let outputs: Vec<&reuse_sim::SimOutput> = shown.0.runs().map(|r| &r.output).collect();
        let options = reuse_render::RenderOptions { width_px: (*width).max(reuse_render::MIN_WIDTH_PX) };
        reuse_render::svg::scoped(
            &reuse_render::server_svg_with(&shown.0.run.scenario, &outputs, &options),
            PLOT_SCOPE,
        )
    });
    let close = {
        let d = props.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::SetServer(false)))
    };
    let downloads = (!props.embedded).then(|| {
        super::share::card_downloads(
            "server",
            "export-status-server",
            "the server's view",
            &props.link,
            close,
        )
    });
    html! {
        <section class="card" aria-labelledby="h-server" data-testid="server-view">
            <style>{ SERVER_CSS }</style>
            <div class="card-head">
                <h2 id="h-server">{ "Server side" }</h2>
                { for downloads }
            </div>
            <p class="hint">
                { "Connections open on the server, from each connection's SYN to its close: what keeping connections alive costs the server, and what it saves in handshakes." }
            </p>
            <div class="server-plot" style="overflow-x:auto">{ Html::from_html_unchecked(AttrValue::from((*svg).clone())) }</div>
            { many_clients(props) }
        </section>
    }
}

/// The many-clients part (full build, feature `clients`): two fields, then
/// the figures the export worker writes into `crowd::FIGURES_ID`.
#[cfg(feature = "clients")]
fn many_clients(props: &ServerCardProps) -> Html {
    html! { <ManyClients clients={props.clients} scenario_link={props.scenario_link.clone()}
    width={props.width} embedded={props.embedded} dispatch={props.dispatch.clone()} /> }
}

#[cfg(not(feature = "clients"))]
fn many_clients(_: &ServerCardProps) -> Html {
    Html::default()
}

#[cfg(feature = "clients")]
#[derive(Properties, PartialEq)]
struct ManyClientsProps {
    clients: Option<(u32, f64)>,
    scenario_link: AttrValue,
    width: f64,
    embedded: bool,
    dispatch: Dispatch,
}

#[cfg(feature = "clients")]
#[function_component]
fn ManyClients(props: &ManyClientsProps) -> Html {
    use crate::crowd;
    use reuse_sim::scenario::Clients;
    use web_sys::HtmlInputElement;

    // What the reader typed stays in the fields, right or wrong.
    let typed = {
        let shown = props.clients.unwrap_or((1000, 60_000.0));
        use_state(move || (shown.0.to_string(), reuse_sim::time::decimal(shown.1 / 1000.0)))
    };
    let problem = use_state(|| None::<(&'static str, String)>);
    // The figures are made again when the scenario, the clients or the width change.
    let width = (props.width / 40.0).round() * 40.0;
    use_effect_with((props.scenario_link.clone(), props.clients, width as u32), |(link, clients, width)| {
        if let Some((count, over_ms)) = *clients {
            let job = crowd::job(&Clients { count, over_ms }, f64::from(*width));
            super::share::export_file("crowd", &job, link, crowd::FIGURES_ID);
        }
    });
    let on_input = |which: usize| {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            let mut now = (*typed).clone();
            if which == 0 {
                now.0 = value
            } else {
                now.1 = value
            }
            typed.set(now);
        })
    };
    let on_submit = {
        let (typed, problem, d) = (typed.clone(), problem.clone(), props.dispatch.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match crowd::read_fields(&typed.0, &typed.1) {
                Ok(c) => {
                    problem.set(None);
                    d.dispatch(Action::SetClients(Some((c.count, c.over_ms))));
                }
                Err(p) => problem.set(Some(p)),
            }
        })
    };
    let one_client = {
        let d = props.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::SetClients(None)))
    };
    let error_of = |field: &str| problem.as_ref().filter(|(f, _)| *f == field).map(|(_, m)| m.clone());
    let field = |id: &'static str,
                 key: &'static str,
                 label: &'static str,
                 unit: &'static str,
                 value: &String,
                 mode: &'static str| {
        let error = error_of(key);
        let error_id = format!("{id}-error");
        html! {
            <div class={classes!("field", error.is_some().then_some("invalid"))}>
                <label for={id}>{ label }<span class="unit">{ unit }</span></label>
                <input {id} type="text" inputmode={mode} autocomplete="off" spellcheck="false" value={value.clone()}
                    oninput={on_input(usize::from(key == "over"))} aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={error.is_some().then(|| error_id.clone())} data-testid={id} />
                if let Some(m) = error { <p class="error" id={error_id} role="alert">{ m }</p> }
            </div>
        }
    };
    html! {
        <>
            <h3 id="h-crowd">{ "Many clients" }</h3>
            <p class="hint">
                { "The same page loaded by many clients, each with its own connections and path to this server: \
                   what reuse saves it at scale in connections, handshakes and their CPU, and open sockets." }
            </p>
            if !props.embedded {
                <form class="crowd-form" onsubmit={on_submit} aria-labelledby="h-crowd">
                    { field("crowd-count", "count", "Clients", "1 to 10,000", &typed.0, "numeric") }
                    { field("crowd-over", "over", "Arriving over", "seconds", &typed.1, "decimal") }
                    <button type="submit" data-testid="crowd-run">{ "Simulate" }</button>
                    if props.clients.is_some() {
                        <button type="button" class="small" onclick={one_client} data-testid="crowd-off">{ "One client" }</button>
                    }
                </form>
            }
            if props.clients.is_some() {
                <div id={crowd::FIGURES_ID} role="status" aria-live="polite" data-testid="crowd-figures"></div>
            }
        </>
    }
}
