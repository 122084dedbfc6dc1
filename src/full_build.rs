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

/// True for a permalink query whose `show=` list names HTTP/3: the rule the
/// loader in index.html applies (kept in step by a test there and here).
pub fn link_needs_h3(query: &str) -> bool {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .filter_map(|pair| pair.strip_prefix("show="))
        .any(|list| list.split('-').any(|p| p == "3"))
}

/// Opens `query` (a permalink, "?v=1&…") in the HTTP/3 build: the page loads
/// again at that address, replacing this history entry. Does nothing when
/// this build already has HTTP/3 or outside a browser.
pub fn open_with_h3(query: &str) {
    if simulates(Protocol::H3) {
        return;
    }
    #[cfg(target_arch = "wasm32")]
    if let Some(location) = web_sys::window().map(|w| w.location()) {
        let path = location.pathname().unwrap_or_default();
        let _ = location.replace(&format!("{path}{query}"));
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
    }

    #[test]
    fn http3_is_simulated_exactly_in_the_quic_build() {
        assert_eq!(simulates(Protocol::H3), cfg!(feature = "quic"));
        assert!(simulates(Protocol::H2));
    }
}
