//! One app, two builds. The first load (`reuse-lab`) leaves the engine's
//! QUIC transport, TCP keep-alive and middleboxes, the server's events
//! (`push`), and the curve view, out
//! to stay within the 200 KB first-load budget; the full build,
//! `reuse-lab-h3` (named for its first use; features `quic`, `keepalive`
//! and `push`), is the same app with them. The page's loader (Trunk.toml's
//! `pattern_script`) picks the build from the address: a link whose `show=`
//! names HTTP/3 (`3`), that draws a curve (`sweep=`), has variants
//! (`var=`), sets the congestion control (`cc=`, CUBIC or BBR), opens a lesson
//! (`lesson=`), shows the server's view (`server=1`), or that opens a
//! preset of [`FULL_BUILD_PRESETS`], loads the full build. Everything a view
//! holds is in its link, so moving to the full build is opening the page's
//! own link again.

use reuse_sim::Protocol;

/// Whether this build simulates `protocol` (HTTP/3 needs the `quic` build).
pub fn simulates(protocol: Protocol) -> bool {
    match protocol {
        Protocol::Http10 | Protocol::Http11 | Protocol::H2 => true,
        // This crate's own feature as well as the engine's: `cargo test
        // --workspace` unifies the engine's features (the CLI turns QUIC
        // on) while this crate's HTTP/3 views stay compiled out.
        Protocol::H3 => cfg!(feature = "quic") && protocol.in_this_build(),
    }
}

/// Presets that need the full build whatever the link shows: their
/// scenarios set TCP keep-alive, a middlebox or the server's events, which
/// the first-load engine leaves out (`Scenario::needs_full_build`; a test
/// keeps the list in step with the engine's presets).
pub const FULL_BUILD_PRESETS: [&str; 3] = ["nat-idle", "nat-keepalive", "live-scores"];

/// Presets the first-load engine does not have at all (the server's
/// events need the engine's feature `push`, the NAT presets `keepalive`): id and title, so the first
/// load's preset list offers them; picking one opens the full build. A test
/// holds them to the engine's presets.
pub const FULL_BUILD_ONLY_PRESETS: [(&str, &str); 3] = [
    ("nat-idle", "API behind a 350 s NAT"),
    ("nat-keepalive", "API behind a 350 s NAT + TCP keep-alive"),
    ("live-scores", "Live scores: 8 events pushed over 41 s"),
];

/// The variants the share bar's *Variants* button starts with: Kurose &
/// Ross's four answers (chapter 2.2), as `src/export.js` writes them into
/// the link (a test keeps the two in step).
pub const VARIANTS_START: [&str; 4] = [
    "non-persistent:protocol=1.0,cl=1",
    "non-persistent ×5:protocol=1.0,cl=5",
    "persistent:protocol=1.1,cl=1",
    "pipelined:protocol=1.1,cl=1,pl=1",
];

/// Whether this is the full build (HTTP/3, TCP keep-alive, middleboxes).
pub fn is_full_build() -> bool {
    cfg!(feature = "keepalive") && simulates(Protocol::H3)
}

/// Keys only the full build reads: a curve (`sweep=`), a lesson, the
/// server's view, variants, the congestion control (`cc=`, CUBIC or BBR).
const FULL_BUILD_KEYS: [&str; 6] = ["sweep=", "lesson=", "server=", "var=", "cc=", "rack="];

/// True for a permalink query that needs the full build: it opens a preset
/// of [`FULL_BUILD_PRESETS`], draws a curve (`sweep=`), has variants
/// (`var=`), or shows HTTP/3 (its `show=` list names `3`,
/// or it has no `show=` and opens a preset whose lesson is HTTP/3,
/// `params::H3_LESSONS`, shown by default with HTTP/2). The rule the loader
/// in Trunk.toml applies (kept in step by a test here).
pub fn link_needs_full_build(query: &str) -> bool {
    let query = query.strip_prefix('?').unwrap_or(query);
    // The first of a repeated key, as the loader's URLSearchParams reads it.
    let first = |key: &str| query.split('&').find_map(|pair| pair.strip_prefix(key));
    let preset = first("p=").or_else(|| first("preset="));
    // The curve view (a sweep, `sweep=`) and lessons are the full build's only.
    if preset.is_some_and(|p| FULL_BUILD_PRESETS.contains(&p))
        || FULL_BUILD_KEYS.iter().any(|k| first(k).is_some())
    {
        return true;
    }
    match first("show=") {
        Some(list) => list.split('-').any(|p| p == "3"),
        None => preset.is_some_and(|p| crate::params::H3_LESSONS.contains(&p)),
    }
}

/// Opens `query` (a permalink, "?v=1&…") in the full build: the page loads
/// again at that address, replacing this history entry. Does nothing in the
/// full build or outside a browser.
pub fn open_full_build(query: &str) {
    if is_full_build() {
        return;
    }
    // A query alone is a relative address: this page's path with it.
    #[cfg(target_arch = "wasm32")]
    if let Some(location) = web_sys::window().map(|w| w.location()) {
        let _ = location.replace(query);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = query;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_needs_the_full_build_when_it_shows_http3_or_opens_a_keepalive_preset() {
        assert!(link_needs_full_build("?v=1&p=textbook&show=10-11-2-3"));
        assert!(link_needs_full_build("show=3"));
        assert!(link_needs_full_build("?v=1&p=lossy-mobile&show=11-2&cc=cubic"));
        assert!(link_needs_full_build("?v=1&p=modern-page&cc=bbr"));
        assert!(!link_needs_full_build("?v=1&p=textbook&show=10-11-2"));
        assert!(!link_needs_full_build("?v=1&p=textbook&rtt=3"));
        assert!(!link_needs_full_build("?v=1&show=30"));
        assert!(!link_needs_full_build(""));
        assert!(link_needs_full_build("?v=1&p=head-of-line"));
        assert!(link_needs_full_build("?preset=head-of-line"));
        assert!(!link_needs_full_build("?v=1&p=head-of-line&show=10-11-2"));
        // Keep-alive and the middlebox are in the full build only, whatever is shown.
        assert!(link_needs_full_build("?v=1&p=nat-idle&show=10-11-2"));
        assert!(link_needs_full_build("?preset=nat-keepalive"));
        assert!(!link_needs_full_build("?v=1&p=nat-idlex"));
        // So is the curve view.
        assert!(link_needs_full_build("?v=1&p=textbook&show=10-11-2&sweep=rtt"));
        assert!(!link_needs_full_build("?v=1&p=textbook&show=10-11-2&sweeps=rtt"));
        // And lessons.
        assert!(link_needs_full_build("?lesson=handshake&step=2"));
        assert!(link_needs_full_build("?lesson="));
        // And the server's view, and variants.
        assert!(link_needs_full_build("?v=1&p=textbook&show=10-11-2&server=1"));
        assert!(link_needs_full_build("?v=1&p=textbook&var=a:cl%3D1"));
        assert!(!link_needs_full_build("?v=1&p=textbook&vars=a"));
    }

    #[test]
    fn the_full_build_presets_are_those_whose_scenario_needs_it() {
        let needing: Vec<&str> = reuse_sim::presets::all()
            .iter()
            .filter(|p| p.scenario().needs_full_build().is_some())
            .map(|p| p.id)
            .collect();
        // Those the engine has in this build (the full build's own presets
        // only with its feature `push`).
        let known: Vec<&str> =
            FULL_BUILD_PRESETS.into_iter().filter(|id| reuse_sim::presets::find(id).is_some()).collect();
        assert_eq!(needing, known);
        for (id, _) in FULL_BUILD_ONLY_PRESETS {
            assert!(FULL_BUILD_PRESETS.contains(&id), "{id} opens the full build");
        }
    }

    #[cfg(all(feature = "push", feature = "keepalive"))]
    #[test]
    fn the_presets_only_the_full_build_has_are_the_engines() {
        for (id, title) in FULL_BUILD_ONLY_PRESETS {
            assert_eq!(reuse_sim::presets::find(id).map(|p| p.title), Some(title));
            assert!(FULL_BUILD_PRESETS.contains(&id));
        }
    }

    #[test]
    fn the_loader_applies_the_same_rule() {
        let trunk = include_str!("../Trunk.toml");
        let script = &trunk[trunk.find("pattern_script").expect("the loader")..];
        assert!(script.contains("get('show')") && script.contains("includes('3')"), "{script}");
        assert!(script.contains("q.has('sweep')"), "a sweep opens the full build: {script}");
        assert!(script.contains("q.has('lesson')"), "a lesson opens the full build: {script}");
        assert!(script.contains("q.has('server')"), "the server's view opens the full build: {script}");
        assert!(script.contains("q.has('var')"), "variants open the full build: {script}");
        assert!(script.contains("q.has('cc')"), "CUBIC opens the full build: {script}");
        let list = |name: &str| {
            let start = script.find(&format!("{name}=[")).unwrap_or_else(|| panic!("{name} in {script}"));
            let rest = &script[start..];
            rest[..rest.find(']').expect("list end")].to_string()
        };
        let (h3, full) = (list("h3Lessons"), list("fullPresets"));
        for id in crate::params::H3_LESSONS {
            assert!(h3.contains(&format!("'{id}'")), "the loader opens {id} in the full build without show=");
        }
        for id in FULL_BUILD_PRESETS {
            assert!(full.contains(&format!("'{id}'")), "the loader opens {id} in the full build");
        }
    }

    #[test]
    fn the_variants_button_starts_with_the_same_variants() {
        let js = include_str!("export.js");
        let list = &js[js.find("const VARIANTS").expect("the list")..];
        let list = &list[..list.find(']').expect("its end")];
        for spec in VARIANTS_START {
            assert!(list.contains(&format!("'{spec}'")), "{spec} in {list}");
        }
        for spec in VARIANTS_START {
            reuse_sim::variant::Variant::parse(spec).expect("reads");
        }
    }

    #[test]
    fn http3_is_simulated_exactly_in_the_quic_build() {
        assert_eq!(simulates(Protocol::H3), cfg!(feature = "quic"));
        assert!(simulates(Protocol::H2));
    }
}
