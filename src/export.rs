//! Files to download: each view as a self-contained SVG (drawn by
//! `reuse-render`, the same pictures `reuse-cli svg` prints), the trace and
//! results as JSON, and the page load as a HAR file.
//!
//! The app does not make these itself: a web worker (`src/bin/reuse-export.rs`)
//! loaded on the first export click receives the page's permalink,
//! re-simulates it (same scenario + seed = same trace) and answers with the
//! file. So the renderer, HAR writer and JSON serialiser never weigh on the
//! app's first load. Pure and tested natively.

use reuse_render::RenderOptions;
use reuse_sim::{simulate_each, Limits, Protocol, Scenario, SimOutput};
use serde::Serialize;

use crate::params::apply;
use crate::permalink;

/// Width of exported pictures in CSS pixels (PNGs are drawn at twice this).
pub const EXPORT_WIDTH_PX: u32 = 1200;

/// The event budget of an export: the app's own, so what the app shows can
/// always be exported.
const MAX_EVENTS: u64 = crate::view_model::BROWSER_MAX_EVENTS;

/// A file ready to download.
#[derive(Debug, PartialEq)]
pub struct ExportFile {
    pub name: String,
    pub mime: &'static str,
    pub text: String,
}

/// What can be exported: `svg` of a view (`totals`, `lanes`, `waterfall`,
/// `ladder`), `json` (scenario, results and traces) or `har`.
pub fn export(kind: &str, view: &str, query: &str) -> Result<ExportFile, String> {
    let link = permalink::decode(query)
        .map_err(|e| format!("the page's link could not be read ({e})"))?
        .ok_or("the page's link names no scenario")?;
    let preset = reuse_sim::presets::find(&link.preset_id).ok_or("unknown preset")?;
    let (scenario, protocols) = apply(&link.form, &preset.scenario())
        .map_err(|errors| errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join("; "))?;
    let limits = Limits { max_events: MAX_EVENTS, ..Limits::default() };
    let outputs = simulate_each(&scenario, &protocols, limits).map_err(|e| e.to_string())?;
    let output_for = |p: Option<Protocol>| {
        let p = p.filter(|p| protocols.contains(p)).unwrap_or(protocols[0]);
        let i = protocols.iter().position(|&q| q == p).unwrap_or(0);
        (p, &outputs[i])
    };
    let options = RenderOptions { width_px: EXPORT_WIDTH_PX };
    let stem = format!("reuse-lab-{}", link.preset_id);
    let svg = |name: String, text: String| ExportFile { name, mime: "image/svg+xml", text };
    match (kind, view) {
        ("svg", "lanes") => Ok(svg(
            format!("{stem}-connections.svg"),
            reuse_render::lanes_svg_with(&scenario, &outputs, &options),
        )),
        ("svg", "waterfall") => {
            let (p, output) = output_for(link.view.waterfall);
            let scenario = scenario.with_protocol(p);
            Ok(svg(
                format!("{stem}-waterfall-{}.svg", slug(p)),
                reuse_render::waterfall_svg_with(&scenario, output, &options),
            ))
        }
        ("svg", "ladder") => {
            let (p, output) = output_for(link.view.ladder.map(|(p, _)| p));
            let conn = link
                .view
                .ladder
                .filter(|(q, _)| *q == p)
                .map(|(_, c)| c)
                .or_else(|| output.result.connections.first().map(|c| c.id))
                .ok_or("this run opened no connection")?;
            let scenario = scenario.with_protocol(p);
            let text = reuse_render::ladder_svg_with(&scenario, output, conn, &options)
                .map_err(|e| e.to_string())?;
            Ok(svg(format!("{stem}-ladder-{}-connection-{conn}.svg", slug(p)), text))
        }
        ("svg", "totals") => Ok(svg(
            format!("{stem}-totals.svg"),
            reuse_render::totals_svg_with(&scenario, &outputs, &options),
        )),
        ("json", _) => {
            let runs: Vec<RunExport> = outputs.iter().map(RunExport::of).collect();
            let doc = JsonExport { format: "reuse-lab/export@1", link: query, scenario: &scenario, runs };
            let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
            Ok(ExportFile { name: format!("{stem}-trace.json"), mime: "application/json", text })
        }
        ("har", _) => {
            let (p, output) = output_for(link.view.waterfall);
            let scenario = scenario.with_protocol(p);
            let har = reuse_sim::har::to_har(&scenario, output);
            let text = serde_json::to_string_pretty(&har).map_err(|e| e.to_string())?;
            Ok(ExportFile { name: format!("{stem}-{}.har", slug(p)), mime: "application/json", text })
        }
        _ => Err(format!("nothing to export as {kind:?} for view {view:?}")),
    }
}

fn slug(p: Protocol) -> &'static str {
    match p {
        Protocol::Http10 => "http1.0",
        Protocol::Http11 => "http1.1",
        Protocol::H2 => "http2",
        Protocol::H3 => "http3",
    }
}

#[derive(Serialize)]
struct JsonExport<'a> {
    /// What this file is, so tools can tell its versions apart.
    format: &'static str,
    /// The permalink's query string that reproduces it.
    link: &'a str,
    scenario: &'a Scenario,
    runs: Vec<RunExport<'a>>,
}

#[derive(Serialize)]
struct RunExport<'a> {
    protocol: Protocol,
    result: &'a reuse_sim::RunResult,
    hosts: &'a [String],
    trace: &'a [reuse_sim::TraceEvent],
}

impl<'a> RunExport<'a> {
    fn of(o: &'a SimOutput) -> Self {
        RunExport { protocol: o.result.protocol, result: &o.result, hosts: &o.hosts, trace: &o.trace }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Form;
    use crate::permalink::{encode, ViewState};

    fn query(preset: &str, view: ViewState) -> String {
        let form = Form::from_scenario(&reuse_sim::presets::find(preset).unwrap().scenario());
        encode(preset, &form, &view)
    }

    #[test]
    fn the_har_has_one_entry_per_request_of_the_waterfalls_protocol() {
        let view = ViewState { waterfall: Some(Protocol::H2), ..ViewState::default() };
        let file = export("har", "", &query("modern-page", view)).unwrap();
        let har: serde_json::Value = serde_json::from_str(&file.text).unwrap();
        let scenario = reuse_sim::presets::find("modern-page").unwrap().scenario();
        assert_eq!(har["log"]["entries"].as_array().unwrap().len(), scenario.requests.len());
        assert!(file.name.ends_with("http2.har"), "{}", file.name);
    }

    #[test]
    fn the_json_has_every_shown_protocols_results_and_trace() {
        let file = export("json", "", &query("textbook", ViewState::default())).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&file.text).unwrap();
        let runs = doc["runs"].as_array().unwrap();
        assert_eq!(runs.len(), Protocol::OVER_TCP.len());
        let scenario = reuse_sim::presets::find("textbook").unwrap().scenario();
        for (run, p) in runs.iter().zip(Protocol::OVER_TCP) {
            let expected = reuse_sim::simulate(&scenario.with_protocol(p)).unwrap();
            assert_eq!(run["trace"].as_array().unwrap().len(), expected.trace.len());
            assert_eq!(
                run["result"]["page_load_ms"],
                serde_json::to_value(&expected.result).unwrap()["page_load_ms"]
            );
        }
    }

    #[test]
    fn every_view_exports_as_a_self_contained_svg() {
        let q = query("textbook", ViewState::default());
        for view in ["lanes", "waterfall", "ladder", "totals"] {
            let file = export("svg", view, &q).unwrap_or_else(|e| panic!("{view}: {e}"));
            assert!(file.text.starts_with("<svg") || file.text.starts_with("<?xml"), "{view}");
            assert!(!file.text.contains("foreignObject"), "{view}");
            assert!(file.name.ends_with(".svg"));
        }
    }

    #[test]
    fn a_bad_request_is_an_error_not_a_panic() {
        assert!(export("svg", "map", &query("textbook", ViewState::default())).is_err());
        assert!(export("svg", "lanes", "?v=1&p=nowhere").unwrap_err().contains("p: no preset"));
        assert!(export("svg", "lanes", "").is_err());
    }
}
