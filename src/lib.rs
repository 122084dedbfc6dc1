//! # Reuse Lab: the web app
//!
//! A yew app that runs the `reuse-sim` engine in the browser and animates
//! its trace: connection lanes per protocol on one time axis, a request
//! waterfall, a ladder diagram of one connection, and overhead totals.
//!
//! - [`layout`], [`params`], [`view_model`] and [`state`] are pure Rust with
//!   native unit tests (`cargo test -p reuse-lab`).
//! - [`components`] and [`hooks`] are the browser side (yew function
//!   components and hooks), tested with wasm-bindgen-test in `tests/`.

pub mod components;
#[cfg(feature = "clients")]
pub mod crowd;
pub mod curve;
pub mod export;
pub mod full_build;
pub mod held;
pub mod hooks;
pub mod layout;
pub mod lesson;
pub mod params;
pub mod permalink;
#[cfg(feature = "quic")]
pub mod quic_words;
pub mod receipts;
pub mod state;
pub mod view_model;

#[cfg(target_arch = "wasm32")]
mod bench;

/// Mounts the app on `<body>` and installs the `window.reuseLab` test hooks.
/// The address's query string is a [`permalink`].
pub fn start() {
    #[cfg(target_arch = "wasm32")]
    bench::install();
    let window = web_sys::window();
    let query = window.as_ref().and_then(|w| w.location().search().ok()).unwrap_or_default();
    // An embed's autoplay waits for a click when the reader asked for less motion.
    let reduced_motion = window
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches());
    let body = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body());
    if let Some(body) = body {
        components::app::render_into(body.into(), &query, reduced_motion);
    }
}
