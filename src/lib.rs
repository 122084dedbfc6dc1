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
pub mod hooks;
pub mod layout;
pub mod params;
pub mod state;
pub mod view_model;

#[cfg(target_arch = "wasm32")]
mod bench;

/// Mounts the app on `<body>` and installs the `window.reuseLab` test hooks.
/// `?preset=ID` in the address opens that preset.
pub fn start() {
    #[cfg(target_arch = "wasm32")]
    bench::install();
    let preset = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|q| preset_from_query(&q))
        .map(yew::AttrValue::from);
    yew::Renderer::<components::app::App>::with_props(components::app::AppProps { preset }).render();
}

/// The `preset` parameter of a query string (`?preset=textbook&x=1`).
pub fn preset_from_query(query: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("preset="))
        .filter(|id| !id.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    #[test]
    fn preset_is_read_from_the_query_string() {
        assert_eq!(super::preset_from_query("?preset=textbook").as_deref(), Some("textbook"));
        assert_eq!(super::preset_from_query("?a=1&preset=image-tiles").as_deref(), Some("image-tiles"));
        assert_eq!(super::preset_from_query("?preset="), None);
        assert_eq!(super::preset_from_query(""), None);
    }
}
