//! One app, two builds. The first load (`reuse-lab`) leaves the engine's
//! QUIC transport out to stay within the 200 KB first-load budget;
//! `reuse-lab-h3` (the `quic` feature) is the same app with HTTP/3. The
//! page's loader in index.html picks the build from the address: a link
//! whose `show=` names HTTP/3 (`3`) loads `reuse-lab-h3`. Everything a view
//! holds is in its link, so moving to the HTTP/3 build is opening the
//! page's own link again with HTTP/3 shown.

use reuse_sim::Protocol;

/// Whether this build simulates `protocol` (HTTP/3 needs the `quic` build).
pub fn simulates(protocol: Protocol) -> bool {
    protocol.in_this_build()
}

/// True for a permalink query that shows HTTP/3: its `show=` list names it
/// (`3`), or it has no `show=` and opens a preset whose lesson is HTTP/3
/// (`params::H3_LESSONS`, shown by default with HTTP/2). The rule the loader
/// in Trunk.toml applies (kept in step by a test here).
pub fn link_needs_h3(query: &str) -> bool {
    let query = query.strip_prefix('?').unwrap_or(query);
    // The first of a repeated key, as the loader's URLSearchParams reads it.
    let first = |key: &str| query.split('&').find_map(|pair| pair.strip_prefix(key));
    match first("show=") {
        Some(list) => list.split('-').any(|p| p == "3"),
        None => {
            first("p=").or_else(|| first("preset=")).is_some_and(|p| crate::params::H3_LESSONS.contains(&p))
        }
    }
}

/// Opens `query` (a permalink, "?v=1&…") in the HTTP/3 build: the page loads
/// again at that address, replacing this history entry. Does nothing when
/// this build already has HTTP/3 or outside a browser.
pub fn open_with_h3(query: &str) {
    if simulates(Protocol::H3) {
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
    fn a_link_needs_the_h3_build_only_when_it_shows_http3() {
        assert!(link_needs_h3("?v=1&p=textbook&show=10-11-2-3"));
        assert!(link_needs_h3("show=3"));
        assert!(!link_needs_h3("?v=1&p=textbook&show=10-11-2"));
        assert!(!link_needs_h3("?v=1&p=textbook&rtt=3"));
        assert!(!link_needs_h3("?v=1&show=30"));
        assert!(!link_needs_h3(""));
        assert!(link_needs_h3("?v=1&p=head-of-line"));
        assert!(link_needs_h3("?preset=head-of-line"));
        assert!(!link_needs_h3("?v=1&p=head-of-line&show=10-11-2"));
    }

    #[test]
    fn the_loader_applies_the_same_rule() {
        let trunk = include_str!("../Trunk.toml");
        let script = &trunk[trunk.find("pattern_script").expect("the loader")..];
        assert!(script.contains("get('show')") && script.contains("includes('3')"), "{script}");
        for id in crate::params::H3_LESSONS {
            assert!(script.contains(&format!("'{id}'")), "the loader opens {id} in the HTTP/3 build");
        }
    }

    #[test]
    fn http3_is_simulated_exactly_in_the_quic_build() {
        assert_eq!(simulates(Protocol::H3), cfg!(feature = "quic"));
        assert!(simulates(Protocol::H2));
    }
}
