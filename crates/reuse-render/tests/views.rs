//! The ladder and totals views, and the view markers of every view, checked
//! with a real XML parser against the runs' own trace and results (counts
//! come from the trace, numbers from the results; none is copied from a run).

use reuse_render::layout::format_ms;
use reuse_render::{
    ladder_svg, ladder_svg_with, lanes_svg, totals_svg, waterfall_svg, RenderError, RenderOptions,
    MAX_LADDER_PACKETS,
};
use reuse_sim::trace::{ConnId, PacketInfo, Side};
use reuse_sim::{presets, EventKind, Protocol, Scenario, SimOutput};

fn runs(scenario: &Scenario, protocols: &[Protocol]) -> Vec<SimOutput> {
    reuse_sim::simulate_protocols(scenario, protocols).expect("presets simulate")
}

fn preset(id: &str) -> Scenario {
    presets::find(id).expect("preset").scenario()
}

/// Parses and checks the self-contained promises: SVG namespace, one inline
/// style, no foreignObject, no href or url() anywhere, no CSS variables.
fn parse(text: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not well-formed XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    let mut styles = 0;
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(!name.eq_ignore_ascii_case("foreignObject"), "no foreignObject");
        assert!(!matches!(name, "image" | "use" | "script" | "a"), "no <{name}>");
        styles += usize::from(name == "style");
        for attribute in node.attributes() {
            assert!(!attribute.name().ends_with("href"), "no href on <{name}>");
            assert!(!attribute.value().contains("url("), "no url() in {}", attribute.name());
        }
    }
    assert_eq!(styles, 1);
    assert!(!text.contains("var(--") && !text.contains("@import"), "no CSS variables or imports");
    doc
}

fn has_class(node: &roxmltree::Node<'_, '_>, class: &str) -> bool {
    node.attribute("class").is_some_and(|c| c.split_whitespace().any(|w| w == class))
}

fn elements_with_class<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    class: &str,
) -> Vec<roxmltree::Node<'a, 'i>> {
    doc.descendants().filter(|n| has_class(n, class)).collect()
}

fn packets_of(output: &SimOutput, conn: ConnId) -> Vec<&PacketInfo> {
    output
        .trace
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PacketSent(p) if p.conn == conn => Some(p),
            _ => None,
        })
        .collect()
}

/// The words of each element with the class (its own text, not a tooltip).
fn texts_with_class(doc: &roxmltree::Document<'_>, class: &str) -> Vec<String> {
    elements_with_class(doc, class)
        .iter()
        .map(|n| n.children().filter(|c| c.is_text()).filter_map(|c| c.text()).collect())
        .collect()
}

#[test]
fn ladder_of_the_textbook_first_http10_connection_draws_every_packet_of_the_trace() {
    let scenario = preset("textbook");
    let output = &runs(&scenario, &[Protocol::Http10])[0];
    let conn = output.result.connections[0].id;
    let svg = ladder_svg(&scenario, output, conn).expect("the connection exists");
    let doc = parse(&svg);
    let expected = packets_of(output, conn);
    let arrows = elements_with_class(&doc, "pkt");
    assert_eq!(arrows.len(), expected.len(), "one arrow per PacketSent of connection {conn}");
    let ids: Vec<String> = expected.iter().map(|p| p.id.to_string()).collect();
    let drawn: Vec<&str> = arrows.iter().map(|n| n.attribute("data-packet").expect("data-packet")).collect();
    assert_eq!(drawn, ids, "in trace order");
    // Direction from the trace: client packets go up-class, server down-class.
    for (node, packet) in arrows.iter().zip(&expected) {
        let class = if packet.from == reuse_sim::trace::Side::Client { "pkt-up" } else { "pkt-down" };
        assert!(has_class(node, class), "packet {} is {class}", packet.id);
    }
    let labels = texts_with_class(&doc, "pkt-label");
    for wanted in ["SYN", "SYN-ACK"] {
        assert!(labels.iter().any(|l| l == wanted), "label {wanted} in {labels:?}");
    }
    assert!(labels.iter().any(|l| l.split_whitespace().any(|w| w == "FIN")), "a FIN label in {labels:?}");
    // TCP states beside the lines: every state the trace reaches is written.
    let states = texts_with_class(&doc, "tcp-state");
    for e in &output.trace {
        if let EventKind::TcpStateChanged { conn: c, to, .. } = e.kind {
            if c == conn {
                assert!(states.iter().any(|s| s == to.as_str()), "state {to} written");
            }
        }
    }
    let root = doc.root_element();
    assert_eq!(root.attribute("data-view"), Some("ladder"));
    let group = doc.descendants().find(|n| n.attribute("id") == Some("ladder")).expect("g#ladder");
    assert_eq!(group.attribute("data-view"), Some("ladder"));
}

#[test]
fn every_lost_packet_of_a_lossy_connection_is_crossed_and_marked_lost() {
    let scenario = preset("lossy-mobile");
    for output in runs(&scenario, &Protocol::ALL) {
        // The connection with losses, found in the trace.
        let Some(conn) = output
            .result
            .connections
            .iter()
            .map(|c| c.id)
            .find(|&c| packets_of(&output, c).iter().any(|p| p.lost))
        else {
            continue;
        };
        let lost: Vec<String> =
            packets_of(&output, conn).iter().filter(|p| p.lost).map(|p| p.id.to_string()).collect();
        let retransmitted = packets_of(&output, conn).iter().filter(|p| p.retransmission).count();
        let svg = ladder_svg(&scenario, &output, conn).expect("the connection exists");
        let doc = parse(&svg);
        let marked: Vec<&str> = elements_with_class(&doc, "pkt-lost")
            .iter()
            .map(|n| n.attribute("data-packet").expect("data-packet"))
            .collect();
        assert_eq!(marked, lost, "{} connection {conn}", output.result.protocol);
        for node in elements_with_class(&doc, "pkt-lost") {
            assert!(node.children().any(|c| has_class(&c, "lost-mark")), "a cross on each lost packet");
        }
        let lost_words = texts_with_class(&doc, "lost-label");
        assert_eq!(lost_words.iter().filter(|t| *t == "lost").count(), lost.len(), "{lost_words:?} {lost:?}");
        assert_eq!(elements_with_class(&doc, "pkt-retx").len(), retransmitted);
        let marked_retx = elements_with_class(&doc, "retx-mark")
            .iter()
            .filter(|n| n.parent().is_some_and(|p| has_class(&p, "pkt-retx")))
            .count();
        assert_eq!(marked_retx, retransmitted);
    }
}

#[test]
fn ladders_of_every_preset_are_self_contained_complete_and_a_few_mb_at_most() {
    for preset in presets::all() {
        let scenario = preset.scenario();
        for output in runs(&scenario, &Protocol::ALL) {
            let busiest = output
                .result
                .connections
                .iter()
                .map(|c| c.id)
                .max_by_key(|&c| (packets_of(&output, c).len(), std::cmp::Reverse(c)))
                .expect("a connection");
            for conn in [output.result.connections[0].id, busiest] {
                let svg = ladder_svg(&scenario, &output, conn).expect("the connection exists");
                let where_ = format!("{} {} connection {conn}", preset.id, output.result.protocol);
                assert!(svg.len() < 3_000_000, "{where_}: {} bytes", svg.len());
                let doc = parse(&svg);
                let total = packets_of(&output, conn).len();
                let ladder = elements_with_class(&doc, "ladder");
                assert_eq!(ladder.len(), 1);
                assert_eq!(ladder[0].attribute("data-packets"), Some(total.to_string().as_str()), "{where_}");
                let drawn = elements_with_class(&doc, "pkt").len();
                assert_eq!(drawn, total.min(MAX_LADDER_PACKETS), "{where_}");
                let fold = elements_with_class(&doc, "fold-packets").len();
                assert_eq!(fold, usize::from(total > MAX_LADDER_PACKETS), "{where_}: the fold band");
                // Nothing below the picture: every arrow ends inside it.
                let height: f64 = doc.root_element().attribute("height").expect("h").parse().expect("n");
                for line in elements_with_class(&doc, "pkt-line") {
                    for a in ["y1", "y2"] {
                        let y: f64 = line.attribute(a).expect("y").parse().expect("n");
                        assert!(y > 0.0 && y < height, "{where_}: {a}={y} outside 0..{height}");
                    }
                }
            }
        }
    }
}

#[test]
fn ladder_time_runs_down_and_a_long_idle_is_folded() {
    // api-polling idles its keep-alive connections for seconds between polls.
    let scenario = preset("api-polling");
    let output = &runs(&scenario, &[Protocol::Http11])[0];
    let conn = output.result.connections[0].id;
    let svg = ladder_svg(&scenario, output, conn).expect("the connection exists");
    let doc = parse(&svg);
    let packets = packets_of(output, conn);
    let span_ms = packets.last().expect("packets").arrives.as_ms() - packets[0].sent.as_ms();
    let height: f64 = doc.root_element().attribute("height").expect("h").parse().expect("n");
    let one_way_px_per_ms = 80.0 / (scenario.network.rtt_ms / 2.0);
    assert!(
        height < span_ms * one_way_px_per_ms / 2.0,
        "{height} px for {span_ms} ms: the idle stretches are folded"
    );
    assert!(!elements_with_class(&doc, "fold-band").is_empty());
    // Later packets start lower.
    let starts: Vec<f64> = elements_with_class(&doc, "pkt-line")
        .iter()
        .map(|l| l.attribute("y1").expect("y1").parse().expect("n"))
        .collect();
    for (pair, packets) in starts.windows(2).zip(packets.windows(2)) {
        if packets[1].sent > packets[0].sent {
            assert!(pair[1] > pair[0], "time runs down: {pair:?}");
        }
    }
}

#[test]
fn an_unknown_connection_is_a_clear_error() {
    let scenario = preset("textbook");
    let output = &runs(&scenario, &[Protocol::Http11])[0];
    let ids: Vec<ConnId> = output.result.connections.iter().map(|c| c.id).collect();
    let missing = ids.iter().max().expect("connections") + 1;
    let error = ladder_svg(&scenario, output, missing).expect_err("no such connection");
    assert_eq!(
        error,
        RenderError::UnknownConnection { conn: missing, protocol: Protocol::Http11, ids: ids.clone() }
    );
    let words = error.to_string();
    assert!(words.contains(&missing.to_string()) && words.contains(&ids[0].to_string()), "{words}");
    assert!(ladder_svg(&scenario, output, 0).is_err());
}

#[test]
fn ladder_width_is_honoured() {
    let scenario = preset("textbook");
    let output = &runs(&scenario, &[Protocol::H2])[0];
    let svg = ladder_svg_with(&scenario, output, 1, &RenderOptions { width_px: 1400 }).expect("connection 1");
    assert_eq!(parse(&svg).root_element().attribute("width"), Some("1400"));
}

/// The `total` cell of one metric in one protocol's group.
fn total<'a, 'i>(group: &roxmltree::Node<'a, 'i>, metric: &str) -> roxmltree::Node<'a, 'i> {
    group
        .descendants()
        .find(|n| has_class(n, "total") && n.attribute("data-metric") == Some(metric))
        .unwrap_or_else(|| panic!("{metric} in {:?}", group.attribute("data-protocol")))
}

fn value_text(cell: &roxmltree::Node<'_, '_>) -> String {
    cell.descendants().find(|n| has_class(n, "value")).and_then(|n| n.text()).expect("a value").to_string()
}

#[test]
fn totals_have_one_group_per_protocol_carrying_the_results_numbers() {
    for preset in presets::all() {
        let scenario = preset.scenario();
        let outputs = runs(&scenario, &Protocol::ALL);
        let svg = totals_svg(&scenario, &outputs);
        let doc = parse(&svg);
        assert_eq!(doc.root_element().attribute("data-view"), Some("totals"));
        let groups = elements_with_class(&doc, "protocol-totals");
        let protocols: Vec<&str> =
            groups.iter().map(|g| g.attribute("data-protocol").expect("protocol")).collect();
        let expected: Vec<&str> = outputs.iter().map(|o| o.result.protocol.as_str()).collect();
        assert_eq!(protocols, expected, "{}", preset.id);
        let baseline = outputs[0].result.page_load_ms;
        assert_eq!(outputs[0].result.protocol, Protocol::Http10);
        for (group, output) in groups.iter().zip(&outputs) {
            let r = &output.result;
            let page_load = total(group, "page_load_ms");
            assert_eq!(value_text(&page_load), format_ms(r.page_load_ms), "{}", preset.id);
            let value = |metric: &str| -> f64 {
                total(group, metric).attribute("data-value").expect("data-value").parse().expect("a number")
            };
            assert_eq!(value("page_load_ms"), r.page_load_ms);
            assert_eq!(value("setup_ms"), r.totals.setup_ms);
            assert_eq!(value("connections_opened"), r.totals.connections_opened as f64);
            assert_eq!(value("packets"), r.totals.packets as f64);
            assert_eq!(value("header_bytes"), r.totals.header_bytes as f64);
            assert_eq!(value("retransmissions"), r.totals.retransmissions as f64);
            assert_eq!(value("idle_closes"), r.totals.idle_closes as f64);
            assert_eq!(value("retried_requests"), r.totals.retried_requests as f64);
            assert_eq!(value("saving_ms"), baseline - r.page_load_ms);
            let saving = value_text(&total(group, "saving_ms"));
            if r.protocol == Protocol::Http10 {
                assert_eq!(saving, "baseline");
            } else {
                assert!(saving.starts_with(&format_ms((baseline - r.page_load_ms).abs())), "{saving}");
            }
            // The largest value in a row has the full bar; a zero has none.
            let bars = |metric: &str| {
                total(group, metric)
                    .children()
                    .filter(|n| {
                        has_class(n, "p-http10")
                            || has_class(n, "p-http11")
                            || has_class(n, "p-h2")
                            || has_class(n, "p-h3")
                    })
                    .count()
            };
            if r.totals.retransmissions == 0 {
                assert_eq!(bars("retransmissions"), 0);
            }
            assert_eq!(bars("page_load_ms"), usize::from(r.page_load_ms > 0.0));
        }
    }
}

#[test]
fn totals_without_http10_have_no_saving_row_and_say_so() {
    let scenario = preset("textbook");
    let outputs = runs(&scenario, &[Protocol::H2, Protocol::Http11]);
    let svg = totals_svg(&scenario, &outputs);
    let doc = parse(&svg);
    assert!(doc.descendants().all(|n| n.attribute("data-metric") != Some("saving_ms")));
    assert!(svg.contains("No HTTP/1.0 run"));
    let empty = totals_svg(&scenario, &[]);
    parse(&empty);
    assert!(empty.contains("No runs"));
}

#[test]
fn every_view_names_itself_on_the_root_and_a_top_level_group() {
    let scenario = preset("textbook");
    let outputs = runs(&scenario, &Protocol::ALL);
    let views = [
        ("lanes", lanes_svg(&scenario, &outputs)),
        ("waterfall", waterfall_svg(&scenario, &outputs[0])),
        ("ladder", ladder_svg(&scenario, &outputs[0], 1).expect("connection 1")),
        ("totals", totals_svg(&scenario, &outputs)),
    ];
    for (view, svg) in &views {
        let doc = parse(svg);
        let root = doc.root_element();
        assert_eq!(root.attribute("data-view"), Some(*view));
        let top: Vec<_> = root.children().filter(|n| n.tag_name().name() == "g").collect();
        assert_eq!(top.len(), 1, "{view}: one top-level group");
        assert_eq!(top[0].attribute("id"), Some(*view));
        assert_eq!(top[0].attribute("data-view"), Some(*view));
    }
}

#[test]
fn ladder_and_totals_escape_text_from_the_scenario() {
    let mut scenario = preset("textbook");
    scenario.name = "<script>x</script> & \"q\"".into();
    scenario.requests.truncate(1);
    scenario.requests[0].id = "a<b>&\"c".into();
    let outputs = runs(&scenario, &Protocol::ALL);
    let ladder = ladder_svg(&scenario, &outputs[0], 1).expect("connection 1");
    let doc = parse(&ladder);
    assert!(
        texts_with_class(&doc, "pkt-label").iter().any(|t| t == "GET a<b>&\"c"),
        "the id survives escaping"
    );
    let totals = totals_svg(&scenario, &outputs);
    let doc = parse(&totals);
    assert!(doc.descendants().all(|n| n.tag_name().name() != "script"));
    let title = doc.descendants().find(|n| n.tag_name().name() == "title").and_then(|n| n.text());
    assert_eq!(title, Some("Overhead totals: <script>x</script> & \"q\""));
}

/// The waterfall draws the engine's held-back spans, one rect per span with
/// a length, and a legend swatch only when there is one: behind a lost
/// packet (head-of-line, HTTP/2) and behind an earlier response (modern
/// page pipelined on one HTTP/1.1 connection).
#[test]
fn the_waterfall_draws_held_back_time_as_the_engine_spans_it() {
    use reuse_sim::holds::{hold_spans, Hold};
    use reuse_sim::scenario::PipelineProcessing;
    let mut pipelined = preset("modern-page");
    pipelined.client.pipelining = true;
    pipelined.client.max_connections_per_host = 1;
    pipelined.server.pipeline_processing = PipelineProcessing::Serial;
    let cases = [
        (preset("head-of-line"), Protocol::H2, Hold::LostPacket, "ph-held"),
        (pipelined, Protocol::Http11, Hold::EarlierResponse, "ph-blocked"),
    ];
    for (scenario, protocol, hold, class) in cases {
        let out = &runs(&scenario, &[protocol])[0];
        let spans = hold_spans(&out.trace, out.result.requests.len());
        let expected = spans.iter().filter(|s| s.hold == hold && s.to_ms > s.from_ms).count();
        assert!(expected > 0, "{class}: the run has such time");
        let svg = waterfall_svg(&scenario.with_protocol(protocol), out);
        let doc = parse(&svg);
        let drawn = elements_with_class(&doc, class).iter().filter(|n| n.tag_name().name() == "rect").count();
        // One swatch in the legend besides the spans.
        assert_eq!(drawn, expected + 1, "{class}: a rect per span and a legend swatch");
    }
    // No hold, no swatch.
    let calm = preset("textbook");
    let out = &runs(&calm, &[Protocol::Http11])[0];
    let doc_text = waterfall_svg(&calm.with_protocol(Protocol::Http11), out);
    let doc = parse(&doc_text);
    assert_eq!(elements_with_class(&doc, "ph-held").len() + elements_with_class(&doc, "ph-blocked").len(), 0);
}

/// The lanes draw the same held-back spans over the requests' bars, and
/// the legend its swatch; with no retried request every span lies within
/// its request's bar, so every one is drawn.
#[test]
fn the_lanes_draw_held_back_time_as_the_engine_spans_it() {
    use reuse_sim::holds::{hold_spans, Hold};
    let scenario = preset("head-of-line");
    let outs = runs(&scenario, &[Protocol::H2, Protocol::H3]);
    let mut expected = 0;
    for out in &outs {
        assert_eq!(out.result.totals.retried_requests, 0);
        let spans = hold_spans(&out.trace, out.result.requests.len());
        expected += spans.iter().filter(|s| s.hold == Hold::LostPacket && s.to_ms > s.from_ms).count();
    }
    assert!(expected > 0, "the lossy preset holds bytes back");
    let svg = lanes_svg(&scenario, &outs);
    let doc = parse(&svg);
    let drawn = elements_with_class(&doc, "ph-held").iter().filter(|n| n.tag_name().name() == "rect").count();
    assert_eq!(drawn, expected + 1, "a rect per span and a legend swatch");
    assert!(svg.contains("Held behind a lost packet"));
    let calm = preset("textbook");
    let doc_text = lanes_svg(&calm, &runs(&calm, &[Protocol::Http11]));
    let doc = parse(&doc_text);
    assert_eq!(
        elements_with_class(&doc, "ph-held").len() + elements_with_class(&doc, "ph-blocked").len(),
        0,
        "no hold, no swatch"
    );
}

#[test]
fn the_curve_view_draws_every_point_band_and_crossover_of_its_sweep() {
    use reuse_render::curve_svg_with;
    use reuse_sim::sweep::{Metric, Param, Sweep};
    let sweep = Sweep {
        scenario: preset("lossy-mobile"),
        param: Param::Loss,
        from: 0.0,
        to: 4.0,
        points: 5,
        log: false,
        protocols: vec![Protocol::Http11, Protocol::H2],
        variants: Vec::new(),
        seeds: 3,
        metric: Metric::PageLoad,
    };
    let points: Vec<_> = sweep.values().into_iter().map(|v| sweep.point(v).expect("runs")).collect();
    let crossovers = sweep.crossovers(&points).expect("bisects");
    let text = curve_svg_with(&sweep, &points, &crossovers, &RenderOptions::default());
    let doc = parse(&text);
    assert_eq!(doc.root_element().attribute("data-view"), Some("curve"));
    let count = |class: &str| {
        doc.descendants()
            .filter(|n| n.attribute("class").is_some_and(|c| c.split(' ').any(|w| w == class)))
            .count()
    };
    // A line per protocol (and its legend swatch), a dot per point and protocol.
    let series = doc.descendants().filter(|n| n.attribute("class") == Some("series")).count();
    assert_eq!(series, 2);
    assert_eq!(count("dot"), points.len() * 2);
    // Lossy points took three runs: every series has its band.
    assert_eq!(count("band"), 2);
    assert_eq!(count("crossover"), crossovers.len());
    for c in &crossovers {
        assert!(text.contains(&sweep.describe(c)), "the crossover's words are drawn");
    }
    // A dot's tip carries its median and band, as the sweep computed them.
    let h2_last = &points.last().expect("points").stats[1];
    assert!(text.contains(&format!(": {} (median of 3", format_ms(h2_last.median))), "{text}");
}

#[test]
fn the_congestion_window_view_steps_through_every_data_packet_and_names_each_change() {
    // CUBIC at 3 % loss on the lossy page: the chart has one step per data
    // packet the server sent on connection 1, a marker per change the trace
    // names (each with the trace's own words), and a cross per lost packet.
    let mut s = reuse_sim::presets::find("lossy-mobile").expect("preset").scenario();
    s.network.loss_rate = 0.03;
    s.tcp.congestion_control = reuse_sim::scenario::CongestionControl::Cubic;
    let s = s.with_protocol(reuse_sim::Protocol::H2);
    let out = reuse_sim::simulate(&s).expect("runs");
    let svg = reuse_render::cwnd_svg_with(&s, &out, 1, Side::Server, &reuse_render::RenderOptions::default())
        .expect("connection 1 exists");
    assert!(svg.contains("data-view=\"cwnd\"") && svg.contains("CUBIC"), "{svg}");
    let data: Vec<_> = out
        .trace
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PacketSent(p) if p.conn == 1 && p.from == Side::Server && p.payload_bytes > 0 => {
                Some(p)
            }
            _ => None,
        })
        .collect();
    let path = svg.split("data-series=\"cwnd\" d=\"").nth(1).expect("the window's path");
    let path = &path[..path.find('"').expect("ends")];
    assert_eq!(path.matches(" H").count() + 1, data.len(), "one step per data packet");
    let named: Vec<String> = out
        .trace
        .iter()
        .filter(|e| matches!(e.kind, EventKind::CongestionWindow { conn: 1, side: Side::Server, .. }))
        .map(|e| e.describe(reuse_sim::DescribeContext { scenario: &s, hosts: &out.hosts }))
        .collect();
    assert!(!named.is_empty(), "3 % loss cuts the window");
    assert_eq!(svg.matches("class=\"cwnd-change\"").count(), named.len());
    for words in &named {
        assert!(svg.contains(&reuse_render::svg::escape(words)), "{words}");
    }
    assert!(named.iter().any(|w| w.contains("0.7 × the window")), "CUBIC's cut in words");
    let lost = data.iter().filter(|p| p.lost || p.queue_drop).count();
    assert_eq!(svg.matches("a packet of this sender was lost").count(), lost);
    let unknown =
        reuse_render::cwnd_svg_with(&s, &out, 99, Side::Server, &reuse_render::RenderOptions::default());
    assert!(unknown.is_err(), "no connection 99");
}

#[test]
fn the_congestion_window_view_marks_bbr_s_modes_over_tcp_and_quic() {
    // A 2 MB download under BBR over 10 Mbit/s: Startup ends and Drain
    // ends, each a marker with the trace's words and the model's numbers.
    let mut s = reuse_sim::Scenario::new("big", 100.0, vec![reuse_sim::RequestSpec::new("file", 2_000_000)]);
    s.network.downlink_mbps = Some(10.0);
    s.network.uplink_mbps = Some(10.0);
    s.tcp.congestion_control = reuse_sim::scenario::CongestionControl::Bbr;
    let tcp = s.clone().with_protocol(reuse_sim::Protocol::H2);
    let out = reuse_sim::simulate(&tcp).expect("runs");
    let svg =
        reuse_render::cwnd_svg_with(&tcp, &out, 1, Side::Server, &reuse_render::RenderOptions::default())
            .expect("connection 1 exists");
    assert!(svg.contains("· BBR"), "the title names the controller");
    let modes: Vec<String> = out
        .trace
        .iter()
        .filter(|e| matches!(e.kind, EventKind::BbrModeChanged { conn: 1, side: Side::Server, .. }))
        .map(|e| e.describe(reuse_sim::DescribeContext { scenario: &tcp, hosts: &out.hosts }))
        .collect();
    assert!(modes.len() >= 2, "Startup and Drain end: {modes:?}");
    for words in &modes {
        assert!(svg.contains(&reuse_render::svg::escape(words)), "{words}");
    }
    assert!(svg.contains("data-cause=\"BbrDrain\"") && svg.contains("BBR: Drain"), "{svg}");
    assert!(modes[0].contains("Startup → Drain") && modes[0].contains("Model: bottleneck"), "{}", modes[0]);
    // BBR's pacing rate: a step line on the right axis, one step per time
    // the trace shows it.
    let shown = out
        .trace
        .iter()
        .filter(|e| matches!(e.kind, EventKind::BbrPacing { conn: 1, side: Side::Server, .. }))
        .count();
    assert!(shown >= 3, "Startup's rises, Drain and ProbeBW: {shown}");
    let path = svg.split("data-series=\"pacing\" d=\"").nth(1).expect("the pacing rate's path");
    let path = &path[..path.find('"').expect("ends")];
    assert_eq!(path.matches(" V").count() + 1, shown, "one step per rate shown: {path}");
    assert!(svg.contains("pacing rate (Mbit/s, right axis)"), "the legend names it");
    // QUIC's sender runs BBR too (one implementation for both transports).
    let h3 = s.with_protocol(reuse_sim::Protocol::H3);
    let out = reuse_sim::simulate(&h3).expect("runs");
    let conn = out.result.connections[0].id;
    let svg =
        reuse_render::cwnd_svg_with(&h3, &out, conn, Side::Server, &reuse_render::RenderOptions::default())
            .expect("the connection exists");
    assert!(svg.contains("· BBR") && svg.contains("data-cause=\"BbrDrain\""), "QUIC's BBR drains too");
}
