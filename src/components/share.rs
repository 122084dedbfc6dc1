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
// `statusId`. `copyLink`: where the browser refuses the clipboard (no secure
// context, no permission) the link appears in a field to copy by hand.
#[wasm_bindgen(module = "/src/export.js")]
extern "C" {
    /// Makes a file in the export worker and downloads it; reports in `status_id`.
    #[wasm_bindgen(js_name = exportFile)]
    fn export_file(kind: &str, view: &str, query: &str, status_id: &str);
    /// Copies this page's address with `query`; reports in `status_id`.
    #[wasm_bindgen(js_name = copyLink)]
    fn copy_link(query: &str, status_id: &str);
}

fn export_on(
    kind: &'static str,
    view: &'static str,
    link: &AttrValue,
    status_id: &'static str,
) -> Callback<MouseEvent> {
    let link = link.clone();
    Callback::from(move |_: MouseEvent| export_file(kind, view, &link, status_id))
}

/// Copy link, and the downloads that cover every view: the trace and
/// results as JSON, the page load as HAR.
pub fn share_bar(link: &AttrValue) -> Html {
    let copy = {
        let link = link.clone();
        Callback::from(move |_: MouseEvent| copy_link(&link, "share-status"))
    };
    html! {
        <div class="share" role="group" aria-label="Share and export">
            <button type="button" onclick={copy} data-testid="copy-link"
                title="Copy a link to exactly this view">{ "Copy link" }</button>
            <button type="button" onclick={export_on("json", "", link, "share-status")} data-testid="export-json"
                title="Scenario, results and every trace event as JSON">{ "Trace JSON" }</button>
            <button type="button" onclick={export_on("har", "", link, "share-status")} data-testid="export-har"
                title="The waterfall's page load as a HAR file for DevTools and HAR viewers">{ "HAR" }</button>
            <span id="share-status" class="share-status" role="status" data-testid="share-status"></span>
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
        html! {
            <span class="export" role="group" aria-label={format!("Download the {title}")}>
                <span id={status} class="share-status" role="status"></span>
                <button type="button" class="small" onclick={export_on("svg", view, link, status)}
                    title="Download as SVG (vector, for papers and slides)" data-testid={format!("export-svg-{view}")}>
                    { "SVG" }</button>
                <button type="button" class="small" onclick={export_on("png", view, link, status)}
                    title="Download as PNG at twice the size" data-testid={format!("export-png-{view}")}>
                    { "PNG" }</button>
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
