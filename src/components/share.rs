//! Copy link and the export buttons. Plain functions, not components: the
//! work happens in `src/export.js` (clipboard, downloads, the export worker),
//! which also writes the outcome into the status element next to the buttons.

use wasm_bindgen::prelude::*;
use yew::prelude::*;

// `src/export.js` is part of the first load and trunk ships snippets as
// written, so its notes are here: Copy link lives there; the export code
// loads on the first export (assets/export-files.js, copied beside
// index.html), so neither it nor the export worker weighs on the first
// load. `exportFile(kind, view, query, statusId)`: kind 'svg' | 'png' |
// 'json' | 'har'; view 'totals' | 'lanes' | 'waterfall' | 'ladder' (svg and
// png); progress, the file's name or the reason it failed go to the element
// `statusId`. Kind 'curve' is no file: it opens the curve view (the link
// with `sweep=rtt`, which the page's loader opens in the full build), or
// scrolls to it when the link has one. `copyLink`: where the browser refuses the clipboard (no secure
// context, no permission) the link appears in a field to copy by hand.
#[wasm_bindgen(module = "/src/export.js")]
extern "C" {
    /// Makes a file in the export worker and downloads it; reports in
    /// `status_id`. Kind `formula` fills the element `status_id` with the
    /// closed forms of what `query` shows (`crate::receipts`) instead.
    #[wasm_bindgen(js_name = exportFile)]
    pub(crate) fn export_file(kind: &str, view: &str, query: &str, status_id: &str);
    /// Copies this page's address with `query`; reports in `status_id`.
    #[wasm_bindgen(js_name = copyLink)]
    fn copy_link(query: &str, status_id: &str);
}

/// The share bar's buttons: static markup, one delegated click handler
/// (each `html!` button costs the first load more than its markup).
const SHARE_BUTTONS: &str = "\
<button type=button data-kind=copy data-testid=copy-link title=\"Copy a link to exactly this view\">Copy link</button>\
<button type=button data-kind=json data-testid=export-json title=\"Scenario, results and every trace event as JSON\">Trace JSON</button>\
<button type=button data-kind=har data-testid=export-har title=\"The page load as a HAR file for DevTools\">HAR</button>\
<button type=button data-kind=curve data-testid=open-curve title=\"Any total against RTT, bandwidth, loss, page size…\">Curve</button>\
<button type=button data-kind=server data-testid=open-server title=\"Connections open on the server over time\">Server</button>\
<button type=button data-kind=variants data-testid=open-variants title=\"Variants of this page side by side on one clock\">Variants</button>\
<span id=share-status class=share-status role=status data-testid=share-status></span>";

/// A click on a button with `data-kind` in a group: copies the link
/// (`copy`) or makes that kind of file of `view`, reporting in `status_id`.
pub(crate) fn on_kind(view: &'static str, link: &AttrValue, status_id: &'static str) -> Callback<MouseEvent> {
    let link = link.clone();
    Callback::from(move |e: MouseEvent| match super::closest_attr(&e, "data-kind").as_deref() {
        Some("copy") => copy_link(&link, status_id),
        Some(kind) => export_file(kind, view, &link, status_id),
        None => {}
    })
}

/// The SVG and PNG (2x) download buttons of `view` and the status they
/// report in (`status_id`), as markup (less wasm than `html!`).
fn download_markup(view: &str, status_id: &str) -> String {
    format!(
        "<span id={status_id} class=share-status role=status></span>\
         <button type=button class=small data-kind=svg title=\"Download as SVG (vector, for papers and slides)\" data-testid=export-svg-{view}>SVG</button>\
         <button type=button class=small data-kind=png title=\"Download as PNG at twice the size\" data-testid=export-png-{view}>PNG</button>"
    )
}

/// A full-build card's SVG and PNG downloads of `view` (made in the export
/// worker, reported in `status_id`) and its Close button, `what` naming
/// the picture for screen readers ("the server's view").
pub(crate) fn card_downloads(
    view: &'static str,
    status_id: &'static str,
    what: &'static str,
    link: &AttrValue,
    close: Callback<MouseEvent>,
) -> Html {
    let markup = download_markup(view, status_id);
    html! {
        <span class="export" role="group" aria-label={format!("Download {what}")} onclick={on_kind(view, link, status_id)}>
            { Html::from_html_unchecked(markup.into()) }
            <button type="button" class="small" onclick={close} data-testid={format!("close-{view}")}>{ "Close" }</button>
        </span>
    }
}

/// Copy link, the downloads that cover every view (the trace and results
/// as JSON, the page load as HAR), and the curve view.
pub fn share_bar(link: &AttrValue) -> Html {
    html! {
        <div class="share" role="group" aria-label="Share and export" onclick={on_kind("", link, "share-status")}>
            { Html::from_html_unchecked(SHARE_BUTTONS.into()) }
        </div>
    }
}

/// A card's heading, with SVG and PNG (2x) downloads of its view when
/// `export` names the view and the page's link.
/// `option` sits between the heading and the buttons.
pub fn card_head(
    id: &'static str,
    title: &'static str,
    export: Option<(&'static str, &AttrValue)>,
    option: Option<Html>,
) -> Html {
    let buttons = export.map(|(view, link)| {
        let status = match view {
            "totals" => "export-status-totals",
            "lanes" => "export-status-lanes",
            "waterfall" => "export-status-waterfall",
            _ => "export-status-ladder",
        };
        let markup = download_markup(view, status);
        html! {
            <span class="export" role="group" aria-label={format!("Download the {title}")} onclick={on_kind(view, link, status)}>
                { Html::from_html_unchecked(markup.into()) }
            </span>
        }
    });
    html! {
        <div class="card-head">
            <h2 id={id}>{ title }</h2>
            { for option }
            { for buttons }
        </div>
    }
}
