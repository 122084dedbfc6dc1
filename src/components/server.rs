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
const SERVER_CSS: &str =
    "@media (prefers-color-scheme:dark){.server-plot svg{filter:invert(.9) hue-rotate(180deg)}}";

#[derive(Properties, PartialEq)]
pub struct ServerCardProps {
    pub shown: Ptr<Shown>,
    pub width: f64,
    /// The page's link, for the downloads.
    pub link: AttrValue,
    pub embedded: bool,
    pub dispatch: Dispatch,
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
        let markup = "<span id=export-status-server class=share-status role=status></span>\
             <button type=button class=small data-kind=svg title=\"Download as SVG (vector, for papers and slides)\" data-testid=export-svg-server>SVG</button>\
             <button type=button class=small data-kind=png title=\"Download as PNG at twice the size\" data-testid=export-png-server>PNG</button>";
        html! {
            <span class="export" role="group" aria-label="Download the server's view"
                onclick={super::share::on_kind("server", &props.link, "export-status-server")}>
                { Html::from_html_unchecked(markup.into()) }
                <button type="button" class="small" onclick={close} data-testid="close-server">{ "Close" }</button>
            </span>
        }
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
        </section>
    }
}
