//! Whole documents from every preset: well-formed, self-contained, one lane
//! per connection and one waterfall row per request (counted against the
//! run's own results), text escaped.

use reuse_render::{lanes_svg, lanes_svg_with, waterfall_svg, RenderOptions, MAX_WIDTH_PX, MIN_WIDTH_PX};
use reuse_sim::{presets, Protocol, Scenario, SimOutput};

fn runs(scenario: &Scenario) -> Vec<SimOutput> {
    reuse_sim::simulate_protocols(scenario, &Protocol::ALL).expect("presets simulate")
}

/// A small well-formedness check: tags nest and close, `&` only starts one
/// of XML's five entities, no raw `<` inside a tag. (The CLI tests parse the
/// same output with a real XML parser.)
fn assert_well_formed(svg: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        assert_entities(text);
        let close = rest[open..].find('>').expect("every tag closes") + open;
        let tag = &rest[open + 1..close];
        assert!(!tag.contains('<'), "raw < inside a tag: {tag}");
        assert_entities(tag);
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name.trim()), "closing tag matches");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().expect("a tag name");
            stack.push(name);
        }
        rest = &rest[close + 1..];
    }
    assert!(rest.trim().is_empty(), "nothing after the root");
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

fn assert_entities(text: &str) {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| entity.starts_with(e)),
            "bare & in {text:?}"
        );
    }
}

fn assert_self_contained(svg: &str) {
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(svg.matches("<style>").count(), 1);
    for banned in ["foreignObject", "href", "<image", "<script", "url(", "@import"] {
        assert!(!svg.contains(banned), "contains {banned}");
    }
}

fn attribute(svg: &str, name: &str) -> f64 {
    let start = svg.find(&format!(" {name}=\"")).expect("attribute") + name.len() + 3;
    let end = svg[start..].find('"').expect("closing quote") + start;
    svg[start..end].parse().expect("a number")
}

#[test]
fn lanes_of_every_preset_have_one_row_per_connection_of_each_protocol() {
    for preset in presets::all() {
        let scenario = preset.scenario();
        let outputs = runs(&scenario);
        let svg = lanes_svg(&scenario, &outputs);
        assert_well_formed(&svg);
        assert_self_contained(&svg);
        for output in &outputs {
            let p = output.result.protocol.as_str();
            for c in &output.result.connections {
                let lane = format!("class=\"lane\" data-protocol=\"{p}\" data-conn=\"{}\"", c.id);
                assert_eq!(svg.matches(&lane).count(), 1, "{} {p} connection {}", preset.id, c.id);
            }
            let lanes = svg.matches(&format!("class=\"lane\" data-protocol=\"{p}\" ")).count();
            assert_eq!(lanes, output.result.connections.len(), "{} {p}", preset.id);
        }
    }
}

#[test]
fn waterfall_of_every_preset_has_one_row_per_request() {
    for preset in presets::all() {
        let scenario = preset.scenario();
        for output in runs(&scenario) {
            let svg = waterfall_svg(&scenario, &output);
            assert_well_formed(&svg);
            assert_self_contained(&svg);
            assert_eq!(
                svg.matches("class=\"request-row\"").count(),
                output.result.requests.len(),
                "{} {}",
                preset.id,
                output.result.protocol
            );
        }
    }
}

#[test]
fn width_is_honoured_within_limits_and_height_grows_with_rows() {
    let scenario = presets::find("textbook").expect("preset").scenario();
    let outputs = runs(&scenario);
    for (asked, expected) in [(1234, 1234), (10, MIN_WIDTH_PX), (u32::MAX, MAX_WIDTH_PX)] {
        let svg = lanes_svg_with(&scenario, &outputs, &RenderOptions { width_px: asked });
        assert_eq!(attribute(&svg, "width"), expected as f64);
    }
    let one = lanes_svg(&scenario, &outputs[..1]);
    let all = lanes_svg(&scenario, &outputs);
    assert!(attribute(&all, "height") > attribute(&one, "height"));
}

#[test]
fn text_from_the_scenario_is_escaped() {
    let mut scenario = presets::find("textbook").expect("preset").scenario();
    scenario.name = "<script>x</script> & \"q\"".into();
    scenario.requests.truncate(2);
    scenario.requests[1].id = "a<b>&\"c\u{1}".into();
    scenario.requests[1].after = vec![scenario.requests[0].id.clone()];
    let outputs = runs(&scenario);
    for svg in [lanes_svg(&scenario, &outputs), waterfall_svg(&scenario, &outputs[0])] {
        assert_well_formed(&svg);
        assert_self_contained(&svg);
        assert!(svg.contains("a&lt;b&gt;&amp;&quot;c\u{FFFD}"));
        assert!(!svg.contains('\u{1}'), "a control character XML cannot hold");
    }
}

#[test]
fn no_runs_still_gives_a_document() {
    let scenario = presets::find("textbook").expect("preset").scenario();
    let svg = lanes_svg(&scenario, &[]);
    assert_well_formed(&svg);
    assert!(svg.contains("No runs"));
}

#[test]
fn the_same_runs_give_the_same_bytes() {
    let scenario = presets::find("modern-page").expect("preset").scenario();
    assert_eq!(lanes_svg(&scenario, &runs(&scenario)), lanes_svg(&scenario, &runs(&scenario)));
}

#[test]
fn every_request_lost_to_a_close_is_marked_on_its_lane() {
    for preset in presets::all() {
        let scenario = preset.scenario();
        let outputs = runs(&scenario);
        let lost = outputs
            .iter()
            .flat_map(|o| &o.trace)
            .filter(|e| matches!(e.kind, reuse_sim::EventKind::RequestLost { .. }))
            .count();
        let svg = lanes_svg(&scenario, &outputs);
        assert_eq!(
            svg.matches("<path class=\"lost-mark\"").count(),
            lost + usize::from(lost > 0),
            "{}",
            preset.id
        );
    }
}

/// Variants' lanes say, per request, how much earlier it was done than in
/// the first group. K&R on the textbook page (RTT R = 100 ms, infinite
/// bandwidth): non-persistent, one connection at a time, has object k at
/// 2(k + 1)·R (a new handshake each); persistent at (k + 2)·R; so object k
/// is k·R earlier with persistent, and the base file (2R in both) is not.
#[test]
fn each_later_variants_requests_say_how_much_earlier_than_the_first() {
    use reuse_render::{lanes_svg_of, Lane};
    use reuse_sim::variant::Variant;
    let base = presets::find("textbook").expect("preset").scenario();
    let rtt = base.network.rtt_ms;
    let specs = ["non-persistent:protocol=1.0,cl=1", "persistent:protocol=1.1,cl=1"];
    let variants: Vec<Variant> = specs.iter().map(|s| Variant::parse(s).expect("spec parses")).collect();
    let scenarios: Vec<Scenario> = variants.iter().map(|v| v.apply(&base).expect("applies")).collect();
    let outputs: Vec<SimOutput> = scenarios.iter().map(|s| reuse_sim::simulate(s).expect("runs")).collect();
    let lanes: Vec<Lane> = variants
        .iter()
        .zip(&scenarios)
        .zip(&outputs)
        .map(|((v, scenario), output)| Lane { label: &v.label, scenario, output })
        .collect();
    let svg = lanes_svg_of("K&R", &lanes, &RenderOptions::default());
    assert_well_formed(&svg);
    let n = base.requests.len() - 1;
    assert_eq!(
        svg.matches("data-earlier-ms=").count(),
        n + 1,
        "every request of the second group, none of the first"
    );
    assert!(svg.contains(&format!(
        "<g class=\"request\" data-request=\"{}\" data-earlier-ms=\"0\">",
        base.requests[0].id
    )));
    for k in 1..=n {
        let id = &base.requests[k].id;
        let earlier = k as f64 * rtt;
        let mark = format!("<g class=\"request\" data-request=\"{id}\" data-earlier-ms=\"{earlier}\">");
        assert!(svg.contains(&mark), "{mark}");
    }
    // On hover: object 1 is one round trip (R < 1 s, so in ms) earlier.
    let words = format!(", {rtt} ms earlier than non-persistent</title>");
    let tip = svg.lines().rfind(|l| l.contains(&format!("<title>{} on connection", base.requests[1].id)));
    assert!(tip.is_some_and(|t| t.contains(&words)), "the hover words name the first variant: {tip:?}");
}
