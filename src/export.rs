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

use crate::permalink;
use crate::view_model::Column;
use reuse_sim::trace::ConnId;

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
/// `ladder`, `server`), `json` (scenario, results and traces) or `har`; and for the
/// page itself, `formula`: the closed forms beside the results as HTML
/// (`crate::receipts`); `crowd`: the server's figures for many clients
/// (`crate::crowd`, `view` is the job).
///
/// The scenario and protocols come from the engine's reading of the link
/// (`reuse_sim::permalink::scenario_of`, which `reuse-cli run --link` uses
/// too); only the view keys (ladder, waterfall) are the app's.
pub fn export(kind: &str, view: &str, query: &str) -> Result<ExportFile, String> {
    // Many clients (the server's view): `view` is the job (`crate::crowd::job`).
    if kind == "crowd" {
        #[cfg(feature = "clients")]
        return Ok(ExportFile {
            name: "reuse-lab-clients.html".to_string(),
            mime: "text/html",
            text: crate::crowd::crowd_html(query, view),
        });
        #[cfg(not(feature = "clients"))]
        return Err("this build has no many-clients figures (feature clients)".to_string());
    }
    let link = permalink::decode(query)
        .map_err(|e| format!("the page's link could not be read ({e})"))?
        .ok_or("the page's link names no scenario")?;
    let (scenario, protocols) = reuse_sim::permalink::scenario_of(query)
        .map_err(|e| format!("the page's link could not be read ({e})"))?;
    let limits = Limits { max_events: MAX_EVENTS, ..Limits::default() };
    let outputs = simulate_each(&scenario, &protocols, limits).map_err(|e| e.to_string())?;
    // A variant's run (`Column::Variant`, the link's `var=`), simulated
    // for its file; `None` for a protocol's column.
    #[cfg(feature = "variants")]
    let variant_run = |column: Option<Column>| -> Result<Option<(String, Scenario, SimOutput)>, String> {
        let Some(Column::Variant(i)) = column else { return Ok(None) };
        let spec = link.view.variants.get(usize::from(i)).ok_or("the link has no such variant")?;
        let v = reuse_sim::variant::Variant::parse(spec).map_err(|e| e.to_string())?;
        let s = v.apply(&scenario).map_err(|e| format!("{}: {e}", v.label))?;
        let output = reuse_sim::simulate_with_limits(&s, limits).map_err(|e| e.to_string())?;
        Ok(Some((v.label, s, output)))
    };
    #[cfg(not(feature = "variants"))]
    let variant_run =
        |_: Option<Column>| -> Result<Option<(String, Scenario, SimOutput)>, String> { Ok(None) };
    // The column's name in file names, scenario and run.
    let run_for =
        |column: Option<Column>| -> Result<(String, Scenario, std::borrow::Cow<'_, SimOutput>), String> {
            if let Some((label, s, output)) = variant_run(column)? {
                return Ok((slug_of_label(&label), s, std::borrow::Cow::Owned(output)));
            }
            let p = match column {
                Some(Column::Protocol(p)) if protocols.contains(&p) => p,
                _ => protocols[0],
            };
            let i = protocols.iter().position(|&q| q == p).unwrap_or(0);
            Ok((slug(p).to_string(), scenario.with_protocol(p), std::borrow::Cow::Borrowed(&outputs[i])))
        };
    let options = RenderOptions { width_px: EXPORT_WIDTH_PX };
    let stem = format!("reuse-lab-{}", link.preset_id);
    let svg = |name: String, text: String| ExportFile { name, mime: "image/svg+xml", text };
    match (kind, view) {
        #[cfg(feature = "variants")]
        ("svg", "variants" | "lanes") if view == "variants" || !link.view.variants.is_empty() => {
            let variants = reuse_sim::variant::variants_of_link(query).map_err(|e| e.to_string())?;
            let scenarios = variants
                .iter()
                .map(|v| v.apply(&scenario).map_err(|e| format!("{}: {e}", v.label)))
                .collect::<Result<Vec<_>, _>>()?;
            let runs = scenarios
                .iter()
                .map(|s| reuse_sim::simulate_with_limits(s, limits).map_err(|e| e.to_string()))
                .collect::<Result<Vec<_>, _>>()?;
            let lanes: Vec<reuse_render::Lane> = variants
                .iter()
                .zip(&scenarios)
                .zip(&runs)
                .map(|((v, scenario), output)| reuse_render::Lane { label: &v.label, scenario, output })
                .collect();
            Ok(svg(
                format!("{stem}-variants.svg"),
                reuse_render::lanes_svg_of(&scenario.name, &lanes, &options),
            ))
        }
        ("svg", "lanes") => Ok(svg(
            format!("{stem}-connections.svg"),
            reuse_render::lanes_svg_with(&scenario, &outputs, &options),
        )),
        ("svg", "waterfall") => {
            let (name, scenario, output) = run_for(link.view.waterfall)?;
            Ok(svg(
                format!("{stem}-waterfall-{name}.svg"),
                reuse_render::waterfall_svg_with(&scenario, &output, &options),
            ))
        }
        ("svg", "ladder") => {
            let column = link.view.ladder.map(|(p, _)| p);
            let (name, scenario, output) = run_for(column)?;
            // The link's connection when the run shown is the link's column.
            let own = |(q, c): (Column, ConnId)| {
                (Some(q) == column && output.result.connections.iter().any(|x| x.id == c)).then_some(c)
            };
            let conn = link
                .view
                .ladder
                .and_then(own)
                .or_else(|| output.result.connections.first().map(|c| c.id))
                .ok_or("this run opened no connection")?;
            let text = reuse_render::ladder_svg_with(&scenario, &output, conn, &options)
                .map_err(|e| e.to_string())?;
            Ok(svg(format!("{stem}-ladder-{name}-connection-{conn}.svg"), text))
        }
        ("svg", "totals") => Ok(svg(
            format!("{stem}-totals.svg"),
            reuse_render::totals_svg_with(&scenario, &outputs, &options),
        )),
        ("svg", "server") => Ok(svg(
            format!("{stem}-server.svg"),
            reuse_render::server_svg_with(&scenario, &outputs.iter().collect::<Vec<_>>(), &options),
        )),
        ("formula", _) => {
            // The variants' own closed forms when they play (K&R's four answers).
            #[cfg(feature = "variants")]
            let variants: Vec<(String, Scenario, SimOutput)> = (0..link.view.variants.len())
                .filter_map(|i| variant_run(Some(Column::Variant(i as u8))).transpose())
                .collect::<Result<_, _>>()?;
            #[cfg(not(feature = "variants"))]
            let variants: Vec<(String, Scenario, SimOutput)> = Vec::new();
            let text = if variants.is_empty() {
                crate::receipts::receipts_html(&scenario, &outputs)
            } else {
                crate::receipts::columns_html(variants.iter().map(|(l, s, o)| (l.as_str(), s.clone(), o)))
            };
            Ok(ExportFile { name: format!("{stem}-closed-form.html"), mime: "text/html", text })
        }
        ("json", _) => {
            let runs: Vec<RunExport> = outputs.iter().map(RunExport::of).collect();
            let doc = JsonExport { format: "reuse-lab/export@1", link: query, scenario: &scenario, runs };
            let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
            Ok(ExportFile { name: format!("{stem}-trace.json"), mime: "application/json", text })
        }
        ("har", _) => {
            let (name, scenario, output) = run_for(link.view.waterfall)?;
            let har = reuse_sim::har::to_har(&scenario, &output);
            let text = serde_json::to_string_pretty(&har).map_err(|e| e.to_string())?;
            Ok(ExportFile { name: format!("{stem}-{name}.har"), mime: "application/json", text })
        }
        _ => Err(format!("nothing to export as {kind:?} for view {view:?}")),
    }
}

/// A variant's label as a file name's part: letters and digits, the rest `-`.
fn slug_of_label(label: &str) -> String {
    let s: String = label.chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
    s.trim_matches('-').to_string()
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
        let view = ViewState { waterfall: Some(Protocol::H2.into()), ..ViewState::default() };
        let file = export("har", "", &query("modern-page", view)).unwrap();
        let har: serde_json::Value = serde_json::from_str(&file.text).unwrap();
        let scenario = reuse_sim::presets::find("modern-page").unwrap().scenario();
        assert_eq!(har["log"]["entries"].as_array().unwrap().len(), scenario.requests.len());
        assert!(file.name.ends_with("http2.har"), "{}", file.name);
    }

    /// The variants on one clock export their own closed forms (K&R's
    /// 2(N + 1), 2 + 2⌈N/5⌉, N + 2 and 3 round trips at RTT 100 ms, N = 10)
    /// and the chosen variant's waterfall, ladder and HAR.
    #[cfg(feature = "variants")]
    #[test]
    fn variants_export_their_own_closed_forms_and_the_chosen_variants_views() {
        let specs: Vec<String> = crate::full_build::VARIANTS_START.iter().map(|s| s.to_string()).collect();
        let view = ViewState {
            waterfall: Some(Column::Variant(2)),
            ladder: Some((Column::Variant(3), 1)),
            variants: specs,
            ..ViewState::default()
        };
        let q = query("textbook", view);
        let formula = export("formula", "totals", &q).unwrap().text;
        let expected: Vec<String> =
            [2_200, 600, 1_200, 300].iter().map(|ms| format!("data-expected-ms=\"{ms}\"")).collect();
        let found: Vec<&str> =
            formula.match_indices("data-expected-ms=\"").map(|(i, _)| &formula[i..]).collect();
        assert_eq!(found.len(), 4, "{formula}");
        for (f, e) in found.iter().zip(&expected) {
            assert!(f.starts_with(e.as_str()), "{e} in {formula}");
        }
        assert_eq!(formula.matches("data-agrees=\"true\"").count(), 4, "{formula}");
        assert!(formula.contains("<b>non-persistent ×5</b>"), "{formula}");
        let waterfall = export("svg", "waterfall", &q).unwrap();
        assert!(waterfall.name.ends_with("-waterfall-persistent.svg"), "{}", waterfall.name);
        let ladder = export("svg", "ladder", &q).unwrap();
        assert!(ladder.name.ends_with("-ladder-pipelined-connection-1.svg"), "{}", ladder.name);
        let lanes = export("svg", "lanes", &q).unwrap();
        assert_eq!(lanes.text.matches("class=\"protocol-group\"").count(), 4, "the variants' lanes");
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

    #[cfg(feature = "quic")]
    #[test]
    fn http3_exports_with_the_others() {
        let q = "?v=1&p=textbook&show=10-11-2-3&wf=3&c=3-1";
        let doc: serde_json::Value = serde_json::from_str(&export("json", "", q).unwrap().text).unwrap();
        assert_eq!(doc["runs"].as_array().unwrap().len(), Protocol::ALL.len());
        let har = export("har", "", q).unwrap();
        assert!(har.name.ends_with("http3.har"), "{}", har.name);
        for view in ["lanes", "waterfall", "ladder", "totals"] {
            let file = export("svg", view, q).unwrap_or_else(|e| panic!("{view}: {e}"));
            assert!(file.text.contains("HTTP/3"), "{view} names HTTP/3");
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

    /// Links with edited objects, sizes, bandwidth, TLS and loss, partial
    /// links and the first release's: what the app's state opens (its form
    /// read by `params::apply`) is what the engine's reading gives, which is
    /// what the export worker and `reuse-cli run --link` simulate.
    const EDITED_LINKS: [&str; 11] = [
        "?v=1&p=textbook&rtt=100&bw=&loss=0&n=25&kb=2&iw=10&tls=none&ka=5000&cl=6&pl=0&show=10-11-2",
        "?v=1&p=textbook&rtt=80&show=10-11-2-3",
        "?v=1&p=head-of-line&loss=1&show=2-3",
        "?v=1&p=head-of-line",
        "?v=1&p=modern-page&rtt=50&bw=8&loss=0&n=40&kb=&iw=10&tls=tls1.2&ka=75000&cl=6&pl=0&show=11-2",
        "?v=1&p=image-tiles&n=30&kb=3.5&bw=%E2%88%9E&pl=1&show=11",
        "?v=1&p=lossy-mobile&loss=5&rtt=12,5&show=2",
        "?v=1&p=api-polling&ka=2500&tls=tls1.2&cl=1",
        "?v=1&p=large-download&bw=100&iw=4",
        "?v=1&p=textbook&n=0",
        "?preset=image-tiles",
    ];

    #[test]
    fn the_apps_form_and_the_engine_read_a_link_the_same_way() {
        for query in EDITED_LINKS {
            let link = permalink::decode(query).unwrap().unwrap();
            let preset = reuse_sim::presets::find(&link.preset_id).unwrap().scenario();
            let app = crate::params::apply(&link.form, &preset).unwrap_or_else(|e| panic!("{query}: {e:?}"));
            let (scenario, protocols) = reuse_sim::permalink::scenario_of(query).unwrap();
            // A link without `show=` shows every protocol to the engine and
            // the preset's default set in the app (which always writes `show=`).
            let protocols = if query.contains("show=") {
                protocols
            } else {
                assert_eq!(link.form.protocols, crate::params::default_shown(&link.preset_id), "{query}");
                link.form.shown_protocols()
            };
            let engine = (scenario, protocols);
            assert_eq!(app, engine, "{query}");
            // What the app then shares is the same link again.
            let again = encode(&link.preset_id, &link.form, &ViewState::default());
            assert_eq!(reuse_sim::permalink::scenario_of(&again).unwrap(), engine, "{query}: shared again");
        }
    }

    #[test]
    fn the_exported_scenario_is_the_links_edited_one() {
        let query = EDITED_LINKS[0];
        let file = export("json", "", query).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&file.text).unwrap();
        assert_eq!(doc["scenario"]["name"], "Textbook page: index.html + 25 objects of 2 KB");
        assert_eq!(doc["scenario"]["requests"].as_array().unwrap().len(), 26);
        assert_eq!(doc["runs"][0]["result"]["scenario"], doc["scenario"]["name"]);
    }

    #[test]
    fn a_bad_request_is_an_error_not_a_panic() {
        assert!(export("svg", "map", &query("textbook", ViewState::default())).is_err());
        assert!(export("svg", "lanes", "?v=1&p=nowhere").unwrap_err().contains("p: no preset"));
        assert!(export("svg", "lanes", "").is_err());
    }
}
