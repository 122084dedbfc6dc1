//! Component tests in headless Chromium (wasm-bindgen-test):
//!
//!   CHROMEDRIVER=/usr/bin/chromedriver cargo test -p reuse-lab --target wasm32-unknown-unknown
//!
//! Each test mounts a component into a fresh element, lets yew render, and
//! reads the DOM. Expected values come from the engine's own output for the
//! same scenario, never from numbers copied from a run.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use gloo::timers::future::TimeoutFuture;
use reuse_lab::components::app::render_into;
use reuse_lab::components::legend::legend;
use reuse_lab::components::totals::totals;
use reuse_lab::components::{Frozen, FrozenProps};
use reuse_lab::state::Shown;
use reuse_lab::view_model::{Item, Phase, Run};
use reuse_sim::{presets, Protocol};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_root() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

fn query_all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

fn total(root: &Element, protocol: Protocol, metric: &str) -> f64 {
    let selector =
        format!("[data-testid=total][data-protocol=\"{}\"][data-metric=\"{metric}\"]", protocol.as_str());
    let el = root.query_selector(&selector).unwrap().unwrap_or_else(|| panic!("no cell {selector}"));
    el.get_attribute("data-value").unwrap().parse().unwrap()
}

/// Renders a plain view function's `Html` into a fresh element.
fn render_html(html: yew::Html) -> Element {
    let root = fresh_root();
    yew::Renderer::<Frozen>::with_root_and_props(root.clone(), FrozenProps { html: Rc::new(html) }).render();
    root
}

fn textbook_run() -> Run {
    Run::simulate(&presets::find("textbook").unwrap().scenario()).unwrap()
}

#[wasm_bindgen_test]
async fn totals_show_the_engine_totals_for_every_shown_protocol() {
    let run = textbook_run();
    let expected: Vec<(Protocol, u32, f64)> = run
        .protocols
        .iter()
        .map(|p| (p.protocol, p.result().totals.connections_opened, p.page_load_ms()))
        .collect();
    let root = render_html(totals(&Shown::new(run, Protocol::OVER_TCP.to_vec())));
    wait_for(&root, "[data-testid=total]").await.expect("totals render");
    for (p, conns, load) in expected {
        assert_eq!(total(&root, p, "connections_opened"), conns as f64, "{p}");
        assert_eq!(total(&root, p, "page_load_ms"), load, "{p}");
    }
    // The saving against HTTP/1.0 is the difference of page loads.
    let base = total(&root, Protocol::Http10, "page_load_ms");
    let h2 = total(&root, Protocol::H2, "page_load_ms");
    assert_eq!(total(&root, Protocol::H2, "saving_ms"), base - h2);
}

#[wasm_bindgen_test]
async fn totals_hide_protocols_not_shown() {
    let root = render_html(totals(&Shown::new(textbook_run(), vec![Protocol::H2])));
    wait_for(&root, "[data-testid=total]").await.expect("totals render");
    let protocols: Vec<String> = query_all(&root, "[data-testid=total][data-metric=packets]")
        .iter()
        .map(|e| e.get_attribute("data-protocol").unwrap())
        .collect();
    assert_eq!(protocols, ["h2"]);
}

#[wasm_bindgen_test]
async fn legend_names_every_devtools_phase_with_its_own_class() {
    let root = render_html(legend(false));
    wait_for(&root, ".legend li").await.expect("legend renders");
    let text = root.text_content().unwrap();
    for phase in Phase::ALL {
        assert!(text.contains(phase.name()), "legend lacks {}", phase.name());
        assert_eq!(query_all(&root, &format!("rect.{}", phase.class())).len(), 1);
    }
}

#[wasm_bindgen_test]
async fn why_panel_shows_the_engines_words_for_an_item_each_with_its_time() {
    let run = textbook_run();
    let h11 = run.get(Protocol::Http11).unwrap();
    let item = Item::Setup { conn: 1, phase: Phase::Connect };
    let explanation = h11.explain(item);
    assert!(!explanation.lines.is_empty(), "the engine has words for a TCP handshake");
    let root = mount_app("textbook").await;
    // Keyboard focus on the bar explains it, as pointing at it does.
    let bar = root
        .query_selector(&format!("[data-item=\"{}\"]", item.key(Protocol::Http11)))
        .unwrap()
        .expect("the connect bar is drawn");
    // SVGElement.focus(), through JavaScript (web-sys's SvgElement is not enabled).
    let focus: js_sys::Function = js_sys::Reflect::get(&bar, &"focus".into()).unwrap().dyn_into().unwrap();
    focus.call0(&bar).unwrap();
    let why = wait_for(&root, "[data-testid=why] .why-title").await.expect("the panel explains");
    let text = why.parent_element().unwrap().text_content().unwrap();
    assert!(text.contains(&explanation.title), "{text}");
    for (at, line) in &explanation.lines {
        assert!(
            text.contains(line.as_str()) && text.contains(at.as_str()),
            "missing {at} {line:?} in {text}"
        );
    }
}

/// Sets a text field as typing would, with a bubbling `input` event (yew
/// listens at the root).
fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

/// Polls for an element for up to two seconds (a debug build simulates slowly).
async fn wait_for(root: &Element, selector: &str) -> Option<Element> {
    for _ in 0..100 {
        if let Some(el) = root.query_selector(selector).unwrap() {
            return Some(el);
        }
        TimeoutFuture::new(20).await;
    }
    None
}

/// Mounts the whole app on a preset.
async fn mount_app(preset: &str) -> Element {
    let root = fresh_root();
    render_into(root.clone(), &format!("?preset={preset}"), false);
    // The first simulation runs before the first render; a debug build is slow.
    wait_for(&root, "[data-testid=ladder]").await.expect("the app renders");
    root
}

#[wasm_bindgen_test]
async fn lanes_draw_one_row_per_connection_and_a_bar_per_handshake() {
    let run = textbook_run();
    let root = mount_app("textbook").await;
    for p in &run.protocols {
        let selector =
            format!("[data-testid=lanes] .proto-group[data-protocol=\"{}\"] .lane-row", p.protocol.as_str());
        assert_eq!(query_all(&root, &selector).len(), p.connections.len(), "{}", p.protocol);
        let connects = format!(
            "[data-testid=lanes] .proto-group[data-protocol=\"{}\"] .bar.ph-connect",
            p.protocol.as_str()
        );
        let handshakes = p.result().connections.iter().filter(|c| c.connect_ms > 0.0).count();
        assert_eq!(query_all(&root, &connects).len(), handshakes, "{}", p.protocol);
    }
}

#[wasm_bindgen_test]
async fn every_drawn_item_has_an_explanation_key_that_parses() {
    let root = mount_app("textbook").await;
    let items = query_all(&root, "[data-item]");
    assert!(items.len() > 20, "only {} items", items.len());
    for el in items {
        let key = el.get_attribute("data-item").unwrap();
        assert!(Item::parse_key(&key).is_some(), "bad key {key:?}");
        assert_eq!(el.get_attribute("tabindex").as_deref(), Some("0"), "{key} is not keyboard reachable");
    }
}

#[wasm_bindgen_test]
async fn invalid_rtt_shows_a_message_at_the_field_and_keeps_the_simulation() {
    let root = mount_app("textbook").await;
    let before = total(&root, Protocol::Http11, "page_load_ms");
    let input: HtmlInputElement =
        root.query_selector("[data-testid=input-rtt]").unwrap().unwrap().dyn_into().unwrap();
    type_into(&input, "-20");
    let message = wait_for(&root, "[data-testid=error-rtt]").await.expect("an inline message");
    assert!(message.text_content().unwrap().contains("RTT"));
    assert_eq!(input.value(), "-20", "what was typed stays");
    assert_eq!(total(&root, Protocol::Http11, "page_load_ms"), before, "the last good simulation stays");

    // A longer valid RTT re-simulates: every page load grows.
    let loads: Vec<f64> = Protocol::OVER_TCP.iter().map(|&p| total(&root, p, "page_load_ms")).collect();
    type_into(&input, "300");
    for _ in 0..100 {
        if root.query_selector("[data-testid=error-rtt]").unwrap().is_none() {
            break;
        }
        TimeoutFuture::new(20).await;
    }
    assert!(
        root.query_selector("[data-testid=error-rtt]").unwrap().is_none(),
        "a valid RTT clears the message"
    );
    for (p, old) in Protocol::OVER_TCP.iter().zip(loads) {
        assert!(total(&root, *p, "page_load_ms") > old, "{p}");
    }
}

#[wasm_bindgen_test]
async fn step_button_moves_the_playhead_to_the_first_event_after_zero() {
    let run = textbook_run();
    let first_event = run
        .protocols
        .iter()
        .filter_map(|p| p.event_times.iter().copied().find(|&t| t > 0.0))
        .fold(f64::INFINITY, f64::min);
    let root = mount_app("textbook").await;
    let start: web_sys::HtmlElement =
        root.query_selector("[data-testid=to-start]").unwrap().unwrap().dyn_into().unwrap();
    start.click();
    let playhead = || -> f64 {
        let el = root.query_selector("[data-testid=playhead]").unwrap().unwrap();
        el.get_attribute("data-value").unwrap().parse().unwrap()
    };
    for _ in 0..100 {
        if playhead() == 0.0 {
            break;
        }
        TimeoutFuture::new(20).await;
    }
    assert_eq!(playhead(), 0.0, "the start button rewinds");
    let step: web_sys::HtmlElement =
        root.query_selector("[data-testid=step-forward]").unwrap().unwrap().dyn_into().unwrap();
    step.click();
    for _ in 0..100 {
        if playhead() != 0.0 {
            break;
        }
        TimeoutFuture::new(20).await;
    }
    assert_eq!(playhead(), first_event);
}

#[wasm_bindgen_test]
async fn ladder_draws_every_packet_of_the_selected_connection() {
    let run = textbook_run();
    let root = mount_app("textbook").await;
    // The ladder opens on the first shown protocol's first connection.
    let first = &run.protocols[0].connections[0];
    let arrows = query_all(&root, "[data-testid=ladder] .pkt").len();
    assert_eq!(arrows, first.packets.len());
}

#[wasm_bindgen_test]
async fn an_embed_link_shows_its_views_and_protocols_without_the_editor() {
    let root = fresh_root();
    render_into(root.clone(), "?v=1&p=textbook&show=11-2&embed=1&views=lanes-ladder", false);
    wait_for(&root, "[data-testid=embed] [data-testid=lanes]").await.expect("the embed renders");
    assert!(root.query_selector("[data-testid=input-rtt]").unwrap().is_none(), "no editor");
    assert!(root.query_selector("[data-testid=copy-link]").unwrap().is_none(), "no share bar");
    assert!(root.query_selector("[data-testid=ladder]").unwrap().is_some(), "the ladder was asked for");
    assert!(root.query_selector("[data-testid=waterfall]").unwrap().is_none(), "the waterfall was not");
    assert!(root.query_selector("[data-testid=total]").unwrap().is_none(), "nor the totals");
    let shown: Vec<String> = query_all(&root, "[data-testid=lanes] .proto-group")
        .iter()
        .filter_map(|g| g.get_attribute("data-protocol"))
        .collect();
    assert_eq!(shown, ["http/1.1", "h2"]);
    let back =
        root.query_selector("[data-testid=open-full]").unwrap().unwrap().get_attribute("href").unwrap();
    assert!(back.starts_with("./?v=1&p=textbook") && !back.contains("embed"), "{back}");
}

#[wasm_bindgen_test]
async fn a_damaged_link_says_what_was_wrong_over_the_default_scenario() {
    let root = fresh_root();
    render_into(root.clone(), "?v=1&p=textbook&iw=0", false);
    let notice = wait_for(&root, "[data-testid=link-error]").await.expect("a message");
    let text = notice.text_content().unwrap();
    assert!(text.contains("Initial window") && text.contains("default scenario"), "{text}");
    assert!(
        wait_for(&root, "[data-testid=lanes] .lane-row").await.is_some(),
        "the default scenario is drawn"
    );
}

/// Mounts the app on a permalink and waits for the ladder.
async fn mount_link(query: &str) -> Element {
    let root = fresh_root();
    render_into(root.clone(), query, false);
    wait_for(&root, "[data-testid=ladder]").await.expect("the app renders");
    root
}

#[wasm_bindgen_test]
async fn the_ladder_shows_every_tcp_state_change_of_its_connection() {
    // HTTP/1.0's first connection: the server closes, FIN and ACK cross,
    // and several changes fall on one instant (the app used to drop them).
    let run = textbook_run();
    let h10 = run.get(Protocol::Http10).unwrap();
    let conn = h10.connections[0].id;
    let expected: Vec<&str> = h10
        .output
        .trace
        .iter()
        .filter_map(|e| match e.kind {
            reuse_sim::trace::EventKind::TcpStateChanged { conn: c, to, .. } if c == conn => {
                Some(to.as_str())
            }
            _ => None,
        })
        .collect();
    assert!(expected.len() >= 8, "both sides open and close: {expected:?}");
    let root = mount_link(&format!("?v=1&p=textbook&c=10-{conn}")).await;
    let drawn: Vec<String> = query_all(&root, "[data-testid=ladder] .tcp-state")
        .iter()
        .map(|e| e.text_content().unwrap())
        .collect();
    let (mut a, mut b) = (drawn.clone(), expected.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    a.sort();
    b.sort();
    assert_eq!(a, b, "drawn {drawn:?}");
}

#[wasm_bindgen_test]
async fn pipelined_requests_are_separate_arrows_on_the_ladder() {
    let root = mount_link("?v=1&p=textbook&pl=1&show=11&c=11-1").await;
    let arrows: Vec<String> = query_all(&root, "[data-testid=ladder] .pkt line:not(.hit)")
        .iter()
        .map(|l| ["x1", "y1", "x2", "y2"].map(|a| l.get_attribute(a).unwrap_or_default()).join(","))
        .collect();
    assert!(arrows.len() > 10, "{} arrows", arrows.len());
    for (i, a) in arrows.iter().enumerate() {
        assert!(!arrows[..i].contains(a), "two arrows drawn at {a}");
    }
}
